// Child process of durability.test.ts: confirms status updates through the core
// into a file store as fast as it can, printing "ok <updateId> <n>" to stdout
// (synchronously) right after each confirmation, until it is killed.
import { writeSync } from "node:fs";
import { KHCN, makeBot, seedUser } from "./fixtures.js";

const [path, limitArg] = process.argv.slice(2);
if (!path) throw new Error("usage: durability-child.ts DB_PATH [LIMIT]");
const limit = Number(limitArg ?? 1_000_000);
const bot = makeBot({ path });
if (!bot.store.users.get("telegram", "100")) seedUser(bot.store, { userId: "100", agencyId: KHCN.id });
writeSync(1, "ready\n");
for (let n = 1; n <= limit; n++) {
  bot.clock.now = new Date(Date.parse("2026-03-10T02:00:00.000Z") + n * 1000);
  let out;
  if (n % 10 === 0) {
    // every tenth update goes step by step through the form
    await bot.say("/capnhat BN-7.22");
    for (const t of ["đang thực hiện", String(n % 101), `lần ${n}`, "-", "-"]) await bot.say(t);
    out = await bot.say("1");
  } else {
    out = await bot.say(`/capnhat BN-7.22 ${n % 101}% đang thực hiện - lần ${n}`);
  }
  const m = /Đã lưu báo cáo số (\d+)/.exec(out[0]?.text ?? "");
  if (!m) throw new Error(`no confirmation for ${n}: ${JSON.stringify(out)}`);
  writeSync(1, `ok ${m[1]} ${n}\n`);
}
bot.close();
