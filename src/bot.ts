// The bot without its channels: the features over the store and the knowledge,
// plugged into the dialogue core, in numbered steps. main.ts builds one and
// puts channels in front of it; the CLI and the tests build one the same way.
import type { Config } from "./config.js";
import { createDialogue, type Dialogue } from "./core/dialogue.js";
import type { Job } from "./core/feature.js";
import { createNotifier } from "./core/notify.js";
import type { ChannelName, Outbox } from "./core/types.js";
import { createAskFeature, type AskService } from "./features/ask/index.js";
import { createDashboard, createDashboardFeature, type Dashboard } from "./features/dashboard/index.js";
import type { Feature } from "./features/feature.js";
import { createPeople, createPeopleFeature, type People } from "./features/people/index.js";
import { createProgressFeature } from "./features/progress/index.js";
import { createReminders, createRemindersFeature, type Reminders, type CreateRemindersInput } from "./features/reminders/index.js";
import { createFormEngine } from "./forms/index.js";
import type { KnowledgeIndex } from "./knowledge/knowledge-index.js";
import type { Logger } from "./log.js";
import type { Store } from "./store/index.js";

export interface BotDeps {
  config: Config;
  log: Logger;
  store: Store;
  knowledge: KnowledgeIndex;
  ask: AskService;
  clock?: () => Date;
  /** The running channels' outboxes, filled in as the channels start: notices and reminders go out through them. */
  outboxes?: Partial<Record<ChannelName, Outbox>>;
  /** Reminder settings for tests and benchmarks (timer, pacing, run ids). */
  reminders?: Pick<CreateRemindersInput, "timer" | "options" | "runIdPrefix">;
  /** More features after the built-in ones (tests and experiments). */
  extra?: Feature[];
}

export interface Bot {
  readonly dialogue: Dialogue;
  readonly people: People;
  readonly reminders: Reminders;
  /** The progress dashboard: main mounts its HTTP handler under /bangdieukhien. */
  readonly dashboard: Dashboard;
  readonly features: readonly Feature[];
  /** What runs beside the dialogue (the reminder scheduler); main starts them once a channel runs. */
  readonly jobs: readonly Job[];
  readonly outboxes: Partial<Record<ChannelName, Outbox>>;
}

/** Start-up housekeeping: the store mirrors the plans' tasks; idle forms, old update keys, stale counters, answered updates and old conversation contexts go. */
export function prepareStore(store: Store, knowledge: KnowledgeIndex, now: Date): void {
  store.tasks.syncTasks(knowledge.tasks, now, knowledge.version);
  store.sessions.deleteIdle(new Date(now.getTime() - 7 * 86_400_000));
  store.seen.prune(new Date(now.getTime() - 30 * 86_400_000));
  store.limits.prune(new Date(now.getTime() - 7 * 86_400_000)); // never a lockout still running
  // A platform redelivers within hours (Telegram keeps an update 24 h): a week of ids recognises every repeat.
  store.inbox.prune(new Date(now.getTime() - 7 * 86_400_000));
  // A follow-up leans on a question of the last half hour; a day of contexts is plenty.
  store.askContext.prune(new Date(now.getTime() - 86_400_000));
}

export function createBot(deps: BotDeps): Bot {
  const { config, log, store, knowledge, ask } = deps;
  const clock = deps.clock ?? (() => new Date());
  const outboxes = deps.outboxes ?? {};

  // 1. People: who is who, registration and approval.
  const people = createPeople({ store, config, knowledge });

  // 2. Progress: status updates and views; keywords are searched through the ask feature.
  const findRecordIds = async (query: string, now: Date, limit: number) => {
    const a = await ask.ask(query, { now, limit });
    return [...a.ids, ...(a.choices ?? []).map((c) => c.value)];
  };

  // 3. Reminders: the service the group commands, the scheduler and the CLI share.
  const reminders = createReminders({
    store,
    knowledge,
    outboxes,
    config,
    clock,
    log,
    canManage: (turn, followed) => people.mayManageGroup(turn, followed),
    ...deps.reminders,
  });

  // 4. The dashboard: sign-in links for /bangdieukhien, and the web pages main serves.
  const dashboard = createDashboard({ store, knowledge, people, config, clock, log });

  // 5. The features, in the order /huongdan lists their commands.
  const features: Feature[] = [
    createAskFeature(ask),
    createProgressFeature({ store, knowledge, config, people, findRecordIds }),
    createPeopleFeature({ store, config, knowledge, people }),
    createRemindersFeature(reminders, log),
    createDashboardFeature(dashboard, { people, config }),
    ...(deps.extra ?? []),
  ];

  // 6. The form engine over every feature's forms, and the core over every feature's commands.
  const forms = createFormEngine({ store, forms: features.flatMap((f) => f.forms ?? []) });
  const dialogue = createDialogue({
    commands: features.flatMap((f) => f.commands),
    forms,
    seen: store.seen,
    log,
    clock,
    notify: createNotifier(outboxes, log),
    onTurn: (turn, now) => store.chats.upsert({ channel: turn.channel, chatId: turn.chatId, type: turn.chatType, now }),
  });

  return { dialogue, people, reminders, dashboard, features, jobs: features.flatMap((f) => f.jobs ?? []), outboxes };
}
