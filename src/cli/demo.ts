// Watch a conversation without any real token:
//   npm run demo --            starts both fake Bot APIs, starts `src/main.ts` against
//                                               them, injects a few user messages and prints the chat
//   npm run demo -- --no-spawn prints the env to run `npm start` yourself, then injects
//                                               the messages once your bot is polling
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeTelegram } from "../fakes/telegram-api.js";
import { makeZaloTextUpdate, startFakeZalo } from "../fakes/zalo-api.js";

const TELEGRAM_TOKEN = "424242:DEMO-telegram-token-abcdefghijkl";
const ZALO_TOKEN = "535353:DEMO-zalo-secret-abcdefghijkl";
const spawnBot = !process.argv.includes("--no-spawn");

const telegram = await startFakeTelegram({ token: TELEGRAM_TOKEN, pollTimeoutMs: 1000 });
const zalo = await startFakeZalo({ token: ZALO_TOKEN, pollTimeoutMs: 1000 });
const dataDir = mkdtempSync(join(tmpdir(), "kehoach-demo-"));
const env = {
  TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
  TELEGRAM_API_ROOT: telegram.apiRoot,
  ZALO_BOT_TOKEN: ZALO_TOKEN,
  ZALO_API_ROOT: zalo.apiRoot,
  PUBLIC_URL: "",
  PORT: "0",
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
};

console.log("Fake Bot APIs on 127.0.0.1. To run the bot against them yourself:\n");
console.log(
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ") + " npm start\n",
);

let bot: ChildProcess | undefined;
if (spawnBot) {
  console.log("Starting the bot (src/main.ts)…\n");
  bot = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
  bot.on("exit", (code) => {
    if (code !== 0 && code !== null) console.log(`The bot exited with code ${code}.`);
  });
}

async function until(what: string, check: () => boolean, ms: number, quiet = false): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      if (!quiet) console.log(`(no ${what} within ${ms / 1000} s)`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const polling = (calls: { method: string }[]) => calls.some((c) => c.method === "getUpdates");
if (!(await until("bot polling both fakes", () => polling(telegram.calls) && polling(zalo.calls), 60_000))) {
  await finish(1);
}

const indent = (s: string) => s.replace(/\n/g, "\n     ");
const zaloTexts = () => zalo.sent.filter((c) => c.method === "sendMessage").map((c) => String(c.body.text));

/** Inject one message, then print what the bot sent back (or that it stayed silent). */
async function say(where: string, text: string, push: () => void, sent: () => string[], expectReply = true): Promise<void> {
  const before = sent().length;
  console.log(`👤 ${where}: ${text}`);
  push();
  const got = await until("reply", () => sent().length > before, expectReply ? 10_000 : 1500, !expectReply);
  await new Promise((r) => setTimeout(r, 300)); // a split answer arrives in several messages
  if (!got && !expectReply) console.log("🤖 (im lặng — tin nhắn thường trong nhóm)");
  for (const t of sent().slice(before)) console.log(`🤖 ${indent(t)}`);
  console.log("");
}

const tgSent = () => telegram.sent.map((s) => String(s.text));
const tg = (chatId: number, text: string, chatType: "private" | "supergroup" = "private") => () =>
  telegram.pushUpdate(telegram.makeTextUpdate({ chatId, chatType, userId: 7001, firstName: "Lan", text }));
const zl = (text: string, chatType: "PRIVATE" | "GROUP" = "PRIVATE") => () =>
  zalo.pushUpdate(makeZaloTextUpdate({ chatId: chatType === "PRIVATE" ? "zalo-u-1" : "zalo-g-1", chatType, userId: "zalo-u-1", userName: "Minh", text }));

console.log("── Telegram ──");
await say("Lan (riêng)", "/batdau", tg(7001, "/batdau"), tgSent);
await say("Lan (riêng)", "Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?", tg(7001, "Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?"), tgSent);
await say("Lan (nhóm)", "mọi người ơi họp lúc 3 giờ nhé", tg(-100500, "mọi người ơi họp lúc 3 giờ nhé", "supergroup"), tgSent, false);
await say("Lan (nhóm)", "/hoi BN-7.22 hạn khi nào?", tg(-100500, "/hoi BN-7.22 hạn khi nào?", "supergroup"), tgSent);

console.log("── Zalo ──");
await say("Minh (riêng)", "so khcn chu tri nhiem vu nao", zl("so khcn chu tri nhiem vu nao"), zaloTexts);
await say("Minh (riêng)", "xin chào bot", zl("xin chào bot"), zaloTexts);
await say("Minh (riêng)", "bảo vệ rừng", zl("bảo vệ rừng"), zaloTexts);
await say("Minh (riêng)", "1", zl("1"), zaloTexts);
// Zalo delivers a group message only when a member picks the bot from the @ list, or replies to it.
await say("Minh (nhóm, chọn @Trợ lý Kế hoạch)", "@Trợ lý Kế hoạch BN-7.22 ai phối hợp?", zl("@Trợ lý Kế hoạch BN-7.22 ai phối hợp?", "GROUP"), zaloTexts);
await say("Minh (nhóm, trả lời tin của bot)", "BN-7.22 hạn khi nào?", zl("BN-7.22 hạn khi nào?", "GROUP"), zaloTexts);

await finish(0);

async function finish(code: number): Promise<never> {
  if (bot && bot.exitCode === null) {
    bot.kill("SIGTERM");
    const exit = await new Promise<number | null>((r) => bot!.once("exit", r));
    console.log(`The bot stopped on SIGTERM (exit code ${exit}).`);
  }
  await telegram.close();
  await zalo.close();
  process.exit(code);
}
