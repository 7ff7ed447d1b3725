// The reminders feature: groups subscribe to an agency or a plan and get one
// digest a working day (due soon, overdue, reports due, not updated), once.
import type { Logger } from "../../log.js";
import type { Feature } from "../feature.js";
import { createReminderCommands } from "./commands.js";
import { reminderJob } from "./scheduler.js";
import type { Reminders } from "./service.js";

export { createReminders, storeStatuses, type Reminders, type CreateRemindersInput, type Preview } from "./service.js";
export { startReminderScheduler, reminderJob, type ReminderScheduler } from "./scheduler.js";
export { runReminders, DEFAULT_OPTIONS, type ReminderDeps, type ReminderOptions, type RunOptions, type RunReport, type DigestReport } from "./run.js";
export { resolveTarget, resolveTargets, REMINDER_TEXTS } from "./commands.js";
export { RuleEngine, RULES, type ReminderItem, type RuleName, type Target, type TaskStatus } from "./rules.js";
export { renderDigest, FALLBACK_TEXT_LIMIT } from "./digest.js";
export { CHANNEL_PACING, type Pacing, type Timer } from "./send.js";

export function createRemindersFeature(reminders: Reminders, log?: Logger): Feature {
  return { name: "reminders", commands: createReminderCommands(reminders), jobs: [reminderJob(reminders, log)] };
}
