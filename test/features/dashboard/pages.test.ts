// Rule protected here: the dashboard's pages are read-only, escape every value,
// carry a strict CSP with no inline script or style, show each person only what
// they may see, and export exactly the filtered view (.xlsx with real dates and
// Vietnamese headers, CSV beside it); nothing is served outside /bangdieukhien.
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { CSP } from "../../../src/features/dashboard/index.js";
import { escapeHtml, html } from "../../../src/features/dashboard/html.js";
import { EXPORT_COLUMNS } from "../../../src/features/progress/index.js";
import { ADMIN, KHCN, NV, seedUser } from "../progress/fixtures.js";
import { linkFor, MANY, serve, signIn, type Served } from "./fixtures.js";

let served: Served[] = [];
afterEach(async () => {
  for (const s of served) await s.close();
  served = [];
});
const P = "/bangdieukhien";

async function setup() {
  const s = await serve({ tasks: MANY });
  served.push(s);
  const { b } = s;
  seedUser(b.store, { userId: "100", agencyId: KHCN.id, name: "Nguyễn Văn An" });
  seedUser(b.store, { userId: "200", agencyId: NV.id, name: "Trần Thị Bình" });
  await b.say("/capnhat BN-7.22 60% đang làm - đã họp <script>alert('x')</script>; vướng mắc: \"thiếu\" & <b>vốn</b>");
  await b.say("/capnhat DM-18a xong", { userId: "100" });
  await b.say("/capnhat BN-7.23 30% chậm tiến độ", { userId: "200", chatId: "200" });
  const admin = await signIn(s.base, await linkFor(b, ADMIN.userId));
  const khcn = await signIn(s.base, await linkFor(b, "100"));
  const get = (path: string, cookie = admin, init: RequestInit = {}) => fetch(`${s.base}${path}`, { ...init, headers: { cookie, ...(init.headers ?? {}) } });
  return { ...s, admin, khcn, get };
}

describe("every answer", () => {
  it("carries the strict headers; pages are never cached, the hashed files for a year (gzipped)", async () => {
    const { get } = await setup();
    const r = await get(`${P}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-security-policy")).toBe(CSP);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain("unsafe");
    expect(Object.fromEntries(["x-content-type-options", "referrer-policy", "x-frame-options", "cache-control"].map((h) => [h, r.headers.get(h)]))).toEqual({
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      "cache-control": "no-store",
    });
    expect(r.headers.get("strict-transport-security")).toBeNull();
    const body = await r.text();
    expect(body).toMatch(/^<!doctype html>\n<html lang="vi">/);
    // no inline script or style: every <script> has a src, no style attribute or element
    expect(body.match(/<script[^>]*>/g)).toEqual([expect.stringMatching(/^<script src="\/bangdieukhien\/tep\/chart\.[0-9a-f]{10}\.js" defer>$/), expect.stringMatching(/^<script src="\/bangdieukhien\/tep\/app\.[0-9a-f]{10}\.js" defer>$/)]);
    expect(body).not.toMatch(/<style|style="/);
    const src = /src="(\/bangdieukhien\/tep\/chart\.[^"]+)"/.exec(body)![1]!;
    const file = await fetch(`http://127.0.0.1:${new URL(r.url).port}${src}`, { headers: { "accept-encoding": "gzip" } });
    expect(file.status).toBe(200);
    expect(file.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(file.headers.get("content-encoding")).toBe("gzip");
    expect(await file.text()).toContain("Chart.js v4");
  });

  it("answers HEAD like GET (without a body); nothing changes over GET, other methods find nothing", async () => {
    const { get, b } = await setup();
    const head = await get(`${P}/nhiem-vu`, undefined, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const before = b.store.audit.recent().length;
    for (const p of ["/", "/co-quan", "/nhiem-vu", "/nhiem-vu/BN-7.22", "/xu-huong"]) expect((await get(P + p)).status).toBe(200);
    expect(b.store.audit.recent().length).toBe(before);
    for (const method of ["PUT", "DELETE", "PATCH"]) expect((await get(`${P}/`, undefined, { method })).status).toBe(404);
    expect((await get(`${P}/nhiem-vu`, undefined, { method: "POST" })).status).toBe(404);
  });

  it("serves nothing outside the dashboard's paths, and nothing inside them without a session", async () => {
    const { base, get } = await setup();
    for (const p of ["/", "/bangdieukhienx", "/tep/app.js", "/data/kehoach.db", "/bangdieukhien-test/"]) {
      const r = await get(p);
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toContain("application/json");
    }
    expect((await get(`${P}/khong-co`)).status).toBe(404);
    expect((await get(`${P}/tep/..%2f..%2fpackage.json`)).status).toBe(404);
    for (const p of ["/", "/co-quan", "/nhiem-vu", "/nhiem-vu/BN-7.22", "/xu-huong", "/nhiem-vu.xlsx", "/nhiem-vu.csv"]) {
      const r = await fetch(`${base}${P}${p}`);
      expect(r.status).toBe(401);
      expect(await r.text()).toContain("Cần đăng nhập");
    }
    expect((await fetch(`${base}${P}/`, { headers: { cookie: "bdk_phien=" + "A".repeat(43) } })).status).toBe(401);
  });
});

describe("what each person sees", () => {
  it("shows an official only their agency's tasks and refuses another agency's task", async () => {
    const { get, khcn, b } = await setup();
    const page = await (await get(`${P}/nhiem-vu`, khcn)).text();
    const ids = [...page.matchAll(/<td data-label="Mã"><span><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    const expected = MANY.filter((t) => [...t.leadAgencies, ...t.coordinatorAgencies].some((a) => a.id === KHCN.id) || t.leadAgencies.every((a) => a.isGroup)).map((t) => t.id);
    expect(ids.sort()).toEqual(expected.sort());
    expect(ids).not.toContain("BN-7.23");
    const refused = await get(`${P}/nhiem-vu/BN-7.23`, khcn);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Nhiệm vụ BN-7.23 không do Sở Khoa học và Công nghệ chủ trì hay phối hợp");
    expect((await get(`${P}/nhiem-vu/BN-7.22`, khcn)).status).toBe(200); // led by KHCN
    expect((await get(`${P}/nhiem-vu/XX-1`, khcn)).status).toBe(404);
    // the export follows the same scope
    const csv = await (await get(`${P}/nhiem-vu.csv`, khcn)).text();
    expect(csv.trim().split("\r\n")).toHaveLength(expected.length + 1);
    expect(csv).not.toContain("BN-7.23");
    // the agency table: only their own rows
    const agencies = await (await get(`${P}/co-quan?vai=lead`, khcn)).text();
    expect([...agencies.matchAll(/<th scope="row">(?:<a [^>]+>)?([^<]+)/g)].map((m) => m[1])).toEqual(["Sở Khoa học và Công nghệ"]);
    expect(b.store.audit.recent()[0]).toMatchObject({ action: "dashboard.export", actor: "telegram:100", detail: { format: "csv", rows: expected.length, filters: "không lọc" } });
  });

  it("escapes a note holding markup: it shows as text", async () => {
    const { get } = await setup();
    const body = await (await get(`${P}/nhiem-vu/BN-7.22`)).text();
    expect(body).toContain("đã họp &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(body).toContain("&quot;thiếu&quot; &amp; &lt;b&gt;vốn&lt;/b&gt;");
    expect(body).not.toContain("<script>alert");
    const list = await (await get(`${P}/nhiem-vu?q=${encodeURIComponent('"><script>x</script>')}`)).text();
    expect(list).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    const named = await (await get(`${P}/nhiem-vu?q=đậm`)).text();
    expect(named).toContain("Nhiệm vụ thử số 8 &lt;b&gt;đậm&lt;/b&gt; &amp; “ngoặc”");
  });

  it("shows the plan's row with its citation and the whole history, newest first", async () => {
    const { get, b } = await setup();
    for (let i = 0; i < 25; i++) await b.say(`/capnhat BN-7.22 ${i}% đang làm - bước ${i}`);
    const body = await (await get(`${P}/nhiem-vu/BN-7.22`)).text();
    expect(body).toContain("Lịch sử báo cáo (26)");
    expect(body.match(/<li>\n<p><span class="pill">/g)).toHaveLength(26);
    expect(body.indexOf("bước 24")).toBeLessThan(body.indexOf("bước 0"));
    expect(body).toContain("Nguồn: KH UBND tỉnh Bắc Ninh 2026 · mục VII, TT 7.22 · tệp bac-ninh-ubnd-2026.md, dòng 10 · mã BN-7.22");
    expect(body).toContain("<dt>Thời gian hoàn thành</dt><dd>Tháng 6/2026 (tính đến 30/06/2026)</dd>");
  });
});

describe("exports", () => {
  it("writes the filtered view as .xlsx: Vietnamese headers, dates as dates, widths, the filters on a second sheet", async () => {
    const { get, b } = await setup();
    const r = await get(`${P}/nhiem-vu.xlsx?cq=${KHCN.id}&vai=lead`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="tien-do-2026-03-10.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.arrayBuffer());
    const ws = wb.getWorksheet("Nhiệm vụ")!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(EXPORT_COLUMNS.map((c) => c.header));
    const led = MANY.filter((t) => t.leadAgencies.some((a) => a.id === KHCN.id));
    expect(ws.rowCount).toBe(led.length + 1);
    const row = (id: string) => ws.getRows(2, ws.rowCount - 1)!.find((x) => x.getCell(1).value === id)!;
    const r722 = row("BN-7.22");
    expect(r722.getCell(6).value).toEqual(new Date(Date.UTC(2026, 5, 30)));
    expect(r722.getCell(6).numFmt).toBe("dd/mm/yyyy");
    expect(r722.getCell(9).value).toBe("Đang thực hiện");
    expect(r722.getCell(10).value).toBe(60);
    expect(r722.getCell(11).value).toBe("đã họp <script>alert('x')</script>"); // text in a cell, never a formula
    expect(r722.getCell(16).value).toEqual(new Date(Date.UTC(2026, 2, 10, 9, 0))); // 09:00 in Hà Nội
    expect(ws.getColumn(3).width).toBe(60);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const info = wb.getWorksheet("Thông tin")!;
    const about = Object.fromEntries(info.getRows(1, info.rowCount)!.map((x) => [x.getCell(1).value, x.getCell(2).value]));
    expect(about).toMatchObject({ "Bộ lọc": "Sở Khoa học và Công nghệ chủ trì", "Số nhiệm vụ": String(led.length), "Xuất lúc": "10/03/2026 09:00" });
    expect(b.store.audit.recent()[0]).toMatchObject({ action: "dashboard.export", detail: { format: "xlsx", rows: led.length } });
  });

  it("limits exports per person (429)", async () => {
    const { get } = await setup();
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await get(`${P}/nhiem-vu.csv`)).status);
    expect(codes).toEqual([...Array(10).fill(200), 429]);
  });
});

describe("html", () => {
  it("escapes every value, joins arrays, leaves out null and booleans", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}${["<", 1]}${null}${false}${undefined}</p>`.value).toBe("<p><b>&lt;i&gt;</b>&lt;1</p>");
  });
});
