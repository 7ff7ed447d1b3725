// The answers that are more than one record: a list or a count (complete,
// paged, per plan), reporting duties grouped by schedule, a plan's overview,
// and a task's saved status. Every line comes from record fields or the store.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Duty, Task } from "../../knowledge/types.js";
import { formatDate } from "../../text/dates.js";
import { truncate } from "../../text/vietnamese.js";
import type { Formatter } from "./compose.js";
import type { Query } from "./query.js";
import { dueOf, milestonesOf, selectRecords, sortRecords, type FieldRecord, type SelectContext } from "./select.js";

/** What a record is about, in its own words. */
const nameOf = (r: FieldRecord): string => (r.kind === "duty" ? r.action : r.kind === "passage" ? r.text : r.name);

export interface Composed {
  text: string;
  /** Every record the answer is about (for a list: all its rows, not only the page shown). */
  records: FieldRecord[];
  notFound?: boolean;
  total?: number;
  page?: number;
  pages?: number;
  choices?: { label: string; value: string }[];
}

/** The store's saved statuses, as the ask feature reads them. */
export interface ProgressReader {
  latest(taskId: string): { status: string; statusLabel: string; percent: number; reportedAt: string } | undefined;
  count(taskId: string): number;
  /** Tasks with at least one report. */
  reported(): ReadonlySet<string>;
}

const ROLE_WORD = { lead: "chủ trì", coordinator: "phối hợp", either: "chủ trì hoặc phối hợp" } as const;

function kindCounts(rows: FieldRecord[]): string {
  const t = rows.filter((r) => r.kind === "task").length;
  const i = rows.filter((r) => r.kind === "indicator").length;
  const d = rows.filter((r) => r.kind === "duty").length;
  const p = rows.filter((r) => r.kind === "passage").length;
  const parts = [t ? `${t} nhiệm vụ` : "", i ? `${i} chỉ tiêu` : "", d ? `${d} việc ở phần tổ chức thực hiện` : "", p ? `${p} việc nêu trong phần nội dung` : ""].filter(Boolean);
  return parts.length > 1 ? `${rows.length} việc (${parts.join(", ")})` : parts[0] ?? `${rows.length} việc`;
}

function scopeWords(fmt: Formatter, q: Query, o: { today: string; reportsKnown: boolean }): string {
  const parts: string[] = [];
  if (q.plans.length) parts.push(` trong ${q.plans.map((p) => fmt.planName(p)).join(", ")}`);
  if (q.appendix) parts.push(q.appendix === "*" ? ", phần phụ lục" : `, Phụ lục ${q.appendix.toUpperCase()}`);
  if (q.section) parts.push(`, mục/nhóm ${q.section.toUpperCase()}`);
  if (q.period) parts.push(q.period.exact ? ` có hạn đúng ${q.period.label}` : q.period.label.startsWith("trước") ? ` có hạn ${q.period.label}` : ` có hạn trong ${q.period.label}`);
  if (q.state === "overdue") parts.push(` đã quá hạn (tính đến ${formatDate(o.today)}, theo thời hạn trong kế hoạch)${o.reportsKnown ? " và chưa báo cáo hoàn thành" : ""}`);
  if (q.state === "due-soon") parts.push(" sắp đến hạn (30 ngày tới)");
  if (q.state === "recurring") parts.push(" thực hiện thường xuyên, định kỳ");
  return parts.join("");
}

const NONE_ROLE = { lead: "do {who} chủ trì", coordinator: "có {who} phối hợp", either: "có {who} chủ trì hoặc phối hợp" } as const;

export interface ListOptions {
  pageSize: number;
  today: string;
  /** The store's reports are known (an overdue list leaves out what was reported done). */
  reportsKnown: boolean;
  /** Plans that do have rows, when the plans asked about have none. */
  elsewhere?: string[];
  /** When a period has nothing due: what falls due next. */
  next?: FieldRecord[];
}

export function listAnswer(fmt: Formatter, q: Query, rows: FieldRecord[], o: ListOptions): Composed {
  const who = q.agencies.map((a) => a.name).join(q.agencyMode === "all" ? " cùng " : ", ");
  const role = ROLE_WORD[q.role];
  const scope = scopeWords(fmt, q, o);
  if (rows.length === 0) {
    const head = q.agencies.length
      ? `Không tìm thấy nhiệm vụ, chỉ tiêu nào ${NONE_ROLE[q.role].replace("{who}", who)}${scope}.`
      : `Không có nhiệm vụ nào${scope}.`;
    const also = o.elsewhere?.length ? `\nCó trong: ${o.elsewhere.join("; ")}.` : "";
    const next = o.next ?? [];
    const choices = next.map((r) => ({ label: `${r.id} — ${truncate(nameOf(r), 70)} (hạn ${formatDate(dueOf(r))})`, value: r.id }));
    const hint = next.length ? "\n\nCác việc có hạn gần nhất sau đó — gõ mã để xem:" : "";
    return { text: head + also + hint, records: next, notFound: true, total: 0, page: 1, pages: 0, ...(choices.length ? { choices } : {}) };
  }
  const total = rows.length;
  const pages = Math.ceil(total / o.pageSize);
  const page = Math.min(Math.max(1, q.page), pages);
  const shown = rows.slice((page - 1) * o.pageSize, page * o.pageSize);
  const head =
    q.ask === "count"
      ? q.agencies.length
        ? `${total} — ${who} ${role} ${kindCounts(rows)}${scope}:`
        : `${total} — có ${kindCounts(rows)}${scope}:`
      : q.agencies.length
        ? `${who} ${role} ${kindCounts(rows)}${scope}:`
        : `Có ${kindCounts(rows)}${scope}:`;
  const lines = [head];
  const byPlan = new Map<string, FieldRecord[]>();
  for (const r of shown) byPlan.set(r.plan, [...(byPlan.get(r.plan) ?? []), r]);
  for (const [plan, rs] of byPlan) {
    if (byPlan.size > 1 || !q.plans.length) lines.push(`【${fmt.planName(plan)}】`);
    for (const r of rs) {
      const deadlines = r.kind === "passage" ? milestonesOf(r).map((m) => m.raw) : undefined;
      lines.push(fmt.listLine(r, { withLead: !q.agencies.length || q.agencies.length > 1 || q.role !== "lead", full: total <= 5, deadlines }));
    }
  }
  if (pages > 1) {
    const rest = total - page * o.pageSize;
    lines.push(rest > 0 ? `(Trang ${page}/${pages} — còn ${rest} việc nữa: gõ “tiếp” hoặc “trang ${page + 1}” để xem.)` : `(Trang ${page}/${pages}.)`);
  }
  lines.push(`Gõ mã (vd: ${shown[0]!.id}) để xem chi tiết và nguồn.`);
  return { text: lines.join("\n"), records: rows, total, page, pages };
}

/** "6 nhóm: I. …, II. …" or "14 tổ đảng, cơ quan: …": what a count of groups or agencies counts, from the rows. */
export function groupCountAnswer(fmt: Formatter, q: Query, rows: FieldRecord[]): Composed {
  const groups = new Map<string, { label: string; first: FieldRecord }>();
  for (const r of rows) {
    if (q.countOf === "agencies") {
      const leads = r.kind === "task" || r.kind === "indicator" ? r.leadAgencies : r.kind === "duty" ? r.agencies : [];
      for (const a of leads.filter((x) => x.isAgency)) if (!groups.has(a.id)) groups.set(a.id, { label: a.text, first: r });
    } else {
      const s = r.kind === "indicator" ? r.group : r.section;
      const k = `${s.number}|${s.title}`;
      if ((s.number || s.title) && !groups.has(k)) groups.set(k, { label: [s.number, s.title].filter(Boolean).join(". "), first: r });
    }
  }
  const noun = q.countOf === "agencies" ? "cơ quan, đơn vị được giao chủ trì" : "nhóm";
  const scope = q.plans.length ? ` trong ${q.plans.map((p) => fmt.planName(p)).join(", ")}` : "";
  if (!groups.size) return { text: `Không tìm thấy ${noun} nào${scope}.`, records: [], notFound: true };
  const lines = [`${groups.size} ${noun}${scope}:`, ...[...groups.values()].map((g, i) => `${i + 1}. ${truncate(g.label, 120)}`)];
  return { text: lines.join("\n"), records: [...groups.values()].map((g) => g.first) };
}

/** How often a duty reports, in words ("hằng tháng, trước ngày 20"). */
/** A period written without a day ("định kỳ hằng quý", "06 tháng", "đột xuất"), as the plan wrote it. */
const PERIOD_WORDS = /(?:định kỳ\s+)?(?:(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm)|0?6\s+tháng(?:\s+và\s+(?:hằng|hàng)\s+năm)?)|đột xuất/giu;

function scheduleOf(d: Duty): string {
  if (!d.schedule.length) {
    if (d.deadline?.raw) return `một lần, ${d.deadline.raw}`;
    const said = [...new Set((d.action.match(PERIOD_WORDS) ?? []).map((w) => w.toLowerCase()))];
    return said.length ? `${said.join(", ")} (không ghi ngày)` : "không ghi thời điểm";
  }
  return [...new Set(d.schedule.map((s) => s.raw.trim()))].join("; ");
}

export function dutiesAnswer(fmt: Formatter, q: Query, rows: FieldRecord[]): Composed {
  const duties = rows.filter((r): r is Duty => r.kind === "duty");
  const tasks = rows.filter((r): r is Task => r.kind === "task");
  const groups = new Map<string, Duty[]>();
  for (const d of duties) groups.set(scheduleOf(d), [...(groups.get(scheduleOf(d)) ?? []), d]);
  const lines: string[] = [];
  const scope = q.plans.length ? ` trong ${q.plans.map((p) => fmt.planName(p)).join(", ")}` : "";
  if (duties.length) lines.push(duties.length === 1 ? `Quy định báo cáo${scope}:` : `${duties.length} quy định về báo cáo${scope}, theo thời điểm:`);
  let n = 0;
  for (const [when, ds] of groups) {
    if (n++ >= 6) break;
    lines.push("", `⏱ ${when}`);
    for (const d of ds.slice(0, 4)) {
      const who = d.agency ? `${d.agency}: ` : "";
      const action = d.action.startsWith(d.agency) ? d.action.slice(d.agency.length).replace(/^[\s:,]+/, "") : d.action;
      // A few duties are shown whole (what, to whom, how often all matter); many, shortened.
      lines.push(`• ${who}${duties.length <= 3 ? action : truncate(action, 360)}`);
      if (d.reportTo) lines.push(`  Gửi: ${d.reportTo}`);
      lines.push(`  ${fmt.citation(d)}`);
    }
  }
  if (tasks.length) {
    lines.push(...(duties.length ? ["", "Nhiệm vụ về báo cáo:"] : [`Nhiệm vụ về báo cáo${scope}:`]));
    for (const t of tasks.slice(0, 4)) lines.push(fmt.listLine(t, { withLead: true, full: true }), `  ${fmt.citation(t)}`);
  }
  return { text: lines.join("\n"), records: [...duties, ...tasks] };
}

export function statusAnswer(fmt: Formatter, t: Task, progress: ProgressReader | undefined): Composed {
  const lines = [`${t.id} · ${truncate(t.name, 120)}`, `Chủ trì: ${t.lead.join("; ") || "(kế hoạch không ghi)"} · Thời hạn: ${t.deadline.raw || "(không ghi)"}`];
  const latest = progress?.latest(t.id);
  if (!latest) lines.push("Chưa có báo cáo tiến độ nào.");
  else {
    lines.push(`Tiến độ mới nhất: ${latest.statusLabel} · ${latest.percent}% (báo cáo ngày ${formatDate(latest.reportedAt.slice(0, 10))})`);
    const n = progress?.count(t.id) ?? 1;
    if (n > 1) lines.push(`(${n} lần báo cáo)`);
  }
  lines.push(`Chi tiết và lịch sử: /tinhhinh ${t.id}`, fmt.citation(t));
  return { text: lines.join("\n"), records: [t] };
}

export function overviewAnswer(fmt: Formatter, kb: KnowledgeIndex, q: Query, ctx: SelectContext): Composed {
  const plans = q.plans.length ? q.plans : kb.plans.map((p) => p.id);
  const blocks: string[] = [];
  const records: FieldRecord[] = [];
  for (const id of plans.slice(0, 3)) {
    const p = kb.plan(id);
    if (!p) continue;
    const tasks = kb.tasks.filter((t) => t.plan === id);
    const indicators = kb.indicators.filter((i) => i.plan === id);
    const duties = kb.duties.filter((d) => d.plan === id);
    const lines = [`${p.title || p.shortName}`];
    const facts = [p.number ? `Số ${p.number}` : "", p.date ? `ngày ${formatDate(p.date)}` : "", p.issuer ? `do ${p.issuer} ban hành` : ""].filter(Boolean);
    if (facts.length) lines.push(facts.join(", ") + ".");
    lines.push(`Gồm ${tasks.length} nhiệm vụ, ${indicators.length} chỉ tiêu, ${duties.length} việc ở phần tổ chức thực hiện.`);
    const sections = new Map<string, { title: string; n: number }>();
    for (const r of [...tasks, ...indicators]) {
      const s = r.kind === "indicator" ? r.group : r.section;
      if (!s.number && !s.title) continue;
      const k = `${r.kind === "indicator" ? "Chỉ tiêu" : "Nhiệm vụ"} ${s.number}`;
      const e = sections.get(k) ?? { title: s.title, n: 0 };
      e.n++;
      sections.set(k, e);
    }
    if (sections.size) {
      lines.push("Theo nhóm:");
      for (const [k, v] of [...sections].slice(0, 14)) lines.push(`• ${k}${v.title ? ` — ${truncate(v.title, 70)}` : ""}: ${v.n}`);
      if (sections.size > 14) lines.push(`… và ${sections.size - 14} nhóm khác.`);
    }
    const next = sortRecords(kb, selectRecords(ctx, { ...q, ask: "list", plans: [id], period: { from: ctx.today, to: "9999-12-31", label: "", exact: false } }), true).slice(0, 3);
    if (next.length) {
      lines.push("Hạn gần nhất:");
      for (const r of next) lines.push(`• ${r.id} — ${truncate(nameOf(r), 60)} (hạn ${formatDate(dueOf(r))})`);
      records.push(...next);
    }
    blocks.push(lines.join("\n"));
  }
  if (!blocks.length) return { text: "Không tìm thấy kế hoạch này trong dữ liệu.", records: [], notFound: true };
  if (plans.length > 3) blocks.push(`… và ${plans.length - 3} kế hoạch khác.`);
  return { text: blocks.join("\n\n"), records };
}
