// The one store module: every durable thing goes through here, every user
// string through a bound parameter. Repositories are thin, synchronous and typed.
import type Database from "better-sqlite3";
import type { SeenUpdates } from "../core/commands.js";
import { migrate, openDatabase, type OpenOptions } from "./connection.js";
import { migrations as allMigrations } from "./migrations/index.js";
import type {
  AuditRow,
  ChatRow,
  NewStatusUpdate,
  Role,
  SessionKey,
  SessionRow,
  StatusKey,
  StatusUpdateRow,
  StatusUpdateView,
  SyncResult,
  TaskInput,
  TaskRow,
  UserRow,
} from "./types.js";

type Row = Record<string, unknown>;

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== "string") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toUser(r: Row): UserRow {
  return {
    id: Number(r.id),
    channel: str(r.channel),
    channelUserId: str(r.channel_user_id),
    name: str(r.name),
    agencyId: strOrNull(r.agency_id),
    role: r.role === "admin" ? "admin" : "user",
    approved: r.approved === 1,
    approvedBy: r.approved_by === null || r.approved_by === undefined ? null : Number(r.approved_by),
    approvedAt: strOrNull(r.approved_at),
    viaInvite: r.via_invite === 1,
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

function toTask(r: Row): TaskRow {
  return {
    id: str(r.id),
    plan: str(r.plan),
    name: str(r.name),
    leadIds: parseJson<string[]>(r.lead_ids, []),
    coordinatorIds: parseJson<string[]>(r.coordinator_ids, []),
    due: strOrNull(r.due),
    deadlineRaw: str(r.deadline_raw),
    archivedAt: strOrNull(r.archived_at),
    firstSeenAt: str(r.first_seen_at),
    updatedAt: str(r.updated_at),
  };
}

function toUpdate(r: Row): StatusUpdateRow {
  return {
    id: Number(r.id),
    taskId: str(r.task_id),
    userId: Number(r.user_id),
    status: str(r.status) as StatusKey,
    percent: Number(r.percent),
    done: str(r.done),
    obstacles: str(r.obstacles),
    proposal: str(r.proposal),
    expectedBy: strOrNull(r.expected_by),
    reportedAt: str(r.reported_at),
    channel: str(r.channel),
    chatId: strOrNull(r.chat_id),
    messageId: strOrNull(r.message_id),
  };
}

function toUpdateView(r: Row): StatusUpdateView {
  return { ...toUpdate(r), userName: str(r.user_name), userAgencyId: strOrNull(r.user_agency_id) };
}

function toSession(r: Row): SessionRow {
  return {
    channel: str(r.channel),
    chatId: str(r.chat_id),
    userId: str(r.user_id),
    form: str(r.form),
    version: Number(r.version),
    step: Number(r.step),
    values: parseJson<Record<string, unknown>>(r.values_json, {}),
    startedAt: str(r.started_at),
    updatedAt: str(r.updated_at),
  };
}

export interface UsersRepo {
  get(channel: string, channelUserId: string): UserRow | undefined;
  byId(id: number): UserRow | undefined;
  /** Create or replace a registration (name, agency); approval as given. */
  register(input: {
    channel: string;
    channelUserId: string;
    name: string;
    agencyId: string | null;
    approved: boolean;
    viaInvite?: boolean;
    now: Date;
  }): UserRow;
  /** Make sure a configured admin has a row (role admin, approved); keeps an existing name and agency. */
  ensureAdmin(input: { channel: string; channelUserId: string; name: string; now: Date }): UserRow;
  approve(id: number, byUserId: number | null, now: Date): UserRow | undefined;
  /** Remove a pending registration (never one with status updates). */
  reject(id: number): boolean;
  pending(): UserRow[];
  all(): UserRow[];
  setRole(id: number, role: Role, now: Date): void;
}

export interface ChatsRepo {
  upsert(input: { channel: string; chatId: string; type: "private" | "group"; title?: string | null; now: Date }): void;
  get(channel: string, chatId: string): ChatRow | undefined;
  list(channel?: string): ChatRow[];
}

export interface TasksRepo {
  /** Mirror the knowledge base: upsert every task by id, archive ids that disappeared (history kept), restore ids that came back. */
  syncTasks(tasks: readonly TaskInput[], now?: Date): SyncResult;
  /** Upsert one task without archiving anything else. */
  upsert(task: TaskInput, now?: Date): void;
  get(id: string): TaskRow | undefined;
  list(opts?: { includeArchived?: boolean }): TaskRow[];
}

export interface UpdatesRepo {
  insert(input: NewStatusUpdate): StatusUpdateRow;
  get(id: number): StatusUpdateRow | undefined;
  latest(taskId: string): StatusUpdateView | undefined;
  /** Newest first. */
  history(taskId: string, limit?: number): StatusUpdateView[];
  /** The latest update of every task that has one. */
  latestByTask(): Map<string, StatusUpdateView>;
  /** Ids of the tasks whose latest update says "hoàn thành". */
  completedTaskIds(): Set<string>;
  /** How many updates each task has. */
  countsByTask(): Map<string, number>;
  count(): number;
  /** Every update, oldest first. */
  all(): StatusUpdateView[];
}

export interface SessionsRepo {
  get(key: SessionKey): SessionRow | undefined;
  put(row: SessionRow): void;
  delete(key: SessionKey): boolean;
  /** Remove sessions not touched since `before`; returns how many. */
  deleteIdle(before: Date): number;
}

export interface AuditRepo {
  log(entry: { actor?: string | null; action: string; subject?: string | null; detail?: unknown; at?: Date }): void;
  /** Newest first. */
  recent(limit?: number): AuditRow[];
}

export interface DurableSeen extends SeenUpdates {
  /** Forget keys seen before `before`; returns how many. */
  prune(before: Date): number;
}

export interface Store {
  /** The connection, for repositories of other features that live in src/store/. */
  readonly db: Database.Database;
  readonly path: string;
  readonly users: UsersRepo;
  readonly chats: ChatsRepo;
  readonly tasks: TasksRepo;
  readonly updates: UpdatesRepo;
  readonly sessions: SessionsRepo;
  readonly audit: AuditRepo;
  readonly seen: DurableSeen;
  /** Run fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Open (or create) the store at `path` (":memory:" in tests) and bring its schema up to date. */
export function openStore(path: string, opts: OpenOptions = {}): Store {
  const clock = opts.clock ?? (() => new Date());
  const db = openDatabase(path, opts);
  migrate(db, opts.migrations ?? allMigrations, clock);
  const iso = (d?: Date) => (d ?? clock()).toISOString();

  // ---- users ----
  const q = {
    userGet: db.prepare("SELECT * FROM users WHERE channel = ? AND channel_user_id = ?"),
    userById: db.prepare("SELECT * FROM users WHERE id = ?"),
    userRegister: db.prepare(`
      INSERT INTO users (channel, channel_user_id, name, agency_id, role, approved, approved_at, via_invite, created_at, updated_at)
      VALUES (@channel, @channelUserId, @name, @agencyId, 'user', @approved, @approvedAt, @viaInvite, @now, @now)
      ON CONFLICT (channel, channel_user_id) DO UPDATE SET
        name = excluded.name, agency_id = excluded.agency_id,
        approved = CASE WHEN users.role = 'admin' THEN 1 ELSE excluded.approved END,
        approved_at = CASE WHEN users.role = 'admin' THEN users.approved_at ELSE excluded.approved_at END,
        approved_by = CASE WHEN users.role = 'admin' THEN users.approved_by ELSE NULL END,
        via_invite = excluded.via_invite, updated_at = excluded.updated_at`),
    userEnsureAdmin: db.prepare(`
      INSERT INTO users (channel, channel_user_id, name, agency_id, role, approved, approved_at, created_at, updated_at)
      VALUES (@channel, @channelUserId, @name, NULL, 'admin', 1, @now, @now, @now)
      ON CONFLICT (channel, channel_user_id) DO UPDATE SET
        role = 'admin', approved = 1, approved_at = COALESCE(users.approved_at, excluded.approved_at),
        updated_at = CASE WHEN users.role = 'admin' AND users.approved = 1 THEN users.updated_at ELSE excluded.updated_at END`),
    userApprove: db.prepare("UPDATE users SET approved = 1, approved_by = ?, approved_at = ?, updated_at = ? WHERE id = ?"),
    userReject: db.prepare(
      "DELETE FROM users WHERE id = ? AND approved = 0 AND role = 'user' AND NOT EXISTS (SELECT 1 FROM status_updates WHERE user_id = users.id)",
    ),
    userPending: db.prepare("SELECT * FROM users WHERE approved = 0 ORDER BY created_at, id"),
    userAll: db.prepare("SELECT * FROM users ORDER BY id"),
    userSetRole: db.prepare("UPDATE users SET role = ?, updated_at = ? WHERE id = ?"),
  };

  const users: UsersRepo = {
    get: (channel, channelUserId) => {
      const r = q.userGet.get(channel, channelUserId) as Row | undefined;
      return r ? toUser(r) : undefined;
    },
    byId: (id) => {
      const r = q.userById.get(id) as Row | undefined;
      return r ? toUser(r) : undefined;
    },
    register: (i) => {
      const now = iso(i.now);
      q.userRegister.run({
        channel: i.channel,
        channelUserId: i.channelUserId,
        name: i.name,
        agencyId: i.agencyId,
        approved: i.approved ? 1 : 0,
        approvedAt: i.approved ? now : null,
        viaInvite: i.viaInvite ? 1 : 0,
        now,
      });
      return users.get(i.channel, i.channelUserId)!;
    },
    ensureAdmin: (i) => {
      const existing = users.get(i.channel, i.channelUserId);
      if (existing?.role === "admin" && existing.approved) return existing; // no write, no fsync
      q.userEnsureAdmin.run({ channel: i.channel, channelUserId: i.channelUserId, name: i.name, now: iso(i.now) });
      return users.get(i.channel, i.channelUserId)!;
    },
    approve: (id, by, now) => {
      const t = iso(now);
      q.userApprove.run(by, t, t, id);
      return users.byId(id);
    },
    reject: (id) => q.userReject.run(id).changes > 0,
    pending: () => (q.userPending.all() as Row[]).map(toUser),
    all: () => (q.userAll.all() as Row[]).map(toUser),
    setRole: (id, role, now) => void q.userSetRole.run(role, iso(now), id),
  };

  // ---- chats ----
  const chatUpsert = db.prepare(`
    INSERT INTO chats (channel, chat_id, type, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (channel, chat_id) DO UPDATE SET type = excluded.type,
      title = COALESCE(excluded.title, chats.title), updated_at = excluded.updated_at`);
  const chatGet = db.prepare("SELECT * FROM chats WHERE channel = ? AND chat_id = ?");
  const chatList = db.prepare("SELECT * FROM chats WHERE (? IS NULL OR channel = ?) ORDER BY channel, chat_id");
  const toChat = (r: Row): ChatRow => ({
    channel: str(r.channel),
    chatId: str(r.chat_id),
    type: r.type === "group" ? "group" : "private",
    title: strOrNull(r.title),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  });
  const chats: ChatsRepo = {
    upsert: (i) => {
      const old = chatGet.get(i.channel, i.chatId) as Row | undefined;
      if (old && old.type === i.type && (i.title == null || old.title === i.title)) return; // unchanged: no write
      chatUpsert.run(i.channel, i.chatId, i.type, i.title ?? null, iso(i.now), iso(i.now));
    },
    get: (channel, chatId) => {
      const r = chatGet.get(channel, chatId) as Row | undefined;
      return r ? toChat(r) : undefined;
    },
    list: (channel) => (chatList.all(channel ?? null, channel ?? null) as Row[]).map(toChat),
  };

  // ---- tasks ----
  const taskGet = db.prepare("SELECT * FROM tasks WHERE id = ?");
  const taskAll = db.prepare("SELECT * FROM tasks ORDER BY id");
  const taskActive = db.prepare("SELECT * FROM tasks WHERE archived_at IS NULL ORDER BY id");
  const taskInsert = db.prepare(`
    INSERT INTO tasks (id, plan, name, lead_ids, coordinator_ids, due, deadline_raw, archived_at, first_seen_at, updated_at)
    VALUES (@id, @plan, @name, @leadIds, @coordinatorIds, @due, @deadlineRaw, NULL, @now, @now)`);
  const taskUpdate = db.prepare(`
    UPDATE tasks SET plan = @plan, name = @name, lead_ids = @leadIds, coordinator_ids = @coordinatorIds,
      due = @due, deadline_raw = @deadlineRaw, archived_at = NULL, updated_at = @now WHERE id = @id`);
  const taskArchive = db.prepare("UPDATE tasks SET archived_at = ?, updated_at = ? WHERE id = ?");
  const taskParams = (t: TaskInput, now: string) => ({
    id: t.id,
    plan: t.plan,
    name: t.name,
    leadIds: JSON.stringify([...new Set(t.leadAgencies.map((a) => a.id))]),
    coordinatorIds: JSON.stringify([...new Set(t.coordinatorAgencies.map((a) => a.id))]),
    due: t.deadline.due,
    deadlineRaw: t.deadline.raw,
    now,
  });
  const upsertOne = (t: TaskInput, now: string): "inserted" | "updated" | "unchanged" | "restored" => {
    const p = taskParams(t, now);
    const old = taskGet.get(t.id) as Row | undefined;
    if (!old) {
      taskInsert.run(p);
      return "inserted";
    }
    const same =
      old.plan === p.plan &&
      old.name === p.name &&
      old.lead_ids === p.leadIds &&
      old.coordinator_ids === p.coordinatorIds &&
      (old.due ?? null) === p.due &&
      old.deadline_raw === p.deadlineRaw;
    if (same && old.archived_at === null) return "unchanged";
    taskUpdate.run(p);
    return old.archived_at !== null ? "restored" : "updated";
  };
  const tasks: TasksRepo = {
    syncTasks: (list, nowDate) =>
      db.transaction((): SyncResult => {
        const now = iso(nowDate);
        const result: SyncResult = { inserted: 0, updated: 0, unchanged: 0, archived: 0, restored: 0 };
        const ids = new Set<string>();
        for (const t of list) {
          if (ids.has(t.id)) continue;
          ids.add(t.id);
          result[upsertOne(t, now)]++;
        }
        for (const r of taskActive.all() as Row[]) {
          if (!ids.has(str(r.id))) {
            taskArchive.run(now, now, r.id);
            result.archived++;
          }
        }
        return result;
      })(),
    upsert: (t, nowDate) => void upsertOne(t, iso(nowDate)),
    get: (id) => {
      const r = taskGet.get(id) as Row | undefined;
      return r ? toTask(r) : undefined;
    },
    list: (opts) => ((opts?.includeArchived ? taskAll : taskActive).all() as Row[]).map(toTask),
  };

  // ---- status updates ----
  const viewSelect = `SELECT s.*, u.name AS user_name, u.agency_id AS user_agency_id
    FROM status_updates s JOIN users u ON u.id = s.user_id`;
  const updInsert = db.prepare(`
    INSERT INTO status_updates (task_id, user_id, status, percent, done, obstacles, proposal, expected_by,
      reported_at, channel, chat_id, message_id)
    VALUES (@taskId, @userId, @status, @percent, @done, @obstacles, @proposal, @expectedBy,
      @reportedAt, @channel, @chatId, @messageId)`);
  const updGet = db.prepare("SELECT * FROM status_updates WHERE id = ?");
  const updHistory = db.prepare(`${viewSelect} WHERE s.task_id = ? ORDER BY s.reported_at DESC, s.id DESC LIMIT ?`);
  const updLatestAll = db.prepare(`${viewSelect} WHERE s.id IN (
      SELECT (SELECT id FROM status_updates x WHERE x.task_id = t.task_id ORDER BY x.reported_at DESC, x.id DESC LIMIT 1)
      FROM (SELECT DISTINCT task_id FROM status_updates) t)`);
  const updCounts = db.prepare("SELECT task_id, COUNT(*) AS n FROM status_updates GROUP BY task_id");
  const updCount = db.prepare("SELECT COUNT(*) AS n FROM status_updates");
  const updAll = db.prepare(`${viewSelect} ORDER BY s.reported_at, s.id`);
  const updates: UpdatesRepo = {
    insert: (i) => {
      const info = updInsert.run({
        taskId: i.taskId,
        userId: i.userId,
        status: i.status,
        percent: i.percent,
        done: i.done ?? "",
        obstacles: i.obstacles ?? "",
        proposal: i.proposal ?? "",
        expectedBy: i.expectedBy ?? null,
        reportedAt: i.reportedAt,
        channel: i.channel,
        chatId: i.chatId ?? null,
        messageId: i.messageId ?? null,
      });
      return updates.get(Number(info.lastInsertRowid))!;
    },
    get: (id) => {
      const r = updGet.get(id) as Row | undefined;
      return r ? toUpdate(r) : undefined;
    },
    latest: (taskId) => updates.history(taskId, 1)[0],
    history: (taskId, limit = 20) => (updHistory.all(taskId, limit) as Row[]).map(toUpdateView),
    latestByTask: () => new Map((updLatestAll.all() as Row[]).map((r) => [str(r.task_id), toUpdateView(r)])),
    completedTaskIds: () => new Set((updLatestAll.all() as Row[]).filter((r) => r.status === "hoan_thanh").map((r) => str(r.task_id))),
    countsByTask: () => new Map((updCounts.all() as Row[]).map((r) => [str(r.task_id), Number(r.n)])),
    count: () => Number((updCount.get() as Row).n),
    all: () => (updAll.all() as Row[]).map(toUpdateView),
  };

  // ---- form sessions ----
  const sesGet = db.prepare("SELECT * FROM form_sessions WHERE channel = ? AND chat_id = ? AND user_id = ?");
  const sesPut = db.prepare(`
    INSERT INTO form_sessions (channel, chat_id, user_id, form, version, step, values_json, started_at, updated_at)
    VALUES (@channel, @chatId, @userId, @form, @version, @step, @values, @startedAt, @updatedAt)
    ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET form = excluded.form, version = excluded.version,
      step = excluded.step, values_json = excluded.values_json, started_at = excluded.started_at,
      updated_at = excluded.updated_at`);
  const sesDel = db.prepare("DELETE FROM form_sessions WHERE channel = ? AND chat_id = ? AND user_id = ?");
  const sesDelIdle = db.prepare("DELETE FROM form_sessions WHERE updated_at < ?");
  const sessions: SessionsRepo = {
    get: (k) => {
      const r = sesGet.get(k.channel, k.chatId, k.userId) as Row | undefined;
      return r ? toSession(r) : undefined;
    },
    put: (s) =>
      void sesPut.run({
        channel: s.channel,
        chatId: s.chatId,
        userId: s.userId,
        form: s.form,
        version: s.version,
        step: s.step,
        values: JSON.stringify(s.values),
        startedAt: s.startedAt,
        updatedAt: s.updatedAt,
      }),
    delete: (k) => sesDel.run(k.channel, k.chatId, k.userId).changes > 0,
    deleteIdle: (before) => sesDelIdle.run(before.toISOString()).changes,
  };

  // ---- audit ----
  const auditInsert = db.prepare("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)");
  const auditRecent = db.prepare("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?");
  const audit: AuditRepo = {
    log: (e) =>
      void auditInsert.run(
        iso(e.at),
        e.actor ?? null,
        e.action,
        e.subject ?? null,
        e.detail === undefined ? null : JSON.stringify(e.detail),
      ),
    recent: (limit = 50) =>
      (auditRecent.all(limit) as Row[]).map((r) => ({
        id: Number(r.id),
        at: str(r.at),
        actor: strOrNull(r.actor),
        action: str(r.action),
        subject: strOrNull(r.subject),
        detail: parseJson<unknown>(r.detail, null),
      })),
  };

  // ---- processed updates ----
  const seenInsert = db.prepare("INSERT OR IGNORE INTO processed_updates (key, seen_at) VALUES (?, ?)");
  const seenPrune = db.prepare("DELETE FROM processed_updates WHERE seen_at < ?");
  const seen: DurableSeen = {
    firstTime: (key) => seenInsert.run(key, iso()).changes === 1,
    prune: (before) => seenPrune.run(before.toISOString()).changes,
  };

  let closed = false;
  return {
    db,
    path,
    users,
    chats,
    tasks,
    updates,
    sessions,
    audit,
    seen,
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
