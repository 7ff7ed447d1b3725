// One reminder run: which groups are due at `at`, what each should receive, and
// — unless dry — the claim → send → mark protocol of repo.ts for each group.
import type { Config } from "../../config.js";
import type { ChannelName, Outbox } from "../../core/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Logger } from "../../log.js";
import { FALLBACK_TEXT_LIMIT, renderDigest, renderDigestWithin } from "./digest.js";
import { chatKey, type ReminderChat, type ReminderRepo, type Subscription } from "../../store/index.js";
import { capStale, DEFAULT_RULE_OPTIONS, itemKey, RuleEngine, type ReminderItem, type RuleOptions, type TaskStatus } from "./rules.js";
import { CHANNEL_PACING, Pacer, realTimer, sendPaced, type Pacing, type Timer } from "./send.js";
import { dateOfDay, dayNumber, inQuietHours, localMoment, parseTimeOfDay, weekdayOf, type LocalMoment } from "../../text/dates.js";

export type ReminderConfig = Pick<Config, "REMINDER_TIME" | "REMINDER_DAYS" | "QUIET_HOURS" | "TIMEZONE"> & Partial<Pick<Config, "HOLIDAYS">>;

export interface ReminderOptions extends Omit<RuleOptions, "reminderDays"> {
  /** ISO weekdays on which digests go out (1 = Monday). Default Monday–Friday. */
  workingDays: number[];
  /** Local dates ("2026-09-02") with no digest, as on a weekend (HOLIDAYS). */
  holidays: string[];
  /** How long a claim protects a reminder from other runs (ms). */
  leaseMs: number;
  /** After a failed send, the group is tried again no sooner than this (ms). */
  retryLaterMs: number;
  /** Most stale tasks in one digest; the rest come in the following days. */
  staleMaxPerDigest: number;
  /**
   * Groups sent to concurrently per channel. They share the channel's pacer, so
   * this does not raise the rate; it lets the per-group gap of one group's
   * multi-message digest overlap with other groups' sends.
   */
  concurrency: number;
  pacing: Record<ChannelName, Pacing>;
  /**
   * Most digest messages a group receives a day, by channel (Zalo: three). What does not fit waits
   * for the next days, and the last message says so and points to /nhacviec.
   */
  maxDigestMessages: Partial<Record<ChannelName, number>>;
}

export const DEFAULT_OPTIONS: ReminderOptions = {
  dutyLeadDays: DEFAULT_RULE_OPTIONS.dutyLeadDays,
  overdueRepeatDays: DEFAULT_RULE_OPTIONS.overdueRepeatDays,
  staleDays: DEFAULT_RULE_OPTIONS.staleDays,
  workingDays: [1, 2, 3, 4, 5],
  holidays: [],
  staleMaxPerDigest: 10,
  leaseMs: 10 * 60_000,
  retryLaterMs: 15 * 60_000,
  concurrency: 64,
  pacing: CHANNEL_PACING,
  maxDigestMessages: { zalo: 3 },
};

export interface ReminderDeps {
  repo: ReminderRepo;
  knowledge: KnowledgeIndex;
  /** The latest status of every task (read once per run). */
  statuses: () => ReadonlyMap<string, TaskStatus>;
  /** Where digests go, by channel. May be filled in after creation (channels start later). */
  outboxes: Partial<Record<ChannelName, Outbox>>;
  config: ReminderConfig;
  /** Wall clock, for claims and leases. */
  clock: () => Date;
  log?: Logger;
  timer?: Timer;
  options?: Partial<ReminderOptions>;
  /** Makes run ids unique across processes (tests pass a fixed prefix). */
  runIdPrefix?: string;
}

export interface RunOptions {
  /** The moment the run is for: decides the local day, the time-of-day checks and the rules. */
  at: Date;
  /** Compute only: nothing claimed, nothing sent, nothing recorded. */
  dryRun?: boolean;
  /** Only these chats ("telegram:-100…"). */
  chats?: string[];
}

export type DigestStatus = "sent" | "partial" | "failed" | "dry-run" | "busy" | "no-channel";

export interface DigestReport {
  chat: string;
  channel: string;
  chatId: string;
  /** Set when this digest makes up for missed days: the local date of the last run before the gap. */
  catchUpSince: string | null;
  items: ReminderItem[];
  /** Stale tasks left for the next days' digests. */
  staleHeld: number;
  /** Reminders left for the next days to keep within the channel's messages a day. */
  capped: number;
  messages: number;
  status: DigestStatus;
  /** Reminders another run holds right now (they are its to send). */
  busy: number;
  failed: number;
  error?: string;
}

export interface RunReport {
  at: string;
  date: string;
  /** Why nothing ran: a weekend or holiday, or quiet hours. */
  skipped?: "not-a-working-day" | "quiet-hours";
  /** Groups considered (subscribed, not muted, their time reached, not yet done today). */
  due: number;
  digests: DigestReport[];
  computeMs: number;
  sendMs: number;
  messagesSent: number;
}

export function resolveOptions(deps: Pick<ReminderDeps, "options"> & { config?: ReminderConfig }): ReminderOptions {
  const holidays = deps.options?.holidays ?? deps.config?.HOLIDAYS ?? DEFAULT_OPTIONS.holidays;
  return { ...DEFAULT_OPTIONS, ...deps.options, holidays, pacing: { ...CHANNEL_PACING, ...deps.options?.pacing } };
}

/** A day (days since 1970-01-01) on which digests go out: a working weekday that is not a holiday. */
export function isWorkingDay(opts: Pick<ReminderOptions, "workingDays" | "holidays">, day: number): boolean {
  return opts.workingDays.includes(weekdayOf(day)) && !opts.holidays.includes(dateOfDay(day));
}

export function ruleOptions(deps: Pick<ReminderDeps, "options" | "config">): RuleOptions {
  const o = resolveOptions(deps);
  return {
    reminderDays: deps.config.REMINDER_DAYS,
    dutyLeadDays: o.dutyLeadDays,
    overdueRepeatDays: o.overdueRepeatDays,
    staleDays: o.staleDays,
  };
}

/** The group's time of day in minutes (its own setting, else REMINDER_TIME). */
export function chatMinutes(chat: Pick<ReminderChat, "timeOfDay">, config: ReminderConfig): number {
  return parseTimeOfDay(chat.timeOfDay ?? "") ?? parseTimeOfDay(config.REMINDER_TIME) ?? 8 * 60;
}

/** The earliest subscription: the reference for "no update yet". */
export function subscribedSince(subs: Subscription[], chat: ReminderChat): string {
  return subs.reduce((min, s) => (s.createdAt < min ? s.createdAt : min), chat.createdAt);
}

/** When the last digest run was before a gap of at least one missed working day, its date. */
export function catchUpSince(lastRunOn: string | null, today: number, opts: Pick<ReminderOptions, "workingDays" | "holidays">): string | null {
  if (!lastRunOn) return null;
  const last = dayNumber(lastRunOn);
  for (let d = last + 1; d < today; d++) if (isWorkingDay(opts, d)) return lastRunOn;
  return null;
}

let runCounter = 0;

export async function runReminders(deps: ReminderDeps, run: RunOptions): Promise<RunReport> {
  const opts = resolveOptions(deps);
  const tz = deps.config.TIMEZONE;
  const lm: LocalMoment = localMoment(run.at, tz);
  const report: RunReport = { at: run.at.toISOString(), date: lm.date, due: 0, digests: [], computeMs: 0, sendMs: 0, messagesSent: 0 };
  if (!isWorkingDay(opts, lm.day)) return { ...report, skipped: "not-a-working-day" };
  if (inQuietHours(lm.minutes, deps.config.QUIET_HOURS)) return { ...report, skipped: "quiet-hours" };

  const t0 = performance.now();
  const statuses = deps.statuses();
  const engine = new RuleEngine(deps.knowledge, (id) => statuses.get(id), lm.day, ruleOptions(deps));
  const subs = deps.repo.allSubscriptions();
  const wall = deps.clock();
  const only = run.chats ? new Set(run.chats) : null;
  const due = deps.repo.chats().filter(
    (c) =>
      (only === null || only.has(c.chat)) &&
      !c.muted &&
      (subs.get(c.chat)?.length ?? 0) > 0 &&
      chatMinutes(c, deps.config) <= lm.minutes &&
      c.lastRunOn !== lm.date &&
      (c.nextAttemptAt === null || c.nextAttemptAt <= wall.toISOString()),
  );
  report.due = due.length;

  const planned: { chat: ReminderChat; items: ReminderItem[]; report: DigestReport }[] = [];
  for (const c of due) {
    const settled = deps.repo.settledKeys(c.chat, wall, run.dryRun === true);
    const { items, held } = capStale(
      engine
        .itemsFor({ chat: c.chat, targets: subs.get(c.chat) ?? [], since: subscribedSince(subs.get(c.chat) ?? [], c) })
        .filter((i) => !settled.has(itemKey(i))),
      opts.staleMaxPerDigest,
    );
    const r: DigestReport = {
      chat: c.chat,
      channel: c.channel,
      chatId: c.chatId,
      catchUpSince: catchUpSince(c.lastRunOn, lm.day, opts),
      items,
      staleHeld: held,
      capped: 0,
      messages: 0,
      status: run.dryRun ? "dry-run" : "sent",
      busy: 0,
      failed: 0,
    };
    planned.push({ chat: c, items, report: r });
  }
  report.computeMs = performance.now() - t0;
  if (run.dryRun) {
    report.digests = planned.map((p) => p.report).filter((r) => r.items.length > 0);
    for (const r of report.digests) {
      const cap = opts.maxDigestMessages[r.channel as ChannelName];
      const o = digestOpts(r, lm.date, opts, textLimit(deps, r.channel));
      const { chunks, held } = cap === undefined ? { chunks: renderDigest(r.items, o), held: [] } : renderDigestWithin(r.items, o, cap);
      r.messages = chunks.length;
      r.capped = held.length;
    }
    return report;
  }

  const t1 = performance.now();
  const timer = deps.timer ?? realTimer;
  const runId = `${deps.runIdPrefix ?? `${process.pid}`}-${run.at.toISOString()}-${++runCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const byChannel = new Map<string, typeof planned>();
  for (const p of planned) {
    const l = byChannel.get(p.chat.channel);
    if (l) l.push(p);
    else byChannel.set(p.chat.channel, [p]);
  }
  await Promise.all(
    [...byChannel].map(async ([channel, list]) => {
      const outbox = deps.outboxes[channel as ChannelName];
      const pacing = opts.pacing[channel as ChannelName] ?? CHANNEL_PACING.telegram;
      const pacer = new Pacer(pacing.perSecond, timer);
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const p = list[next++]!;
          if (!outbox) {
            p.report.status = "no-channel";
            if (p.items.length) deps.log?.warn("reminders: no outbox for the channel; the group's digest waits", { chat: p.chat.chat, channel });
            continue;
          }
          const n = await deliver(deps, opts, p.chat, p.items, p.report, lm.date, runId, outbox, pacing, pacer, timer);
          report.messagesSent += n;
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
    }),
  );
  report.sendMs = performance.now() - t1;
  report.digests = planned.map((p) => p.report).filter((r) => r.items.length > 0 || r.status === "busy");
  return report;
}

/** The group's channel's message limit (a conservative one when the channel is not running). */
export function textLimit(deps: Pick<ReminderDeps, "outboxes">, channel: string): number {
  return deps.outboxes[channel as ChannelName]?.textLimit ?? FALLBACK_TEXT_LIMIT;
}

function digestOpts(r: Pick<DigestReport, "catchUpSince" | "staleHeld">, date: string, opts: ReminderOptions, limit: number) {
  return {
    date,
    limit,
    catchUpSince: r.catchUpSince,
    staleDays: opts.staleDays,
    staleHeld: r.staleHeld,
  };
}

/** Claim, send (paced, retried), mark. Returns the number of messages sent. */
async function deliver(
  deps: ReminderDeps,
  opts: ReminderOptions,
  chat: ReminderChat,
  candidates: ReminderItem[],
  r: DigestReport,
  date: string,
  runId: string,
  outbox: Outbox,
  pacing: Pacing,
  pacer: Pacer,
  timer: Timer,
): Promise<number> {
  const log = deps.log?.child({ chat: chat.chat });
  if (candidates.length === 0) {
    deps.repo.finishRun(chat.chat, date, false);
    return 0;
  }
  const cap = opts.maxDigestMessages[chat.channel as ChannelName];
  const left = cap === undefined ? Infinity : Math.max(0, cap - deps.repo.messagesSentOn(chat.chat, date));
  if (left === 0) {
    // The day's messages are spent (a retry after a partial send): the rest waits for tomorrow.
    r.capped = candidates.length;
    deps.repo.finishRun(chat.chat, date, true);
    return 0;
  }
  const claim = deps.repo.claim(chat.chat, candidates.map(itemKey), runId, deps.clock(), opts.leaseMs);
  const mine = new Set(claim.claimed);
  const items = candidates.filter((i) => mine.has(itemKey(i)));
  r.items = items;
  r.busy = claim.busy.length;
  if (items.length === 0) {
    r.status = "busy";
    // Another run holds them: it will send; our day is done only when nothing is pending.
    if (claim.busy.length === 0) deps.repo.finishRun(chat.chat, date, false);
    return 0;
  }
  const o = digestOpts(r, date, opts, outbox.textLimit);
  const { chunks, held } = Number.isFinite(left) ? renderDigestWithin(items, o, left) : { chunks: renderDigest(items, o), held: [] };
  if (held.length > 0) {
    // Not sent today: released, so the next days' runs claim them again.
    deps.repo.markFailed(chat.chat, held.map(itemKey), runId, `left for another day: ${cap} digest messages a day on ${chat.channel}`);
    r.capped = held.length;
    r.items = items.filter((i) => !held.includes(i));
  }
  let sent = 0;
  let lastAt = -Infinity;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    // The per-group gap counts from the previous message of this group.
    const wait = lastAt + pacing.perChatGapMs - timer.now();
    if (wait > 0) await timer.sleep(wait);
    const out = await sendPaced(outbox, chat.chatId, { text: chunk.text }, pacing, pacer, timer, (attempt, error, waitMs) =>
      log?.warn("reminders: send failed, retrying", { attempt, error, waitMs }),
    );
    lastAt = timer.now();
    if (out.ok) {
      deps.repo.markSent(chat.chat, chunk.keys, runId, deps.clock());
      deps.repo.countMessage(chat.chat, date);
      sent++;
      continue;
    }
    // Give up on this group for now: this and the remaining messages' reminders stay claimable.
    const rest = chunks.slice(i).flatMap((c) => c.keys);
    deps.repo.markFailed(chat.chat, rest, runId, out.error ?? "send failed");
    const retryAt = new Date(deps.clock().getTime() + opts.retryLaterMs);
    deps.repo.defer(chat.chat, retryAt);
    r.status = sent > 0 ? "partial" : "failed";
    r.failed = rest.length;
    r.error = out.error;
    log?.error("reminders: digest not delivered; its reminders will be retried", {
      attempts: out.attempts,
      error: out.error,
      reminders: rest.length,
      retryAt: retryAt.toISOString(),
    });
    break;
  }
  r.messages = sent;
  if (r.status === "sent" && claim.busy.length === 0) deps.repo.finishRun(chat.chat, date, true);
  return sent;
}

export { chatKey };
