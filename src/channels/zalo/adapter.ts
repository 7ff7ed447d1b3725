// Zalo through our own ZaloClient. This file only translates: Zalo updates →
// Turn, OutMessage → Bot API calls. Every decision is the dialogue core's.
//
// - long polling (getUpdates: one update per call, 408 = nothing came, poll again),
//   backoff on errors; or webhook, verified in http-server.ts with verifySecret()
// - Zalo has no buttons: Choice[] → numbered lines, answered with the number
// - answers split under 2,000 characters, paced per chat; 429, 5xx and network failures
//   retried here (this file knows Zalo's errors), then judged for the caller
// - per-chat order, delivery results and shutdown come from the shared channel runtime
import type { DialogueCore, OutMessage, Outbox, Turn } from "../../core/types.js";
import type { Logger } from "../../log.js";
import { BoundedMap } from "../../text/bounded-map.js";
import { sleep } from "../chat-queue.js";
import { choicesAsLines, createChannelRuntime, errorText, type Platform } from "../runtime.js";
import { splitText } from "../split-text.js";
import { ZALO_EVENTS, ZALO_TEXT_LIMIT, ZaloError, ZaloNetworkError, type ZaloClient, type ZaloUpdate } from "./client.js";

export const ZALO_TEXTS = {
  answerWithNumber: (n: number) => (n === 1 ? "Gõ 1 để chọn." : `Gõ số (1–${n}) để chọn.`),
  documentAsText: (filename: string) => `Tệp ${filename}:`,
  documentUnsupported: (filename: string) =>
    `Zalo chưa hỗ trợ gửi tệp (${filename}). Anh/chị vui lòng dùng Telegram hoặc liên hệ quản trị viên để nhận tệp.`,
} as const;

export interface ZaloAdapterOptions {
  client: ZaloClient;
  dialogue: DialogueCore;
  log: Logger;
  /** Webhook mode: Zalo posts updates to `url` with `secret`. Long polling otherwise. */
  webhook?: { url: string; secret: string };
  /** Seconds a getUpdates call waits (default 30). */
  pollTimeoutSeconds?: number;
  /** Least time between two messages to one chat, ms (default 1000; Zalo publishes no limit). 0 turns pacing off. */
  perChatGapMs?: number;
  /** Show "typing…" while an answer is prepared (default true). */
  typing?: boolean;
  /** Retries of a send refused with 429 or 5xx, or lost on the network (default 3). */
  maxRetries?: number;
}

export interface ZaloAdapter extends Outbox {
  readonly mode: "polling" | "webhook";
  /** getMe, then polling (after deleteWebhook) or setWebhook. */
  start(): Promise<void>;
  /** Stop polling and wait for updates in flight. */
  stop(): Promise<void>;
  /** Queue one update for handling (webhook path and polling loop). */
  dispatch(update: ZaloUpdate): void;
  /** Resolves when no update is being handled. */
  idle(): Promise<void>;
}

/** The choices as numbered lines under the text (Zalo has no buttons). */
export function renderChoices(msg: OutMessage): string {
  return choicesAsLines(msg.text, msg.choices, ZALO_TEXTS.answerWithNumber);
}

const MAX_DOC_AS_TEXT = 8000;

export function createZaloAdapter(opts: ZaloAdapterOptions): ZaloAdapter {
  const client = opts.client;
  const log = opts.log.child({ channel: "zalo" });
  if (opts.webhook) log.addSecret(opts.webhook.secret);
  const gapMs = opts.perChatGapMs ?? 1000;
  const maxRetries = opts.maxRetries ?? 3;
  const typing = opts.typing ?? true;
  const lastSent = new BoundedMap<string, number>(10_000);
  let botName = "";
  let stopping: AbortController | undefined;
  let loop: Promise<void> | undefined;

  // ---------------------------------------------------------------- out

  async function pace(chatId: string): Promise<void> {
    if (gapMs <= 0) return;
    const wait = (lastSent.get(chatId) ?? 0) + gapMs - Date.now();
    if (wait > 0) await sleep(wait);
    lastSent.set(chatId, Date.now());
  }

  async function sendText(chatId: string, text: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await pace(chatId);
      try {
        await client.sendMessage({ chat_id: chatId, text });
        return;
      } catch (err) {
        if (!(err instanceof ZaloError) || !err.retryable || attempt >= maxRetries) throw err;
        const delay = err.retryAfter !== undefined ? err.retryAfter * 1000 : 500 * 2 ** attempt;
        log.warn("send failed, retrying", { method: err.method, attempt: attempt + 1, delayMs: delay, err });
        await sleep(Math.min(delay, 60_000));
      }
    }
  }

  const platform: Platform = {
    textLimit: ZALO_TEXT_LIMIT,
    async sendMessage(chatId, m) {
      const parts: string[] = [renderChoices(m)];
      if (m.document) {
        const { filename, mime, content } = m.document;
        const asText = mime.startsWith("text/") || mime === "application/json";
        if (asText && content.length <= MAX_DOC_AS_TEXT) parts.push(`${ZALO_TEXTS.documentAsText(filename)}\n${content.toString("utf8")}`);
        else parts.push(ZALO_TEXTS.documentUnsupported(filename));
      }
      for (const text of parts.flatMap((p) => splitText(p, ZALO_TEXT_LIMIT))) await sendText(chatId, text);
    },
    classify: classifyZaloError,
  };
  const runtime = createChannelRuntime({ dialogue: opts.dialogue, platform, log });

  // ---------------------------------------------------------------- in

  function toTurn(update: ZaloUpdate): Turn | undefined {
    const m = update.message;
    if (m.from.is_bot) return undefined;
    const text = update.event_name === ZALO_EVENTS.unsupported ? "" : (m.text ?? m.caption ?? "");
    const isGroup = m.chat.chat_type === "GROUP";
    const mentionsBot = isGroup && botName !== "" && text.toLocaleLowerCase("vi").includes(`@${botName.toLocaleLowerCase("vi")}`);
    return {
      channel: "zalo",
      chatId: m.chat.id,
      chatType: isGroup ? "group" : "private",
      userId: m.from.id,
      userName: m.from.display_name,
      text,
      messageId: m.message_id,
      mentionsBot,
      date: new Date(m.date),
      ...(botName ? { botUsername: botName } : {}),
    };
  }

  function dispatch(update: ZaloUpdate): void {
    const turn = toTurn(update);
    if (!turn) return;
    runtime.dispatch(turn, async () => {
      if (typing && (turn.chatType === "private" || turn.mentionsBot) && turn.text.trim() !== "") {
        void client.sendChatAction({ chat_id: turn.chatId, action: "typing" }).catch((err: unknown) => log.debug("typing failed", { err }));
      }
    });
  }

  async function pollLoop(signal: AbortSignal): Promise<void> {
    let backoffMs = 0;
    while (!signal.aborted) {
      try {
        const update = await client.getUpdates({ timeout: opts.pollTimeoutSeconds ?? 30 }, { signal });
        backoffMs = 0;
        if (update) dispatch(update);
      } catch (err) {
        if (signal.aborted || (err instanceof ZaloNetworkError && err.aborted)) break;
        backoffMs = Math.min(Math.max(1000, backoffMs * 2), 30_000);
        const retryAfterMs = err instanceof ZaloError && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
        const wait = Math.max(backoffMs, retryAfterMs);
        log.warn("getUpdates failed; polling again after a pause", { err, waitMs: wait });
        await sleep(wait, signal);
      }
    }
  }

  return {
    mode: opts.webhook ? "webhook" : "polling",
    textLimit: ZALO_TEXT_LIMIT,
    send: runtime.send,
    dispatch,
    async start() {
      const me = await client.getMe();
      botName = me.account_name;
      log.info("connected", { account: me.account_name, id: me.id });
      if (opts.webhook) {
        await client.setWebhook({ url: opts.webhook.url, secret_token: opts.webhook.secret });
        log.info("webhook set", { url: opts.webhook.url });
        return;
      }
      // Polling and a webhook are mutually exclusive on Zalo.
      await client.deleteWebhook().catch((err: unknown) => log.warn("deleteWebhook failed", { err }));
      stopping = new AbortController();
      loop = pollLoop(stopping.signal);
      log.info("long polling started");
    },
    async stop() {
      stopping?.abort();
      await loop;
      await runtime.idle();
    },
    idle: runtime.idle,
  };
}

/** After this file's own retries: a retryable Zalo error is worth another try later; any other is final. */
export function classifyZaloError(err: unknown): { status: "retry"; afterMs: number; error: string } | { status: "failed"; error: string } {
  if (err instanceof ZaloError && err.retryable) return { status: "retry", afterMs: (err.retryAfter ?? 5) * 1000, error: err.message };
  return { status: "failed", error: errorText(err) };
}
