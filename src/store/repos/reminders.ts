// Durable state of reminders (tables of migration 002): group settings,
// subscriptions, and the deliveries ledger that makes each reminder go out once.
//
// Delivery protocol, per group:
//   1. claim(keys) — in ONE transaction, insert a 'claimed' row per reminder
//      (UNIQUE chat+rule+subject+window). A row already 'sent' is skipped; a row
//      another run holds under a live lease is "busy"; a 'failed' row, or a
//      claim whose lease ran out (its run crashed), is taken over.
//   2. send the messages.
//   3. markSent(keys of each message that went out) / markFailed(the rest).
// A crash between 1 and 3 leaves 'claimed' rows that the next run takes over
// once their lease has expired; overlapping runs never both claim a reminder.
import type Database from "better-sqlite3";

export interface ReminderChat {
  chat: string;
  channel: string;
  chatId: string;
  muted: boolean;
  /** "07:30", or null for REMINDER_TIME. */
  timeOfDay: string | null;
  createdAt: string;
  lastRunOn: string | null;
  lastSentOn: string | null;
  nextAttemptAt: string | null;
}

/** What a group subscribes to: one agency or a whole plan. */
export interface Target {
  kind: "agency" | "plan";
  /** Agency id (slug) or plan id. */
  id: string;
}

export interface Subscription extends Target {
  createdBy: string;
  createdAt: string;
}

export interface ClaimResult {
  claimed: string[];
  /** Held by another run under a live lease. */
  busy: string[];
  /** Already sent. */
  done: string[];
}

interface ChatRowDb {
  chat: string;
  channel: string;
  chat_id: string;
  muted: number;
  time_of_day: string | null;
  created_at: string;
  last_run_on: string | null;
  last_sent_on: string | null;
  next_attempt_at: string | null;
}

const toChat = (r: ChatRowDb): ReminderChat => ({
  chat: r.chat,
  channel: r.channel,
  chatId: r.chat_id,
  muted: r.muted === 1,
  timeOfDay: r.time_of_day,
  createdAt: r.created_at,
  lastRunOn: r.last_run_on,
  lastSentOn: r.last_sent_on,
  nextAttemptAt: r.next_attempt_at,
});

export function chatKey(channel: string, chatId: string): string {
  return `${channel}:${chatId}`;
}

export function splitKey(key: string): { rule: string; subject: string; window: string } {
  const [rule = "", subject = "", ...rest] = key.split("|");
  return { rule, subject, window: rest.join("|") };
}

export class ReminderRepo {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      ensureChat: db.prepare(
        `INSERT INTO reminder_chats (chat, channel, chat_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chat) DO NOTHING`,
      ),
      getChat: db.prepare("SELECT * FROM reminder_chats WHERE chat = ?"),
      allChats: db.prepare("SELECT * FROM reminder_chats ORDER BY chat"),
      subscribe: db.prepare(
        `INSERT INTO reminder_subscriptions (chat, kind, target, created_by, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      unsubscribe: db.prepare("DELETE FROM reminder_subscriptions WHERE chat = ? AND kind = ? AND target = ?"),
      unsubscribeAll: db.prepare("DELETE FROM reminder_subscriptions WHERE chat = ?"),
      subsOf: db.prepare("SELECT * FROM reminder_subscriptions WHERE chat = ? ORDER BY created_at, rowid"),
      allSubs: db.prepare("SELECT * FROM reminder_subscriptions ORDER BY chat, created_at, rowid"),
      setMuted: db.prepare("UPDATE reminder_chats SET muted = ?, updated_at = ? WHERE chat = ?"),
      setTime: db.prepare("UPDATE reminder_chats SET time_of_day = ?, updated_at = ? WHERE chat = ?"),
      finish: db.prepare(
        `UPDATE reminder_chats SET last_run_on = @date, next_attempt_at = NULL,
           last_sent_on = CASE WHEN @sent = 1 THEN @date ELSE last_sent_on END WHERE chat = @chat`,
      ),
      defer: db.prepare("UPDATE reminder_chats SET next_attempt_at = ? WHERE chat = ?"),
      messagesOn: db.prepare("SELECT CASE WHEN messages_on = ? THEN messages_sent ELSE 0 END AS n FROM reminder_chats WHERE chat = ?"),
      countMessage: db.prepare(
        `UPDATE reminder_chats SET messages_sent = CASE WHEN messages_on = @date THEN messages_sent + 1 ELSE 1 END, messages_on = @date
         WHERE chat = @chat`,
      ),
      insertClaim: db.prepare(
        `INSERT INTO reminder_deliveries (chat, rule, subject, due_window, status, run_id, claimed_at, lease_until)
         VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      getDelivery: db.prepare(
        "SELECT status, run_id, lease_until FROM reminder_deliveries WHERE chat = ? AND rule = ? AND subject = ? AND due_window = ?",
      ),
      takeOver: db.prepare(
        `UPDATE reminder_deliveries SET status = 'claimed', run_id = ?, claimed_at = ?, lease_until = ?
         WHERE chat = ? AND rule = ? AND subject = ? AND due_window = ?`,
      ),
      markSent: db.prepare(
        `UPDATE reminder_deliveries SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL
         WHERE chat = ? AND rule = ? AND subject = ? AND due_window = ? AND run_id = ? AND status = 'claimed'`,
      ),
      markFailed: db.prepare(
        `UPDATE reminder_deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?
         WHERE chat = ? AND rule = ? AND subject = ? AND due_window = ? AND run_id = ? AND status = 'claimed'`,
      ),
      settled: db.prepare(
        "SELECT rule, subject, due_window, status, lease_until FROM reminder_deliveries WHERE chat = ? AND status != 'failed'",
      ),
      deliveries: db.prepare("SELECT * FROM reminder_deliveries ORDER BY id"),
    };
  }

  ensureChat(channel: string, chatId: string, now: Date): ReminderChat {
    const key = chatKey(channel, chatId);
    const t = now.toISOString();
    this.q.ensureChat.run(key, channel, chatId, t, t);
    return this.chat(key)!;
  }

  chat(chat: string): ReminderChat | undefined {
    const r = this.q.getChat.get(chat) as ChatRowDb | undefined;
    return r ? toChat(r) : undefined;
  }

  chats(): ReminderChat[] {
    return (this.q.allChats.all() as ChatRowDb[]).map(toChat);
  }

  /** Adds subscriptions; returns the targets that were not there yet. */
  subscribe(chat: string, targets: Target[], by: string, now: Date): Target[] {
    const added: Target[] = [];
    this.db.transaction(() => {
      for (const t of targets) {
        if (this.q.subscribe.run(chat, t.kind, t.id, by, now.toISOString()).changes > 0) added.push(t);
      }
    })();
    return added;
  }

  /** Removes one subscription, or all of the chat's when `target` is omitted; returns how many. */
  unsubscribe(chat: string, target?: Target): number {
    return target ? this.q.unsubscribe.run(chat, target.kind, target.id).changes : this.q.unsubscribeAll.run(chat).changes;
  }

  subscriptions(chat: string): Subscription[] {
    return (this.q.subsOf.all(chat) as SubRowDb[]).map(toSub);
  }

  /** Every chat's subscriptions (one query for a whole run). */
  allSubscriptions(): Map<string, Subscription[]> {
    const out = new Map<string, Subscription[]>();
    for (const r of this.q.allSubs.all() as SubRowDb[]) {
      const l = out.get(r.chat);
      if (l) l.push(toSub(r));
      else out.set(r.chat, [toSub(r)]);
    }
    return out;
  }

  setMuted(chat: string, muted: boolean, now: Date): void {
    this.q.setMuted.run(muted ? 1 : 0, now.toISOString(), chat);
  }

  setTimeOfDay(chat: string, hhmm: string | null, now: Date): void {
    this.q.setTime.run(hhmm, now.toISOString(), chat);
  }

  /** The chat's digest for `date` (local) is done; `sent` when a message went out. */
  finishRun(chat: string, date: string, sent: boolean): void {
    this.q.finish.run({ chat, date, sent: sent ? 1 : 0 });
  }

  /** After a failed send: do not try this chat again before `until`. */
  defer(chat: string, until: Date): void {
    this.q.defer.run(until.toISOString(), chat);
  }

  /** Digest messages the chat received on this local date. */
  messagesSentOn(chat: string, date: string): number {
    return Number((this.q.messagesOn.get(date, chat) as { n: number } | undefined)?.n ?? 0);
  }

  /** One more digest message went to the chat on this local date. */
  countMessage(chat: string, date: string): void {
    this.q.countMessage.run({ chat, date });
  }

  /**
   * Keys already sent; with `includeLeased`, also those a live claim holds at `now`
   * (previews and dry runs: that run will send them). A real run leaves leased keys
   * in, so that claim() reports them busy and the group's day is not closed.
   */
  settledKeys(chat: string, now: Date, includeLeased = false): Set<string> {
    const t = now.toISOString();
    const out = new Set<string>();
    for (const r of this.q.settled.all(chat) as { rule: string; subject: string; due_window: string; status: string; lease_until: string }[]) {
      if (r.status === "sent" || (includeLeased && r.lease_until > t)) out.add(`${r.rule}|${r.subject}|${r.due_window}`);
    }
    return out;
  }

  /** Step 1 of the protocol: claim the reminders for this run, atomically. */
  claim(chat: string, keys: string[], runId: string, now: Date, leaseMs: number): ClaimResult {
    const t = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const res: ClaimResult = { claimed: [], busy: [], done: [] };
    this.db.transaction(() => {
      for (const key of keys) {
        const k = splitKey(key);
        if (this.q.insertClaim.run(chat, k.rule, k.subject, k.window, runId, t, until).changes > 0) {
          res.claimed.push(key);
          continue;
        }
        const row = this.q.getDelivery.get(chat, k.rule, k.subject, k.window) as
          | { status: string; run_id: string; lease_until: string }
          | undefined;
        if (!row || row.status === "sent") {
          res.done.push(key);
        } else if (row.status === "failed" || row.run_id === runId || row.lease_until <= t) {
          this.q.takeOver.run(runId, t, until, chat, k.rule, k.subject, k.window);
          res.claimed.push(key);
        } else {
          res.busy.push(key);
        }
      }
    }).immediate();
    return res;
  }

  markSent(chat: string, keys: string[], runId: string, now: Date): void {
    const t = now.toISOString();
    this.db.transaction(() => {
      for (const key of keys) {
        const k = splitKey(key);
        this.q.markSent.run(t, chat, k.rule, k.subject, k.window, runId);
      }
    })();
  }

  markFailed(chat: string, keys: string[], runId: string, error: string): void {
    this.db.transaction(() => {
      for (const key of keys) {
        const k = splitKey(key);
        this.q.markFailed.run(error.slice(0, 500), chat, k.rule, k.subject, k.window, runId);
      }
    })();
  }

  /** Every delivery row (tests and the CLI). */
  deliveries(): DeliveryRow[] {
    return this.q.deliveries.all() as DeliveryRow[];
  }
}

export interface DeliveryRow {
  id: number;
  chat: string;
  rule: string;
  subject: string;
  due_window: string;
  status: "claimed" | "sent" | "failed";
  run_id: string;
  claimed_at: string;
  lease_until: string;
  sent_at: string | null;
  attempts: number;
  last_error: string | null;
}

interface SubRowDb {
  chat: string;
  kind: "agency" | "plan";
  target: string;
  created_by: string;
  created_at: string;
}

const toSub = (r: SubRowDb): Subscription => ({ kind: r.kind, id: r.target, createdBy: r.created_by, createdAt: r.created_at });
