// The one start-up file. `npm start` runs every channel that has a token (and
// the console chat when none has); `npm run chat` (--console) runs only the
// console chat. Steps are numbered; each says what it needs and what it gives.
// A stop (SIGTERM, SIGINT, the npm parent gone, the console closed) can come at
// any step: it is handled once, and the process exits within 10 s whatever it waits for.
import { prepareStore, createBot } from "./bot.js";
import { sleep } from "./channels/chat-queue.js";
import { startConsoleChat, type ConsoleChat } from "./channels/console.js";
import { createHttpServer, telegramWebhook, zaloWebhook, type HttpServer } from "./channels/http-server.js";
import { TokenRefusedError } from "./channels/runtime.js";
import { createTelegramAdapter, type TelegramAdapter } from "./channels/telegram.js";
import { createZaloAdapter, type ZaloAdapter } from "./channels/zalo/adapter.js";
import { ZaloClient } from "./channels/zalo/client.js";
import { launchedByNpm, listenHost, loadConfigOrExplain, webhookSecret, type WebhookChannel } from "./config.js";
import type { Job } from "./core/feature.js";
import { createAskService, storedConversations } from "./features/ask/index.js";
import { statusReader } from "./features/progress/index.js";
import { DASHBOARD_PREFIX } from "./features/dashboard/index.js";
import { loadKnowledge } from "./knowledge/load.js";
import { createLogger, type Logger } from "./log.js";
import { openStore, storePath, type Store } from "./store/index.js";

/** A stop finishes within this, or the process exits anyway saying what it waited for. */
const STOP_DEADLINE_MS = 10_000;
/** Of that, how long the channels may take to finish the updates being answered (the rest wait in the inbox). */
const CHANNEL_STOP_MS = 7_000;

type ChannelName = "telegram" | "zalo";
type ChannelState = "off" | "starting" | "polling" | "webhook" | "token-refused" | "unreachable" | "stopped";

const PLATFORM: Record<ChannelName, { title: string; token: string; root: string; where: string }> = {
  telegram: { title: "Telegram", token: "TELEGRAM_BOT_TOKEN", root: "TELEGRAM_API_ROOT", where: "copy it again from @BotFather" },
  zalo: { title: "Zalo", token: "ZALO_BOT_TOKEN", root: "ZALO_API_ROOT", where: "copy it again from the Zalo Bot Platform" },
};

interface Running {
  telegram?: TelegramAdapter;
  zalo?: ZaloAdapter;
  http?: HttpServer;
  chat?: ConsoleChat;
  jobs: ReturnType<Job["start"]>[];
  store?: Store;
  /** What the shutdown waits for right now, for the line printed if it cannot finish in time. */
  waitingFor: Set<string>;
}

async function main(argv: string[]): Promise<number> {
  const consoleOnly = argv.includes("--console");

  // 1. Configuration: validated once; a bad value stops here with a sentence naming it.
  const config = loadConfigOrExplain();
  if (!config) return 1;
  const wantsChannels = !consoleOnly && Boolean(config.TELEGRAM_BOT_TOKEN || config.ZALO_BOT_TOKEN);
  // In the terminal chat, logs would interleave with the conversation: warnings only (unless debugging).
  const log: Logger = createLogger({
    level: !wantsChannels && config.LOG_LEVEL !== "debug" ? "warn" : config.LOG_LEVEL,
    format: process.stdout.isTTY ? "plain" : "json",
    secrets: [
      config.TELEGRAM_BOT_TOKEN,
      config.ZALO_BOT_TOKEN,
      config.WEBHOOK_SECRET,
      webhookSecret(config, "telegram"),
      webhookSecret(config, "zalo"),
      config.LLM_API_KEY,
      config.EMBEDDINGS_API_KEY,
    ],
    ...(wantsChannels ? {} : { write: (line: string) => process.stderr.write(line + "\n") }),
  });
  const running: Running = { jobs: [], waitingFor: new Set() };

  // 2. Stopping, before anything that may take long: SIGTERM and SIGINT (once, however many
  //    arrive: npm relays what the process group already got), and the npm parent gone.
  const stop = createStopper(running, log);
  process.on("SIGTERM", () => stop.request("SIGTERM"));
  process.on("SIGINT", () => stop.request("SIGINT"));
  if (launchedByNpm()) watchParent(() => stop.request("parent exited"));

  // 3. Knowledge: ingested from KNOWLEDGE_DIR into DATA_DIR when missing or stale.
  // 4. Store: users, status updates, forms, reminders' ledger, the channels' inbox; it mirrors the plans' tasks.
  //    A DATA_DIR the bot cannot write stops here in one sentence.
  let knowledge: Awaited<ReturnType<typeof loadKnowledge>>;
  let store: Store;
  try {
    knowledge = await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR });
    log.info("knowledge loaded", { plans: knowledge.plans.length, tasks: knowledge.tasks.length, indicators: knowledge.indicators.length });
    store = openStore(storePath(config.DATA_DIR));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EROFS" && code !== "EPERM" && code !== "ENOTDIR" && code !== "SQLITE_CANTOPEN" && code !== "SQLITE_READONLY") throw err;
    console.error(`Invalid configuration — DATA_DIR: the bot cannot write to "${config.DATA_DIR}" (${code}); set DATA_DIR to a folder it may write. See .env.example.`);
    return 1;
  }
  running.store = store;
  prepareStore(store, knowledge, new Date());
  // Answered updates older than a week go, also while the bot runs for months.
  setInterval(() => store.inbox.prune(new Date(Date.now() - 7 * 86_400_000)), 6 * 3_600_000).unref();

  // 5. Ask: retrieval over the knowledge (an LLM only if configured); a task reported
  //    "hoàn thành" is not listed as overdue.
  const status = statusReader(store);
  const ask = await createAskService(knowledge, config, { completedTasks: status.completed, progress: status, conversations: storedConversations(store.askContext) });

  // 6. The bot: every feature plugged into the dialogue core. Channels add their outboxes below.
  const bot = createBot({ config, log, store, knowledge, ask });
  const { dialogue, outboxes } = bot;
  // Each platform gets its own webhook secret (configured, or derived from WEBHOOK_SECRET).
  const webhook = (channel: WebhookChannel) => {
    const secret = webhookSecret(config, channel);
    return config.PUBLIC_URL && secret ? { url: `${config.PUBLIC_URL.replace(/\/+$/, "")}/${channel}/webhook`, secret } : undefined;
  };
  const state: Record<ChannelName, ChannelState> = { telegram: "off", zalo: "off" };

  // 7. Telegram, when TELEGRAM_BOT_TOKEN is set; its updates wait in the store's inbox.
  if (wantsChannels && config.TELEGRAM_BOT_TOKEN) {
    running.telegram = createTelegramAdapter({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      dialogue,
      commands: dialogue.commands,
      log,
      inbox: store.inbox,
      webhook: webhook("telegram"),
    });
    outboxes.telegram = running.telegram;
  } else if (!consoleOnly) {
    log.info("Telegram skipped: TELEGRAM_BOT_TOKEN is not set");
  }

  // 8. Zalo, when ZALO_BOT_TOKEN is set.
  if (wantsChannels && config.ZALO_BOT_TOKEN) {
    const client = new ZaloClient({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT });
    running.zalo = createZaloAdapter({ client, dialogue, log, inbox: store.inbox, botName: config.ZALO_BOT_NAME, webhook: webhook("zalo") });
    outboxes.zalo = running.zalo;
  } else if (!consoleOnly) {
    log.info("Zalo skipped: ZALO_BOT_TOKEN is not set");
  }

  // 9. One HTTP server, only when a channel runs: both webhooks, GET /healthz (503 while no
  //    channel is up) and the dashboard. The console chat needs no port.
  const needsHttp = wantsChannels;
  if (needsHttp) {
    const started = Date.now();
    const { telegram, zalo } = running;
    running.http = createHttpServer({
      telegram: telegram?.mode === "webhook" ? telegramWebhook(telegram, webhook("telegram")!.secret, log) : undefined,
      zalo: zalo?.mode === "webhook" ? zaloWebhook(zalo, webhook("zalo")!.secret, log) : undefined,
      mounts: [{ prefix: DASHBOARD_PREFIX, handler: bot.dashboard.handler }],
      health: () => ({
        ok: state.telegram === "polling" || state.telegram === "webhook" || state.zalo === "polling" || state.zalo === "webhook",
        telegram: state.telegram,
        zalo: state.zalo,
        waiting: store.inbox.openCounts(),
        tasks: knowledge.tasks.length,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      }),
      log,
    });
    // 127.0.0.1 unless webhooks must be reached from outside (PUBLIC_URL) or HOST says otherwise.
    const host = listenHost(config);
    let port: number;
    try {
      port = await running.http.listen(config.PORT, host);
    } catch (err) {
      log.error(`the HTTP server cannot listen on ${host} port ${config.PORT}; set PORT to a free port (or HOST)`, { err });
      await stop.now("the HTTP server could not listen", 1);
      return 1;
    }
    bot.dashboard.listening(port);
    log.info("http server listening", { host, port, paths: `/healthz /telegram/webhook /zalo/webhook ${DASHBOARD_PREFIX}/` });
  }

  // 10. Start the channels (polling, or webhooks now that the server listens), each on its own:
  //     a refused token stops that channel with a sentence naming the variable; an unreachable
  //     API is tried again. When every channel's token is refused the process stops (exit 1).
  //     The jobs (the reminder scheduler) start with the first channel up.
  const channels = (["telegram", "zalo"] as const).flatMap((name) => {
    const adapter = running[name];
    return adapter ? [{ name, adapter }] : [];
  });
  let refused = 0;
  const firstUp = () => {
    if (running.jobs.length === 0 && !stop.requested) running.jobs = bot.jobs.map((j) => j.start());
  };
  for (const { name, adapter } of channels) {
    void keepStarted(name, adapter, state, log, stop.signal).then((outcome) => {
      if (outcome === "up") firstUp();
      if (outcome === "refused" && ++refused === channels.length) {
        log.error("no channel can start: every configured token was refused; stopping");
        void stop.now("every token was refused", 1);
      }
    });
  }

  // 11. The console chat when no channel runs (or with --console).
  if (!wantsChannels) {
    if (!consoleOnly) {
      process.stdout.write(
        [
          "Chưa cấu hình kênh nào, nên mở trò chuyện trên máy.",
          "Để kết nối Telegram: đặt TELEGRAM_BOT_TOKEN (lấy từ @BotFather) trong .env.",
          "Để kết nối Zalo: đặt ZALO_BOT_TOKEN (từ Zalo Bot Platform) trong .env.",
          "Webhook: đặt thêm PUBLIC_URL và WEBHOOK_SECRET. Xem .env.example.",
          "",
        ].join("\n"),
      );
    }
    running.chat = startConsoleChat({ dialogue, inbox: store.inbox, log });
    outboxes.console = running.chat;
    void running.chat.closed.then(() => stop.request("the console chat ended"));
  }
  return 0;
}

/**
 * Start one channel and keep trying while its API cannot be reached. Resolves with the first
 * outcome ("up", "refused", or "stopped"); later retries go on in the background.
 */
function keepStarted(
  name: ChannelName,
  adapter: TelegramAdapter | ZaloAdapter,
  state: Record<ChannelName, ChannelState>,
  log: Logger,
  stopped: AbortSignal,
): Promise<"up" | "refused" | "stopped"> {
  const p = PLATFORM[name];
  return (async () => {
    for (let attempt = 0; !stopped.aborted; attempt++) {
      state[name] = "starting";
      try {
        await adapter.start();
        state[name] = adapter.mode;
        return "up";
      } catch (err) {
        if (stopped.aborted) break;
        if (err instanceof TokenRefusedError) {
          state[name] = "token-refused";
          log.error(`${p.token} was refused by ${p.title} (${err.code} ${err.description}); ${p.where}; the ${p.title} channel is stopped`);
          return "refused";
        }
        state[name] = "unreachable";
        const waitMs = Math.min(5000 * 2 ** attempt, 60_000);
        log.error(`${p.title} could not start; trying again in ${waitMs / 1000} s (check ${p.root} and the network)`, { err });
        await sleep(waitMs, stopped);
      }
    }
    state[name] = "stopped";
    return "stopped";
  })();
}

/** When the parent (npm) is gone — killed without passing the signal on — stop as on SIGTERM. */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 500).unref();
}

/** The one stop: requested any number of times, run once, bounded by STOP_DEADLINE_MS. */
function createStopper(r: Running, log: Logger) {
  const controller = new AbortController();
  let done: Promise<void> | undefined;

  function now(reason: string, code: 0 | 1): Promise<void> {
    if (done) return done;
    controller.abort();
    log.info("shutting down", { signal: reason });
    const deadline = setTimeout(() => {
      const what = [...r.waitingFor].join("; ") || "nothing it can name";
      log.error(`shutdown did not finish within ${STOP_DEADLINE_MS / 1000} s; exiting anyway, still waiting for: ${what}`);
      process.exit(code);
    }, STOP_DEADLINE_MS);
    done = shutdown(r, log).then(
      () => {
        clearTimeout(deadline);
        process.exit(code);
      },
      (err: unknown) => {
        log.error("shutdown failed", { err });
        process.exit(1);
      },
    );
    return done;
  }

  return {
    signal: controller.signal,
    get requested() {
      return controller.signal.aborted;
    },
    now,
    request(reason: string) {
      if (done) {
        log.info("already shutting down; this request changes nothing", { signal: reason });
        return;
      }
      void now(reason, 0);
    },
  };
}

async function shutdown(r: Running, log: Logger): Promise<void> {
  const step = async (what: string, fn: () => Promise<unknown> | unknown) => {
    r.waitingFor.add(what);
    try {
      await fn();
    } finally {
      r.waitingFor.delete(what);
    }
  };
  r.chat?.close();
  await step("the reminder jobs to stop", () => Promise.all(r.jobs.map((j) => j.stop())));
  // No new webhook updates, then stop polling and finish the updates being answered;
  // what is not finished in time waits in the inbox for the next start.
  await step("the HTTP server to close", () => r.http?.close());
  await Promise.all(
    (["telegram", "zalo"] as const).map(async (name) => {
      const adapter = r[name];
      if (!adapter) return;
      const label = () => {
        const { running, waiting } = adapter.load;
        return `${name} (${running} update(s) being answered, ${waiting} waiting in the inbox)`;
      };
      const what = label();
      r.waitingFor.add(what);
      const refresh = setInterval(() => {
        r.waitingFor.delete([...r.waitingFor].find((w) => w.startsWith(`${name} (`)) ?? "");
        r.waitingFor.add(label());
      }, 250);
      try {
        const { unfinished } = await adapter.stop(CHANNEL_STOP_MS);
        if (unfinished.length > 0) log.warn(`${name}: updates still being answered are left for the next start`, { chats: unfinished.length });
      } catch (err) {
        log.error("channel stop failed", { err, channel: name });
      } finally {
        clearInterval(refresh);
        r.waitingFor.delete([...r.waitingFor].find((w) => w.startsWith(`${name} (`)) ?? "");
      }
    }),
  );
  await step("the store to close", () => r.store?.close());
  log.info("stopped");
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    console.error("Start-up failed:", err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  },
);
