// The dialogue core: one Turn in, the messages to send out. It knows no
// platform and no feature: commands and a form router are handed to it.
// A turn goes through these steps, each a small function below:
//   1. a duplicate delivery (same update id, or same channel+chat+message id) → silence
//      (unless the channel's inbox already checked: Turn.deduplicated)
//   2. the text cleaned once (NFC, control characters), the bot's @mention removed, the command parsed once
//   3. groups: only commands, mentions of the bot and replies to it are answered
//   4. too long → a clear refusal
//   5. a bare number answering choices the bot just offered → that choice's value
//   6. an open form takes the turn (it hears /huy and /quaylai, and waits while other commands run)
//   7. a command → its handler; an unknown command → a short message + the command list
//   8. a greeting → /batdau; thanks → a short reply
//   9. any other text → the plain-text command (the question to the plans)
// Every handler error is caught: the user gets an apology, the log gets the error.
import type { Logger } from "../log.js";
import { cleanText } from "../text/clean.js";
import { commandKey } from "./command-key.js";
import { backCommand, cancelCommand } from "./commands/forms.js";
import { createHelpCommand, helpList } from "./commands/help.js";
import { startCommand } from "./commands/start.js";
import type { Command, CommandContext, FormControl, FormInput, FormRouter, SeenUpdates } from "./feature.js";
import { createSeenUpdates } from "./seen-updates.js";
import { smallTalk, THANKS_REPLY } from "./small-talk.js";
import { choiceNumber, createChoiceMemory } from "./turn/choices.js";
import { FORM_CONTROL_COMMANDS, typedControl } from "./turn/form-controls.js";
import { commandIndex, parseCommand, stripMention, type ParsedCommand } from "./turn/parse-command.js";
import type { DialogueCore, Notice, OutMessage, Turn } from "./types.js";

export const MAX_TEXT_LENGTH = 4000;

export const TEXTS = {
  apology: "Xin lỗi, hệ thống gặp lỗi khi xử lý tin nhắn này. Anh/chị vui lòng thử lại sau ít phút.",
  tooLong: (n: number) =>
    `Tin nhắn quá dài (${n.toLocaleString("vi-VN")} ký tự). Vui lòng gửi tối đa ${MAX_TEXT_LENGTH.toLocaleString("vi-VN")} ký tự, hoặc tách thành nhiều câu hỏi ngắn.`,
  empty: "Tôi chỉ đọc được tin nhắn chữ. Anh/chị hãy gõ câu hỏi, hoặc /huongdan để xem cách dùng.",
  emptyMention: "Anh/chị cần gì? Gõ câu hỏi sau khi nhắc tên tôi, hoặc /huongdan để xem các lệnh.",
  unknownCommand: (name: string) => `Không có lệnh /${name}.`,
  noSuchChoice: (n: number, max: number) => `Không có lựa chọn số ${n}. Vui lòng chọn từ 1 đến ${max}.`,
  noQuestions: "Hệ thống chưa bật phần tra cứu kế hoạch. Gõ /huongdan để xem các lệnh.",
} as const;

/** Commands reached by their name typed as plain text, without the slash. */
const PLAIN_TEXT_COMMANDS = new Set(["batdau", "huongdan"]);

export interface DialogueOptions {
  /** The features' commands, in the order /huongdan lists them (after /batdau and /huongdan). */
  commands: readonly Command[];
  /** The form engine; without one, forms cannot be opened. */
  forms?: FormRouter;
  /** Durable de-duplication (the store's); in memory when absent. */
  seen?: SeenUpdates;
  log: Logger;
  clock?: () => Date;
  /** Pushes notices to other chats; absent in the CLI and most tests. */
  notify?: (notices: Notice[]) => Promise<void>;
  /** Told of every turn addressed to the bot, before it is answered (the store records the chat). */
  onTurn?: (turn: Turn, now: Date) => void;
  /** How many conversations keep their last offered choices (oldest forgotten first). */
  maxRememberedChoices?: number;
  /** Offered choices are forgotten after this long (ms). */
  choicesTtlMs?: number;
}

/** Every command the core answers: its own, the features', and the form controls last. */
export function coreCommands(features: readonly Command[]): Command[] {
  const list: Command[] = [];
  list.push(startCommand, createHelpCommand(() => list), ...features, cancelCommand, backCommand);
  return list;
}

export interface Dialogue extends DialogueCore {
  /** Every command, in /huongdan order (channels show them as a menu). */
  readonly commands: readonly Command[];
}

export function createDialogue(options: DialogueOptions): Dialogue {
  const commands = coreCommands(options.commands);
  const byKey = commandIndex(commands);
  const seen = options.seen ?? createSeenUpdates();
  const log = options.log;
  const clock = options.clock ?? (() => new Date());
  const notify = options.notify ?? (async () => undefined);
  const choices = createChoiceMemory({ max: options.maxRememberedChoices, ttlMs: options.choicesTtlMs });
  const plainText = commands.find((c) => c.plainText);

  const noForms: FormControl = { start: async () => [{ text: TEXTS.apology }], cancel: () => false, back: async () => null };

  function context(turn: Turn, args: string, now: Date): CommandContext {
    const ctx: CommandContext = { turn, args, now, log, notify, forms: noForms };
    const router = options.forms;
    if (router) {
      ctx.forms = {
        start: (form, opts) => router.start(ctx, form, opts),
        cancel: () => router.cancel(turn),
        back: () => router.back(ctx),
      };
    }
    return ctx;
  }

  // Step 1.
  function isDuplicate(turn: Turn): boolean {
    const keys: string[] = [];
    if (turn.updateId) keys.push(`${turn.channel}:u:${turn.updateId}`);
    if (turn.messageId) keys.push(`${turn.channel}:${turn.chatId}:m:${turn.messageId}`);
    let duplicate = false;
    for (const k of keys) if (!seen.firstTime(k)) duplicate = true;
    return duplicate;
  }

  // Step 3: in a group, silence unless the bot is called.
  function ignoredInGroup(turn: Turn, parsed: ParsedCommand | null): boolean {
    if (turn.chatType !== "group") return false;
    if (parsed?.kind === "otherBot") return true;
    const called = turn.mentionsBot === true || turn.replyToBot === true;
    if (called) return false;
    return parsed === null || (parsed.kind === "unknown" && !parsed.addressedToUs);
  }

  // Step 6: what an open form hears.
  function formInput(text: string, parsed: ParsedCommand | null): FormInput {
    if (parsed?.kind === "command") {
      const control = FORM_CONTROL_COMMANDS[parsed.command.name];
      return control ? { kind: "control", control } : { kind: "command", name: parsed.command.name };
    }
    if (parsed?.kind === "unknown") return { kind: "command", name: parsed.name };
    const control = typedControl(text);
    return control ? { kind: "control", control } : { kind: "text", text };
  }

  async function decide(turn: Turn, now: Date): Promise<OutMessage[]> {
    // Step 2.
    let text = stripMention(cleanText(turn.text ?? ""), turn.botUsername);
    let parsed = parseCommand(text, byKey, turn.botUsername);
    if (ignoredInGroup(turn, parsed)) return [];
    // In a private chat "/cmd@OtherBot" is read as "/cmd".
    if (parsed?.kind === "otherBot") {
      text = "/" + text.slice(1).replace(/@\S*/, "");
      parsed = parseCommand(text, byKey, undefined);
    }

    // Step 4.
    if (text.length > MAX_TEXT_LENGTH) return [{ text: TEXTS.tooLong(text.length) }];

    // Step 5.
    const offered = choices.offered(turn, now);
    const n = parsed === null ? choiceNumber(text) : undefined;
    if (offered && n !== undefined) {
      const choice = offered[n - 1];
      if (!choice) return [{ text: TEXTS.noSuchChoice(n, offered.length), choices: offered }];
      text = cleanText(choice.value);
      parsed = parseCommand(text, byKey, turn.botUsername);
      if (parsed?.kind === "otherBot") parsed = null;
    }

    const current: Turn = { ...turn, text };
    try {
      options.onTurn?.(current, now);
    } catch (err) {
      log.error("recording the turn failed; answering it anyway", { err, channel: turn.channel, chatId: turn.chatId });
    }

    // Step 6.
    if (options.forms) {
      const reply = await options.forms.handleActive(context(current, text, now), formInput(text, parsed));
      if (reply) return reply;
    }

    // Step 7.
    if (parsed?.kind === "command") return await parsed.command.run(context(current, parsed.args, now));
    if (parsed?.kind === "unknown") {
      if (!parsed.name) return [{ text: helpList(commands) }];
      return [{ text: `${TEXTS.unknownCommand(parsed.name)}\n\n${helpList(commands)}` }];
    }

    // Step 8.
    if (!text) return [{ text: turn.chatType === "group" && !turn.nonText ? TEXTS.emptyMention : TEXTS.empty }];
    // "hướng dẫn", "bắt đầu", "help" typed alone reach those commands too (only these two:
    // "nhiệm vụ" or "báo cáo" alone is more likely a question than a command).
    if (text.length <= 20 && /^[\p{L} ]+$/u.test(text)) {
      const command = byKey.get(commandKey(text));
      if (command && PLAIN_TEXT_COMMANDS.has(command.name)) return await command.run(context(current, "", now));
    }
    const talk = smallTalk(text);
    if (talk === "thanks") return [{ text: THANKS_REPLY }];
    if (talk === "greeting") return await startCommand.run(context(current, "", now));

    // Step 9.
    if (!plainText) return [{ text: TEXTS.noQuestions }];
    return await plainText.run(context(current, text, now));
  }

  return {
    commands,
    async handle(turn: Turn): Promise<OutMessage[]> {
      try {
        if (!turn.deduplicated && isDuplicate(turn)) {
          log.debug("duplicate update dropped", { channel: turn.channel, updateId: turn.updateId, messageId: turn.messageId });
          return [];
        }
        const now = clock();
        const out = (await decide(turn, now)).filter((m) => m.text.trim() !== "" || m.document);
        choices.remember(turn, out, now);
        return out;
      } catch (err) {
        log.error("handler failed", { err, channel: turn.channel, chatId: turn.chatId, updateId: turn.updateId, messageId: turn.messageId });
        return [{ text: TEXTS.apology }];
      }
    },
  };
}
