// Rule protected: configuration fails at start, in one sentence naming the
// variable (never a stack, never later as a wrong answer); an empty value means
// the default; a token the platform refuses stops that channel with a sentence
// and /healthz tells it (503 when no channel is up); the console chat needs no
// port and answers at once after any number of restarts.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram } from "../src/fakes/telegram-api.js";
import { startFakeZalo } from "../src/fakes/zalo-api.js";
import { cleanEnv, listeningPort, startMain, until, type BotProcess } from "./bot-process.js";

const TELEGRAM_TOKEN = "777301:START-telegram-token-abcdefghijkl";
const ZALO_TOKEN = "777302:START-zalo-secret-abcdefghijkl";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function dataDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "kehoach-start-"));
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

function track(bot: BotProcess): BotProcess {
  cleanup.push(async () => {
    if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill("SIGKILL");
  });
  return bot;
}

async function health(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe("a bad configuration stops the start in one sentence naming the variable", () => {
  it.each([
    ["TIMEZONE", { TIMEZONE: "Hanoi" }, /^Invalid configuration — TIMEZONE: "Hanoi" is not a time zone \(use an IANA name such as Asia\/Ho_Chi_Minh\)\. See \.env\.example\.$/],
    ["ADMINS", { ADMINS: "a;b" }, /^Invalid configuration — ADMINS: "a" is not channel:id \(e\.g\. telegram:12345; separate several with commas, semicolons or spaces\)\. See \.env\.example\.$/],
    // An entry is named by its position: it holds a code, never printed.
    ["INVITE_CODES", { INVITE_CODES: "KHCN2026" }, /^(?!.*KHCN2026)Invalid configuration — INVITE_CODES: entry 1 is not agency-id:code .*\. See \.env\.example\.$/],
    ["KNOWLEDGE_DIR", { KNOWLEDGE_DIR: "/no/such/folder" }, /^Invalid configuration — KNOWLEDGE_DIR: "\/no\/such\/folder" is not a folder \(looked for \/no\/such\/folder\); set it to the folder holding the plans\. See \.env\.example\.$/],
    ["TELEGRAM_BOT_TOKEN", { TELEGRAM_BOT_TOKEN: "123 456" }, /^Invalid configuration — TELEGRAM_BOT_TOKEN: must be the token exactly as given, without spaces or slashes\. See \.env\.example\.$/],
  ])("%s", async (_name, extra, sentence) => {
    const bot = track(startMain(cleanEnv(await dataDir(), extra)));
    bot.child.stdin!.end();
    expect((await bot.exited).code).toBe(1);
    // One line: the sentence, no stack, no raw library message.
    expect(bot.output().trim()).toMatch(sentence);
  });
});

describe("empty values mean the defaults", () => {
  it("starts with LLM_PROVIDER=, EMBEDDINGS_PROVIDER=, LOG_LEVEL=, TIMEZONE=, PORT= empty, and reads ADMINS written with ';'", async () => {
    const env = cleanEnv(await dataDir(), { LLM_PROVIDER: "", EMBEDDINGS_PROVIDER: "", LOG_LEVEL: " ", TIMEZONE: "", PORT: "", ADMINS: "telegram:1; console:console-user" });
    const bot = track(startMain(env));
    // /baocao answers admins only: the console user is one through the second item of the list.
    bot.child.stdin!.end("/baocao\n");
    expect((await bot.exited).code).toBe(0);
    expect(bot.output()).toMatch(/Trợ lý: Tiến độ \d\d\/\d\d\/\d{4}: \d+ nhiệm vụ/);
    expect(bot.output()).not.toContain("Chỉ quản trị viên");
  }, 60_000);
});

describe("a token the platform refuses", () => {
  it("stops that channel with a sentence naming the variable; /healthz says so, 200 while Zalo is up", async () => {
    const telegram = await startFakeTelegram({ token: "999:the-token-telegram-knows-abcdefgh" });
    const zalo = await startFakeZalo({ token: ZALO_TOKEN, pollTimeoutMs: 300 });
    cleanup.push(() => telegram.close(), () => zalo.close());
    const bot = track(
      startMain(cleanEnv(await dataDir(), { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_ROOT: zalo.apiRoot })),
    );
    await until(() => zalo.calls.some((c) => c.method === "getUpdates") && bot.output().includes("was refused"), 60_000, () => `Zalo polling and the refusal; it printed:\n${bot.output()}`);
    expect(bot.output()).toContain("TELEGRAM_BOT_TOKEN was refused by Telegram (401 Unauthorized); copy it again from @BotFather; the Telegram channel is stopped");
    expect(bot.output()).not.toContain(TELEGRAM_TOKEN.split(":")[1]);
    const h = await health(listeningPort(bot.output())!);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ ok: true, telegram: "token-refused", zalo: "polling" });
    bot.child.kill("SIGTERM");
    expect((await bot.exited).code).toBe(0);
  }, 60_000);

  it("/healthz answers 503 while no channel is up (Telegram refused, Zalo not answering)", async () => {
    const telegram = await startFakeTelegram({ token: "999:the-token-telegram-knows-abcdefgh" });
    const sockets = new Set<Socket>();
    const blackHole: Server = createServer((s) => void sockets.add(s));
    await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
    cleanup.push(
      () => telegram.close(),
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          blackHole.close(() => r());
        }),
    );
    const zaloRoot = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
    const bot = track(startMain(cleanEnv(await dataDir(), { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_ROOT: zaloRoot })));
    await until(() => bot.output().includes("was refused") && listeningPort(bot.output()) !== undefined, 60_000, () => `the refusal; it printed:\n${bot.output()}`);
    const h = await health(listeningPort(bot.output())!);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({ ok: false, telegram: "token-refused", zalo: "starting" });
    bot.child.kill("SIGTERM");
    expect((await bot.exited).code).toBe(0);
  }, 60_000);

  it("every configured token refused: exit 1, each named", async () => {
    const telegram = await startFakeTelegram({ token: "999:the-token-telegram-knows-abcdefgh" });
    const zalo = await startFakeZalo({ token: "999:the-token-zalo-knows-abcdefgh" });
    cleanup.push(() => telegram.close(), () => zalo.close());
    const bot = track(
      startMain(cleanEnv(await dataDir(), { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_ROOT: zalo.apiRoot })),
    );
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toContain("TELEGRAM_BOT_TOKEN was refused by Telegram (401 Unauthorized)");
    expect(bot.output()).toContain("ZALO_BOT_TOKEN was refused by Zalo (401 Unauthorized); copy it again from the Zalo Bot Platform; the Zalo channel is stopped");
    expect(bot.output()).toContain("no channel can start: every configured token was refused; stopping");
  }, 60_000);
});

describe("the console chat", () => {
  it("needs no port, and restarted twice on the same data answers at once each time", async () => {
    // Another program holds the port: the console chat must not care.
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise<void>((r) => holder.close(() => r())));
    const env = cleanEnv(await dataDir(), { PORT: String((holder.address() as { port: number }).port) });
    for (let run = 1; run <= 3; run++) {
      const bot = track(startMain(env));
      bot.child.stdin!.end("/batdau\nBN-7.22 do ai chủ trì?\n");
      expect((await bot.exited).code, bot.output()).toBe(0);
      const out = bot.output();
      expect(out, `run ${run}`).toContain("Trợ lý: Xin chào");
      expect(out, `run ${run}`).toMatch(/Trợ lý: Nhiệm vụ: [^\n]+\n {2}Chủ trì: [^\n]+[\s\S]*mã BN-7\.22/);
      expect(out).not.toContain("cannot listen");
    }
  }, 90_000);
});
