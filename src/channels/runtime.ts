// What every channel shares, so each adapter only translates:
//   - the inbox: an update is stored (accept) before the platform is told it
//     arrived — the webhook answers 200, the polling offset moves — and a
//     repeated delivery is recognised by its ids;
//   - the worker: stored updates are answered per chat in arrival order (chats
//     concurrently, a bounded number at a time); each one's answer is recorded
//     before it is sent, and the update is marked done with what was sent. A
//     restart (start) resumes every update not done: one never answered is
//     answered, one answered but not sent is sent;
//   - sending through the platform's own sender, a failed send becoming a
//     Delivery the platform's error classifier judged;
//   - stop(): nothing new is begun, what is being answered finishes (or is left
//     to the next start after a deadline), what waits stays in the inbox.
import { TEXTS } from "../core/dialogue.js";
import type { ChannelName, Choice, DialogueCore, Delivery, OutMessage, Turn } from "../core/types.js";
import type { Logger } from "../log.js";
import { createChatQueue, sleep } from "./chat-queue.js";
import { BoundedMap } from "../text/bounded-map.js";

// ---------------------------------------------------------------- the inbox contract

export type InboxOutcome = "delivered" | "silent" | "failed" | "skipped";

export interface InboxEntry {
  channel: string;
  chatId: string;
  updateId: string | null;
  messageId: string | null;
  /** The update as received, JSON. */
  payload: string;
}

export interface InboxRow {
  id: number;
  channel: string;
  chatId: string;
  payload: string;
  attempts: number;
  /** The messages decided (encodeReply), null before the dialogue answered. */
  reply: string | null;
  sent: number;
}

/** Where updates wait: the store's inbox (durable) in the bot, one in memory in tests and benchmarks. */
export interface Inbox {
  /** Store updates in one transaction; the rows stored, repeated deliveries left out. Throws when it cannot store. */
  add(entries: readonly InboxEntry[]): InboxRow[];
  /** The channel's updates not done, in arrival order. */
  open(channel: string): InboxRow[];
  /** A worker begins an update; its attempts so far, this one included. */
  begin(id: number): number;
  answer(id: number, reply: string): void;
  progress(id: number, sent: number): void;
  finish(id: number, done: { outcome: InboxOutcome; reply?: string; sent?: number; error?: string | null }): void;
}

// ---------------------------------------------------------------- the platform contract

/** An update's place and ids, read before it is stored. */
export interface UpdateIds {
  chatId: string;
  /** The platform's id of the update (Telegram's update_id). */
  updateId?: string;
  /** The message's id in its chat. */
  messageId?: string;
}

/** Why an update is not for the dialogue (a bot's own message, an event the platform does not document). */
export interface Skip {
  skip: string;
}

export interface Platform {
  readonly channel: ChannelName;
  /** Longest text of one platform message. */
  readonly textLimit: number;
  /** Put one OutMessage on the platform (split, choices, document as the platform does them). Throws the platform's errors. */
  sendMessage(chatId: string, message: OutMessage): Promise<void>;
  /** How one of the platform's errors reads: worth a retry after a wait, or not. */
  classify(err: unknown): Exclude<Delivery, { status: "delivered" }>;
  /** What must be known of a raw update before it is stored, or why it is skipped. Never throws. */
  identify(update: unknown): UpdateIds | Skip;
  /** A stored update as the dialogue's Turn, and what to do before answering it (acknowledge a button, show typing). */
  toTurn(update: unknown): { turn: Turn; before?: () => Promise<unknown> } | Skip;
}

/** The platform refused the bot's token (401 or 404 to getMe): the channel cannot run until the token is fixed. */
export class TokenRefusedError extends Error {
  constructor(
    readonly channel: ChannelName,
    readonly code: number,
    readonly description: string,
  ) {
    super(`${channel} refused the bot token (${code} ${description}).`);
    this.name = "TokenRefusedError";
  }
}

// ---------------------------------------------------------------- the runtime

export interface ChannelRuntimeOptions {
  dialogue: DialogueCore;
  platform: Platform;
  log: Logger;
  /** Where updates wait (the store's inbox); in memory when absent, so nothing survives a restart. */
  inbox?: Inbox;
  /** Chats answered at the same time (default 64). Order within a chat is kept whatever this is. */
  concurrency?: number;
  /** Times a reply the platform said to retry later is tried again before it is given up (default 3). */
  deliveryRetries?: number;
  /**
   * An update a worker began this many times without finishing — the process stopped each time —
   * is given up with an apology, so one poisonous update cannot stop the bot forever (default 3).
   */
  maxAttempts?: number;
}

export interface AcceptResult {
  /** New updates stored. */
  stored: number;
  /** Deliveries of updates stored before (by update or message id). */
  repeated: number;
  /** Updates not for the dialogue (logged). */
  skipped: number;
}

export interface ChannelRuntime {
  readonly textLimit: number;
  /**
   * Store updates (one webhook call, one polling batch) in one transaction. Call it before telling the
   * platform they arrived; it throws when they could not be stored — then do not acknowledge them.
   */
  accept(updates: readonly unknown[]): AcceptResult;
  /**
   * The webhook's accept: updates arriving in the same turn of the event loop are stored in one
   * transaction (one disk flush for all); resolves once this one is stored, rejects when it could not be.
   */
  acceptSoon(update: unknown): Promise<AcceptResult>;
  /** Begin answering: every stored update not done first, then each one accepted. Returns how many were resumed. */
  start(): number;
  /**
   * Begin nothing more; resolves once the updates being answered are done, or after `waitMs`
   * (they are then left to the next start), with the chats still being answered.
   */
  stop(waitMs?: number): Promise<{ unfinished: readonly string[] }>;
  /** Send messages into a chat; never throws. */
  send(chatId: string, messages: OutMessage[]): Promise<Delivery>;
  /** Resolves when no update is being answered or waiting. */
  idle(): Promise<void>;
  /** Updates being answered now, and waiting their turn. */
  readonly load: { running: number; waiting: number };
}

/** OutMessages as stored in the inbox (a document's bytes in base64). */
export function encodeReply(messages: readonly OutMessage[]): string {
  return JSON.stringify(messages.map((m) => (m.document ? { ...m, document: { ...m.document, content: m.document.content.toString("base64") } } : m)));
}

export function decodeReply(text: string): OutMessage[] {
  const raw = JSON.parse(text) as (Omit<OutMessage, "document"> & { document?: { filename: string; mime: string; content: string } })[];
  return raw.map(({ document, ...m }) => (document ? { ...m, document: { ...document, content: Buffer.from(document.content, "base64") } } : m));
}

/**
 * An inbox in memory: the same order and repeat recognition (the last `max` ids), nothing
 * durable. For tests, benchmarks and tools that build an adapter without the store.
 */
export function createMemoryInbox(max = 10_000): Inbox {
  const keys = new BoundedMap<string, true>(max);
  const rows = new Map<number, InboxRow>();
  let next = 1;
  return {
    add(entries) {
      const out: InboxRow[] = [];
      for (const e of entries) {
        const ks = [e.updateId !== null ? `${e.channel}:u:${e.updateId}` : "", e.messageId !== null ? `${e.channel}:${e.chatId}:m:${e.messageId}` : ""].filter(Boolean);
        if (ks.some((k) => keys.has(k))) continue;
        for (const k of ks) keys.set(k, true);
        const row: InboxRow = { id: next++, channel: e.channel, chatId: e.chatId, payload: e.payload, attempts: 0, reply: null, sent: 0 };
        rows.set(row.id, row);
        out.push({ ...row });
      }
      return out;
    },
    open: (channel) => [...rows.values()].filter((r) => r.channel === channel).map((r) => ({ ...r })),
    begin(id) {
      const r = rows.get(id);
      if (!r) return 1;
      r.attempts++;
      return r.attempts;
    },
    answer(id, reply) {
      const r = rows.get(id);
      if (r) r.reply = reply;
    },
    progress(id, sent) {
      const r = rows.get(id);
      if (r) r.sent = sent;
    },
    finish(id) {
      rows.delete(id);
    },
  };
}

export function createChannelRuntime(opts: ChannelRuntimeOptions): ChannelRuntime {
  const { dialogue, platform, log } = opts;
  const channel = platform.channel;
  const inbox = opts.inbox ?? createMemoryInbox();
  const retries = opts.deliveryRetries ?? 3;
  const maxAttempts = opts.maxAttempts ?? 3;
  const stopping = new AbortController();
  let started = false;
  const queue = createChatQueue<InboxRow>({
    concurrency: opts.concurrency ?? 64,
    run: (row) => answer(row),
    onError: (err, row) => log.error("answering an update failed; it stays in the inbox for the next start", { err, inboxId: row.id, chat: row.chatId }),
  });

  async function send(chatId: string, messages: OutMessage[]): Promise<Delivery> {
    try {
      for (const m of messages) await platform.sendMessage(chatId, m);
      return { status: "delivered" };
    } catch (err) {
      return platform.classify(err);
    }
  }

  /** One message, tried again while the platform says "later"; "stopped" when a stop came while waiting. */
  async function deliver(chatId: string, m: OutMessage): Promise<Delivery | "stopped"> {
    for (let round = 0; ; round++) {
      const d = await send(chatId, [m]);
      if (d.status !== "retry") return d;
      if (stopping.signal.aborted) return "stopped";
      if (round >= retries) return d;
      const waitMs = Math.min(Math.max(d.afterMs, 1000), 60_000);
      log.warn("reply not delivered yet; trying again after a pause", { chat: chatId, waitMs, error: d.error });
      await sleep(waitMs, stopping.signal);
      if (stopping.signal.aborted) return "stopped";
    }
  }

  async function answer(row: InboxRow): Promise<void> {
    let reply: OutMessage[];
    if (row.reply === null) {
      const attempts = inbox.begin(row.id);
      if (attempts > maxAttempts) {
        log.error("update given up: the bot stopped every time it was being answered", { inboxId: row.id, chat: row.chatId, attempts: attempts - 1 });
        const d = await send(row.chatId, [{ text: TEXTS.apology }]);
        inbox.finish(row.id, { outcome: "failed", reply: "[]", error: `given up after ${attempts - 1} attempts (${d.status})` });
        return;
      }
      let update: unknown;
      try {
        update = JSON.parse(row.payload);
      } catch {
        inbox.finish(row.id, { outcome: "skipped", error: "the stored payload is not JSON" });
        return;
      }
      const t = platform.toTurn(update);
      if ("skip" in t) {
        log.info("update skipped", { inboxId: row.id, chat: row.chatId, why: t.skip });
        inbox.finish(row.id, { outcome: "skipped", error: t.skip });
        return;
      }
      if (t.before) await t.before().catch((err: unknown) => log.debug("before-answer step failed", { err }));
      reply = await dialogue.handle({ ...t.turn, deduplicated: true });
      if (reply.length === 0) {
        inbox.finish(row.id, { outcome: "silent", reply: "[]" });
        return;
      }
      inbox.answer(row.id, encodeReply(reply));
    } else {
      reply = decodeReply(row.reply);
    }
    for (let sent = row.sent; sent < reply.length; sent++) {
      const d = await deliver(row.chatId, reply[sent]!);
      if (d === "stopped") return; // left answered: the next start sends the rest
      if (d.status !== "delivered") {
        log.error("reply not delivered", { chat: row.chatId, inboxId: row.id, status: d.status, error: d.error });
        inbox.finish(row.id, { outcome: "failed", sent, error: d.error });
        return;
      }
      if (sent + 1 < reply.length) inbox.progress(row.id, sent + 1);
    }
    inbox.finish(row.id, { outcome: "delivered", sent: reply.length });
  }

  function accept(updates: readonly unknown[]): AcceptResult {
    const result: AcceptResult = { stored: 0, repeated: 0, skipped: 0 };
    const entries: InboxEntry[] = [];
    for (const u of updates) {
      const ids = platform.identify(u);
      if ("skip" in ids) {
        result.skipped++;
        log.info("update skipped", { why: ids.skip });
        continue;
      }
      entries.push({ channel, chatId: ids.chatId, updateId: ids.updateId ?? null, messageId: ids.messageId ?? null, payload: JSON.stringify(u) });
    }
    const rows = inbox.add(entries);
    result.stored = rows.length;
    result.repeated = entries.length - rows.length;
    if (result.repeated > 0) log.debug("repeated delivery recognised", { repeated: result.repeated });
    if (started && !stopping.signal.aborted) for (const r of rows) queue.push(r.chatId, r);
    return result;
  }

  // Group commit for webhooks: what arrives in one turn of the event loop is stored together.
  let batch: { update: unknown; resolve: (r: AcceptResult) => void; reject: (err: unknown) => void }[] = [];
  function flush(): void {
    const taken = batch;
    batch = [];
    try {
      const r = accept(taken.map((t) => t.update));
      for (const t of taken) t.resolve(r);
    } catch (err) {
      for (const t of taken) t.reject(err);
    }
  }

  return {
    textLimit: platform.textLimit,
    send,
    accept,
    acceptSoon(update) {
      return new Promise((resolve, reject) => {
        batch.push({ update, resolve, reject });
        if (batch.length === 1) setImmediate(flush);
      });
    },
    start() {
      if (started || stopping.signal.aborted) return 0;
      started = true;
      const rows = inbox.open(channel);
      for (const r of rows) queue.push(r.chatId, r);
      if (rows.length > 0) log.info("resuming updates received before the restart", { updates: rows.length });
      return rows.length;
    },
    async stop(waitMs = 8000) {
      stopping.abort();
      const timer = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), waitMs).unref());
      const how = await Promise.race([queue.stop().then(() => "done" as const), timer]);
      return { unfinished: how === "late" ? queue.busyChats : [] };
    },
    idle: () => queue.idle(),
    get load() {
      return { running: queue.running, waiting: queue.waiting };
    },
  };
}

/** Choices as numbered lines under the text, for platforms without buttons (Zalo, the console). */
export function choicesAsLines(text: string, choices: readonly Choice[] | undefined, hint: (n: number) => string): string {
  if (!choices || choices.length === 0) return text;
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`);
  return `${text.trim()}\n\n${lines.join("\n")}\n\n${hint(choices.length)}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
