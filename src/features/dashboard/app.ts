// The dashboard's web app (Hono): every path under /bangdieukhien and nothing
// else. Pages are read-only; the only POSTs sign in (a link's token becomes a
// session cookie) and sign out. Strict headers on every answer (a CSP with no
// inline script or style), rate limits on signing in and on exports.
import type { HttpBindings } from "@hono/node-server";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../../config.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Logger } from "../../log.js";
import type { Store } from "../../store/index.js";
import { exportCsv, viDateTime } from "../progress/index.js";
import type { People } from "../people/index.js";
import { loadAssets, type Assets } from "./assets.js";
import {
  AGENCY_SORTS,
  agencyTable,
  compareVi,
  taskById,
  filterTasks,
  overview,
  parseFilters,
  sectionsOf,
  snapshot,
  trend,
  type AgencySort,
  type Filters,
  type Snapshot,
} from "./data.js";
import type { Html } from "./html.js";
import { agenciesPage, describeFilters, HOW_TO_GET_A_LINK, messagePage, overviewPage, PATHS, signInPage, taskPage, tasksPage, trendPage, type Viewer } from "./pages.js";
import { RateLimit } from "./rate.js";
import { DASHBOARD_PREFIX, SESSION_TTL_MS, type SessionUser, type SignIn } from "./signin.js";
import { exportXlsx, warmXlsx, XLSX_MIME } from "./xlsx.js";

export const COOKIE = "bdk_phien";

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'none'",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export interface DashboardAppDeps {
  store: Store;
  knowledge: KnowledgeIndex;
  people: People;
  config: Pick<Config, "TIMEZONE">;
  signIn: SignIn;
  clock: () => Date;
  log: Logger;
  /** Sign-in attempts (GET or POST of the link) per address per minute. */
  signInPerMinute?: number;
  /** Exports per session per minute. */
  exportsPerMinute?: number;
}

type Env = { Bindings: Partial<HttpBindings>; Variables: { who: SessionUser } };

export function createDashboardApp(deps: DashboardAppDeps): Hono<Env> {
  const { store, knowledge, people, signIn, clock, log } = deps;
  const tz = deps.config.TIMEZONE;
  let assets: Assets | undefined;
  const files = () => (assets ??= loadAssets());
  const signInLimit = new RateLimit(deps.signInPerMinute ?? 30, 60_000);
  const exportLimit = new RateLimit(deps.exportsPerMinute ?? 10, 60_000);
  const secure = () => signIn.origin().startsWith("https:");
  const remote = (c: Context<Env>) => c.env?.incoming?.socket?.remoteAddress ?? "local";

  const page = (c: Context<Env>, body: Html, status: 200 | 400 | 401 | 403 | 404 | 410 | 429 | 500 = 200) => c.html(body.value, status);
  const message = (c: Context<Env>, status: 400 | 401 | 403 | 404 | 410 | 429 | 500, title: string, text: string) =>
    page(c, messagePage(files(), title, text), status);

  // strict: false — "/bangdieukhien" and "/bangdieukhien/" are the same page.
  const app = new Hono<Env>({ strict: false }).basePath(DASHBOARD_PREFIX);

  // Every answer: strict headers; nothing but the hashed static files is cached.
  app.use(async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (secure()) h.set("Strict-Transport-Security", "max-age=31536000");
    if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
  });

  // A POST must come from the dashboard's own pages.
  app.use(async (c, next) => {
    if (c.req.method === "POST") {
      const site = c.req.header("sec-fetch-site");
      const origin = c.req.header("origin");
      const own = [signIn.origin(), `${secure() ? "https" : "http"}://${c.req.header("host") ?? ""}`, new URL(c.req.url).origin];
      if ((site && site !== "same-origin" && site !== "none") || (origin && origin !== "null" && !own.includes(origin))) {
        return message(c, 403, "Yêu cầu bị từ chối", "Yêu cầu này không đến từ trang bảng điều khiển.");
      }
    }
    return next();
  });

  app.onError((err, c) => {
    log.error("dashboard: request failed", { err, path: c.req.path });
    return message(c, 500, "Lỗi hệ thống", "Xin lỗi, hệ thống gặp lỗi khi mở trang này. Vui lòng thử lại sau ít phút.");
  });
  app.notFound((c) => message(c, 404, "Không có trang này", "Địa chỉ này không thuộc bảng điều khiển."));

  // ---- static files ----
  app.get("/tep/:name", (c) => {
    const a = files().byName(c.req.param("name"));
    if (!a) return message(c, 404, "Không có tệp này", "Tệp không tồn tại.");
    const gz = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    const body = gz ? a.gzip : a.body;
    return c.body(new Uint8Array(body), 200, {
      "Content-Type": a.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      Vary: "Accept-Encoding",
      ...(gz ? { "Content-Encoding": "gzip" } : {}),
    });
  });

  // ---- signing in and out ----
  const limited: MiddlewareHandler<Env> = async (c, next) => {
    const wait = signInLimit.take(remote(c), clock().getTime());
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return message(c, 429, "Thử lại sau ít phút", `Có quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau ${wait} giây.`);
    }
    return next();
  };

  const refusedLink = (c: Context<Env>, why: "unknown" | "used" | "expired") => {
    if (why === "used") return message(c, 410, "Liên kết đã được dùng", `Mỗi liên kết đăng nhập chỉ dùng được một lần. ${HOW_TO_GET_A_LINK}`);
    if (why === "expired") return message(c, 410, "Liên kết đã hết hạn", `Liên kết đăng nhập chỉ có hiệu lực 10 phút. ${HOW_TO_GET_A_LINK}`);
    return message(c, 404, "Liên kết không đúng", `Liên kết đăng nhập không đúng hoặc bị cắt mất một phần. ${HOW_TO_GET_A_LINK}`);
  };

  // Showing the page uses nothing up: chat apps fetch links to preview them.
  app.get("/dang-nhap", limited, (c) => {
    const token = c.req.query("t") ?? "";
    const r = signIn.check(token, clock());
    if (!r.ok) return refusedLink(c, r.why);
    return page(c, signInPage(files(), token, r.expiresAt, tz));
  });

  app.post("/dang-nhap", limited, async (c) => {
    const text = await c.req.text();
    if (text.length > 2000) return message(c, 400, "Yêu cầu không hợp lệ", HOW_TO_GET_A_LINK);
    const token = new URLSearchParams(text).get("t") ?? "";
    const r = signIn.redeem(token, clock(), remote(c));
    if (!r.ok) {
      if (r.why === "refused") return message(c, 403, "Không có quyền xem", r.reason ?? "Tài khoản không còn quyền xem bảng điều khiển.");
      return refusedLink(c, r.why);
    }
    warmXlsx();
    setCookie(c, COOKIE, r.session, { path: DASHBOARD_PREFIX, httpOnly: true, sameSite: "Strict", secure: secure(), maxAge: SESSION_TTL_MS / 1000 });
    return c.redirect(PATHS.overview, 303);
  });

  app.post("/dang-xuat", (c) => {
    signIn.signOut(getCookie(c, COOKIE), clock());
    deleteCookie(c, COOKIE, { path: DASHBOARD_PREFIX, httpOnly: true, sameSite: "Strict", secure: secure() });
    return page(c, messagePage(files(), "Đã đăng xuất", `Anh/chị đã đăng xuất khỏi bảng điều khiển. ${HOW_TO_GET_A_LINK}`));
  });

  // ---- everything below needs a session ----
  app.use(async (c, next) => {
    const who = signIn.session(getCookie(c, COOKIE), clock());
    if (!who) return message(c, 401, "Cần đăng nhập", `Anh/chị chưa đăng nhập, hoặc phiên làm việc (8 giờ) đã hết. ${HOW_TO_GET_A_LINK}`);
    if ("refused" in who) {
      deleteCookie(c, COOKIE, { path: DASHBOARD_PREFIX });
      return message(c, 403, "Không có quyền xem", who.refused);
    }
    c.set("who", who);
    return next();
  });

  const viewerOf = (who: SessionUser): Viewer => ({
    name: who.user.name,
    scopeLabel: who.access.scope.kind === "all" ? "Toàn bộ nhiệm vụ" : `Nhiệm vụ của ${people.agencyName(who.access.scope.agencyId)}`,
  });
  const snap = (who: SessionUser): Snapshot => snapshot(store, knowledge, clock(), tz, who.access.scope);
  const plansOf = (s: Snapshot) => knowledge.plans.filter((p) => s.active.some((t) => t.plan === p.id)).map((p) => ({ id: p.id, name: p.shortName }));
  const query = (c: Context<Env>) => (name: string) => c.req.query(name);
  // The trend reads every update: kept until a new one is added (updates are never changed or removed).
  let timeline: { lastId: number; rows: ReturnType<Store["updates"]["timeline"]> } | undefined;
  const timelineNow = () => {
    const lastId = store.updates.lastId();
    if (timeline?.lastId !== lastId) timeline = { lastId, rows: store.updates.timeline() };
    return timeline.rows;
  };

  app.get("/", (c) => {
    const who = c.get("who");
    const s = snap(who);
    return page(c, overviewPage(files(), s, viewerOf(who), overview(s)));
  });

  app.get("/co-quan", (c) => {
    const who = c.get("who");
    const s = snap(who);
    const role = c.req.query("vai") === "coordinator" ? "coordinator" : "lead";
    const sortArg = c.req.query("sap") ?? "";
    const sort: AgencySort = (AGENCY_SORTS as readonly string[]).includes(sortArg) ? (sortArg as AgencySort) : "quahan";
    const dir = c.req.query("chieu") === "asc" ? "asc" : c.req.query("chieu") === "desc" ? "desc" : sort === "ten" ? "asc" : "desc";
    return page(c, agenciesPage(files(), s, viewerOf(who), role, agencyTable(s, role, sort, dir), sort, dir));
  });

  const tableInput = (s: Snapshot, f: Filters) => {
    const ids = new Set(s.active.flatMap((t) => [...t.leadIds, ...t.coordinatorIds]));
    const agencies = knowledge.agencies
      .filter((a) => ids.has(a.id))
      .map((a) => ({ id: a.id, name: a.canonical }))
      .sort((a, b) => compareVi(a.name, b.name));
    return { filters: f, rows: filterTasks(s, f), plans: plansOf(s), sections: sectionsOf(s), agencies, described: describe(f) };
  };

  app.get("/nhiem-vu", (c) => {
    const who = c.get("who");
    const s = snap(who);
    return page(c, tasksPage(files(), s, viewerOf(who), tableInput(s, parseFilters(query(c), knowledge))));
  });

  const describe = (f: Filters): string =>
    describeFilters(f, (id) => knowledge.plan(id)?.shortName ?? id, (id) => people.agencyName(id));

  const exportRoute = (format: "xlsx" | "csv") => async (c: Context<Env>) => {
    const who = c.get("who");
    const now = clock();
    const wait = exportLimit.take(`${who.user.id}`, now.getTime());
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return message(c, 429, "Thử lại sau ít phút", `Anh/chị đã tải nhiều lần trong một phút. Vui lòng thử lại sau ${wait} giây.`);
    }
    const s = snap(who);
    const f = parseFilters(query(c), knowledge);
    const rows = filterTasks(s, f);
    const name = `tien-do-${s.today}.${format}`;
    store.audit.log({
      actor: who.access.actor,
      action: "dashboard.export",
      subject: `user:${who.user.id}`,
      detail: { format, rows: rows.length, filters: describe(f) },
      at: now,
    });
    const headers = { "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" };
    if (format === "csv") {
      return c.body(exportCsv(store, knowledge, now, tz, rows), 200, { ...headers, "Content-Type": "text/csv; charset=utf-8" });
    }
    const body = await exportXlsx({
      rows,
      knowledge,
      timeZone: tz,
      now,
      about: [
        ["Bảng", "Tiến độ nhiệm vụ (bảng điều khiển)"],
        ["Xuất lúc", viDateTime(now.toISOString(), tz)],
        ["Người xuất", `${who.user.name} (${who.access.actor})`],
        ["Phạm vi", viewerOf(who).scopeLabel],
        ["Bộ lọc", describe(f)],
        ["Số nhiệm vụ", String(rows.length)],
        ["Cách tính", "Tình trạng, tỷ lệ và các cột báo cáo là của báo cáo mới nhất của mỗi nhiệm vụ; ngày giờ theo giờ Việt Nam."],
      ],
    });
    return c.body(new Uint8Array(body), 200, { ...headers, "Content-Type": XLSX_MIME });
  };
  app.get("/nhiem-vu.xlsx", exportRoute("xlsx"));
  app.get("/nhiem-vu.csv", exportRoute("csv"));

  app.get("/nhiem-vu/:id", (c) => {
    const who = c.get("who");
    const id = c.req.param("id");
    const s = snap(who);
    const t = s.all.find((x) => x.id === id);
    if (!t) {
      const exists = taskById(knowledge, id) !== undefined || store.tasks.get(id) !== undefined;
      if (exists) return message(c, 403, "Không thuộc phạm vi của anh/chị", `Nhiệm vụ ${id} không do ${viewerOf(who).scopeLabel.replace(/^Nhiệm vụ của /, "")} chủ trì hay phối hợp, nên anh/chị không xem được tình hình của nó.`);
      return message(c, 404, "Không có nhiệm vụ này", `Không có nhiệm vụ mã “${id.slice(0, 40)}”.`);
    }
    const history = store.updates.history(t.id, 100_000);
    return page(c, taskPage(files(), s, viewerOf(who), t, taskById(knowledge, t.id), history, (a) => people.agencyName(a)));
  });

  app.get("/xu-huong", (c) => {
    const who = c.get("who");
    const s = snap(who);
    const planArg = c.req.query("kh");
    const plan = planArg && knowledge.plan(planArg) ? planArg : undefined;
    const weeks = trend(s, timelineNow(), { weeks: 26, plan });
    return page(c, trendPage(files(), s, viewerOf(who), weeks, plansOf(s), plan));
  });

  return app;
}
