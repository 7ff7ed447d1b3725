// The inbox: updates as the channels received them, durable before they are
// acknowledged, and what became of each (see migrations/003-inbox.ts). The
// channel runtime drives it: add → begin → answer → progress → finish.
//
// Durability: add() commits as the store does (synchronous=FULL: on disk, power
// loss included, before the platform hears the update arrived). The later steps
// commit with synchronous=NORMAL: safe when the process dies (SIGKILL, a crash),
// and on disk at the next FULL commit; only a power cut in between can lose one,
// and the update is then answered again. That saves three disk flushes per update.
import type Database from "better-sqlite3";
import { str, strOrNull, type Iso, type Row } from "../rows.js";

// These shapes are channels/runtime.ts's Inbox contract, written again on purpose: the store may not import a
// channel, nor a channel the store (.dependency-cruiser.cjs), and main.ts hands this repository to the runtime,
// so the compiler checks there that both sides still agree.
export type InboxOutcome = "delivered" | "silent" | "failed" | "skipped";

export interface InboxEntry {
  channel: string;
  chatId: string;
  /** The platform's update id (Telegram's update_id); null when the platform has none. */
  updateId: string | null;
  /** The message's id in its chat; null when the update carries none. */
  messageId: string | null;
  /** The update as received, JSON. */
  payload: string;
}

/** An update not done yet, as a worker needs it. */
export interface InboxRow {
  id: number;
  channel: string;
  chatId: string;
  payload: string;
  /** Times a worker began to answer it (a restart in the middle counts). */
  attempts: number;
  /** The messages decided for it (JSON), once the dialogue answered; null before. */
  reply: string | null;
  /** How many of those messages reached the platform. */
  sent: number;
}

/** A row with what became of it (tests, diagnostics). */
export interface InboxRecord extends InboxRow {
  updateId: string | null;
  messageId: string | null;
  receivedAt: string;
  outcome: InboxOutcome | null;
  error: string | null;
  doneAt: string | null;
}

export interface InboxRepo {
  /** Store updates in one transaction; returns the rows stored, leaving out repeated deliveries (same update or message id). */
  add(entries: readonly InboxEntry[], now?: Date): InboxRow[];
  /** The channel's updates not done, in arrival order. */
  open(channel: string): InboxRow[];
  /** A worker begins to answer the update; returns its attempts so far, this one included. */
  begin(id: number): number;
  /** The dialogue's answer, recorded before anything is sent (a restart sends it instead of deciding again). */
  answer(id: number, reply: string): void;
  /** `sent` messages of the answer reached the platform. */
  progress(id: number, sent: number): void;
  /** Done: what became of it, and (when not recorded before) what was decided. */
  finish(id: number, done: { outcome: InboxOutcome; reply?: string; sent?: number; error?: string | null }, now?: Date): void;
  get(id: number): InboxRecord | undefined;
  /** Updates not done, by channel. */
  openCounts(): Record<string, number>;
  /** Forget updates done before `before`; returns how many. A repeat older than that is no longer recognised. */
  prune(before: Date): number;
}

const toRow = (r: Row): InboxRow => ({
  id: Number(r.id),
  channel: str(r.channel),
  chatId: str(r.chat_id),
  payload: str(r.payload),
  attempts: Number(r.attempts),
  reply: strOrNull(r.reply),
  sent: Number(r.sent),
});

export function inboxRepo(db: Database.Database, iso: Iso): InboxRepo {
  const insert = db.prepare(
    `INSERT INTO inbox (channel, chat_id, update_id, message_id, payload, received_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING RETURNING id`,
  );
  const open = db.prepare("SELECT id, channel, chat_id, payload, attempts, reply, sent FROM inbox WHERE channel = ? AND done_at IS NULL ORDER BY id");
  const begin = db.prepare("UPDATE inbox SET attempts = attempts + 1 WHERE id = ? RETURNING attempts");
  const answer = db.prepare("UPDATE inbox SET reply = ? WHERE id = ?");
  const progress = db.prepare("UPDATE inbox SET sent = ? WHERE id = ?");
  const finish = db.prepare(
    "UPDATE inbox SET outcome = ?, reply = COALESCE(?, reply), sent = COALESCE(?, sent), error = ?, done_at = ? WHERE id = ?",
  );
  const get = db.prepare("SELECT * FROM inbox WHERE id = ?");
  const counts = db.prepare("SELECT channel, count(*) AS n FROM inbox WHERE done_at IS NULL GROUP BY channel");
  const prune = db.prepare("DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?");

  // The connection's own level, restored after each relaxed write.
  const level = Number(db.pragma("synchronous", { simple: true }));
  const relaxed = (run: () => void): void => {
    if (db.inTransaction || level <= 1) return run();
    db.pragma("synchronous = NORMAL");
    try {
      run();
    } finally {
      db.pragma(`synchronous = ${level}`);
    }
  };

  const addAll = db.transaction((entries: readonly InboxEntry[], at: string): InboxRow[] => {
    const out: InboxRow[] = [];
    for (const e of entries) {
      const r = insert.get(e.channel, e.chatId, e.updateId, e.messageId, e.payload, at) as { id: number } | undefined;
      if (r) out.push({ id: Number(r.id), channel: e.channel, chatId: e.chatId, payload: e.payload, attempts: 0, reply: null, sent: 0 });
    }
    return out;
  });

  return {
    add: (entries, now) => (entries.length === 0 ? [] : addAll(entries, iso(now))),
    open: (channel) => (open.all(channel) as Row[]).map(toRow),
    begin: (id) => {
      let attempts = 0;
      relaxed(() => (attempts = Number((begin.get(id) as { attempts: number } | undefined)?.attempts ?? 0)));
      return attempts;
    },
    answer: (id, reply) => relaxed(() => answer.run(reply, id)),
    progress: (id, sent) => relaxed(() => progress.run(sent, id)),
    finish: (id, d, now) => relaxed(() => finish.run(d.outcome, d.reply ?? null, d.sent ?? null, d.error ?? null, iso(now), id)),
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      if (!r) return undefined;
      return {
        ...toRow(r),
        updateId: strOrNull(r.update_id),
        messageId: strOrNull(r.message_id),
        receivedAt: str(r.received_at),
        outcome: strOrNull(r.outcome) as InboxOutcome | null,
        error: strOrNull(r.error),
        doneAt: strOrNull(r.done_at),
      };
    },
    openCounts: () => Object.fromEntries((counts.all() as Row[]).map((r) => [str(r.channel), Number(r.n)])),
    prune: (before) => prune.run(before.toISOString()).changes,
  };
}
