// Rule protected: however a process manager or a person stops `npm start` —
// SIGTERM or SIGINT to npm alone, to the whole process group, twice (a runner
// that relays it), npm itself killed — the bot stops once, within 10 s, exit 0,
// its shutdown logged, and no process it made is left (checked by pid). A stop
// that cannot finish (a stuck send, an unreachable Bot API) exits anyway in time
// and says what it waited for.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "../src/fakes/telegram-api.js";
import { startFakeZalo, type FakeZalo } from "../src/fakes/zalo-api.js";
import { openStore, storePath } from "../src/store/index.js";
import { alive, cleanEnv, killAll, processTree, startNpm, until, type BotProcess } from "./bot-process.js";

const TELEGRAM_TOKEN = "777201:STOP-telegram-token-abcdefghijkl";
const ZALO_TOKEN = "777202:STOP-zalo-secret-abcdefghijkl";
const STOP_WITHIN_MS = 10_000;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

interface Started {
  bot: BotProcess;
  /** npm and every process under it, once the bot polls. */
  pids: number[];
  telegram: FakeTelegram;
  zalo: FakeZalo;
  dataDir: string;
}

/** `npm start` against both fakes, polling; resolves once the bot polls both. */
async function started(): Promise<Started> {
  const telegram = await startFakeTelegram({ token: TELEGRAM_TOKEN, pollTimeoutMs: 300 });
  const zalo = await startFakeZalo({ token: ZALO_TOKEN, pollTimeoutMs: 300 });
  const dataDir = await mkdtemp(join(tmpdir(), "kehoach-stop-"));
  const bot = startNpm(cleanEnv(dataDir, { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_ROOT: zalo.apiRoot }));
  const s: Started = { bot, pids: [bot.child.pid!], telegram, zalo, dataDir };
  cleanup.push(async () => {
    killAll(s.pids);
    await telegram.close();
    await zalo.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const polls = (calls: { method: string }[]) => calls.some((c) => c.method === "getUpdates");
  await until(() => polls(telegram.calls) && polls(zalo.calls), 60_000, () => `the bot to poll both fakes; it printed:\n${bot.output()}`);
  s.pids = processTree(bot.child.pid!);
  return s;
}

/** Every pid gone within the deadline; resolves with how long it took from `since`. */
async function allGone(pids: number[], since: number): Promise<number> {
  await until(() => pids.every((p) => !alive(p)), STOP_WITHIN_MS + 1500, () => `pids ${pids.filter(alive).join(", ")} to end`);
  return Date.now() - since;
}

const signalGroup = (s: Started, signal: NodeJS.Signals) => process.kill(-s.bot.child.pid!, signal);
/** A relayed signal that arrives late: the group may be gone already (a fast stop), which is no failure. */
function signalGroupIfThere(s: Started, signal: NodeJS.Signals): void {
  try {
    signalGroup(s, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}
const signalNpm = (s: Started, signal: NodeJS.Signals) => process.kill(s.bot.child.pid!, signal);

describe("stopping npm start", () => {
  it.each([
    ["SIGTERM to npm alone", (s: Started) => signalNpm(s, "SIGTERM")],
    ["SIGINT to npm alone", (s: Started) => signalNpm(s, "SIGINT")],
    ["SIGTERM to the process group", (s: Started) => signalGroup(s, "SIGTERM")],
    [
      "SIGTERM twice (a runner that relays it)",
      (s: Started) => {
        signalGroup(s, "SIGTERM");
        setTimeout(() => signalGroupIfThere(s, "SIGTERM"), 30);
      },
    ],
  ])("%s: the bot stops once, within 10 s, exit 0, shutdown logged, no process left", async (_how, send) => {
    const s = await started();
    expect(s.pids.length).toBeGreaterThanOrEqual(2); // npm and the bot it started
    const t0 = Date.now();
    send(s);
    const { code } = await s.bot.exited;
    const ms = await allGone(s.pids, t0);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(STOP_WITHIN_MS);
    const out = s.bot.output();
    expect(out.match(/"msg":"shutting down"/g)).toHaveLength(1);
    expect(out.match(/"msg":"stopped"/g)).toHaveLength(1);
    expect(out).not.toContain("shutdown did not finish");
  }, 90_000);

  it("npm killed outright (SIGKILL): the bot sees its parent gone and stops by itself", async () => {
    const s = await started();
    const t0 = Date.now();
    signalNpm(s, "SIGKILL");
    const ms = await allGone(s.pids, t0);
    expect(ms).toBeLessThan(STOP_WITHIN_MS);
    // The bot shares npm's output pipe, so its last lines still arrive.
    await until(() => s.bot.output().includes('"msg":"stopped"'), 2000, () => `the bot's shutdown lines; it printed:\n${s.bot.output().slice(-1500)}`);
    expect(s.bot.output()).toMatch(/"msg":"shutting down"[^\n]*"signal":"parent exited"/);
  }, 90_000);

  it("a send the Bot API never answers: the stop exits in time, says what it left, and the reply waits in the inbox", async () => {
    const s = await started();
    s.telegram.hang("sendMessage");
    s.telegram.pushUpdate(s.telegram.makeTextUpdate({ chatId: 31_001, userId: 31_001, text: "/batdau" }));
    await until(() => s.telegram.calls.some((c) => c.method === "sendMessage"), 20_000, "the bot to try to answer");
    const t0 = Date.now();
    signalNpm(s, "SIGTERM");
    const { code } = await s.bot.exited;
    const ms = await allGone(s.pids, t0);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(STOP_WITHIN_MS);
    expect(s.bot.output()).toMatch(/telegram: updates still being answered are left for the next start[^\n]*"chats":1/);
    // Decided but not delivered: the next start sends it without deciding again.
    const store = openStore(storePath(s.dataDir));
    try {
      const open = store.inbox.open("telegram");
      expect(open).toHaveLength(1);
      expect(open[0]!.reply).toContain("Xin chào");
    } finally {
      store.close();
    }
  }, 90_000);
});

describe("stopping while the Bot APIs cannot be reached", () => {
  it("exits within 10 s, exit 0, though getMe never answered", async () => {
    // A server that accepts connections and never answers: an unreachable Bot API.
    const sockets = new Set<Socket>();
    const blackHole: Server = createServer((sock) => void sockets.add(sock));
    await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
    const root = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
    const dataDir = await mkdtemp(join(tmpdir(), "kehoach-stop-unreachable-"));
    const bot = startNpm(cleanEnv(dataDir, { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: root, ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_ROOT: root }));
    let pids = [bot.child.pid!];
    cleanup.push(async () => {
      killAll(pids);
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => blackHole.close(r));
      await rm(dataDir, { recursive: true, force: true });
    });
    await until(() => sockets.size >= 2, 60_000, () => `the bot to call both APIs; it printed:\n${bot.output()}`);
    pids = processTree(bot.child.pid!);
    const t0 = Date.now();
    process.kill(bot.child.pid!, "SIGTERM");
    const { code } = await bot.exited;
    const ms = await allGone(pids, t0);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(STOP_WITHIN_MS);
    expect(bot.output()).toContain('"msg":"shutting down"');
    expect(bot.output()).toContain('"msg":"stopped"');
  }, 90_000);
});
