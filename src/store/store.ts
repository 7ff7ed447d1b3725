// The one store module: every durable thing goes through here, every user
// string through a bound parameter. openStore() opens the database, brings its
// schema up to date and hands out one repository per table group (repos/).
import type Database from "better-sqlite3";
import { migrate, openDatabase, type OpenOptions } from "./connection.js";
import { migrations as allMigrations } from "./migrations/index.js";
import { auditRepo, type AuditRepo } from "./repos/audit.js";
import { chatsRepo, type ChatsRepo } from "./repos/chats.js";
import { invitesRepo, type InvitesRepo } from "./repos/invites.js";
import { limitsRepo, type LimitsRepo } from "./repos/limits.js";
import { dashboardRepo, type DashboardRepo } from "./repos/dashboard.js";
import { askContextRepo, type AskContextRepo } from "./repos/ask-context.js";
import { inboxRepo, type InboxRepo } from "./repos/inbox.js";
import { ReminderRepo } from "./repos/reminders.js";
import { seenRepo, type SeenRepo } from "./repos/seen.js";
import { sessionsRepo, type SessionsRepo } from "./repos/sessions.js";
import { tasksRepo, type TasksRepo } from "./repos/tasks.js";
import { updatesRepo, type UpdatesRepo } from "./repos/updates.js";
import { usersRepo, type UsersRepo } from "./repos/users.js";

export interface Store {
  readonly path: string;
  readonly users: UsersRepo;
  readonly chats: ChatsRepo;
  readonly tasks: TasksRepo;
  readonly updates: UpdatesRepo;
  readonly sessions: SessionsRepo;
  readonly audit: AuditRepo;
  readonly seen: SeenRepo;
  /** Invite codes made with /maomoi. */
  readonly invites: InvitesRepo;
  /** Wrong-attempt counters and lockouts, rate limits. */
  readonly limits: LimitsRepo;
  /** Group settings, subscriptions and the deliveries ledger of reminders. */
  readonly reminders: ReminderRepo;
  /** The dashboard's one-time sign-in links and sessions (hashes only). */
  readonly dashboard: DashboardRepo;
  /** Updates as the channels received them, stored before they are acknowledged, and what became of each. */
  readonly inbox: InboxRepo;
  /** The last question of each chat's user, for follow-ups (short-lived). */
  readonly askContext: AskContextRepo;
  /** Run fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  /** SQLite's own checks: "ok" when the file is sound. */
  integrityCheck(): string;
  /** A pragma's current value (tests and diagnostics). */
  pragma(name: string): unknown;
  close(): void;
}

/** Open (or create) the store at `path` (":memory:" in tests) and bring its schema up to date. */
export function openStore(path: string, opts: OpenOptions = {}): Store {
  const clock = opts.clock ?? (() => new Date());
  const db: Database.Database = openDatabase(path, opts);
  migrate(db, opts.migrations ?? allMigrations, clock);
  const iso = (d?: Date) => (d ?? clock()).toISOString();
  let closed = false;
  return {
    path,
    users: usersRepo(db, iso),
    chats: chatsRepo(db, iso),
    tasks: tasksRepo(db, iso),
    updates: updatesRepo(db),
    sessions: sessionsRepo(db),
    audit: auditRepo(db, iso),
    seen: seenRepo(db, iso),
    invites: invitesRepo(db, iso),
    limits: limitsRepo(db),
    reminders: new ReminderRepo(db),
    dashboard: dashboardRepo(db),
    inbox: inboxRepo(db, iso),
    askContext: askContextRepo(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    integrityCheck: () => String(db.pragma("integrity_check", { simple: true })),
    pragma: (name) => db.pragma(name, { simple: true }),
    close: () => {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
