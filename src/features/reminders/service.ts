// The reminders service: what the commands, the scheduler and the CLI share
// (the ledger, the knowledge, the outboxes, the clock). Built once at start-up.
import type { Config } from "../../config.js";
import type { ChannelName, Outbox, Turn } from "../../core/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Logger } from "../../log.js";
import type { Store } from "../../store/index.js";
import { renderDigest, type DigestChunk } from "./digest.js";
import { chatKey, type ReminderRepo, type ReminderChat, type Subscription } from "../../store/index.js";
import { capStale, itemKey, RuleEngine, type ReminderItem, type TaskStatus } from "./rules.js";
import {
  catchUpSince,
  chatMinutes,
  resolveOptions,
  ruleOptions,
  runReminders,
  subscribedSince,
  textLimit,
  type ReminderDeps,
  type ReminderOptions,
  type RunOptions,
  type RunReport,
  isWorkingDay,
} from "./run.js";
import type { Timer } from "./send.js";
import { dateOfDay, instantOf, localMoment } from "../../text/dates.js";

export interface Reminders {
  readonly repo: ReminderRepo;
  readonly deps: ReminderDeps;
  readonly options: ReminderOptions;
  run(opts: RunOptions): Promise<RunReport>;
  /** Whether this user may change the group's reminders (an admin or an approved official). */
  canManage(turn: Pick<Turn, "channel" | "userId">): boolean;
  /** What the group receives at its next digest. */
  preview(channel: ChannelName, chatId: string, now: Date): Preview;
}

export interface Preview {
  chat: ReminderChat | undefined;
  subscriptions: Subscription[];
  /** The instant of the next digest (a working day, the group's time). */
  next: Date;
  nextDate: string;
  items: ReminderItem[];
  chunks: DigestChunk[];
}

export interface CreateRemindersInput {
  /** The store: its reminders ledger, and its updates for task statuses. */
  store?: Pick<Store, "reminders" | "updates">;
  /** Or, in tests, a repo and a status source of your own. */
  repo?: ReminderRepo;
  statuses?: () => ReadonlyMap<string, TaskStatus>;
  knowledge: KnowledgeIndex;
  outboxes?: Partial<Record<ChannelName, Outbox>>;
  config: Config;
  clock?: () => Date;
  log?: Logger;
  timer?: Timer;
  options?: Partial<ReminderOptions>;
  /** Who may change a group's reminder settings (the people feature decides; nobody when absent). */
  canManage?: (turn: Pick<Turn, "channel" | "userId">) => boolean;
  runIdPrefix?: string;
}

/** Latest status per task from the store's status_updates. */
export function storeStatuses(store: Pick<Store, "updates">): () => ReadonlyMap<string, TaskStatus> {
  return () => {
    const out = new Map<string, TaskStatus>();
    for (const [id, u] of store.updates.latestByTask()) out.set(id, { status: u.status, at: u.reportedAt });
    return out;
  };
}

export function createReminders(input: CreateRemindersInput): Reminders {
  const repo = input.repo ?? input.store?.reminders;
  if (!repo) throw new Error("createReminders needs a store (or a repo): reminders keep their deliveries in SQLite.");
  const statuses = input.statuses ?? (input.store ? storeStatuses(input.store) : () => new Map());
  const deps: ReminderDeps = {
    repo,
    knowledge: input.knowledge,
    statuses,
    outboxes: input.outboxes ?? {},
    config: input.config,
    clock: input.clock ?? (() => new Date()),
    log: input.log,
    timer: input.timer,
    options: input.options,
    runIdPrefix: input.runIdPrefix,
  };
  const options = resolveOptions(deps);
  const canManage = input.canManage ?? (() => false);

  return {
    repo,
    deps,
    options,
    run: (opts) => runReminders(deps, opts),
    canManage,
    preview(channel, chatId, now) {
      const key = chatKey(channel, chatId);
      const chat = repo.chat(key);
      const subscriptions = repo.subscriptions(key);
      const tz = input.config.TIMEZONE;
      const minutes = chatMinutes(chat ?? { timeOfDay: null }, input.config);
      const lm = localMoment(now, tz);
      let day = lm.day;
      const doneToday = chat?.lastRunOn === lm.date || minutes <= lm.minutes;
      if (doneToday || !isWorkingDay(options, day)) {
        day++;
        while (!isWorkingDay(options, day)) day++;
      }
      const nextDate = dateOfDay(day);
      const next = instantOf(nextDate, minutes, tz);
      let items: ReminderItem[] = [];
      let held = 0;
      if (chat && subscriptions.length) {
        const st = statuses();
        const engine = new RuleEngine(input.knowledge, (id) => st.get(id), day, ruleOptions(deps));
        const settled = repo.settledKeys(key, now, true);
        const capped = capStale(
          engine
            .itemsFor({ chat: key, targets: subscriptions, since: subscribedSince(subscriptions, chat) })
            .filter((i) => !settled.has(itemKey(i))),
          options.staleMaxPerDigest,
        );
        items = capped.items;
        held = capped.held;
      }
      const chunks = renderDigest(items, {
        date: nextDate,
        limit: textLimit(deps, channel),
        catchUpSince: catchUpSince(chat?.lastRunOn ?? null, day, options),
        staleDays: options.staleDays,
        staleHeld: held,
      });
      return { chat, subscriptions, next, nextDate, items, chunks };
    },
  };
}
