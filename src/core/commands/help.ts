// /huongdan [lệnh]: every registered command with its summary, or one command's usage.
import type { Command } from "../feature.js";
import { commandKey } from "../command-key.js";

/** The command list as the user reads it (also shown after an unknown command). */
export function helpList(commands: readonly Command[]): string {
  const lines = commands.map((c) => `/${c.name} — ${c.summary}`);
  return [
    "Các lệnh:",
    ...lines,
    "",
    "Trong chat riêng, anh/chị có thể hỏi trực tiếp, không cần lệnh.",
    "Xem chi tiết một lệnh: /huongdan <lệnh>, ví dụ /huongdan hoi",
  ].join("\n");
}

/** Find a command by a name the user typed ("hoi", "/hỏi", "Hỏi"). */
export function findCommand(commands: readonly Command[], typed: string): Command | undefined {
  const key = commandKey(typed);
  if (!key) return undefined;
  return commands.find((c) => commandKey(c.name) === key || (c.aliases ?? []).some((a) => commandKey(a) === key));
}

/** The help command needs the full list, which includes itself: pass a getter. */
export function createHelpCommand(getCommands: () => readonly Command[]): Command {
  return {
    name: "huongdan",
    aliases: ["hướng dẫn", "help", "trogiup", "trợ giúp"],
    summary: "Danh sách lệnh; /huongdan <lệnh> để xem chi tiết",
    help: "Cách dùng: /huongdan hoặc /huongdan <lệnh>\nVí dụ: /huongdan hoi",
    run({ args }) {
      const commands = getCommands();
      if (!args) return [{ text: helpList(commands) }];
      const cmd = findCommand(commands, args.replace(/^\//, "").split(/\s+/)[0] ?? "");
      if (!cmd) return [{ text: `Không có lệnh "${args.slice(0, 40)}".\n\n${helpList(commands)}` }];
      const aliases = (cmd.aliases ?? []).filter((a) => /^[\p{L}\p{N}_]+$/u.test(a)).map((a) => `/${a}`);
      const also = aliases.length ? `\nCùng lệnh: ${aliases.join(", ")}` : "";
      return [{ text: `/${cmd.name} — ${cmd.summary}\n\n${cmd.help}${also}` }];
    },
  };
}
