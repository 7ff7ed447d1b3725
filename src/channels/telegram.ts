// Telegram through grammY. This file only translates: Telegram updates → Turn,
// OutMessage → Bot API calls. Every decision is the dialogue core's.
//
// - long polling by default: our own getUpdates loop, whose offset moves past a
//   batch only once the batch is stored in the inbox; or webhook when configured
//   (http-server.ts checks its secret and bounds its body, as for every webhook),
//   answered 200 only once the update is stored
// - @grammyjs/auto-retry (honours retry_after on 429, retries 5xx and network errors)
// - @grammyjs/transformer-throttler: ≈20 messages a minute per group, 1 a second per
//   private chat, under 30 a second overall
// - answers split under 4,096 characters; Choice[] → inline keyboard; callback → Turn
// - storing, per-chat order, delivery results and shutdown come from the shared channel runtime
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, GrammyError, HttpError, InputFile } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import type { Command } from "../core/feature.js";
import type { Choice, DialogueCore, Outbox, Turn } from "../core/types.js";
import type { Logger } from "../log.js";
import { BoundedMap } from "../text/bounded-map.js";
import { sleep } from "./chat-queue.js";
import { createChannelRuntime, errorText, TokenRefusedError, type Inbox, type Platform } from "./runtime.js";
import { splitText } from "./split-text.js";

export const TELEGRAM_TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const CALLBACK_DATA_BYTES = 64;

export const TELEGRAM_TEXTS = {
  expiredChoice: "Lựa chọn này đã hết hạn. Anh/chị vui lòng gõ lại câu hỏi.",
} as const;

export interface TelegramAdapterOptions {
  token: string;
  /** Bot API root (config.TELEGRAM_API_ROOT). */
  apiRoot?: string;
  dialogue: DialogueCore;
  /** For the command menu (setMyCommands). */
  commands: readonly Command[];
  log: Logger;
  /** Webhook mode: Telegram posts updates to `url`, which must carry `secret`. Long polling otherwise. */
  webhook?: { url: string; secret: string };
  /** Where updates wait until answered (the store's inbox); in memory when absent. */
  inbox?: Inbox;
  /** Pace sends to stay under Telegram's limits (default true). Benchmarks and tests may turn it off. */
  throttle?: boolean;
  /** Retries of a failed API call before giving up (default 3; retry_after is honoured up to 60 s). */
  maxRetryAttempts?: number;
  /** Seconds a getUpdates call waits (default 30). */
  pollingTimeoutSeconds?: number;
  /**
   * The fetch grammY calls the Bot API with. Default: Node's own (undici), which
   * carries about twice the updates per second of grammY's node-fetch default.
   */
  fetch?: typeof globalThis.fetch;
}

export interface TelegramAdapter extends Outbox {
  readonly bot: Bot;
  readonly mode: "polling" | "webhook";
  /** getMe (a refused token throws TokenRefusedError), the command menu, resuming stored updates, then polling or setWebhook. */
  start(): Promise<void>;
  /** Stop polling and answering; updates being answered finish (or wait for the next start after `waitMs`). */
  stop(waitMs?: number): Promise<{ unfinished: readonly string[] }>;
  /**
   * Store one update that came to POST /telegram/webhook; resolves once it is in the inbox (then the
   * server answers 200) and throws when it could not be stored (500: Telegram delivers it again).
   * The HTTP server has checked the channel's own secret and bounded the body first
   * (channels/http-server.ts), as for every webhook.
   */
  handleWebhookUpdate(update: Update): Promise<void>;
  /** Resolves when no update is being answered or waiting. */
  idle(): Promise<void>;
  /** Updates being answered and waiting (for the shutdown's report). */
  readonly load: { running: number; waiting: number };
}

const ALLOWED_UPDATES = ["message", "callback_query"] as const;

export function createTelegramAdapter(opts: TelegramAdapterOptions): TelegramAdapter {
  const log = opts.log.child({ channel: "telegram" });
  log.addSecret(opts.token);
  if (opts.webhook) log.addSecret(opts.webhook.secret);
  const bot = new Bot(opts.token, {
    client: { apiRoot: opts.apiRoot ?? "https://api.telegram.org", fetch: (opts.fetch ?? globalThis.fetch) as never },
  });
  // Overall: evenly spaced at most ~29 a second (the plugin's default bucket lets 60 through in a
  // sliding second at a refresh). Groups and private chats: the plugin's defaults (20 a minute per
  // group, 1 a second per chat).
  if (opts.throttle !== false) bot.api.config.use(apiThrottler({ global: { minTime: 35 } }));
  bot.api.config.use(autoRetry({ maxRetryAttempts: opts.maxRetryAttempts ?? 3, maxDelaySeconds: 60 }));

  const callbacks = createCallbackStore(5000);
  const stopping = new AbortController();
  let polling: Promise<void> | undefined;
  let offset = 0;
  const me = (): UserFromGetMe => bot.botInfo;

  // ---------------------------------------------------------------- out

  function keyboard(choices: Choice[]) {
    return {
      inline_keyboard: choices.slice(0, 20).map((c, i) => [
        { text: `${i + 1}. ${c.label}`.slice(0, 64), callback_data: callbacks.encode(c.value) },
      ]),
    };
  }

  // ---------------------------------------------------------------- in

  function messageTurn(update: Update, msg: Message): Turn {
    const chat = msg.chat;
    let text = msg.text ?? msg.caption ?? "";
    const entities = msg.entities ?? msg.caption_entities ?? [];
    const bot = me();
    let mentionsBot = false;
    // Remove text_mentions of the bot (right to left so offsets stay valid); "@username" is left to the core.
    for (const e of [...entities].sort((a, b) => b.offset - a.offset)) {
      const part = text.slice(e.offset, e.offset + e.length);
      if (e.type === "mention" && part.slice(1).toLowerCase() === bot.username.toLowerCase()) mentionsBot = true;
      if (e.type === "text_mention" && e.user.id === bot.id) {
        mentionsBot = true;
        text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
      }
    }
    const nonText = msg.text === undefined && msg.caption === undefined;
    return {
      channel: "telegram",
      chatId: String(chat.id),
      chatType: chat.type === "private" ? "private" : "group",
      userId: String(msg.from!.id),
      userName: fullName(msg.from!),
      text,
      messageId: String(msg.message_id),
      updateId: String(update.update_id),
      mentionsBot,
      replyToBot: msg.reply_to_message?.from?.id === bot.id,
      date: new Date(msg.date * 1000),
      botUsername: bot.username,
      ...(nonText ? { nonText: true } : {}),
    };
  }

  const platform: Platform = {
    channel: "telegram",
    textLimit: TELEGRAM_TEXT_LIMIT,
    async sendMessage(chatId, m) {
      let text = m.text.trim();
      if (m.document) {
        const caption = text.length > 0 && text.length <= CAPTION_LIMIT ? text : undefined;
        await bot.api.sendDocument(chatId, new InputFile(m.document.content, m.document.filename), caption ? { caption } : {});
        if (caption) text = "";
      }
      const pieces = splitText(text, TELEGRAM_TEXT_LIMIT);
      for (let i = 0; i < pieces.length; i++) {
        const last = i === pieces.length - 1;
        const markup = last && m.choices && m.choices.length > 0 ? { reply_markup: keyboard(m.choices) } : {};
        await bot.api.sendMessage(chatId, pieces[i]!, markup);
      }
    },
    classify: classifyTelegramError,
    identify(raw) {
      const u = raw as Partial<Update> | null;
      if (typeof u !== "object" || u === null || typeof u.update_id !== "number") return { skip: "not a Telegram update (no update_id)" };
      const updateId = String(u.update_id);
      if (u.message) {
        const m = u.message;
        if (!m.chat || !m.from) return { skip: "a message without a chat or a sender" };
        if (m.from.is_bot) return { skip: "a message from a bot" };
        return { chatId: String(m.chat.id), updateId, messageId: String(m.message_id) };
      }
      if (u.callback_query) {
        const chat = u.callback_query.message?.chat;
        if (!chat) return { skip: "a button press without its chat" };
        return { chatId: String(chat.id), updateId, messageId: `cb:${u.callback_query.id}` };
      }
      return { skip: `an update the bot does not use (${Object.keys(u).filter((k) => k !== "update_id").join(", ") || "empty"})` };
    },
    toTurn(raw) {
      const u = raw as Update;
      if (u.message) return { turn: messageTurn(u, u.message) };
      const q = u.callback_query;
      const chat = q?.message?.chat;
      if (!q || !chat) return { skip: "not a message or a button press" };
      const value = q.data === undefined ? undefined : callbacks.decode(q.data);
      if (value === undefined) {
        void bot.api.answerCallbackQuery(q.id, { text: TELEGRAM_TEXTS.expiredChoice }).catch(() => undefined);
        return { skip: "a button whose choice is no longer remembered" };
      }
      return {
        turn: {
          channel: "telegram",
          chatId: String(chat.id),
          chatType: chat.type === "private" ? "private" : "group",
          userId: String(q.from.id),
          userName: fullName(q.from),
          text: value,
          messageId: `cb:${q.id}`,
          updateId: String(u.update_id),
          // A button under the bot's own message answers the bot.
          replyToBot: true,
          botUsername: me().username,
        },
        before: () => bot.api.answerCallbackQuery(q.id),
      };
    },
  };
  const runtime = createChannelRuntime({ dialogue: opts.dialogue, platform, log, inbox: opts.inbox });

  /** Long polling: a batch is stored before the next getUpdates confirms it (offset). */
  async function poll(signal: AbortSignal): Promise<void> {
    let backoffMs = 0;
    while (!signal.aborted) {
      let batch: Update[];
      try {
        batch = await bot.api.getUpdates({ offset, limit: 100, timeout: opts.pollingTimeoutSeconds ?? 30, allowed_updates: [...ALLOWED_UPDATES] }, signal as never);
        backoffMs = 0;
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
          log.error("Telegram refused the bot token while polling; polling stopped (check TELEGRAM_BOT_TOKEN)", { err });
          break;
        }
        backoffMs = Math.min(Math.max(1000, backoffMs * 2), 30_000);
        const conflict = err instanceof GrammyError && err.error_code === 409;
        log.warn(
          conflict
            ? "getUpdates refused with 409 Conflict: another process polls with this token, or a webhook is set; polling again after a pause"
            : "getUpdates failed; polling again after a pause",
          { err, waitMs: backoffMs },
        );
        await sleep(backoffMs, signal);
        continue;
      }
      if (batch.length === 0) continue;
      try {
        runtime.accept(batch);
      } catch (err) {
        backoffMs = Math.min(Math.max(1000, backoffMs * 2), 30_000);
        log.error("updates could not be stored; not confirming them, so Telegram delivers them again", { err, updates: batch.length, waitMs: backoffMs });
        await sleep(backoffMs, signal);
        continue;
      }
      offset = batch[batch.length - 1]!.update_id + 1;
    }
  }

  // ---------------------------------------------------------------- lifecycle

  async function setMenu(): Promise<void> {
    const menu = opts.commands
      .filter((c) => /^[a-z0-9_]{1,32}$/.test(c.name))
      .slice(0, 100)
      .map((c) => ({ command: c.name, description: c.summary.slice(0, 256) || c.name }));
    try {
      await bot.api.setMyCommands(menu);
    } catch (err) {
      log.warn("setMyCommands failed; the command menu may be out of date", { err });
    }
  }

  return {
    bot,
    mode: opts.webhook ? "webhook" : "polling",
    textLimit: TELEGRAM_TEXT_LIMIT,
    send: runtime.send,
    async start() {
      try {
        await bot.init(stopping.signal as never);
      } catch (err) {
        if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) throw new TokenRefusedError("telegram", err.error_code, err.description);
        throw err;
      }
      log.info("connected", { username: bot.botInfo.username });
      runtime.start();
      await setMenu();
      if (opts.webhook) {
        await bot.api.setWebhook(opts.webhook.url, { secret_token: opts.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
        log.info("webhook set", { url: opts.webhook.url });
        return;
      }
      if (polling) return;
      // Polling and a webhook are mutually exclusive on Telegram; updates waiting are kept.
      await bot.api.deleteWebhook({ drop_pending_updates: false });
      polling = poll(stopping.signal);
      log.info("long polling started");
    },
    async stop(waitMs) {
      stopping.abort();
      await polling;
      const result = await runtime.stop(waitMs);
      // Confirm the stored updates, so the next start does not fetch them again (a repeat would be recognised anyway).
      if (polling && offset > 0) await bot.api.getUpdates({ offset, limit: 1, timeout: 0 }, AbortSignal.timeout(2000) as never).catch(() => undefined);
      return result;
    },
    async handleWebhookUpdate(update) {
      try {
        await runtime.acceptSoon(update);
      } catch (err) {
        log.error("telegram webhook: the update could not be stored; answering 500 so Telegram delivers it again", { err });
        throw err;
      }
    },
    idle: runtime.idle,
    get load() {
      return runtime.load;
    },
  };
}

/**
 * After auto-retry has done its retries: 429 and 5xx, and a network failure, are worth
 * trying again later (after retry_after when Telegram gives one); any other refusal
 * (chat not found, bot blocked or removed, bad request) will not change.
 */
export function classifyTelegramError(err: unknown): { status: "retry"; afterMs: number; error: string } | { status: "failed"; error: string } {
  if (err instanceof GrammyError) {
    if (err.error_code === 429 || err.error_code >= 500) {
      return { status: "retry", afterMs: (err.parameters.retry_after ?? 5) * 1000, error: err.description };
    }
    return { status: "failed", error: err.description };
  }
  if (err instanceof HttpError) return { status: "retry", afterMs: 5000, error: errorText(err) };
  return { status: "failed", error: errorText(err) };
}

function fullName(u: { first_name: string; last_name?: string; username?: string }): string {
  return [u.first_name, u.last_name].filter(Boolean).join(" ") || u.username || "";
}

/**
 * callback_data holds at most 64 bytes: short values travel inline ("v:<value>"),
 * longer ones as a token into a bounded in-memory map ("k:<token>").
 */
function createCallbackStore(max: number) {
  const values = new BoundedMap<string, string>(max);
  let next = 0;
  return {
    encode(value: string): string {
      const inline = `v:${value}`;
      if (Buffer.byteLength(inline, "utf8") <= CALLBACK_DATA_BYTES) return inline;
      const token = `k:${(next++).toString(36)}`;
      values.set(token, value);
      return token;
    },
    decode(data: string): string | undefined {
      if (data.startsWith("v:")) return data.slice(2);
      return values.get(data);
    },
  };
}
