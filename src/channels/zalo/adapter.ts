// Zalo through our own ZaloClient. This file only translates: Zalo updates →
// Turn, OutMessage → Bot API calls. Every decision is the dialogue core's.
//
// - long polling (getUpdates: one update per call, 408 = nothing came, poll again; no
//   offset, so each update is stored before the next call), backoff on errors; or
//   webhook, verified in http-server.ts with verifySecret(), stored before the 200
// - groups as Zalo delivers them: a group message reaches the bot only when a member
//   picked it from the @ list (the text starts with "@" and its display name) or replied
//   to one of its messages (no mention at all), so every GROUP update is addressed to
//   the bot; the leading mention is removed
// - what Zalo sends beside text (photo, sticker, voice, protected content) gets the core's
//   "text only" reply; unknown events and updates without a message are logged and skipped
// - Zalo has no buttons: Choice[] → numbered lines, answered with the number
// - answers split under 2,000 characters, paced per chat; 429, 5xx and network failures
//   retried here (this file knows Zalo's errors), then judged for the caller
// - storing, per-chat order, delivery results and shutdown come from the shared channel runtime
import type { DialogueCore, OutMessage, Outbox, Turn } from "../../core/types.js";
import type { Logger } from "../../log.js";
import { BoundedMap } from "../../text/bounded-map.js";
import { sleep } from "../chat-queue.js";
import { choicesAsLines, createChannelRuntime, errorText, TokenRefusedError, type Inbox, type Platform } from "../runtime.js";
import { splitText } from "../split-text.js";
import { ZALO_EVENTS, ZALO_TEXT_LIMIT, ZaloApiError, ZaloError, ZaloNetworkError, type ZaloClient, type ZaloUpdate } from "./client.js";

export const ZALO_TEXTS = {
  answerWithNumber: (n: number) => (n === 1 ? "Gõ 1 để chọn." : `Gõ số (1–${n}) để chọn.`),
  documentAsText: (filename: string) => `Tệp ${filename}:`,
  documentUnsupported: (filename: string) =>
    `Zalo chưa hỗ trợ gửi tệp (${filename}). Anh/chị vui lòng dùng Telegram hoặc liên hệ quản trị viên để nhận tệp.`,
} as const;

const KNOWN_EVENTS = new Set<string>(Object.values(ZALO_EVENTS));

export interface ZaloAdapterOptions {
  client: ZaloClient;
  dialogue: DialogueCore;
  log: Logger;
  /** Webhook mode: Zalo posts updates to `url` with `secret`. Long polling otherwise. */
  webhook?: { url: string; secret: string };
  /** Where updates wait until answered (the store's inbox); in memory when absent. */
  inbox?: Inbox;
  /** The bot's display name as members see it in the @ list (config.ZALO_BOT_NAME), when getMe does not tell it. */
  botName?: string;
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
  /** getMe (a refused token throws TokenRefusedError), resuming stored updates, then polling (after deleteWebhook) or setWebhook. */
  start(): Promise<void>;
  /** Stop polling and answering; updates being answered finish (or wait for the next start after `waitMs`). */
  stop(waitMs?: number): Promise<{ unfinished: readonly string[] }>;
  /** Store one update for answering (the webhook's path); rejects when it could not be stored: do not acknowledge it then. */
  dispatch(update: ZaloUpdate): Promise<void>;
  /** Resolves when no update is being answered or waiting. */
  idle(): Promise<void>;
  /** Updates being answered and waiting (for the shutdown's report). */
  readonly load: { running: number; waiting: number };
}

/** The choices as numbered lines under the text (Zalo has no buttons). */
export function renderChoices(msg: OutMessage): string {
  return choicesAsLines(msg.text, msg.choices, ZALO_TEXTS.answerWithNumber);
}

const MAX_DOC_AS_TEXT = 8000;

/**
 * "@Trợ lý Kế hoạch BN-7.22 ai chủ trì?" → "BN-7.22 ai chủ trì?": a leading mention of one of
 * the bot's names removed (case and Unicode form ignored). When none of the names matches, a
 * leading "@…" before a command is removed ("@Tên lạ /capnhat …" → "/capnhat …").
 */
export function stripLeadingMention(text: string, names: readonly string[]): string {
  const t = text.normalize("NFC").trimStart();
  if (!t.startsWith("@")) return text;
  const lower = t.toLocaleLowerCase("vi");
  for (const name of [...names].filter(Boolean).sort((a, b) => b.length - a.length)) {
    const n = name.normalize("NFC").replace(/^@/, "").toLocaleLowerCase("vi");
    if (!lower.startsWith(`@${n}`)) continue;
    const rest = t.slice(n.length + 1);
    if (rest !== "" && /^[\p{L}\p{N}_]/u.test(rest)) continue; // "@Trợ lý Kế hoạchX" is someone else
    return rest.replace(/^[\s,:;.\-–]+/u, "");
  }
  const command = /^@[^\n/]{1,64}?\s(\/\S.*)$/su.exec(t);
  return command ? command[1]! : text;
}

export function createZaloAdapter(opts: ZaloAdapterOptions): ZaloAdapter {
  const client = opts.client;
  const log = opts.log.child({ channel: "zalo" });
  if (opts.webhook) log.addSecret(opts.webhook.secret);
  const gapMs = opts.perChatGapMs ?? 1000;
  const maxRetries = opts.maxRetries ?? 3;
  const typing = opts.typing ?? true;
  const lastSent = new BoundedMap<string, number>(10_000);
  let accountName = "";
  let displayName = "";
  const stopping = new AbortController();
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

  // ---------------------------------------------------------------- in

  function toTurn(update: ZaloUpdate): Turn | undefined {
    const m = update.message;
    if (!m) return undefined;
    const event = update.event_name;
    const unreadable = event === ZALO_EVENTS.voice || event === ZALO_EVENTS.unsupported;
    let text = unreadable ? "" : (m.text ?? m.caption ?? "");
    const isGroup = m.chat.chat_type === "GROUP";
    // Zalo delivers a group message only when the bot is picked from the @ list or replied to.
    if (isGroup) text = stripLeadingMention(text, [displayName, opts.botName ?? "", accountName]);
    const nonText = event !== ZALO_EVENTS.text && text.trim() === "";
    return {
      channel: "zalo",
      chatId: m.chat.id,
      chatType: isGroup ? "group" : "private",
      userId: m.from.id,
      userName: m.from.display_name || m.from.name || "",
      text,
      messageId: m.message_id,
      mentionsBot: isGroup,
      date: new Date(m.date),
      ...(accountName ? { botUsername: accountName } : {}),
      ...(nonText ? { nonText: true } : {}),
    };
  }

  const platform: Platform = {
    channel: "zalo",
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
    identify(raw) {
      const u = raw as Partial<ZaloUpdate> | null;
      const event = typeof u?.event_name === "string" && u.event_name !== "" ? u.event_name : "(none)";
      if (!u?.message) return { skip: `a Zalo update without a message (event ${event})` };
      if (!KNOWN_EVENTS.has(event)) return { skip: `a Zalo event the bot does not know (${event})` };
      if (u.message.from.is_bot) return { skip: "a message from a bot" };
      return { chatId: u.message.chat.id, messageId: u.message.message_id };
    },
    toTurn(raw) {
      const turn = toTurn(raw as ZaloUpdate);
      if (!turn) return { skip: "a Zalo update without a message" };
      const show = typing && turn.text.trim() !== "";
      return {
        turn,
        ...(show
          ? {
              before: async () => {
                void client.sendChatAction({ chat_id: turn.chatId, action: "typing" }).catch((err: unknown) => log.debug("typing failed", { err }));
              },
            }
          : {}),
      };
    },
  };
  const runtime = createChannelRuntime({ dialogue: opts.dialogue, platform, log, inbox: opts.inbox });

  async function dispatch(update: ZaloUpdate): Promise<void> {
    await runtime.acceptSoon(update);
  }

  async function pollLoop(signal: AbortSignal): Promise<void> {
    let backoffMs = 0;
    while (!signal.aborted) {
      let update: ZaloUpdate | null;
      try {
        update = await client.getUpdates({ timeout: opts.pollTimeoutSeconds ?? 30 }, { signal });
        backoffMs = 0;
      } catch (err) {
        if (signal.aborted || (err instanceof ZaloNetworkError && err.aborted)) break;
        if (err instanceof ZaloApiError && (err.error_code === 401 || err.error_code === 404)) {
          log.error("Zalo refused the bot token while polling; polling stopped (check ZALO_BOT_TOKEN)", { err });
          break;
        }
        backoffMs = Math.min(Math.max(1000, backoffMs * 2), 30_000);
        const retryAfterMs = err instanceof ZaloError && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
        const wait = Math.max(backoffMs, retryAfterMs);
        log.warn("getUpdates failed; polling again after a pause", { err, waitMs: wait });
        await sleep(wait, signal);
        continue;
      }
      if (!update) continue;
      try {
        runtime.accept([update]);
      } catch (err) {
        // Zalo has no offset to leave unconfirmed: the update was delivered and cannot be fetched again.
        log.error("a Zalo update could not be stored and is lost; check the disk holding DATA_DIR", { err, messageId: update.message?.message_id });
      }
    }
  }

  return {
    mode: opts.webhook ? "webhook" : "polling",
    textLimit: ZALO_TEXT_LIMIT,
    send: runtime.send,
    dispatch,
    async start() {
      let me;
      try {
        me = await client.getMe({ signal: stopping.signal });
      } catch (err) {
        if (err instanceof ZaloApiError && (err.error_code === 401 || err.error_code === 404)) throw new TokenRefusedError("zalo", err.error_code, err.description);
        throw err;
      }
      accountName = me.account_name;
      displayName = me.display_name ?? me.name ?? "";
      log.info("connected", { account: me.account_name, displayName: displayName || opts.botName || "(unknown)", id: me.id, canJoinGroups: me.can_join_groups ?? "(not said)" });
      if (me.can_join_groups === false) {
        log.warn("this Zalo bot cannot join groups (can_join_groups is false; Marketplace bots cannot): it answers private chats only, and group reminders cannot reach Zalo");
      }
      if (!displayName && !opts.botName) {
        log.info("getMe gave no display name: set ZALO_BOT_NAME to the name members pick from the @ list, so a group mention is removed from the question");
      }
      runtime.start();
      if (opts.webhook) {
        await client.setWebhook({ url: opts.webhook.url, secret_token: opts.webhook.secret });
        log.info("webhook set", { url: opts.webhook.url });
        return;
      }
      if (loop) return;
      // Polling and a webhook are mutually exclusive on Zalo.
      await client.deleteWebhook({ signal: stopping.signal }).catch((err: unknown) => log.warn("deleteWebhook failed", { err }));
      if (stopping.signal.aborted) return;
      loop = pollLoop(stopping.signal);
      log.info("long polling started");
    },
    async stop(waitMs) {
      stopping.abort();
      await loop;
      return runtime.stop(waitMs);
    },
    idle: runtime.idle,
    get load() {
      return runtime.load;
    },
  };
}

/** After this file's own retries: a retryable Zalo error is worth another try later; any other is final. */
export function classifyZaloError(err: unknown): { status: "retry"; afterMs: number; error: string } | { status: "failed"; error: string } {
  if (err instanceof ZaloError && err.retryable) return { status: "retry", afterMs: (err.retryAfter ?? 5) * 1000, error: err.message };
  return { status: "failed", error: errorText(err) };
}
