// `npm start` as an operator runs it: src/main.ts in its own process, configured
// only by environment variables. With TELEGRAM_API_ROOT / ZALO_API_ROOT pointing
// at the fake Bot API servers it answers on both channels and stops cleanly on
// SIGTERM; with no token it opens the console chat and says how to connect.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKnowledge } from "../src/knowledge/load.js";
import type { Task } from "../src/knowledge/types.js";
import { startFakeTelegram, type FakeTelegram } from "../src/fakes/telegram-api.js";
import { makeZaloTextUpdate, startFakeZalo, type FakeZalo } from "../src/fakes/zalo-api.js";

const TELEGRAM_TOKEN = "777001:MAIN-telegram-token-abcdefghijkl";
const ZALO_TOKEN = "777002:MAIN-zalo-secret-abcdefghijkl";

/** The environment of a clean machine: nothing of the developer's own .env or shell leaks in. */
function envFor(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info", ...extra };
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

/**
 * src/main.ts in a process of its own. Its working directory is the data directory, so a
 * developer's own .env (which main.ts reads from the working directory) never leaks in.
 */
function startMain(env: NodeJS.ProcessEnv, args: string[] = []): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, "src", "main.ts"), ...args], {
    cwd: env.DATA_DIR,
    env: { KNOWLEDGE_DIR: join(ROOT, "knowledge"), ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  return { child, output: () => out };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

let task: Task;
let knowledgeData: string;

beforeAll(async () => {
  knowledgeData = await mkdtemp(join(tmpdir(), "kehoach-main-kb-"));
  const knowledge = await loadKnowledge({ knowledgeDir: "knowledge", dataDir: knowledgeData });
  const found = knowledge.task("BN-7.22");
  if (!found?.leadAgencies[0]) throw new Error("These tests ask about BN-7.22 and its lead agency; the Bắc Ninh plan no longer has them.");
  task = found;
});

/** The environment that points the bot at both fake Bot APIs. */
function channelEnv(dataDir: string, telegram: FakeTelegram, zalo: FakeZalo, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return envFor(dataDir, {
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ZALO_BOT_TOKEN: ZALO_TOKEN,
    ZALO_API_ROOT: zalo.apiRoot,
    ...extra,
  });
}

const polls = (calls: { method: string }[]) => calls.some((c) => c.method === "getUpdates");

afterAll(async () => {
  await rm(knowledgeData, { recursive: true, force: true });
});

describe("npm start against the fake Bot API servers", () => {
  let telegram: FakeTelegram;
  let zalo: FakeZalo;
  let dataDir: string;
  let bot: ReturnType<typeof startMain>;

  beforeAll(async () => {
    telegram = await startFakeTelegram({ token: TELEGRAM_TOKEN, pollTimeoutMs: 300 });
    zalo = await startFakeZalo({ token: ZALO_TOKEN, pollTimeoutMs: 300 });
    dataDir = await mkdtemp(join(tmpdir(), "kehoach-main-"));
    bot = startMain(channelEnv(dataDir, telegram, zalo, { ADMINS: "telegram:9100" }));
    await until(() => polls(telegram.calls) && polls(zalo.calls), 60_000, `the bot to poll both fakes; it printed:\n${bot.output()}`);
  }, 70_000);

  afterAll(async () => {
    if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    await telegram.close();
    await zalo.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("sets the Vietnamese command menu on Telegram", () => {
    expect(telegram.commands.map((c) => c.command)).toEqual(expect.arrayContaining(["batdau", "huongdan", "hoi", "capnhat"]));
  });

  it("answers a private question on Telegram with the lead agency the plan wrote and its citation", async () => {
    const before = telegram.sent.length;
    telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 9001, userId: 9001, firstName: "Lan", text: "Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?" }));
    await until(() => telegram.sent.length > before, 15_000, "a Telegram reply");
    const reply = String(telegram.sent[before]!.text);
    expect(reply).toContain(`Chủ trì: ${task.leadAgencies[0]!.canonical}`);
    expect(reply).toContain("BN-7.22");
    expect(String(telegram.sent[before]!.chat_id)).toBe("9001");
  });

  it("answers a private question on Zalo, without diacritics, with the deadline the plan wrote", async () => {
    const sends = () => zalo.sent.filter((c) => c.method === "sendMessage");
    const before = sends().length;
    zalo.pushUpdate(makeZaloTextUpdate({ chatId: "z-9001", userId: "z-9001", userName: "Minh", text: "han nhiem vu BN-7.22 la khi nao" }));
    await until(() => sends().length > before, 15_000, "a Zalo reply");
    const reply = sends()[before]!;
    expect(reply.body.chat_id).toBe("z-9001");
    expect(String(reply.body.text)).toContain(task.deadline.raw);
  });

  it("tells the admin, in their private chat, of a registration waiting, and the person of the approval", async () => {
    const tg = (chatId: number, text: string) => telegram.pushUpdate(telegram.makeTextUpdate({ chatId, userId: chatId, firstName: "Người dùng", text }));
    const replyTo = async (chatId: number, text: string) => {
      const before = telegram.sent.length;
      tg(chatId, text);
      await until(() => telegram.sent.slice(before).some((m) => String(m.chat_id) === String(chatId)), 15_000, `a reply to “${text}”`);
      return telegram.sent.slice(before).filter((m) => String(m.chat_id) === String(chatId)).map((m) => String(m.text));
    };
    await replyTo(9100, "/duyet"); // the admin's private chat becomes known
    await replyTo(9200, "/dangky");
    await replyTo(9200, "Trần Thị Bình");
    await replyTo(9200, "Sở Nội vụ");
    const before = telegram.sent.length;
    expect((await replyTo(9200, "Lưu"))[0]).toMatch(/^Đã gửi đăng ký số (\d+): Trần Thị Bình — Sở Nội vụ\./);
    await until(() => telegram.sent.slice(before).some((m) => String(m.chat_id) === "9100"), 15_000, "the admin's notice");
    const notice = telegram.sent.slice(before).find((m) => String(m.chat_id) === "9100")!;
    const id = /#(\d+) Trần Thị Bình — Sở Nội vụ/.exec(String(notice.text))?.[1];
    expect(id).toBeDefined();
    const afterApprove = telegram.sent.length;
    expect(await replyTo(9100, `/duyet ${id}`)).toEqual([`Đã duyệt #${id} Trần Thị Bình — Sở Nội vụ (telegram).`]);
    await until(() => telegram.sent.slice(afterApprove).some((m) => String(m.chat_id) === "9200"), 15_000, "the approval notice");
    expect(String(telegram.sent.slice(afterApprove).find((m) => String(m.chat_id) === "9200")!.text)).toContain("Đăng ký của bạn đã được duyệt");
  });

});

describe("npm start stopped by a process manager", () => {
  it("keeps tokens out of its log and stops with exit code 0 on SIGTERM", async () => {
    const telegram = await startFakeTelegram({ token: TELEGRAM_TOKEN, pollTimeoutMs: 300 });
    const zalo = await startFakeZalo({ token: ZALO_TOKEN, pollTimeoutMs: 300 });
    const dataDir = await mkdtemp(join(tmpdir(), "kehoach-main-stop-"));
    const bot = startMain(channelEnv(dataDir, telegram, zalo));
    try {
      await until(() => polls(telegram.calls) && polls(zalo.calls), 60_000, `the bot to poll both fakes; it printed:\n${bot.output()}`);
      bot.child.kill("SIGTERM");
      expect(await exitOf(bot.child)).toBe(0);
      expect(bot.output()).not.toContain(TELEGRAM_TOKEN.split(":")[1]);
      expect(bot.output()).not.toContain(ZALO_TOKEN.split(":")[1]);
      expect(bot.output()).toContain("shutting down");
      expect(bot.output()).toContain("stopped");
    } finally {
      if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
      await telegram.close();
      await zalo.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe("npm start with no channel token", () => {
  it("opens the console chat, says how to connect Telegram and Zalo, and answers piped questions", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kehoach-main-console-"));
    try {
      const bot = startMain(envFor(dataDir, {}));
      bot.child.stdin!.end("BN-7.22 do ai chủ trì?\n");
      expect(await exitOf(bot.child)).toBe(0);
      const out = bot.output();
      expect(out).toContain("TELEGRAM_BOT_TOKEN");
      expect(out).toContain("ZALO_BOT_TOKEN");
      expect(out).toContain(task.leadAgencies[0]!.canonical);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("npm start with a bad configuration", () => {
  it("stops with exit code 1 and a sentence naming the variable, before touching any channel", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kehoach-main-bad-"));
    try {
      const bot = startMain(envFor(dataDir, { PORT: "tám nghìn", TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN }));
      expect(await exitOf(bot.child)).toBe(1);
      expect(bot.output()).toMatch(/Invalid configuration — PORT: .*See \.env\.example\./);
      expect(bot.output()).not.toContain(TELEGRAM_TOKEN.split(":")[1]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
