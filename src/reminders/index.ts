// Public face of the reminders feature.
export { reminderCommands, resolveTarget, resolveTargets, REMINDER_TEXTS } from "./commands.js";
export { createReminders, remindersOf, storeStatuses, type Reminders, type CreateRemindersInput, type Preview } from "./service.js";
export { startReminderScheduler, type ReminderScheduler, type SchedulerInput } from "./scheduler.js";
export { runReminders, DEFAULT_OPTIONS, type ReminderDeps, type ReminderOptions, type RunOptions, type RunReport, type DigestReport } from "./run.js";
export { runRemindersCli, digestsJson, parseRemindersArgs, REMINDERS_USAGE } from "./cli.js";
export { ReminderRepo, chatKey } from "../store/index.js";
export { RuleEngine, type ReminderItem, type RuleName, type Target, type TaskStatus } from "./rules.js";
export { renderDigest, MESSAGE_LIMITS } from "./digest.js";
export { CHANNEL_PACING, type Pacing, type Timer } from "./send.js";
