// Public face of the store module.
import { join } from "node:path";

export { openStore, type Store } from "./store.js";
export type { UsersRepo } from "./repos/users.js";
export type { ChatsRepo } from "./repos/chats.js";
export type { TasksRepo } from "./repos/tasks.js";
export type { UpdatesRepo } from "./repos/updates.js";
export type { SessionsRepo } from "./repos/sessions.js";
export type { AuditRepo } from "./repos/audit.js";
export type { SeenRepo } from "./repos/seen.js";
export type { InvitesRepo } from "./repos/invites.js";
export type { LimitsRepo, AttemptPolicy, FailResult } from "./repos/limits.js";
export type { DashboardRepo, DashboardLinkRow, DashboardSessionRow, LinkRefusal } from "./repos/dashboard.js";
export type { AskContextRepo, AskContextRow } from "./repos/ask-context.js";
export type { InboxRepo, InboxEntry, InboxRow, InboxRecord, InboxOutcome } from "./repos/inbox.js";
export { ReminderRepo, chatKey, type ReminderChat, type Subscription, type ClaimResult, type Target, type DeliveryRow } from "./repos/reminders.js";
export { openDatabase, migrate, type OpenOptions } from "./connection.js";
export { migrations } from "./migrations/index.js";
export type { Migration } from "./migrations/types.js";
export * from "./types.js";

/** Where the bot's database lives inside DATA_DIR. */
export const storePath = (dataDir: string): string => join(dataDir, "kehoach.db");
