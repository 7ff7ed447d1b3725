// Public face of the store module.
export { openStore } from "./store.js";
export type { Store, UsersRepo, ChatsRepo, TasksRepo, UpdatesRepo, SessionsRepo, AuditRepo, DurableSeen } from "./store.js";
export { openDatabase, migrate, type OpenOptions } from "./connection.js";
export { migrations } from "./migrations/index.js";
export type { Migration } from "./migrations/types.js";
export * from "./types.js";
export { ReminderRepo, chatKey, type ReminderChat, type Subscription, type ClaimResult, type Target } from "./reminders.js";

import { join } from "node:path";
/** Where the bot's database lives inside DATA_DIR. */
export const storePath = (dataDir: string): string => join(dataDir, "kehoach.db");
