// Telegram through grammY. This file only translates: Telegram updates → Turn,
// OutMessage → Bot API calls. Every decision is the dialogue core's.
//
// - long polling by default; webhook (verified secret token) when configured
// - @grammyjs/auto-retry (honours retry_after on 429, retries 5xx and network errors)
// - @grammyjs/transformer-throttler: ≈20 messages a minute per group, 1 a second per
//   private chat, under 30 a second overall
// - answers split under 4,096 characters; Choice[] → inline keyboard; callback → Turn
// - per-chat order, delivery results and shutdown come from the shared channel runtime
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, GrammyError, HttpError, InputFile, webhookCallback, type Context } from "grammy";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Command } from "../core/feature.js";
import type { Choice, DialogueCore, Outbox, Turn } from "../core/types.js";
import type { Logger } from "../log.js";
import { BoundedMap } from "../text/bounded-map.js";
import { createChannelRuntime, errorText, type Platform } from "./runtime.js";
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
  /** getMe, the command menu, then polling or setWebhook. */
  start(): Promise<void>;
  /** Stop polling and wait for updates in flight. */
  stop(): Promise<void>;
  /** node:http handler for POST /telegram/webhook; a missing or wrong secret gets 401 and nothing is processed. */
  webhookHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Resolves when no update is being handled. */
  idle(): Promise<void>;
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
  let polling: Promise<void> | undefined;

  // ---------------------------------------------------------------- out

  function keyboard(choices: Choice[]) {
    return {
      inline_keyboard: choices.slice(0, 20).map((c, i) => [
        { text: `${i + 1}. ${c.label}`.slice(0, 64), callback_data: callbacks.encode(c.value) },
      ]),
    };
  }

  const platform: Platform = {
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
  };
  const runtime = createChannelRuntime({ dialogue: opts.dialogue, platform, log });
  const dispatch = runtime.dispatch;

  // ---------------------------------------------------------------- in

  bot.on("message", (ctx) => {
    const turn = messageTurn(ctx);
    if (turn) dispatch(turn);
  });

  bot.on("callback_query:data", (ctx) => {
    const q = ctx.callbackQuery;
    const chat = q.message?.chat;
    const value = callbacks.decode(q.data);
    if (!chat || value === undefined) {
      void ctx.answerCallbackQuery({ text: TELEGRAM_TEXTS.expiredChoice }).catch(() => undefined);
      return;
    }
    dispatch(
      {
        channel: "telegram",
        chatId: String(chat.id),
        chatType: chat.type === "private" ? "private" : "group",
        userId: String(q.from.id),
        userName: fullName(q.from),
        text: value,
        messageId: `cb:${q.id}`,
        updateId: String(ctx.update.update_id),
        // A button under the bot's own message answers the bot.
        replyToBot: true,
        botUsername: ctx.me.username,
      },
      () => ctx.answerCallbackQuery(),
    );
  });

  bot.catch((err) => log.error("grammY middleware failed", { err: err.error, updateId: err.ctx.update.update_id }));

  function messageTurn(ctx: Context): Turn | undefined {
    const msg = ctx.message;
    if (!msg || !msg.from || msg.from.is_bot) return undefined;
    const chat = msg.chat;
    let text = msg.text ?? msg.caption ?? "";
    const entities = msg.entities ?? msg.caption_entities ?? [];
    const me = ctx.me;
    let mentionsBot = false;
    // Remove text_mentions of the bot (right to left so offsets stay valid); "@username" is left to the core.
    for (const e of [...entities].sort((a, b) => b.offset - a.offset)) {
      const part = text.slice(e.offset, e.offset + e.length);
      if (e.type === "mention" && part.slice(1).toLowerCase() === me.username.toLowerCase()) mentionsBot = true;
      if (e.type === "text_mention" && e.user.id === me.id) {
        mentionsBot = true;
        text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
      }
    }
    return {
      channel: "telegram",
      chatId: String(chat.id),
      chatType: chat.type === "private" ? "private" : "group",
      userId: String(msg.from.id),
      userName: fullName(msg.from),
      text,
      messageId: String(msg.message_id),
      updateId: String(ctx.update.update_id),
      mentionsBot,
      replyToBot: msg.reply_to_message?.from?.id === me.id,
      date: new Date(msg.date * 1000),
      botUsername: me.username,
    };
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
      await bot.init();
      log.info("connected", { username: bot.botInfo.username });
      await setMenu();
      if (opts.webhook) {
        await bot.api.setWebhook(opts.webhook.url, { secret_token: opts.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
        log.info("webhook set", { url: opts.webhook.url });
        return;
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({
            allowed_updates: [...ALLOWED_UPDATES],
            timeout: opts.pollingTimeoutSeconds ?? 30,
            onStart: () => {
              log.info("long polling started");
              resolve();
            },
          })
          .catch((err: unknown) => {
            log.error("long polling stopped by an error", { err });
            reject(err instanceof Error ? err : new Error(String(err)));
          });
      });
    },
    async stop() {
      if (bot.isRunning()) await bot.stop();
      await polling?.catch(() => undefined);
      await runtime.idle();
    },
    webhookHandler() {
      const secretToken = opts.webhook?.secret;
      if (!secretToken) throw new Error("The Telegram webhook needs a secret: set PUBLIC_URL and WEBHOOK_SECRET.");
      return webhookCallback(bot, "http", { secretToken, onTimeout: "return", timeoutMilliseconds: 9000 });
    },
    idle: runtime.idle,
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
