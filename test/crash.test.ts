// Rule protected: an update the bot acknowledged is answered, whatever happens
// to the process. Hundreds of questions from as many chats reach the bot (POSTed
// to both webhooks, each acknowledged with 200 — or fetched by long polling, each
// batch confirmed); the bot is killed with SIGKILL while it is still answering at
// the platforms' pace, started again on the same data, and every chat must get
// its answer through the fake Bot APIs: none lost (a repeat is allowed, rarely).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, webhookSecret, type WebhookChannel } from "../src/config.js";
import { startFakeTelegram, type FakeTelegram } from "../src/fakes/telegram-api.js";
import { makeZaloTextUpdate, startFakeZalo, type FakeZalo } from "../src/fakes/zalo-api.js";
import { openStore, storePath } from "../src/store/index.js";
import { cleanEnv, listeningPort, startMain, until, type BotProcess } from "./bot-process.js";

const TELEGRAM_TOKEN = "777101:CRASH-telegram-token-abcdefghijkl";
const ZALO_TOKEN = "777102:CRASH-zalo-secret-abcdefghijkl";
const SECRET = "crash_webhook_secret_1";
/** Each platform's own webhook secret, derived from WEBHOOK_SECRET as the bot derives it. */
const secretOf = (channel: WebhookChannel) => webhookSecret(loadConfig({ WEBHOOK_SECRET: SECRET }), channel)!;
const CHATS = Number(process.env.CRASH_CHATS ?? 300);
const TASKS = ["BN-7.22", "BN-1.1", "BN-2.3", "BN-3.5", "BN-4.2"];

const question = (i: number) => `Nhiệm vụ ${TASKS[i % TASKS.length]} do cơ quan nào chủ trì?`;
const tgChat = (i: number) => 20_000 + i;
const zaloChat = (i: number) => `z-crash-${i}`;

interface World {
  telegram: FakeTelegram;
  zalo: FakeZalo;
  dataDir: string;
}

function env(w: World, mode: "webhook" | "polling"): NodeJS.ProcessEnv {
  return cleanEnv(w.dataDir, {
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_API_ROOT: w.telegram.apiRoot,
    ZALO_BOT_TOKEN: ZALO_TOKEN,
    ZALO_API_ROOT: w.zalo.apiRoot,
    ...(mode === "webhook" ? { PUBLIC_URL: "https://bot.example.test", WEBHOOK_SECRET: SECRET } : {}),
  });
}

/** Chats of each channel that got at least one answer, and how many answers came twice or more. */
function answered(w: World) {
  const tg = new Map<string, number>();
  for (const m of w.telegram.sent) tg.set(String(m.chat_id), (tg.get(String(m.chat_id)) ?? 0) + 1);
  const zl = new Map<string, number>();
  for (const c of w.zalo.sent) if (c.method === "sendMessage") zl.set(String(c.body.chat_id), (zl.get(String(c.body.chat_id)) ?? 0) + 1);
  const repeats = { telegram: [...tg.values()].filter((n) => n > 1).length, zalo: [...zl.values()].filter((n) => n > 1).length };
  return { telegram: tg, zalo: zl, repeats };
}

/** Each chat's answer names the task it asked about. */
function expectRightAnswers(w: World) {
  for (let i = 0; i < CHATS; i++) {
    const tg = w.telegram.sent.find((m) => String(m.chat_id) === String(tgChat(i)));
    expect(String(tg?.text), `telegram chat ${tgChat(i)}`).toContain(TASKS[i % TASKS.length]!);
    const zl = w.zalo.sent.find((c) => c.method === "sendMessage" && c.body.chat_id === zaloChat(i));
    expect(String(zl?.body.text), `zalo chat ${zaloChat(i)}`).toContain(TASKS[i % TASKS.length]!);
  }
}

async function post(port: number, channel: WebhookChannel, header: string, body: unknown): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/${channel}/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", [header]: secretOf(channel) },
    body: JSON.stringify(body),
  });
  await r.text();
  return r.status;
}

/** Run `n` jobs, `width` at a time. */
async function pool(n: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await job(next++);
  }));
}

async function restartAndFinish(w: World, mode: "webhook" | "polling", killed: BotProcess, before: ReturnType<typeof answered>) {
  const how = await killed.exited;
  expect(how.signal).toBe("SIGKILL");
  // Killed while answering: some chats had no answer yet.
  expect(before.telegram.size, "telegram chats answered before the kill").toBeLessThan(CHATS);
  const second = startMain(env(w, mode));
  try {
    await until(
      () => {
        const a = answered(w);
        return a.telegram.size === CHATS && a.zalo.size === CHATS;
      },
      90_000,
      () => {
        const a = answered(w);
        return `every chat answered after the restart (telegram ${a.telegram.size}/${CHATS}, zalo ${a.zalo.size}/${CHATS}); the bot printed:\n${second.output().slice(-2000)}`;
      },
    );
    const after = answered(w);
    // The figures quoted in the notes.
    console.log(
      `crash (${mode}): ${CHATS}+${CHATS} updates acknowledged; answered before SIGKILL: telegram ${before.telegram.size}, zalo ${before.zalo.size}; ` +
        `after the restart: telegram ${after.telegram.size}, zalo ${after.zalo.size}; ` +
        `chats answered twice: telegram ${after.repeats.telegram}, zalo ${after.repeats.zalo}`,
    );
    expectRightAnswers(w);
    // At least once: a repeat only for a message on its way to the platform at the kill —
    // at most one per chat being answered then (64 chats at a time per channel).
    expect(after.repeats.telegram).toBeLessThanOrEqual(64);
    expect(after.repeats.zalo).toBeLessThanOrEqual(64);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  } finally {
    if (second.child.exitCode === null) second.child.kill("SIGKILL");
  }
  // Nothing is left waiting in the inbox.
  const store = openStore(storePath(w.dataDir));
  try {
    expect(store.inbox.openCounts()).toEqual({});
  } finally {
    store.close();
  }
}

describe("an acknowledged update survives SIGKILL", () => {
  let w: World;
  beforeAll(async () => {
    w = {
      telegram: await startFakeTelegram({ token: TELEGRAM_TOKEN, pollTimeoutMs: 300 }),
      zalo: await startFakeZalo({ token: ZALO_TOKEN, pollTimeoutMs: 300 }),
      dataDir: "",
    };
  });
  afterAll(async () => {
    await w.telegram.close();
    await w.zalo.close();
  });

  const fresh = async () => {
    if (w.dataDir) await rm(w.dataDir, { recursive: true, force: true });
    w.dataDir = await mkdtemp(join(tmpdir(), "kehoach-crash-"));
    w.telegram.sent.length = 0;
    w.zalo.sent.length = 0;
  };
  afterAll(async () => {
    if (w.dataDir) await rm(w.dataDir, { recursive: true, force: true });
  });

  it("webhooks: every update acknowledged with 200 is answered after a SIGKILL and a restart", async () => {
    await fresh();
    const first = startMain(env(w, "webhook"));
    try {
      await until(() => (first.output().match(/webhook set/g) ?? []).length >= 2, 60_000, () => `both webhooks set; the bot printed:\n${first.output()}`);
      const port = listeningPort(first.output())!;
      const statuses: number[] = [];
      await pool(CHATS, 16, async (i) => {
        const tg = w.telegram.makeTextUpdate({ chatId: tgChat(i), userId: tgChat(i), text: question(i) });
        statuses.push(await post(port, "telegram", "x-telegram-bot-api-secret-token", { ...tg, update_id: 1_000_000 + i }));
        const zl = makeZaloTextUpdate({ chatId: zaloChat(i), userId: zaloChat(i), userName: "Minh", text: question(i) });
        statuses.push(await post(port, "zalo", "x-bot-api-secret-token", zl));
      });
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      first.child.kill("SIGKILL");
      await restartAndFinish(w, "webhook", first, answered(w));
    } finally {
      if (first.child.exitCode === null) first.child.kill("SIGKILL");
    }
  }, 180_000);

  it("long polling: every update fetched (offset confirmed, or taken from Zalo) is answered after a SIGKILL and a restart", async () => {
    await fresh();
    for (let i = 0; i < CHATS; i++) {
      w.telegram.pushUpdate(w.telegram.makeTextUpdate({ chatId: tgChat(i), userId: tgChat(i), text: question(i) }));
      w.zalo.pushUpdate(makeZaloTextUpdate({ chatId: zaloChat(i), userId: zaloChat(i), userName: "Minh", text: question(i) }));
    }
    const zaloPolls = () => w.zalo.calls.filter((c) => c.method === "getUpdates").length;
    const pollsBefore = zaloPolls();
    const first = startMain(env(w, "polling"));
    try {
      // Every update has left the platforms: Telegram's confirmed by the offset, Zalo's handed over one
      // by one. Zalo has no offset: an update is the bot's once it calls getUpdates again (each is stored
      // before the next call), so the last one counts only after one more call — before it, a kill can
      // still catch it on the wire, which no bot could keep.
      await until(
        () => w.telegram.pending === 0 && w.zalo.pending === 0 && zaloPolls() - pollsBefore > CHATS,
        90_000,
        () => `every update fetched (telegram ${w.telegram.pending}, zalo ${w.zalo.pending} left); the bot printed:\n${first.output().slice(-2000)}`,
      );
      first.child.kill("SIGKILL");
      await restartAndFinish(w, "polling", first, answered(w));
    } finally {
      if (first.child.exitCode === null) first.child.kill("SIGKILL");
    }
  }, 180_000);
});
