// Rule protected here: the dashboard opens only through a one-time link that
// /bangdieukhien (or the CLI) gives to an admin or an approved official — it
// works once, for 10 minutes, becomes an 8-hour HttpOnly SameSite=Strict cookie
// (Secure under https), and only hashes of links and cookies are stored.
// Everything else is refused, and sign-ins go to the audit log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { runDashboardLinkCli } from "../../../src/cli/dashboard-link.js";
import { loadConfig } from "../../../src/config.js";
import { createDashboard, dashboardOrigin } from "../../../src/features/dashboard/index.js";
import { createPeople } from "../../../src/features/people/index.js";
import { silentLogger } from "../../../src/log.js";
import { ADMIN, config, KHCN, NV, seedUser } from "../progress/fixtures.js";
import { linkFor, serve, signIn, type Served } from "./fixtures.js";

let served: Served[] = [];
afterEach(async () => {
  for (const s of served) await s.close();
  served = [];
});
const start = async (opts: Parameters<typeof serve>[0] = {}) => {
  const s = await serve(opts);
  served.push(s);
  return s;
};
const P = "/bangdieukhien";
const post = (base: string, path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", origin: base, ...headers }, body: new URLSearchParams(body) });
const tokenOf = (url: string) => new URL(url).searchParams.get("t")!;

describe("/bangdieukhien", () => {
  it("gives an admin a link to every task, an approved official a link to their agency's", async () => {
    const { b, base } = await start();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    const admin = await b.text("/bangdieukhien", { userId: ADMIN.userId, chatId: ADMIN.userId });
    expect(admin).toMatch(new RegExp(`^Bảng điều khiển tiến độ \\(toàn bộ nhiệm vụ\\):\\n${base}/bangdieukhien/dang-nhap\\?t=[A-Za-z0-9_-]{43}\\nLiên kết dùng một lần, hết hạn lúc 09:10 \\(sau 10 phút\\)\\. Đừng chuyển liên kết này cho người khác\\.$`));
    expect(await b.text("/bang dieu khien")).toContain("(nhiệm vụ của Sở Khoa học và Công nghệ):");
  });

  it("refuses a group chat (no link there), the unregistered, a pending registration and a user with no agency", async () => {
    const { b } = await start();
    expect(await b.text("/bangdieukhien", { chatId: "-100", chatType: "group", userId: ADMIN.userId })).toBe(
      "Liên kết đăng nhập bảng điều khiển chỉ gửi trong chat riêng. Anh/chị hãy nhắn /bangdieukhien cho bot trong chat riêng.",
    );
    expect(await b.text("/bangdieukhien")).toBe("Bảng điều khiển dành cho quản trị viên và cán bộ đã đăng ký. Gõ /dangky để đăng ký với cơ quan của anh/chị.");
    seedUser(b.store, { userId: "100", agencyId: KHCN.id, approved: false });
    expect(await b.text("/bangdieukhien")).toBe("Đăng ký của anh/chị đang chờ quản trị viên duyệt nên chưa xem được bảng điều khiển.");
    seedUser(b.store, { userId: "100", agencyId: null, approved: true });
    expect(await b.text("/bangdieukhien")).toBe("Tài khoản của anh/chị chưa gắn cơ quan; gõ /dangky để chọn cơ quan.");
    expect(b.store.audit.recent().filter((a) => a.action === "dashboard.link")).toEqual([]);
  });

  it("is listed by /huongdan with its help", async () => {
    const { b } = await start();
    expect(await b.text("/huongdan")).toContain("/bangdieukhien — Liên kết mở bảng điều khiển tiến độ (trang web)");
    expect(await b.text("/huongdan bangdieukhien")).toContain("dùng được một lần, hết hạn sau 10 phút");
  });
});

describe("the sign-in link", () => {
  it("shows a page without using the link (chat previews fetch links), then works once and sets the session cookie", async () => {
    const { b, base } = await start();
    const url = await linkFor(b, ADMIN.userId);
    for (let i = 0; i < 2; i++) {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const body = await page.text();
      expect(body).toContain("Vào bảng điều khiển");
      expect(body).toContain(`name="t" value="${tokenOf(url)}"`);
    }
    const r = await post(base, `${P}/dang-nhap`, { t: tokenOf(url) });
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe(`${P}/`);
    const cookie = r.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^bdk_phien=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/bangdieukhien; HttpOnly; SameSite=Strict$/);
    const session = cookie.split(";")[0]!;
    expect((await fetch(`${base}${P}/`, { headers: { cookie: session } })).status).toBe(200);

    const again = await post(base, `${P}/dang-nhap`, { t: tokenOf(url) });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Liên kết đã được dùng");
    expect(again.headers.get("set-cookie")).toBeNull();
    expect((await fetch(url)).status).toBe(410);

    const actions = b.store.audit.recent().map((a) => a.action);
    expect(actions.slice(0, 3)).toEqual(["dashboard.signin.refused", "dashboard.signin", "dashboard.link"]);
    expect(b.store.audit.recent()[0]!.detail).toMatchObject({ why: "used" });
  });

  it("expires after 10 minutes; a wrong or cut token is refused", async () => {
    const { b, base } = await start();
    const url = await linkFor(b, ADMIN.userId);
    b.clock.now = new Date(b.clock.now.getTime() + 10 * 60_000);
    const r = await post(base, `${P}/dang-nhap`, { t: tokenOf(url) });
    expect(r.status).toBe(410);
    expect(await r.text()).toContain("Liên kết đã hết hạn");
    for (const t of [tokenOf(url).slice(0, -1), "x".repeat(43), "", "' OR 1=1 --"]) {
      expect((await post(base, `${P}/dang-nhap`, { t })).status).toBe(404);
      expect((await fetch(`${base}${P}/dang-nhap?t=${encodeURIComponent(t)}`)).status).toBe(404);
    }
  });

  it("lasts 8 hours, and signing out ends it", async () => {
    const { b, base } = await start();
    const cookie = await signIn(base, await linkFor(b, ADMIN.userId));
    b.clock.now = new Date(b.clock.now.getTime() + 8 * 3_600_000 - 1000);
    expect((await fetch(`${base}${P}/`, { headers: { cookie } })).status).toBe(200);
    b.clock.now = new Date(b.clock.now.getTime() + 1000);
    const late = await fetch(`${base}${P}/`, { headers: { cookie } });
    expect(late.status).toBe(401);
    expect(await late.text()).toContain("Gõ /bangdieukhien trong chat riêng với bot");

    const second = await signIn(base, await linkFor(b, ADMIN.userId));
    const out = await post(base, `${P}/dang-xuat`, {}, { cookie: second });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^bdk_phien=; Max-Age=0; Path=\/bangdieukhien/);
    expect((await fetch(`${base}${P}/`, { headers: { cookie: second } })).status).toBe(401);
  });

  it("judges rights on every request: an official no longer approved is refused and loses the cookie", async () => {
    const { b, base } = await start();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    const cookie = await signIn(base, await linkFor(b, "100"));
    expect((await fetch(`${base}${P}/`, { headers: { cookie } })).status).toBe(200);
    seedUser(b.store, { userId: "100", agencyId: KHCN.id, approved: false });
    const r = await fetch(`${base}${P}/`, { headers: { cookie } });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain("đang chờ quản trị viên duyệt");
    expect(r.headers.get("set-cookie")).toMatch(/^bdk_phien=; Max-Age=0/);
  });

  it("keeps only hashes: neither the link's token nor the cookie is in the database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kehoach-dash-"));
    try {
      const path = join(dir, "bot.sqlite");
      const { b, base } = await start({ path });
      const url = await linkFor(b, ADMIN.userId);
      const cookie = await signIn(base, url);
      const db = new Database(path, { readonly: true });
      try {
        const dump = JSON.stringify([db.prepare("SELECT * FROM dashboard_links").all(), db.prepare("SELECT * FROM dashboard_sessions").all(), db.prepare("SELECT * FROM audit_log").all()]);
        expect(dump).not.toContain(tokenOf(url));
        expect(dump).not.toContain(cookie.split("=")[1]);
        expect(dump).toMatch(/"token_hash":"[0-9a-f]{64}"/);
      } finally {
        db.close();
      }
    } finally {
      for (const s of served) await s.close();
      served = [];
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("limits sign-in attempts per address (429 with Retry-After)", async () => {
    const { b, base } = await start();
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await fetch(`${base}${P}/dang-nhap?t=${"a".repeat(43)}`)).status);
    expect(codes.slice(0, 30).every((c) => c === 404)).toBe(true);
    expect(codes[30]).toBe(429);
    const r = await fetch(`${base}${P}/dang-nhap?t=x`);
    expect(r.headers.get("retry-after")).toBe("60");
    b.clock.now = new Date(b.clock.now.getTime() + 60_000);
    expect((await fetch(`${base}${P}/dang-nhap?t=x`)).status).toBe(404);
  });

  it("refuses a POST from another site", async () => {
    const { b, base } = await start();
    const url = await linkFor(b, ADMIN.userId);
    expect((await post(base, `${P}/dang-nhap`, { t: tokenOf(url) }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(base, `${P}/dang-nhap`, { t: tokenOf(url) }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post(base, `${P}/dang-nhap`, { t: tokenOf(url) })).status).toBe(303); // still unused
  });

  it("marks the cookie Secure and sends HSTS when the dashboard's URL is https", async () => {
    const { b } = await start();
    const cfg = loadConfig({ ADMINS: `telegram:${ADMIN.userId}`, DASHBOARD_URL: "https://tiendo.example.gov.vn/" });
    const people = createPeople({ store: b.store, config: cfg, knowledge: b.knowledge });
    const d = createDashboard({ store: b.store, knowledge: b.knowledge, people, config: cfg, clock: () => b.clock.now, log: silentLogger() });
    const link = d.signIn.issue({ channel: "telegram", userId: ADMIN.userId }, "telegram", b.clock.now);
    if (!link.ok) throw new Error(link.reason);
    expect(link.url).toMatch(/^https:\/\/tiendo\.example\.gov\.vn\/bangdieukhien\/dang-nhap\?t=/);
    const r = await d.app.request("https://tiendo.example.gov.vn/bangdieukhien/dang-nhap", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://tiendo.example.gov.vn" },
      body: new URLSearchParams({ t: tokenOf(link.url) }),
    });
    expect(r.status).toBe(303);
    expect(r.headers.get("set-cookie")).toMatch(/; Path=\/bangdieukhien; HttpOnly; Secure; SameSite=Strict$/);
    expect(r.headers.get("strict-transport-security")).toBe("max-age=31536000");
  });

  it("points at DASHBOARD_URL, else PUBLIC_URL, else this machine's port", () => {
    expect(dashboardOrigin(loadConfig({ DASHBOARD_URL: "https://a.gov.vn/", PUBLIC_URL: "https://b.gov.vn", WEBHOOK_SECRET: "secret-123" }))).toBe("https://a.gov.vn");
    expect(dashboardOrigin(loadConfig({ PUBLIC_URL: "https://b.gov.vn", WEBHOOK_SECRET: "secret-123" }))).toBe("https://b.gov.vn");
    expect(dashboardOrigin(loadConfig({ PORT: "9090" }))).toBe("http://127.0.0.1:9090");
    expect(dashboardOrigin(loadConfig({ PORT: "0" }), 43210)).toBe("http://127.0.0.1:43210");
    expect(() => loadConfig({ DASHBOARD_URL: "tiendo.gov.vn" })).toThrow(/DASHBOARD_URL must be an http\(s\) URL/);
  });
});

describe("npm run -s cli -- dashboard-link", () => {
  it("prints a link for an admin or an approved official, refuses anyone else", async () => {
    const { b, base } = await start();
    seedUser(b.store, { userId: "200", agencyId: NV.id, name: "Trần Thị Bình" });
    const out: string[] = [];
    const err: string[] = [];
    const deps = { config: config({ PORT: base.split(":")[2]! }), knowledge: b.knowledge, store: b.store, now: b.clock.now, out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await runDashboardLinkCli(["--user", "telegram:200"], deps)).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^${base}/bangdieukhien/dang-nhap\\?t=[A-Za-z0-9_-]{43}$`));
    expect(err[0]).toBe("One-time link for Trần Thị Bình (telegram:200), tasks of Sở Nội vụ; works once, until 10/03/2026 09:10.");
    expect(await signIn(base, out[0]!)).toMatch(/^bdk_phien=/);
    expect(b.store.audit.recent().find((a) => a.action === "dashboard.link")?.detail).toEqual({ via: "cli" });

    expect(await runDashboardLinkCli(["--user", `telegram:${ADMIN.userId}`], deps)).toBe(0);
    expect(err[1]).toContain("every task (admin)");
    expect(await runDashboardLinkCli(["--user", "zalo:nobody"], deps)).toBe(1);
    expect(err[2]).toBe("zalo:nobody: Bảng điều khiển dành cho quản trị viên và cán bộ đã đăng ký. Gõ /dangky để đăng ký với cơ quan của anh/chị.");
    expect(await runDashboardLinkCli(["--user", "nobody"], deps)).toBe(2);
    expect(await runDashboardLinkCli([], deps)).toBe(2);
    expect(out).toHaveLength(2);
  });
});
