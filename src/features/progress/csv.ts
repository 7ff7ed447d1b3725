// The progress table as CSV for Excel: UTF-8 with a BOM (so Vietnamese shows),
// CRLF line ends, every cell quoted, and cells that look like formulas defused.
import { formatDate } from "../../text/dates.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Store } from "../../store/index.js";
import { statusLabel } from "./labels.js";
import { standings, type TaskStanding } from "./report.js";

/** What one export cell holds: text, a number, a local date ("2026-06-30"), an instant (ISO) or nothing. */
export type ExportValue = string | number | null;

export interface ExportColumn {
  header: string;
  /** Width in characters, for spreadsheets. */
  width: number;
  kind: "text" | "number" | "date" | "instant";
  value(t: TaskStanding, planName: (id: string) => string): ExportValue;
}

/** The columns of every progress export (this CSV, the dashboard's .xlsx), in order. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: "Mã nhiệm vụ", width: 12, kind: "text", value: (t) => t.id },
  { header: "Kế hoạch", width: 28, kind: "text", value: (t, plan) => plan(t.plan) },
  { header: "Nhiệm vụ", width: 60, kind: "text", value: (t) => t.name },
  { header: "Cơ quan chủ trì", width: 30, kind: "text", value: (t) => t.lead },
  { header: "Cơ quan phối hợp", width: 30, kind: "text", value: (t) => t.coordinators },
  { header: "Thời hạn", width: 12, kind: "date", value: (t) => t.due },
  { header: "Thời hạn (nguyên văn)", width: 22, kind: "text", value: (t) => t.deadlineRaw },
  { header: "Quá hạn", width: 9, kind: "text", value: (t) => (t.overdue ? "Có" : "") },
  { header: "Tình trạng", width: 17, kind: "text", value: (t) => (t.latest ? statusLabel(t.latest.status) : "Chưa báo cáo") },
  { header: "Tỷ lệ (%)", width: 9, kind: "number", value: (t) => t.latest?.percent ?? null },
  { header: "Đã làm", width: 40, kind: "text", value: (t) => t.latest?.done ?? "" },
  { header: "Vướng mắc", width: 30, kind: "text", value: (t) => t.latest?.obstacles ?? "" },
  { header: "Đề xuất", width: 30, kind: "text", value: (t) => t.latest?.proposal ?? "" },
  { header: "Dự kiến xong", width: 13, kind: "date", value: (t) => t.latest?.expectedBy ?? null },
  { header: "Người báo cáo", width: 22, kind: "text", value: (t) => t.latest?.userName ?? "" },
  { header: "Thời điểm báo cáo", width: 17, kind: "instant", value: (t) => t.latest?.reportedAt ?? null },
  { header: "Số lần báo cáo", width: 9, kind: "number", value: (t) => t.reports },
  { header: "Báo cáo tháng này", width: 10, kind: "text", value: (t) => (t.reportedThisMonth ? "Có" : "Chưa") },
  { header: "Đã lưu trữ", width: 9, kind: "text", value: (t) => (t.archived ? "Có" : "") },
];

/** Task ids compared with their numbers as numbers ("BN-7.9" before "BN-7.22"); one collator, made once. */
export const compareIds: (a: string, b: string) => number = new Intl.Collator("en", { numeric: true }).compare;

/** The order of every export: by plan, then by id. */
export const exportOrder = (a: TaskStanding, b: TaskStanding): number => (a.plan < b.plan ? -1 : a.plan > b.plan ? 1 : compareIds(a.id, b.id));

/** One CSV cell: quoted, quotes doubled, a leading = + - @ (or tab/CR) prefixed with ' so Excel runs nothing. */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Local "dd/mm/yyyy hh:mm" of an ISO instant. */
export function viDateTime(iso: string, timeZone = "Asia/Ho_Chi_Minh"): string {
  const p = new Intl.DateTimeFormat("en-GB", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const g = (t: string) => p.find((x) => x.type === t)?.value ?? "";
  return `${g("day")}/${g("month")}/${g("year")} ${g("hour")}:${g("minute")}`;
}

/** The tasks (every task's standing, or the list given: a filtered view) as CSV. */
export function exportCsv(store: Store, knowledge: KnowledgeIndex, now: Date, timeZone = "Asia/Ho_Chi_Minh", list?: readonly TaskStanding[]): string {
  const planName = (id: string) => knowledge.plan(id)?.shortName ?? id;
  const text = (c: ExportColumn, v: ExportValue): string | number => {
    if (v === null) return "";
    if (c.kind === "date") return formatDate(String(v));
    if (c.kind === "instant") return viDateTime(String(v), timeZone);
    return v;
  };
  const rows = [...(list ?? standings(store, knowledge, now, timeZone))].sort(exportOrder).map((t) => EXPORT_COLUMNS.map((c) => text(c, c.value(t, planName))));
  return "\uFEFF" + [EXPORT_COLUMNS.map((c) => c.header), ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
