// The pages, rendered on the server from a snapshot: everything readable as
// text (tables and lists carry every number; charts only repeat them), every
// value escaped by `html`, no inline script or style.
import type { Task } from "../../knowledge/types.js";
import type { StatusUpdateView } from "../../store/index.js";
import { formatDate } from "../../text/dates.js";
import { statusLabel, viDateTime, STALE_DAYS, type AgencySummary, type Tally, type TaskStanding } from "../progress/index.js";
import type { Assets } from "./assets.js";
import {
  activeFilters,
  donePercent,
  filterQuery,
  meanPercent,
  PAGE_SIZE,
  type AgencySort,
  type Filters,
  type PlanSummary,
  type Role,
  type Snapshot,
  type TaskSort,
  type Week,
} from "./data.js";
import { html, jsonAttr, type Html, type Part } from "./html.js";
import { BUCKETS, bucketCount, bucketLabel } from "./palette.js";
import { DASHBOARD_PREFIX as P } from "./signin.js";

export const PATHS = {
  overview: `${P}/`,
  agencies: `${P}/co-quan`,
  tasks: `${P}/nhiem-vu`,
  task: (id: string) => `${P}/nhiem-vu/${encodeURIComponent(id)}`,
  trend: `${P}/xu-huong`,
  xlsx: `${P}/nhiem-vu.xlsx`,
  csv: `${P}/nhiem-vu.csv`,
  signIn: `${P}/dang-nhap`,
  signOut: `${P}/dang-xuat`,
  asset: (name: string) => `${P}/tep/${name}`,
} as const;

export interface Viewer {
  name: string;
  /** "Toàn bộ nhiệm vụ" or "Nhiệm vụ của Sở …". */
  scopeLabel: string;
}

type Nav = "overview" | "agencies" | "tasks" | "trend" | "none";

const n = (x: number): string => x.toLocaleString("vi-VN");
const NAV: [Nav, string, string][] = [
  ["overview", "Tổng quan", PATHS.overview],
  ["agencies", "Cơ quan", PATHS.agencies],
  ["tasks", "Nhiệm vụ", PATHS.tasks],
  ["trend", "Xu hướng", PATHS.trend],
];

function document(assets: Assets, title: string, body: Part, opts: { charts?: boolean } = {}): Html {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title} · Bảng điều khiển tiến độ</title>
<link rel="icon" href="${PATHS.asset(assets.icon.name)}" type="image/svg+xml">
<link rel="stylesheet" href="${PATHS.asset(assets.style.name)}">
${opts.charts ? html`<script src="${PATHS.asset(assets.chart.name)}" defer></script>` : ""}
<script src="${PATHS.asset(assets.app.name)}" defer></script>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A signed-in page: the header (who, sign out), the tabs, the content, the time of the figures. */
export function layout(assets: Assets, s: Snapshot, viewer: Viewer, nav: Nav, title: string, main: Part, opts: { charts?: boolean } = {}): Html {
  return document(
    assets,
    title,
    html`<a class="skip" href="#noi-dung">Bỏ qua, tới nội dung</a>
<header class="top">
  <p class="brand">Bảng điều khiển tiến độ</p>
  <span class="who">${viewer.name} · ${viewer.scopeLabel}</span>
  <form method="post" action="${PATHS.signOut}"><button type="submit">Đăng xuất</button></form>
</header>
<nav class="tabs" aria-label="Các trang">
${NAV.map(([k, label, href]) => html`<a href="${href}"${k === nav ? html` aria-current="page"` : ""}>${label}</a>`)}
</nav>
<main id="noi-dung">
${main}
</main>
<footer>Số liệu lúc ${viDateTime(s.now.toISOString(), s.timeZone)} (giờ Việt Nam), từ các báo cáo gửi qua /capnhat. Chỉ đọc: trang này không thay đổi dữ liệu.</footer>`,
    opts,
  );
}

/** A page for someone not signed in (or refused): a heading, a sentence, what to do. */
export function messagePage(assets: Assets, title: string, text: string, extra: Part = ""): Html {
  return document(
    assets,
    title,
    html`<main id="noi-dung" class="center"><div class="card"><h1>${title}</h1><p>${text}</p>${extra}</div></main>`,
  );
}

export const HOW_TO_GET_A_LINK = "Gõ /bangdieukhien trong chat riêng với bot (Telegram hoặc Zalo) để nhận liên kết đăng nhập mới.";

export function signInPage(assets: Assets, token: string, expiresAt: Date, timeZone: string): Html {
  return messagePage(
    assets,
    "Đăng nhập bảng điều khiển",
    `Liên kết này dùng được một lần, đến ${viDateTime(expiresAt.toISOString(), timeZone).slice(11)}. Phiên làm việc kéo dài 8 giờ.`,
    html`<form method="post" action="${PATHS.signIn}">
<input type="hidden" name="t" value="${token}">
<button class="btn" type="submit">Vào bảng điều khiển</button>
</form>`,
  );
}

// ---- pieces ----

const taskHref = (f: Partial<Filters>): string => PATHS.tasks + filterQuery({ role: "any", overdue: false, stale: false, sort: "han", dir: "asc", page: 1, ...f });

function kpis(t: Tally, base: Partial<Filters>): Html {
  return html`<ul class="kpis">
<li><a href="${taskHref(base)}"><span class="v">${n(t.tasks)}</span><span class="k">nhiệm vụ</span></a></li>
<li class="ok"><a href="${taskHref({ ...base, status: "hoan_thanh" })}"><span class="v">${donePercent(t)}%</span><span class="k">hoàn thành (${n(t.byStatus.hoan_thanh)} nhiệm vụ)</span></a></li>
<li class="bad"><a href="${taskHref({ ...base, overdue: true })}"><span class="v">${n(t.overdue)}</span><span class="k">quá hạn</span></a></li>
<li class="warn"><a href="${taskHref({ ...base, stale: true })}"><span class="v">${n(t.stale)}</span><span class="k">${STALE_DAYS} ngày chưa báo cáo</span></a></li>
</ul>`;
}

const statusSentence = (t: Tally): string => BUCKETS.map((b) => `${b.label} ${n(bucketCount(t, b.key))}`).join(", ");

function statusChart(title: string, t: Tally): Html {
  const data = { kind: "status", title, total: t.tasks, buckets: BUCKETS.map((b) => ({ label: b.label, color: b.color, value: bucketCount(t, b.key) })) };
  return html`<div class="chart"><canvas data-chart="${jsonAttr(data)}" role="img" aria-label="${`Biểu đồ tình trạng ${t.tasks} nhiệm vụ: ${statusSentence(t)}.`}"></canvas></div>`;
}

function legend(t: Tally, base: Partial<Filters>): Html {
  return html`<ul class="legend">
${BUCKETS.map(
  (b) => html`<li><a href="${taskHref({ ...base, status: b.key })}"><span class="name"><span class="sw sw-${b.key}" aria-hidden="true"></span>${b.label}</span><span class="n">${n(bucketCount(t, b.key))}</span></a></li>`,
)}
</ul>`;
}

function planCard(p: PlanSummary): Html {
  const t = p.tally;
  const base = { plan: p.id };
  return html`<section class="card plan" aria-labelledby="kh-${p.id}">
<h2 id="kh-${p.id}"><a href="${taskHref(base)}">${p.name}</a></h2>
<ul class="facts">
<li><b>${n(t.tasks)}</b> nhiệm vụ</li>
<li>hoàn thành <b>${donePercent(t)}%</b> (${n(t.byStatus.hoan_thanh)})</li>
<li>tiến độ bình quân <b>${meanPercent(t)}%</b></li>
<li class="bad"><a href="${taskHref({ ...base, overdue: true })}">quá hạn <b>${n(t.overdue)}</b></a></li>
<li class="warn"><a href="${taskHref({ ...base, stale: true })}">${STALE_DAYS} ngày chưa báo cáo <b>${n(t.stale)}</b></a></li>
</ul>
${statusChart(p.name, t)}
${legend(t, base)}
</section>`;
}

// ---- pages ----

export function overviewPage(assets: Assets, s: Snapshot, viewer: Viewer, o: { total: Tally; plans: PlanSummary[] }): Html {
  const labels = o.plans.map((p) => p.name);
  const donePlans = { kind: "plans", labels, done: o.plans.map((p) => donePercent(p.tally)) };
  const risks = { kind: "risks", labels, overdue: o.plans.map((p) => p.tally.overdue), stale: o.plans.map((p) => p.tally.stale) };
  const height = o.plans.length > 4 ? "tall" : "mid";
  const main = html`<h1>Tổng quan tiến độ</h1>
<p class="lead">${viewer.scopeLabel}: ${n(o.total.tasks)} nhiệm vụ trong ${n(o.plans.length)} kế hoạch. Bấm vào một con số để xem danh sách nhiệm vụ.</p>
${kpis(o.total, {})}
${o.plans.length === 0 ? html`<div class="card"><p>Chưa có nhiệm vụ nào trong phạm vi của anh/chị.</p></div>` : ""}
<div class="ovw">
${o.plans.length > 1
    ? html`<div class="grid two compare">
<section class="card"><h2>Tỷ lệ hoàn thành theo kế hoạch</h2>
<div class="chart ${height}"><canvas data-chart="${jsonAttr(donePlans)}" role="img" aria-label="${`Tỷ lệ hoàn thành: ${o.plans.map((p) => `${p.name} ${donePercent(p.tally)}%`).join("; ")}.`}"></canvas></div></section>
<section class="card"><h2>Quá hạn và ${STALE_DAYS} ngày chưa báo cáo</h2>
<div class="chart ${height}"><canvas data-chart="${jsonAttr(risks)}" role="img" aria-label="${`Quá hạn / ${STALE_DAYS} ngày chưa báo cáo: ${o.plans.map((p) => `${p.name} ${p.tally.overdue} / ${p.tally.stale}`).join("; ")}.`}"></canvas></div></section>
</div>`
    : ""}
<div class="grid two">
${o.plans.map(planCard)}
</div>
</div>
<p class="note">Cách tính: tình trạng của một nhiệm vụ là báo cáo mới nhất của nó. Hoàn thành = số nhiệm vụ báo cáo “Hoàn thành” trên tổng số nhiệm vụ; tiến độ bình quân = trung bình tỷ lệ (%) mới nhất, nhiệm vụ chưa báo cáo tính 0%. Quá hạn: đã qua thời hạn mà chưa hoàn thành. ${STALE_DAYS} ngày chưa báo cáo: chưa hoàn thành và không có báo cáo nào trong ${STALE_DAYS} ngày qua (kể cả chưa báo cáo lần nào).</p>`;
  return layout(assets, s, viewer, "overview", "Tổng quan", main, { charts: true });
}

const AGENCY_COLUMNS: [AgencySort, string, string][] = [
  ["nv", "Nhiệm vụ", "Số nhiệm vụ"],
  ...BUCKETS.filter((b) => b.key !== "chua_bao_cao").map((b): [AgencySort, string, string] => [b.key as AgencySort, b.label, b.label]),
  ["cbc", "Chưa báo cáo", "Chưa báo cáo"],
  ["tyle", "% hoàn thành", "Tỷ lệ hoàn thành"],
  ["quahan", "Quá hạn", "Quá hạn"],
  ["cbc30", `${STALE_DAYS} ngày chưa BC`, `${STALE_DAYS} ngày chưa báo cáo`],
];

function sortHeader(label: string, key: string, current: string, dir: "asc" | "desc", href: (key: string, dir: "asc" | "desc") => string, cls = "", title = label): Html {
  const on = key === current;
  const next = on && dir === "desc" ? "asc" : on ? "desc" : key === "ten" || key === "ma" || key === "han" ? "asc" : "desc";
  return html`<th scope="col"${cls ? html` class="${cls}"` : ""}${on ? html` aria-sort="${dir === "asc" ? "ascending" : "descending"}"` : ""}><a href="${href(key, next)}" title="${`Sắp xếp theo ${title}`}">${label}</a></th>`;
}

export function agenciesPage(assets: Assets, s: Snapshot, viewer: Viewer, role: Role, rows: AgencySummary[], sort: AgencySort, dir: "asc" | "desc"): Html {
  const href = (k: string, d: "asc" | "desc") => `${PATHS.agencies}?vai=${role}&sap=${k}&chieu=${d}`;
  const roleName = role === "lead" ? "chủ trì" : "phối hợp";
  const main = html`<h1>Tiến độ theo cơ quan</h1>
<p class="lead">Mỗi cơ quan được tính riêng theo vai trò: nhiệm vụ mình <b>chủ trì</b>, và nhiệm vụ mình <b>phối hợp</b>. Bấm tiêu đề cột để sắp xếp.</p>
<nav class="segs" aria-label="Vai trò">
<a href="${PATHS.agencies}?vai=lead"${role === "lead" ? html` aria-current="page"` : ""}>Chủ trì</a>
<a href="${PATHS.agencies}?vai=coordinator"${role === "coordinator" ? html` aria-current="page"` : ""}>Phối hợp</a>
</nav>
${rows.length === 0
    ? html`<div class="card"><p>Không có cơ quan nào ${roleName} nhiệm vụ trong phạm vi này.</p></div>`
    : html`<div class="scroll"><table class="agencies">
<caption class="sr">Số nhiệm vụ theo cơ quan ${roleName}, theo tình trạng</caption>
<thead><tr>${sortHeader("Cơ quan", "ten", sort, dir, href)}${AGENCY_COLUMNS.map(([k, label, title]) => sortHeader(label, k, sort, dir, href, "num", title))}</tr></thead>
<tbody>
${rows.map((r) => {
  const base: Partial<Filters> = r.agencyId ? { agency: r.agencyId, role } : {};
  const cell = (v: number, f: Partial<Filters>) => (r.agencyId && v > 0 ? html`<a href="${taskHref({ ...base, ...f })}">${n(v)}</a>` : n(v));
  return html`<tr>
<th scope="row">${r.agencyId ? html`<a href="${taskHref(base)}">${r.name}</a>` : r.name}</th>
<td class="num">${n(r.tasks)}</td>
${BUCKETS.filter((b) => b.key !== "chua_bao_cao").map((b) => html`<td class="num">${cell(bucketCount(r, b.key), { status: b.key })}</td>`)}
<td class="num">${cell(r.unreported, { status: "chua_bao_cao" })}</td>
<td class="num">${donePercent(r)}%</td>
<td class="num">${cell(r.overdue, { overdue: true })}</td>
<td class="num">${cell(r.stale, { stale: true })}</td>
</tr>`;
})}
</tbody></table></div>`}
<p class="note">Một nhiệm vụ có nhiều cơ quan chủ trì (hoặc phối hợp) được tính cho từng cơ quan.</p>`;
  return layout(assets, s, viewer, "agencies", "Theo cơ quan", main);
}

export interface TaskTableInput {
  filters: Filters;
  rows: TaskStanding[];
  plans: { id: string; name: string }[];
  sections: { plan: string; planName: string; sections: { key: string; label: string }[] }[];
  agencies: { id: string; name: string }[];
  /** The filters in words ("quá hạn; kế hoạch: …"). */
  described: string;
}

/** Filters in words, for the page, the workbook's "Thông tin" sheet and the audit log. */
export function describeFilters(f: Filters, planName: (id: string) => string, agencyName: (id: string) => string): string {
  const parts: string[] = [];
  if (f.plan) parts.push(`kế hoạch ${planName(f.plan)}`);
  if (f.section) parts.push(`mục ${f.section.split("|")[1]}`);
  if (f.agency) parts.push(`${agencyName(f.agency)}${f.role === "lead" ? " chủ trì" : f.role === "coordinator" ? " phối hợp" : ""}`);
  else if (f.role !== "any") parts.push(f.role === "lead" ? "vai trò chủ trì" : "vai trò phối hợp");
  if (f.status) parts.push(bucketLabel(f.status).toLowerCase());
  if (f.from) parts.push(`hạn từ ${formatDate(f.from)}`);
  if (f.to) parts.push(`hạn đến ${formatDate(f.to)}`);
  if (f.overdue) parts.push("quá hạn");
  if (f.stale) parts.push(`${STALE_DAYS} ngày chưa báo cáo`);
  if (f.q) parts.push(`tìm “${f.q}”`);
  return parts.join("; ") || "không lọc";
}

const option = (value: string, label: string, selected: boolean): Html => html`<option value="${value}"${selected ? html` selected` : ""}>${label}</option>`;

function stateCell(t: TaskStanding): Html {
  const st = t.latest?.status ?? "chua_bao_cao";
  return html`<span class="pill"><span class="sw sw-${st}" aria-hidden="true"></span>${t.latest ? statusLabel(t.latest.status) : "Chưa báo cáo"}</span>`;
}

function flags(t: TaskStanding): Html {
  return html`${t.overdue ? html` <span class="badge">Quá hạn</span>` : ""}${t.stale && t.latest ? html` <span class="badge stale">${STALE_DAYS} ngày chưa BC</span>` : ""}`;
}

export function tasksPage(assets: Assets, s: Snapshot, viewer: Viewer, input: TaskTableInput): Html {
  const f = input.filters;
  const total = input.rows.length;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const shown = input.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const href = (k: string, d: "asc" | "desc") => PATHS.tasks + filterQuery(f, { sort: k as TaskSort, dir: d, page: 1 });
  const exportQuery = filterQuery(f, { page: 1 });
  const active = activeFilters(f);
  const main = html`<h1>Danh sách nhiệm vụ</h1>
<details class="card filterbox" data-open-wide>
<summary>Bộ lọc: ${active ? input.described : "chưa lọc"}</summary>
<form class="filters" method="get" action="${PATHS.tasks}" aria-label="Bộ lọc">
<label>Kế hoạch<select name="kh"><option value="">Tất cả</option>${input.plans.map((p) => option(p.id, p.name, f.plan === p.id))}</select></label>
<label>Mục<select name="muc"><option value="">Tất cả</option>${input.sections.map(
    (g) => html`<optgroup label="${g.planName}">${g.sections.map((x) => option(x.key, x.label, f.section === x.key))}</optgroup>`,
  )}</select></label>
<label>Cơ quan<select name="cq"><option value="">Tất cả</option>${input.agencies.map((a) => option(a.id, a.name, f.agency === a.id))}</select></label>
<label>Vai trò<select name="vai">${option("any", "Chủ trì hoặc phối hợp", f.role === "any")}${option("lead", "Chủ trì", f.role === "lead")}${option("coordinator", "Phối hợp", f.role === "coordinator")}</select></label>
<label>Tình trạng<select name="tt"><option value="">Tất cả</option>${BUCKETS.map((b) => option(b.key, b.label, f.status === b.key))}</select></label>
<label>Hạn từ ngày<input type="date" name="tu" value="${f.from ?? ""}"></label>
<label>đến ngày<input type="date" name="den" value="${f.to ?? ""}"></label>
<label>Tìm theo mã, tên<input type="search" name="q" value="${f.q ?? ""}" maxlength="100" placeholder="VD: BN-7.22, chuyển đổi số"></label>
<label class="check"><input type="checkbox" name="quahan" value="1"${f.overdue ? html` checked` : ""}> Chỉ nhiệm vụ quá hạn</label>
<label class="check"><input type="checkbox" name="cbc30" value="1"${f.stale ? html` checked` : ""}> ${STALE_DAYS} ngày chưa báo cáo</label>
<div class="actions wide"><button class="btn" type="submit">Lọc</button>${active ? html`<a href="${PATHS.tasks}">Bỏ lọc</a>` : ""}</div>
</form>
</details>
<div class="results">
<p role="status">${n(total)} nhiệm vụ${pages > 1 ? ` · trang ${page}/${pages}` : ""}</p>
<div class="actions"><a class="btn light" href="${PATHS.xlsx + exportQuery}" download>Tải Excel (.xlsx)</a><a href="${PATHS.csv + exportQuery}" download>Tải CSV</a></div>
</div>
${total === 0
    ? html`<div class="card"><p>Không có nhiệm vụ nào khớp bộ lọc.</p></div>`
    : html`<div class="scroll"><table class="cards tasks">
<caption class="sr">Nhiệm vụ theo bộ lọc</caption>
<thead><tr>${sortHeader("Mã", "ma", f.sort, f.dir, href)}<th scope="col">Nhiệm vụ</th><th scope="col">Chủ trì</th>${sortHeader("Thời hạn", "han", f.sort, f.dir, href)}${sortHeader("Tình trạng", "tt", f.sort, f.dir, href)}${sortHeader("Tỷ lệ", "tyle", f.sort, f.dir, href, "num")}${sortHeader("Báo cáo gần nhất", "bc", f.sort, f.dir, href)}</tr></thead>
<tbody>
${shown.map(
  (t) => html`<tr>
<td data-label="Mã"><span><a href="${PATHS.task(t.id)}">${t.id}</a></span></td>
<td class="name" data-label="Nhiệm vụ"><a href="${PATHS.task(t.id)}">${t.name}</a></td>
<td data-label="Chủ trì"><span>${t.lead || "(chưa rõ)"}</span></td>
<td data-label="Thời hạn"><span>${t.due ? formatDate(t.due) : t.deadlineRaw || "(không ghi)"}${flags(t)}</span></td>
<td data-label="Tình trạng"><span>${stateCell(t)}</span></td>
<td class="num" data-label="Tỷ lệ"><span>${t.latest ? `${t.latest.percent}%` : "—"}</span></td>
<td data-label="Báo cáo gần nhất"><span>${t.latest ? viDateTime(t.latest.reportedAt, s.timeZone) : "—"}</span></td>
</tr>`,
)}
</tbody></table></div>`}
${pages > 1
    ? html`<nav class="pager" aria-label="Trang">${page > 1 ? html`<a href="${PATHS.tasks + filterQuery(f, { page: page - 1 })}" rel="prev">← Trang trước</a>` : ""}<span>Trang ${page}/${pages}</span>${page < pages ? html`<a href="${PATHS.tasks + filterQuery(f, { page: page + 1 })}" rel="next">Trang sau →</a>` : ""}</nav>`
    : ""}`;
  return layout(assets, s, viewer, "tasks", "Nhiệm vụ", main);
}

function historyItem(u: StatusUpdateView, timeZone: string, agencyName: (id: string | null) => string): Html {
  const text = (label: string, v: string) => (v ? html`<p><span class="lbl">${label}:</span> ${v}</p>` : "");
  return html`<li>
<p><span class="pill"><span class="sw sw-${u.status}" aria-hidden="true"></span><b>${statusLabel(u.status)}</b></span> · <b>${u.percent}%</b></p>
<p class="when">${viDateTime(u.reportedAt, timeZone)} · ${u.userName}${u.userAgencyId ? ` (${agencyName(u.userAgencyId)})` : ""} · qua ${u.channel === "telegram" ? "Telegram" : u.channel === "zalo" ? "Zalo" : u.channel}</p>
${text("Đã làm", u.done)}${text("Vướng mắc", u.obstacles)}${text("Đề xuất", u.proposal)}${u.expectedBy ? text("Dự kiến xong", formatDate(u.expectedBy)) : ""}
</li>`;
}

export function citation(task: Task, planName: string, planFile: string): string {
  const where = [task.section.number ? `mục ${task.section.number}` : "", task.ordinal ? `TT ${task.ordinal}` : ""].filter(Boolean).join(", ");
  const lines = task.source.endLine > task.source.line ? `dòng ${task.source.line}–${task.source.endLine}` : `dòng ${task.source.line}`;
  return ["Nguồn: " + planName, where, `tệp ${planFile || task.source.file}, ${lines}`, `mã ${task.id}`].filter(Boolean).join(" · ");
}

export function taskPage(
  assets: Assets,
  s: Snapshot,
  viewer: Viewer,
  t: TaskStanding,
  task: Task | undefined,
  history: StatusUpdateView[],
  agencyName: (id: string | null) => string,
): Html {
  const plan = s.knowledge.plan(t.plan);
  const planName = plan?.shortName ?? t.plan;
  const row = task
    ? html`<dl class="row">
<dt>Kế hoạch</dt><dd>${planName}${plan?.number ? ` (số ${plan.number})` : ""}</dd>
<dt>Mục</dt><dd>${[task.section.number, task.section.title].filter(Boolean).join(". ") || "(không ghi)"}</dd>
${task.ordinal ? html`<dt>TT</dt><dd>${task.ordinal}</dd>` : ""}
${task.parent ? html`<dt>Thuộc nhiệm vụ</dt><dd>${task.parent}</dd>` : ""}
<dt>Nhiệm vụ</dt><dd>${task.name}</dd>
<dt>Cơ quan chủ trì</dt><dd>${task.leadRaw || "(kế hoạch không ghi)"}</dd>
<dt>Cơ quan phối hợp</dt><dd>${task.coordinatorsRaw || "(kế hoạch không ghi)"}</dd>
<dt>Thời gian hoàn thành</dt><dd>${task.deadline.raw || "(kế hoạch không ghi)"}${task.deadline.due && task.deadline.raw !== formatDate(task.deadline.due) ? ` (tính đến ${formatDate(task.deadline.due)})` : ""}</dd>
${task.basis ? html`<dt>Ghi chú</dt><dd>${task.basis}</dd>` : ""}
</dl>
<p class="cite">${citation(task, planName, plan?.file ?? "")}</p>`
    : html`<dl class="row">
<dt>Kế hoạch</dt><dd>${planName}</dd>
<dt>Nhiệm vụ</dt><dd>${t.name}</dd>
<dt>Cơ quan chủ trì</dt><dd>${t.lead || "(chưa rõ)"}</dd>
<dt>Cơ quan phối hợp</dt><dd>${t.coordinators || "(không)"}</dd>
<dt>Thời hạn</dt><dd>${t.due ? formatDate(t.due) : t.deadlineRaw || "(không ghi)"}</dd>
</dl>
<p class="cite">Nhiệm vụ không còn trong kế hoạch hiện hành; lịch sử báo cáo được giữ lại.</p>`;
  const l = t.latest;
  const main = html`<p><a href="${PATHS.tasks}">← Danh sách nhiệm vụ</a></p>
<h1>${t.id} · ${t.name}</h1>
<section class="card" aria-labelledby="tinh-hinh">
<h2 id="tinh-hinh">Tình hình</h2>
${l
    ? html`<p>${stateCell(t)} · <b>${l.percent}%</b>${flags(t)} — báo cáo lúc ${viDateTime(l.reportedAt, s.timeZone)}</p>`
    : html`<p>${stateCell(t)}${flags(t)}</p>`}
</section>
<section class="card" aria-labelledby="dong-ke-hoach">
<h2 id="dong-ke-hoach">Dòng trong kế hoạch</h2>
${row}
</section>
<section class="card" aria-labelledby="lich-su">
<h2 id="lich-su">Lịch sử báo cáo (${n(history.length)})</h2>
${history.length ? html`<ol class="history" reversed>${history.map((u) => historyItem(u, s.timeZone, agencyName))}</ol>` : html`<p>Chưa có báo cáo nào.</p>`}
</section>`;
  return layout(assets, s, viewer, "tasks", `${t.id}`, main);
}

export function trendPage(assets: Assets, s: Snapshot, viewer: Viewer, weeks: Week[], plans: { id: string; name: string }[], plan: string | undefined): Html {
  const short = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}`;
  const data = { kind: "trend", labels: weeks.map((w) => short(w.start)), updates: weeks.map((w) => w.updates), pct: weeks.map((w) => w.pct) };
  const total = weeks.reduce((a, w) => a + w.updates, 0);
  const last = weeks.at(-1);
  const main = html`<h1>Xu hướng</h1>
<p class="lead">Số báo cáo mỗi tuần (thứ Hai đến Chủ nhật) và tỷ lệ nhiệm vụ hoàn thành vào cuối mỗi tuần, ${n(weeks.length)} tuần gần nhất có số liệu.</p>
<form class="filters card" method="get" action="${PATHS.trend}" aria-label="Chọn kế hoạch">
<label class="wide">Kế hoạch<select name="kh"><option value="">Tất cả kế hoạch</option>${plans.map((p) => option(p.id, p.name, plan === p.id))}</select></label>
<div class="actions"><button class="btn" type="submit">Xem</button></div>
</form>
<section class="card"><h2>Báo cáo mỗi tuần và % hoàn thành</h2>
<div class="chart tall"><canvas data-chart="${jsonAttr(data)}" role="img" aria-label="${`Biểu đồ ${weeks.length} tuần: ${n(total)} báo cáo; hoàn thành ${last?.pct ?? 0}% vào tuần gần nhất. Số liệu từng tuần ở bảng dưới.`}"></canvas></div>
</section>
<div class="scroll"><table class="trend">
<caption class="sr">Số báo cáo và tỷ lệ hoàn thành theo tuần</caption>
<thead><tr><th scope="col">Tuần</th><th scope="col" class="num">Số báo cáo</th><th scope="col" class="num">Nhiệm vụ hoàn thành</th><th scope="col" class="num">% hoàn thành</th></tr></thead>
<tbody>
${[...weeks].reverse().map((w) => html`<tr><th scope="row">${formatDate(w.start)} – ${formatDate(w.end)}</th><td class="num">${n(w.updates)}</td><td class="num">${n(w.done)}</td><td class="num">${w.pct}%</td></tr>`)}
</tbody></table></div>`;
  return layout(assets, s, viewer, "trend", "Xu hướng", main, { charts: true });
}

