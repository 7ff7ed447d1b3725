// The other side of bench/channels.ts, in a child process so it does not share
// the bot's event loop: the fake Bot API servers, and the load generator that
// POSTs webhook updates. It measures from the first POST until the fake API
// has received an answer for every update.
import { Agent, request } from "node:http";
import { startFakeTelegram } from "../src/fakes/telegram-api.js";
import { makeZaloTextUpdate, startFakeZalo } from "../src/fakes/zalo-api.js";

export const TELEGRAM_TOKEN = "100200:BENCH-telegram-token-abcdefghij";
export const ZALO_TOKEN = "200300:BENCH-zalo-secret-abcdefghij";
export const SECRET = "bench_webhook_secret";

export type LoadRequest = { channel: "telegram" | "zalo"; url: string; count: number; chats: number; concurrency: number; questions: string[] };
export type LoadReply = { ms: number; maxPerSecond: number; answered: number };

const telegram = await startFakeTelegram({ token: TELEGRAM_TOKEN, allowHttpWebhook: true });
const zalo = await startFakeZalo({ token: ZALO_TOKEN, allowHttpWebhook: true });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: unknown, headers: Record<string, string>): Promise<void> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data), ...headers } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`webhook answered ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(data);
  });
}

async function run(r: LoadRequest): Promise<LoadReply> {
  const answered = () =>
    r.channel === "telegram" ? telegram.sent.length : zalo.sent.reduce((n, c) => n + (c.method === "sendMessage" ? 1 : 0), 0);
  const base = answered();
  const stamps: number[] = [];
  let seen = 0;
  const sample = setInterval(() => {
    const n = answered() - base;
    for (; seen < n; seen++) stamps.push(performance.now());
  }, 1);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: r.concurrency }, async () => {
      while (next < r.count) {
        const i = next++;
        const text = r.questions[i % r.questions.length]!;
        if (r.channel === "telegram") {
          const chat = 10_000 + (i % r.chats);
          const update = { ...telegram.makeTextUpdate({ chatId: chat, userId: chat, text }), update_id: 1_000_000 + i + Math.floor(started) };
          await post(r.url, update, { "x-telegram-bot-api-secret-token": SECRET });
        } else {
          const chat = `zc${i % r.chats}`;
          const update = makeZaloTextUpdate({ chatId: chat, userId: chat, text, messageId: `b${Math.floor(started)}-${i}` });
          await post(r.url, update, { "x-bot-api-secret-token": SECRET });
        }
      }
    }),
  );
  while (answered() - base < r.count) {
    if (performance.now() - started > 120_000) throw new Error(`only ${answered() - base} of ${r.count} answers arrived in 120 s`);
    await new Promise((res) => setTimeout(res, 1));
  }
  const ms = performance.now() - started;
  clearInterval(sample);
  for (let n = answered() - base; seen < n; seen++) stamps.push(performance.now());
  // The most answers that arrived within any one second.
  let maxPerSecond = 0;
  for (let i = 0, j = 0; j < stamps.length; j++) {
    while (stamps[j]! - stamps[i]! >= 1000) i++;
    maxPerSecond = Math.max(maxPerSecond, j - i + 1);
  }
  return { ms, maxPerSecond, answered: answered() - base };
}

process.send!({ ready: true, telegramApiRoot: telegram.apiRoot, zaloApiRoot: zalo.apiRoot });
process.on("message", (msg: LoadRequest | { stop: true }) => {
  if ("stop" in msg) {
    void Promise.all([telegram.close(), zalo.close()]).then(() => process.exit(0));
    return;
  }
  run(msg).then(
    (reply) => process.send!(reply),
    (err: unknown) => process.send!({ error: String(err) }),
  );
});
