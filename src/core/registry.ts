// Every command the bot knows, in the order /huongdan lists them.
// A feature adds its commands with one import and one spread below, e.g.
//   import { statusCommands } from "../status/commands.js";   …   ...statusCommands,
import type { Command } from "./commands.js";
import { askCommand } from "./commands/ask.js";
import { createHelpCommand } from "./commands/help.js";
import { startCommand } from "./commands/start.js";
import { reminderCommands } from "../reminders/commands.js";
import { statusCommands } from "../status/commands.js";

/** Feature commands (status updates, reminders) go here. */
function featureCommands(): Command[] {
  return [...statusCommands(), ...reminderCommands()];
}

export function allCommands(extra: Command[] = []): Command[] {
  const list: Command[] = [];
  const help = createHelpCommand(() => list);
  list.push(startCommand, help, askCommand, ...featureCommands(), ...extra);
  return list;
}
