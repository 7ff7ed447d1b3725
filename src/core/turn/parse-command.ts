// A turn's text → the command it calls, parsed once. "/hoi", "/Hỏi", "/cập nhật"
// in two words, "/cmd@ThisBot", and "/cmd@OtherBot" (which is not for us).
import { fold } from "../../text/vietnamese.js";
import { commandKey } from "../command-key.js";
import type { Command } from "../feature.js";

export type ParsedCommand =
  | { kind: "command"; command: Command; args: string; addressedToUs: boolean }
  | { kind: "unknown"; name: string; addressedToUs: boolean }
  | { kind: "otherBot" };

/** Commands by every name and alias, folded. The first command to claim a key keeps it. */
export function commandIndex(commands: readonly Command[]): Map<string, Command> {
  const byKey = new Map<string, Command>();
  for (const c of commands) {
    for (const n of [c.name, ...(c.aliases ?? [])]) {
      const k = commandKey(n);
      if (k && !byKey.has(k)) byKey.set(k, c);
    }
  }
  return byKey;
}

/** null when the text is not a command (does not start with "/"). */
export function parseCommand(text: string, byKey: ReadonlyMap<string, Command>, botUsername: string | undefined): ParsedCommand | null {
  if (!text.startsWith("/")) return null;
  const body = text.slice(1);
  const tokens = [...body.matchAll(/\S+/g)];
  const first = tokens[0]?.[0] ?? "";
  const at = first.indexOf("@");
  const name = at >= 0 ? first.slice(0, at) : first;
  const target = at >= 0 ? first.slice(at + 1) : "";
  if (target && botUsername && fold(target) !== fold(botUsername)) return { kind: "otherBot" };
  const addressedToUs = target !== "";
  // "/hoi", "/Hỏi", and also "/cập nhật" written in two words (up to three words), unless "@bot" ended the first.
  const maxWords = at >= 0 ? 1 : Math.min(3, tokens.length);
  for (let n = maxWords; n >= 1; n--) {
    const words = [name, ...tokens.slice(1, n).map((m) => m[0])];
    const command = byKey.get(commandKey(words.join("")));
    if (command) {
      const last = tokens[n - 1]!;
      const args = body.slice(last.index + last[0].length).trim();
      return { kind: "command", command, args, addressedToUs };
    }
  }
  return { kind: "unknown", name: name.slice(0, 32), addressedToUs };
}

/** "@bot hỏi …" → "hỏi …": the bot's own @username removed wherever it stands. */
export function stripMention(text: string, botUsername: string | undefined): string {
  if (!botUsername) return text;
  const escaped = botUsername.replace(/^@/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`(^|\\s)@${escaped}(?![\\p{L}\\p{N}_])[,:]?`, "giu"), "$1").replace(/[ \t]{2,}/g, " ").trim();
}
