// The dialogue core: one Turn in, the messages to send out. It knows no
// platform. Order of decisions for a turn:
//   1. a duplicate delivery (same update id, or same channel+chat+message id) → silence
//   2. hygiene: NFC, control characters removed, the bot's own @mention removed
//   3. groups: only commands, mentions of the bot and replies to it are answered
//   4. too long → a clear refusal
//   5. a bare number answering choices the bot just offered → that choice's value
//   6. an active form takes the turn (except the commands that control forms: /huy, /quaylai)
//   7. a command → its handler; an unknown command → a short message + the command list
//   8. a greeting → /batdau; thanks → a short reply
//   9. any other text → a question for the ask service
// Every handler error is caught: the user gets an apology, the log gets the error.
import { fold, nfc } from "../text/vietnamese.js";
import { commandKey } from "./command-key.js";
import type { Command, CommandContext, Services, SeenUpdates } from "./commands.js";
import { askAndReply } from "./commands/ask.js";
import { helpList } from "./commands/help.js";
import { createSeenUpdates } from "./seen-updates.js";
import { smallTalk, THANKS_REPLY } from "./small-talk.js";
import type { Choice, DialogueCore, OutMessage, Turn } from "./types.js";
import type { Logger } from "../log.js";

export const MAX_TEXT_LENGTH = 4000;

export const TEXTS = {
  apology: "Xin lỗi, hệ thống gặp lỗi khi xử lý tin nhắn này. Anh/chị vui lòng thử lại sau ít phút.",
  tooLong: (n: number) =>
    `Tin nhắn quá dài (${n.toLocaleString("vi-VN")} ký tự). Vui lòng gửi tối đa ${MAX_TEXT_LENGTH.toLocaleString("vi-VN")} ký tự, hoặc tách thành nhiều câu hỏi ngắn.`,
  empty: "Tôi chỉ đọc được tin nhắn chữ. Anh/chị hãy gõ câu hỏi, hoặc /huongdan để xem cách dùng.",
  emptyMention: "Anh/chị cần gì? Gõ câu hỏi sau khi nhắc tên tôi, hoặc /huongdan để xem các lệnh.",
  unknownCommand: (name: string) => `Không có lệnh /${name}.`,
  noSuchChoice: (n: number, max: number) => `Không có lựa chọn số ${n}. Vui lòng chọn từ 1 đến ${max}.`,
} as const;

/** Commands that still run while a form is active (they control the form). */
const FORM_CONTROL_COMMANDS = new Set(["huy", "quaylai"]);
/** Commands reached by their name typed as plain text, without the slash. */
const PLAIN_TEXT_COMMANDS = new Set(["batdau", "huongdan"]);

export interface DialogueOptions {
  log?: Logger;
  /** How many conversations keep their last offered choices (oldest forgotten first). */
  maxRememberedChoices?: number;
  /** Offered choices are forgotten after this long (ms). */
  choicesTtlMs?: number;
}

interface Remembered {
  choices: Choice[];
  at: number;
}

type Parsed =
  | { kind: "command"; command: Command; args: string; addressedToUs: boolean }
  | { kind: "unknown"; name: string; addressedToUs: boolean }
  | { kind: "otherBot" };

// C0/C1 control characters except tab and newline; bidi overrides; BOM/zero-width are removed by nfc().
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** NFC, broken surrogates and control characters removed, CRLF → LF, trimmed. */
export function cleanText(raw: string): string {
  // Bound the work on absurd inputs; the length check still sees "too long".
  const bounded = raw.length > 100_000 ? raw.slice(0, 100_000) : raw;
  return nfc(bounded.replace(/\r\n?/g, "\n")).replace(CONTROL, "").trim();
}

export function createDialogue(services: Services, commands: Command[], options: DialogueOptions = {}): DialogueCore {
  const seen: SeenUpdates = services.seen ?? createSeenUpdates();
  const log = options.log;
  const maxChoices = options.maxRememberedChoices ?? 5000;
  const choicesTtl = options.choicesTtlMs ?? 60 * 60 * 1000;
  const lastChoices = new Map<string, Remembered>();

  const byKey = new Map<string, Command>();
  for (const c of commands) {
    for (const n of [c.name, ...(c.aliases ?? [])]) {
      const k = commandKey(n);
      if (k && !byKey.has(k)) byKey.set(k, c);
    }
  }

  const conversationKey = (t: Turn) => `${t.channel}:${t.chatId}:${t.userId}`;

  function remember(turn: Turn, out: OutMessage[]): void {
    const key = conversationKey(turn);
    const offered = [...out].reverse().find((m) => m.choices && m.choices.length > 0)?.choices;
    lastChoices.delete(key);
    if (!offered) return;
    lastChoices.set(key, { choices: offered, at: services.clock().getTime() });
    if (lastChoices.size > maxChoices) {
      const oldest = lastChoices.keys().next().value;
      if (oldest !== undefined) lastChoices.delete(oldest);
    }
  }

  function parseCommand(text: string, botUsername: string | undefined): Parsed | null {
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

  function stripMention(text: string, botUsername: string | undefined): string {
    if (!botUsername) return text;
    const escaped = botUsername.replace(/^@/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return text.replace(new RegExp(`(^|\\s)@${escaped}(?![\\p{L}\\p{N}_])[,:]?`, "giu"), "$1").replace(/[ \t]{2,}/g, " ").trim();
  }

  async function decide(turn: Turn): Promise<OutMessage[]> {
    const isGroup = turn.chatType === "group";
    const calledByName = !isGroup || turn.mentionsBot === true || turn.replyToBot === true;
    let text = stripMention(cleanText(turn.text ?? ""), turn.botUsername);
    let parsed = parseCommand(text, turn.botUsername);

    if (isGroup) {
      if (parsed?.kind === "otherBot") return [];
      if (!calledByName && parsed === null) return [];
      if (!calledByName && parsed?.kind === "unknown" && !parsed.addressedToUs) return [];
    } else if (parsed?.kind === "otherBot") {
      parsed = parseCommand("/" + text.slice(1).replace(/@\S*/, ""), undefined);
    }

    if (text.length > MAX_TEXT_LENGTH) return [{ text: TEXTS.tooLong(text.length) }];

    const now = services.clock();
    const convKey = conversationKey(turn);
    const offered = lastChoices.get(convKey);
    const number = parsed === null ? /^(\d{1,3})[.)]?$/.exec(text) : null;
    if (offered && now.getTime() - offered.at > choicesTtl) lastChoices.delete(convKey);
    else if (offered && number) {
      const n = Number(number[1]);
      const choice = offered.choices[n - 1];
      if (!choice) return [{ text: TEXTS.noSuchChoice(n, offered.choices.length), choices: offered.choices }];
      text = cleanText(choice.value);
      parsed = parseCommand(text, turn.botUsername);
      if (parsed?.kind === "otherBot") parsed = null;
    }

    const current: Turn = { ...turn, text };
    const ctx = (args: string): CommandContext => ({ turn: current, args, services, now, log });

    const controlsForm =
      parsed?.kind === "command" && (parsed.command.controlsForm === true || FORM_CONTROL_COMMANDS.has(parsed.command.name));
    if (services.forms && !controlsForm) {
      const reply = await services.forms.handleActive(ctx(text));
      if (reply) return reply;
    }

    if (parsed?.kind === "command") return await parsed.command.run(ctx(parsed.args));
    if (parsed?.kind === "unknown") {
      if (!parsed.name) return [{ text: helpList(commands) }];
      return [{ text: `${TEXTS.unknownCommand(parsed.name)}\n\n${helpList(commands)}` }];
    }

    if (!text) return [{ text: isGroup ? TEXTS.emptyMention : TEXTS.empty }];
    // "hướng dẫn", "bắt đầu", "help" typed alone reach those commands too (only these two:
    // "nhiệm vụ" or "báo cáo" alone is more likely a question than a command).
    if (text.length <= 20 && /^[\p{L} ]+$/u.test(text)) {
      const command = byKey.get(commandKey(text));
      if (command && PLAIN_TEXT_COMMANDS.has(command.name)) return await command.run(ctx(""));
    }
    const talk = smallTalk(text);
    if (talk === "thanks") return [{ text: THANKS_REPLY }];
    const start = byKey.get(commandKey("batdau"));
    if (talk === "greeting" && start) return await start.run(ctx(""));
    return await askAndReply(services.ask, text, now);
  }

  return {
    async handle(turn: Turn): Promise<OutMessage[]> {
      try {
        const keys: string[] = [];
        if (turn.updateId) keys.push(`${turn.channel}:u:${turn.updateId}`);
        if (turn.messageId) keys.push(`${turn.channel}:${turn.chatId}:m:${turn.messageId}`);
        let duplicate = false;
        for (const k of keys) if (!seen.firstTime(k)) duplicate = true;
        if (duplicate) {
          log?.debug("duplicate update dropped", { channel: turn.channel, updateId: turn.updateId, messageId: turn.messageId });
          return [];
        }
        const out = (await decide(turn)).filter((m) => m.text.trim() !== "" || m.document);
        remember(turn, out);
        return out;
      } catch (err) {
        log?.error("handler failed", {
          err,
          channel: turn.channel,
          chatId: turn.chatId,
          updateId: turn.updateId,
          messageId: turn.messageId,
        });
        return [{ text: TEXTS.apology }];
      }
    },
  };
}
