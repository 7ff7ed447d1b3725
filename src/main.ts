// The one start-up file. `npm start` runs every channel that has a token (and
// the console chat when none has); `npm run chat` (--console) runs only the
// console chat. Steps are numbered; each says what it needs and what it gives.
import { prepareStore, createBot } from "./bot.js";
import { startConsoleChat, type ConsoleChat } from "./channels/console.js";
import { createHttpServer, telegramWebhook, zaloWebhook, type HttpServer } from "./channels/http-server.js";
import { createTelegramAdapter, type TelegramAdapter } from "./channels/telegram.js";
import { createZaloAdapter, type ZaloAdapter } from "./channels/zalo/adapter.js";
import { ZaloClient } from "./channels/zalo/client.js";
import { listenHost, loadConfigOrExplain, webhookSecret, type WebhookChannel } from "./config.js";
import type { Job } from "./core/feature.js";
import { createAskService } from "./features/ask/index.js";
import { DASHBOARD_PREFIX } from "./features/dashboard/index.js";
import { loadKnowledge } from "./knowledge/load.js";
import { createLogger, type Logger } from "./log.js";
import { openStore, storePath, type Store } from "./store/index.js";

interface Running {
  telegram?: TelegramAdapter;
  zalo?: ZaloAdapter;
  http?: HttpServer;
  chat?: ConsoleChat;
  jobs: ReturnType<Job["start"]>[];
  store?: Store;
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
  const running: Running = { jobs: [] };

  // 2. Knowledge: ingested from KNOWLEDGE_DIR into DATA_DIR when missing or stale.
  const knowledge = await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR });
  log.info("knowledge loaded", { plans: knowledge.plans.length, tasks: knowledge.tasks.length, indicators: knowledge.indicators.length });

  // 3. Store: users, status updates, forms, reminders' ledger; it mirrors the plans' tasks.
  const store = openStore(storePath(config.DATA_DIR));
  running.store = store;
  prepareStore(store, knowledge, new Date());

  // 4. Ask: retrieval over the knowledge (an LLM only if configured); a task reported
  //    "hoàn thành" is not listed as overdue.
  const ask = await createAskService(knowledge, config, { completedTasks: () => store.updates.completedTaskIds() });

  // 5. The bot: every feature plugged into the dialogue core. Channels add their outboxes below.
  const bot = createBot({ config, log, store, knowledge, ask });
  const { dialogue, outboxes } = bot;
  // Each platform gets its own webhook secret (configured, or derived from WEBHOOK_SECRET).
  const webhook = (channel: WebhookChannel) => {
    const secret = webhookSecret(config, channel);
    return config.PUBLIC_URL && secret ? { url: `${config.PUBLIC_URL.replace(/\/+$/, "")}/${channel}/webhook`, secret } : undefined;
  };

  // 6. Telegram, when TELEGRAM_BOT_TOKEN is set.
  if (wantsChannels && config.TELEGRAM_BOT_TOKEN) {
    running.telegram = createTelegramAdapter({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      dialogue,
      commands: dialogue.commands,
      log,
      webhook: webhook("telegram"),
    });
    outboxes.telegram = running.telegram;
  } else if (!consoleOnly) {
    log.info("Telegram skipped: TELEGRAM_BOT_TOKEN is not set");
  }

  // 7. Zalo, when ZALO_BOT_TOKEN is set.
  if (wantsChannels && config.ZALO_BOT_TOKEN) {
    const client = new ZaloClient({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_API_ROOT });
    running.zalo = createZaloAdapter({ client, dialogue, log, webhook: webhook("zalo") });
    outboxes.zalo = running.zalo;
  } else if (!consoleOnly) {
    log.info("Zalo skipped: ZALO_BOT_TOKEN is not set");
  }

  // 8. One HTTP server: both webhooks, GET /healthz and the dashboard (not in the console-only chat).
  if (!consoleOnly) {
    const started = Date.now();
    const { telegram, zalo } = running;
    running.http = createHttpServer({
      telegram: telegram?.mode === "webhook" ? telegramWebhook(telegram, webhook("telegram")!.secret, log) : undefined,
      zalo: zalo?.mode === "webhook" ? zaloWebhook(zalo, webhook("zalo")!.secret, log) : undefined,
      mounts: [{ prefix: DASHBOARD_PREFIX, handler: bot.dashboard.handler }],
      health: () => ({
        telegram: telegram?.mode ?? "off",
        zalo: zalo?.mode ?? "off",
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
      await shutdown(running, log);
      return 1;
    }
    bot.dashboard.listening(port);
    log.info("http server listening", { host, port, paths: `/healthz /telegram/webhook /zalo/webhook ${DASHBOARD_PREFIX}/` });
  }

  // 9. Start the channels (polling, or webhooks now that the server listens).
  let failures = 0;
  for (const [name, adapter] of [["telegram", running.telegram], ["zalo", running.zalo]] as const) {
    if (!adapter) continue;
    try {
      await adapter.start();
    } catch (err) {
      failures++;
      log.error(`${name} could not start; check its token and API root`, { err });
    }
  }
  const configured = Number(Boolean(running.telegram)) + Number(Boolean(running.zalo));
  if (configured > 0 && failures === configured) {
    log.error("no channel could start; stopping");
    await shutdown(running, log);
    return 1;
  }

  // 10. Jobs (the reminder scheduler), pushing through the channels' outboxes.
  if (configured > 0) running.jobs = bot.jobs.map((j) => j.start());

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
    running.chat = startConsoleChat({ dialogue });
    outboxes.console = running.chat;
    void running.chat.closed.then(async () => {
      await shutdown(running, log);
      process.exit(0);
    });
  }

  // 12. Graceful shutdown: stop polling, finish updates in flight, close the store.
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      log.warn("second signal: exiting now", { signal });
      process.exit(1);
    }
    stopping = true;
    log.info("shutting down", { signal });
    void shutdown(running, log).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error("shutdown failed", { err });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  return 0;
}

let shutDown: Promise<void> | undefined;

function shutdown(r: Running, log: Logger): Promise<void> {
  shutDown ??= (async () => {
    r.chat?.close();
    await Promise.all(r.jobs.map((j) => j.stop()));
    // No new webhook updates, then stop polling and let every update in flight finish.
    await r.http?.close();
    await Promise.all([r.telegram?.stop(), r.zalo?.stop()].map((p) => p?.catch((err: unknown) => log.error("channel stop failed", { err }))));
    r.store?.close();
    log.info("stopped");
  })();
  return shutDown;
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
