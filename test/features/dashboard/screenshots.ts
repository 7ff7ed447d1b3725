// Screenshots of the dashboard over the real plans in knowledge/ and seeded
// reports: `npx tsx test/features/dashboard/screenshots.ts OUT_DIR`.
// Overview on a phone (390×844) and a desktop (1366×900), plus the other pages.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBot, prepareStore } from "../../../src/bot.js";
import { createHttpServer } from "../../../src/channels/http-server.js";
import { loadConfig } from "../../../src/config.js";
import { DASHBOARD_PREFIX } from "../../../src/features/dashboard/index.js";
import { loadKnowledge } from "../../../src/knowledge/load.js";
import { silentLogger } from "../../../src/log.js";
import { openStore } from "../../../src/store/index.js";
import { launchChromium } from "./browser.js";
import { seedUpdates } from "./seed.js";

const outDir = process.argv[2] ?? "screenshots";
mkdirSync(outDir, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), "dash-shots-"));
const now = new Date("2026-05-20T03:00:00.000Z");
const knowledge = await loadKnowledge({ knowledgeDir: "knowledge", dataDir: join(dir, "data") });
const store = openStore(join(dir, "kehoach.db"));
prepareStore(store, knowledge, now);
const config = loadConfig({ ADMINS: "telegram:1" });
const bot = createBot({ config, log: silentLogger(), store, knowledge, ask: { ask: async (q) => ({ question: q, intent: "none", answer: "", notFound: true, ids: [] }) }, clock: () => now });
const agencies = [...new Set(knowledge.tasks.flatMap((t) => t.leadAgencies.filter((a) => a.isAgency && !a.isGroup).map((a) => a.id)))].slice(0, 12);
const users = agencies.map((a, i) =>
  store.users.register({ channel: "telegram", channelUserId: String(100 + i), name: `Cán bộ ${i + 1}`, agencyId: a, approved: true, now }),
);
seedUpdates(store, knowledge.tasks, users, { now, seed: 14, coverage: 0.8 });
const http = createHttpServer({ mounts: [{ prefix: DASHBOARD_PREFIX, handler: bot.dashboard.handler }] });
const port = await http.listen(0, "127.0.0.1");
bot.dashboard.listening(port);
const browser = await launchChromium();
try {
  for (const [name, viewport] of [
    ["overview-phone-390x844", { width: 390, height: 844 }],
    ["overview-desktop-1366x900", { width: 1366, height: 900 }],
  ] as const) {
    const ctx = await browser.newContext({ viewport, deviceScaleFactor: name.includes("phone") ? 2 : 1, locale: "vi-VN" });
    const page = await ctx.newPage();
    const link = bot.dashboard.signIn.issue({ channel: "telegram", userId: "1", userName: "Lãnh đạo tỉnh" }, "telegram", now);
    if (!link.ok) throw new Error(link.reason);
    await page.goto(link.url);
    await page.getByRole("button", { name: "Vào bảng điều khiển" }).click();
    await page.waitForSelector("canvas");
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, `${name}.png`) });
    await page.screenshot({ path: join(outDir, `${name}-full.png`), fullPage: true });
    for (const [p, file] of [
      ["/co-quan", "agencies"],
      ["/nhiem-vu?quahan=1", "tasks-overdue"],
      ["/xu-huong", "trend"],
    ] as const) {
      await page.goto(`http://127.0.0.1:${port}${DASHBOARD_PREFIX}${p}`);
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(outDir, `${file}-${name.split("-")[1]}.png`), fullPage: !name.includes("phone") });
    }
    const first = await page.goto(`http://127.0.0.1:${port}${DASHBOARD_PREFIX}/nhiem-vu?sap=bc&chieu=desc`);
    if (first) {
      await page.locator("table.tasks tbody tr td a").first().click();
      await page.screenshot({ path: join(outDir, `task-${name.split("-")[1]}.png`), fullPage: true });
    }
    await ctx.close();
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await browser.close();
  await http.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
