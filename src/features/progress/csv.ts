// The progress table as CSV for Excel: UTF-8 with a BOM (so Vietnamese shows),
// CRLF line ends, every cell quoted, and cells that look like formulas defused.
import { formatDate } from "../../text/dates.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Store } from "../../store/index.js";
import { statusLabel } from "./labels.js";
import { standings } from "./report.js";

const HEADER = [
  "Mã nhiệm vụ", "Kế hoạch", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Thời hạn (nguyên văn)",
  "Quá hạn", "Tình trạng", "Tỷ lệ (%)", "Đã làm", "Vướng mắc", "Đề xuất", "Dự kiến xong",
  "Người báo cáo", "Thời điểm báo cáo", "Số lần báo cáo", "Báo cáo tháng này", "Đã lưu trữ",
];

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

export function exportCsv(store: Store, knowledge: KnowledgeIndex, now: Date, timeZone = "Asia/Ho_Chi_Minh"): string {
  const planName = (id: string) => knowledge.plan(id)?.shortName ?? id;
  const rows = standings(store, knowledge, now, timeZone)
    .sort((a, b) => a.plan.localeCompare(b.plan) || a.id.localeCompare(b.id, "en", { numeric: true }))
    .map((t) => {
      const l = t.latest;
      return [
        t.id, planName(t.plan), t.name, t.lead, t.coordinators, formatDate(t.due), t.deadlineRaw,
        t.overdue ? "Có" : "", l ? statusLabel(l.status) : "Chưa báo cáo", l ? l.percent : "",
        l?.done ?? "", l?.obstacles ?? "", l?.proposal ?? "", l?.expectedBy ? formatDate(l.expectedBy) : "",
        l?.userName ?? "", l ? viDateTime(l.reportedAt, timeZone) : "", t.reports,
        t.reportedThisMonth ? "Có" : "Chưa", t.archived ? "Có" : "",
      ];
    });
  return "\uFEFF" + [HEADER, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
