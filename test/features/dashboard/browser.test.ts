// Rule protected here, in a real browser (Debian's headless Chromium through
// playwright-core): a person signs in through the link the bot gives, sees the
// store's numbers, filters, opens a task, downloads the .xlsx; a used or expired
// link, a missing cookie and another agency's task are refused; a <script> in a
// note stays text; the pages run under their CSP without one violation.
// Without Chromium these tests are skipped, saying how to install it — except in
// CI (CI=true), where they fail instead.
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXPORT_COLUMNS } from "../../../src/features/progress/index.js";
import { STATUS_KEYS, type StatusKey } from "../../../src/store/index.js";
import { ADMIN, KHCN, NV, TC, seedUser } from "../progress/fixtures.js";
import { HAVE_CHROMIUM, INSTALL_HINT, launchChromium } from "./browser.js";
import { linkFor, MANY, serve, type Served } from "./fixtures.js";
import { seedUpdates } from "./seed.js";

const inCI = Boolean(process.env.CI);
if (!HAVE_CHROMIUM && !inCI) console.warn(INSTALL_HINT);

describe("in CI the browser is there", () => {
  it.runIf(inCI)("finds Chromium (.ci/run installs it)", () => {
    expect(HAVE_CHROMIUM, INSTALL_HINT).toBe(true);
  });
});

const LABELS: Record<StatusKey | "chua_bao_cao", string> = {
  chua_trien_khai: "Chưa triển khai",
  dang_thuc_hien: "Đang thực hiện",
  hoan_thanh: "Hoàn thành",
  cham_tien_do: "Chậm tiến độ",
  vuong_mac: "Gặp vướng mắc",
  chua_bao_cao: "Chưa báo cáo",
};
const XSS = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">`;

describe.skipIf(!HAVE_CHROMIUM && !inCI)("the dashboard in a browser", () => {
  let s: Served;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    s = await serve({ tasks: MANY });
    const users = [
      seedUser(s.b.store, { userId: "100", agencyId: KHCN.id, name: "Nguyễn Văn An" }),
      seedUser(s.b.store, { userId: "200", agencyId: NV.id, name: "Trần Thị Bình" }),
      seedUser(s.b.store, { userId: "300", agencyId: TC.id, name: "Lê Văn Cường" }),
    ];
    seedUpdates(s.b.store, MANY, users, { now: s.b.clock.now, seed: 14, weeks: 12 });
    await s.b.say(`/capnhat DM-18a 40% gặp vướng mắc - ${XSS}`, { userId: "100" });
    browser = await launchChromium();
  });

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  /** A fresh browser profile (no cookies), desktop-sized unless told; console errors and CSP reports collected. */
  async function newPage(viewport = { width: 1366, height: 900 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport, acceptDownloads: true });
    contexts.push(ctx);
    const page = await ctx.newPage();
    // CSP violations and script errors show as console errors; a refused page (401, 410…) is expected, a missing file is not.
    page.on("console", (m) => {
      if ((m.type() === "error" || m.type() === "warning") && !m.text().startsWith("Failed to load resource")) problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("response", (r) => {
      if (r.request().resourceType() !== "document" && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    return page;
  }

  async function signInAs(userId: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await newPage(viewport);
    await page.goto(await linkFor(s.b, userId));
    await page.getByRole("button", { name: "Vào bảng điều khiển" }).click();
    await page.waitForURL(/\/bangdieukhien\/$/);
    return page;
  }

  /** What the store says, counted here independently of the dashboard's code. */
  function expected(planId?: string) {
    const latest = s.b.store.updates.latestByTask();
    const today = "2026-03-10";
    const since = new Date(s.b.clock.now.getTime() - 30 * 86_400_000).toISOString();
    const tasks = MANY.filter((t) => !planId || t.plan === planId);
    const by: Record<string, number> = Object.fromEntries([...STATUS_KEYS, "chua_bao_cao"].map((k) => [k, 0]));
    let overdue = 0;
    let stale = 0;
    for (const t of tasks) {
      const l = latest.get(t.id);
      by[l?.status ?? "chua_bao_cao"]!++;
      if (t.deadline.due && t.deadline.due < today && l?.status !== "hoan_thanh") overdue++;
      if (l?.status !== "hoan_thanh" && (!l || l.reportedAt < since)) stale++;
    }
    return { tasks: tasks.length, by, overdue, stale, done: Math.round((by.hoan_thanh! / tasks.length) * 100) };
  }

  it("signs an admin in through the link and shows the store's numbers, charts drawn under the CSP", async () => {
    const page = await signInAs(ADMIN.userId);
    expect(await page.title()).toBe("Tổng quan · Bảng điều khiển tiến độ");
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: "bdk_phien", httpOnly: true, sameSite: "Strict", path: "/bangdieukhien", secure: false })]);

    const all = expected();
    const kpi = await page.locator(".kpis li .v").allTextContents();
    expect(kpi).toEqual([String(all.tasks), `${all.done}%`, String(all.overdue), String(all.stale)]);
    for (const [planId, name] of [["bac-ninh-ubnd-2026", "KH UBND tỉnh Bắc Ninh 2026"], ["da-mai-dang-uy-2026", "KH Đảng ủy phường Đa Mai 2026"]] as const) {
      const e = expected(planId);
      const card = page.locator("section.plan", { has: page.getByRole("heading", { name }) });
      const legend = Object.fromEntries(
        await card.locator(".legend li").evaluateAll((lis) => lis.map((li) => [li.querySelector(".name")!.textContent!.trim(), Number(li.querySelector(".n")!.textContent)])),
      );
      expect(legend).toEqual(Object.fromEntries(Object.entries(e.by).map(([k, v]) => [LABELS[k as StatusKey], v])));
      const facts = await card.locator(".facts").innerText();
      expect(facts).toContain(`${e.tasks} nhiệm vụ`);
      expect(facts).toContain(`hoàn thành ${e.done}%`);
      expect(facts).toContain(`quá hạn ${e.overdue}`);
      expect(facts).toContain(`30 ngày chưa báo cáo ${e.stale}`);
    }
    // Every chart was drawn by Chart.js (served from the bot), and its canvas names the numbers for screen readers.
    // (a string: this file is type-checked without the DOM's types)
    const charts = (await page.evaluate(
      `[...document.querySelectorAll("canvas")].map((c) => ({ drawn: Boolean(window.Chart.getChart(c)), label: c.getAttribute("aria-label") ?? "" }))`,
    )) as { drawn: boolean; label: string }[];
    expect(charts).toHaveLength(4);
    expect(charts.every((c) => c.drawn && c.label.length > 20)).toBe(true);
    expect(problems).toEqual([]);
  });

  it("filters the task table, opens a task, and downloads the filtered .xlsx", async () => {
    const page = await signInAs(ADMIN.userId);
    await page.getByRole("navigation", { name: "Các trang" }).getByRole("link", { name: "Nhiệm vụ" }).click();
    // the status most of the plan's tasks are in now, by the store
    const latest = s.b.store.updates.latestByTask();
    const bn = MANY.filter((t) => t.plan === "bac-ninh-ubnd-2026");
    const status = STATUS_KEYS.map((k) => ({ k, n: bn.filter((t) => latest.get(t.id)?.status === k).length })).sort((a, b) => b.n - a.n)[0]!.k;
    const want = bn.filter((t) => latest.get(t.id)?.status === status).map((t) => t.id);
    expect(want.length).toBeGreaterThan(1);
    await page.getByLabel("Tình trạng").selectOption({ label: LABELS[status] });
    await page.getByLabel("Kế hoạch").selectOption({ label: "KH UBND tỉnh Bắc Ninh 2026" });
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.waitForURL(new RegExp(`tt=${status}`));
    const ids = await page.locator('table.tasks td[data-label="Mã"]').allTextContents();
    expect(ids.sort()).toEqual([...want].sort());
    expect(await page.getByRole("status").textContent()).toBe(`${want.length} nhiệm vụ`);
    expect(await page.locator("details.filterbox summary").textContent()).toBe(`Bộ lọc: kế hoạch KH UBND tỉnh Bắc Ninh 2026; ${LABELS[status].toLowerCase()}`);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải Excel (.xlsx)" }).click()]);
    expect(download.suggestedFilename()).toBe("tien-do-2026-03-10.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.getWorksheet("Nhiệm vụ")!;
    expect(ws.getRow(1).getCell(1).value).toBe("Mã nhiệm vụ");
    expect(ws.getRow(1).cellCount).toBe(EXPORT_COLUMNS.length);
    const rows = ws.getRows(2, ws.rowCount - 1)!;
    expect(rows.map((r) => r.getCell(1).value).sort()).toEqual([...want].sort());
    expect(rows.every((r) => r.getCell(9).value === LABELS[status])).toBe(true);
    const dated = rows.find((r) => r.getCell(6).value !== null);
    expect(dated?.getCell(6).value).toBeInstanceOf(Date);

    const first = ids[0]!;
    await page.getByRole("link", { name: first, exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain(first);
    const history = s.b.store.updates.history(first, 1000);
    expect(await page.getByRole("heading", { name: `Lịch sử báo cáo (${history.length})` }).count()).toBe(1);
    expect(await page.locator("ol.history > li").count()).toBe(history.length);
    expect(await page.locator(".cite").textContent()).toMatch(/^Nguồn: KH UBND tỉnh Bắc Ninh 2026 · mục VII, TT .+ · tệp bac-ninh-ubnd-2026\.md, dòng 10 · mã /);
    expect(problems).toEqual([]);
  });

  it("refuses a used link, an expired link and a missing cookie", async () => {
    const url = await linkFor(s.b, ADMIN.userId);
    const first = await newPage();
    await first.goto(url);
    await first.getByRole("button", { name: "Vào bảng điều khiển" }).click();
    await first.waitForURL(/\/bangdieukhien\/$/);

    const second = await newPage();
    const used = await second.goto(url);
    expect(used?.status()).toBe(410);
    expect(await second.locator("h1").textContent()).toBe("Liên kết đã được dùng");
    expect(await second.context().cookies()).toEqual([]);

    const late = await linkFor(s.b, ADMIN.userId);
    const third = await newPage();
    await third.goto(late);
    s.b.clock.now = new Date(s.b.clock.now.getTime() + 11 * 60_000);
    try {
      await third.getByRole("button", { name: "Vào bảng điều khiển" }).click();
      await expect.poll(() => third.locator("h1").textContent()).toBe("Liên kết đã hết hạn");
      expect(await third.context().cookies()).toEqual([]);
    } finally {
      s.b.clock.now = new Date(s.b.clock.now.getTime() - 11 * 60_000);
    }

    const none = await newPage();
    const r = await none.goto(`${s.base}/bangdieukhien/nhiem-vu`);
    expect(r?.status()).toBe(401);
    expect(await none.locator("h1").textContent()).toBe("Cần đăng nhập");
    expect(await none.locator("table").count()).toBe(0);
  });

  it("shows an official their agency's tasks only and refuses another agency's task", async () => {
    const page = await signInAs("100", { width: 390, height: 844 });
    expect(await page.locator(".top .who").textContent()).toBe("Nguyễn Văn An · Nhiệm vụ của Sở Khoa học và Công nghệ");
    const mine = MANY.filter((t) => [...t.leadAgencies, ...t.coordinatorAgencies].some((a) => a.id === KHCN.id) || t.leadAgencies.every((a) => a.isGroup));
    expect(await page.locator(".kpis li .v").first().textContent()).toBe(String(mine.length));
    const other = MANY.find((t) => !mine.includes(t))!;
    const r = await page.goto(`${s.base}/bangdieukhien/nhiem-vu/${other.id}`);
    expect(r?.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Không thuộc phạm vi của anh/chị");
    expect(await page.locator("body").innerText()).not.toContain(other.name);
  });

  it("keeps a <script> in a note as text", async () => {
    const page = await signInAs("100");
    await page.goto(`${s.base}/bangdieukhien/nhiem-vu/DM-18a`);
    expect(await page.locator("ol.history > li").first().innerText()).toContain(XSS);
    expect(await page.evaluate("typeof window.__xss")).toBe("undefined");
    expect(await page.locator("script:not([src])").count()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
