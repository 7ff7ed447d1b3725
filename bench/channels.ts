// Updates per second through webhook → inbox → dialogue core → fake Bot API, on loopback.
//   npx tsx bench/channels.ts [--json] [--count 2000]
// Each channel runs twice over a file store: with the inbox in memory (nothing
// durable: the figure before the inbox) and with the store's inbox (every update
// written before its 200, then begun, answered and finished); the difference is
// what the inbox costs per update. A last figure times the inbox's own writes alone.
// The bot (HTTP server, adapters, dialogue core, real ask service over knowledge/)
// runs in this process; the fake Bot API servers and the load generator run in a
// child process (bench/channels-load.ts) so they do not share the bot's event loop.
// Each update is a real question from one of 200 private chats, POSTed with the
// webhook secret; it counts when its answer reached the fake API. Sends are
// unpaced in the main runs (the figure is what the code carries); a short
// Telegram run keeps the production throttler on to show the ~30 messages/s cap.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createAskService } from "../src/features/ask/service.js";
import { createHttpServer, telegramWebhook, zaloWebhook, type Handler } from "../src/channels/http-server.js";
import { createTelegramAdapter } from "../src/channels/telegram.js";
import { createZaloAdapter } from "../src/channels/zalo/adapter.js";
import { ZaloClient } from "../src/channels/zalo/client.js";
import { createMemoryInbox, encodeReply } from "../src/channels/runtime.js";
import { createBot } from "../src/bot.js";
import { loadConfig } from "../src/config.js";
import type { Dialogue } from "../src/core/dialogue.js";
import type { AskService } from "../src/features/ask/index.js";
import { openStore, type Store } from "../src/store/index.js";
import type { KnowledgeIndex } from "../src/knowledge/knowledge-index.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import { silentLogger } from "../src/log.js";
import type { LoadReply, LoadRequest } from "./channels-load.js";

const SECRET = "bench_webhook_secret";
const TELEGRAM_TOKEN = "100200:BENCH-telegram-token-abcdefghij";
const ZALO_TOKEN = "200300:BENCH-zalo-secret-abcdefghij";
const CHATS = 200;
const CONCURRENCY = 32;

interface World {
  knowledge: KnowledgeIndex;
  ask: AskService;
  questions: string[];
}

/** The whole bot over a store, as main.ts builds it. */
function dialogueOf(w: World, store: Store): Dialogue {
  return createBot({ config: loadConfig({}), log: silentLogger(), store, knowledge: w.knowledge, ask: w.ask }).dialogue;
}

let stores = 0;
/** A fresh file store in the bench's data directory (WAL, synchronous=FULL, as the bot runs). */
const fileStore = (dataDir: string): Store => openStore(join(dataDir, `bench-${++stores}.db`));

/** The inbox's own writes for one answered update (add, begin, answer, finish), on a file store: µs each. */
function inboxWritesMicros(dataDir: string, n = 2000): number {
  const store = fileStore(dataDir);
  try {
    const payload = JSON.stringify({ update_id: 1, message: { message_id: 1, chat: { id: 1, type: "private" }, text: "Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?" } });
    const reply = encodeReply([{ text: "Chủ trì: Sở Khoa học và Công nghệ …".repeat(8) }]);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const [row] = store.inbox.add([{ channel: "telegram", chatId: String(i % 200), updateId: String(i), messageId: String(i), payload }]);
      store.inbox.begin(row!.id);
      store.inbox.answer(row!.id, reply);
      store.inbox.finish(row!.id, { outcome: "delivered", sent: 1 });
    }
    return ((performance.now() - t0) / n) * 1000;
  } finally {
    store.close();
  }
}

/** Questions officials ask: who leads a task, an agency's tasks, deadlines. */
function questionsOf(k: KnowledgeIndex): string[] {
  const ids = k.tasks.slice(0, 40).map((t) => t.id);
  return [
    ...ids.map((id) => `Nhiệm vụ ${id} do cơ quan nào chủ trì?`),
    ...ids.slice(0, 10).map((id) => `${id} hạn khi nào`),
    "Sở KH&CN chủ trì những nhiệm vụ nào?",
    "Nhiệm vụ nào đến hạn tháng 6/2026?",
    "so tai chinh phoi hop nhiem vu gi",
  ];
}

class Load {
  private constructor(
    private readonly child: ChildProcess,
    readonly telegramApiRoot: string,
    readonly zaloApiRoot: string,
  ) {}
  static start(): Promise<Load> {
    const path = fileURLToPath(new URL("./channels-load.ts", import.meta.url));
    const child = fork(path, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("message", (m: { telegramApiRoot: string; zaloApiRoot: string }) => resolve(new Load(child, m.telegramApiRoot, m.zaloApiRoot)));
    });
  }
  run(r: LoadRequest): Promise<LoadReply> {
    return new Promise((resolve, reject) => {
      this.child.once("message", (m: LoadReply | { error: string }) => ("error" in m ? reject(new Error(m.error)) : resolve(m)));
      this.child.send(r);
    });
  }
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.send({ stop: true });
    });
  }
}

/** Start the bot side for one channel, let the load run, and stop it. */
async function measure(w: World, load: Load, channel: "telegram" | "zalo", count: number, throttle: boolean, durable: boolean, dataDir: string): Promise<LoadReply> {
  let handler: Handler = () => undefined;
  const http = createHttpServer(channel === "telegram" ? { telegram: (q, s) => handler(q, s) } : { zalo: (q, s) => handler(q, s) });
  const port = await http.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}/${channel}/webhook`;
  const log = silentLogger();
  const store = fileStore(dataDir);
  const dialogue = dialogueOf(w, store);
  const inbox = durable ? store.inbox : createMemoryInbox();
  const adapter =
    channel === "telegram"
      ? createTelegramAdapter({ token: TELEGRAM_TOKEN, apiRoot: load.telegramApiRoot, dialogue, commands: dialogue.commands, log, throttle, inbox, webhook: { url, secret: SECRET } })
      : createZaloAdapter({
          client: new ZaloClient({ token: ZALO_TOKEN, apiRoot: load.zaloApiRoot }),
          dialogue,
          log,
          perChatGapMs: 0,
          typing: false,
          inbox,
          webhook: { url, secret: SECRET },
        });
  await adapter.start();
  handler = adapter.mode === "webhook" && "bot" in adapter ? telegramWebhook(adapter, SECRET) : zaloWebhook(adapter as ReturnType<typeof createZaloAdapter>, SECRET);
  try {
    return await load.run({ channel, url, count, chats: CHATS, concurrency: CONCURRENCY, questions: w.questions });
  } finally {
    await adapter.stop();
    await http.close();
    store.close();
  }
}

export async function benchChannels(opts: { count?: number } = {}): Promise<Record<string, number>> {
  const count = opts.count ?? 2000;
  const dataDir = await mkdtemp(join(tmpdir(), "bench-channels-"));
  const load = await Load.start();
  try {
    const config = loadConfig({ DATA_DIR: dataDir });
    const knowledge = await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir });
    const ask = await createAskService(knowledge, config);
    const w: World = { knowledge, ask, questions: questionsOf(knowledge) };
    // Every answer must fit one Zalo message, or "messages received" would overcount updates.
    for (const q of w.questions) {
      if ((await ask.ask(q)).answer.length > 2000) throw new Error(`the bench question "${q}" has an answer over 2,000 characters`);
    }
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) await ask.ask(w.questions[i % w.questions.length]!);
    const askOnly = (1000 / (performance.now() - t0)) * 1000;

    await measure(w, load, "telegram", 200, false, true, dataDir); // warm-up
    const telegramMemory = await measure(w, load, "telegram", count, false, false, dataDir);
    const telegram = await measure(w, load, "telegram", count, false, true, dataDir);
    const zaloMemory = await measure(w, load, "zalo", count, false, false, dataDir);
    const zalo = await measure(w, load, "zalo", count, false, true, dataDir);
    const throttled = await measure(w, load, "telegram", 150, true, true, dataDir);
    const perS = (r: LoadReply) => (count / r.ms) * 1000;
    /** What the inbox adds to each update, from the two throughputs (the writes run on the event loop). */
    const costMs = (before: LoadReply, after: LoadReply) => Math.round((after.ms - before.ms) / count * 1000) / 1000;
    return {
      updates: count,
      chats: CHATS,
      ask_only_per_s: Math.round(askOnly),
      telegram_webhook_updates_per_s_inbox_in_memory: Math.round(perS(telegramMemory)),
      telegram_webhook_updates_per_s: Math.round(perS(telegram)),
      telegram_inbox_ms_per_update: costMs(telegramMemory, telegram),
      zalo_webhook_updates_per_s_inbox_in_memory: Math.round(perS(zaloMemory)),
      zalo_webhook_updates_per_s: Math.round(perS(zalo)),
      zalo_inbox_ms_per_update: costMs(zaloMemory, zalo),
      inbox_writes_us_per_update: Math.round(inboxWritesMicros(dataDir)),
      telegram_throttled_max_msgs_in_1s: throttled.maxPerSecond,
      telegram_throttled_msgs_per_s: Math.round((150 / throttled.ms) * 10000) / 10,
    };
  } finally {
    await load.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const countArg = args.indexOf("--count");
  const figures = await benchChannels(countArg >= 0 ? { count: Number(args[countArg + 1]) } : {});
  if (args.includes("--json")) console.log(JSON.stringify(figures, null, 2));
  else {
    console.log("channels: webhook → core → fake Bot API on 127.0.0.1 (fakes and load in a child process)");
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(36)} ${v.toLocaleString("en-US")}`);
  }
}
