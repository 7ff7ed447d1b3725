// The period a question asks about, on the one date grammar (text/date-grammar):
// "quý II/2026", "tháng 6", "6 tháng đầu năm", "năm 2025", "30/6/2026", plus
// what only questions say: "tháng này/tới/sau", "quý này", "năm nay", "cuối
// năm", "cuối quý", "trước 30/6", "từ tháng 3 đến tháng 6/2026", "đúng ngày …",
// "sắp đến hạn". A year that names the plan ("kế hoạch năm 2026") is not a period.
import { findPeriods, lastDayOfMonth, quarterEnd, quarterStart, type Period } from "../../text/date-grammar.js";
import { dateOfDay, dayNumber, formatDate, localDate } from "../../text/dates.js";
import { fold } from "../../text/vietnamese.js";
import type { QueryPeriod } from "./query.js";

const ROMAN = ["I", "II", "III", "IV"];
const FOREVER_AGO = "1900-01-01";

function label(p: Pick<Period, "kind" | "start" | "end">): string {
  const y = p.end.slice(0, 4);
  switch (p.kind) {
    case "date":
      return `ngày ${formatDate(p.end)}`;
    case "month":
      return `tháng ${Number(p.end.slice(5, 7))}/${y}`;
    case "quarter":
      return `quý ${ROMAN[Math.ceil(Number(p.end.slice(5, 7)) / 3) - 1]}/${y}`;
    case "half":
      return p.end.slice(5, 7) === "06" ? `6 tháng đầu năm ${y}` : `6 tháng cuối năm ${y}`;
    case "year":
      return p.start.slice(0, 4) === y ? `năm ${y}` : `${p.start.slice(0, 4)}–${y}`;
  }
}

/** A year right after the words that name a plan ("kế hoạch năm 2026", "NQ57 năm 2026", "KH 2026 của tỉnh"). */
function namesThePlan(folded: string, p: Period): boolean {
  if (p.kind !== "year" || p.range) return false;
  const before = folded.slice(Math.max(0, p.index - 40), p.index);
  if (/(?:ke hoach|kh|nghi quyet|nq ?57|57|chuong trinh|nq57)(?:\s+(?:thuc hien|trien khai)(?:\s+\S+){0,3})?\s*(?:nam\s*)?$/.test(before)) return true;
  // "trong kế hoạch năm 2026 của …", "KH của UBND tỉnh 2026"
  if (/(?:cua|ubnd|tinh|uy ban nhan dan)(?:\s+\S+){0,4}\s*$/.test(before) && !/(?:han|xong|hoan thanh|trong|truoc|cuoi|het|den)\s*(?:nam\s*)?$/.test(before)) return true;
  return false;
}

/** Deadline words that make a bare year a period ("xong trong năm 2026", "hạn năm 2025"). */
const DEADLINE_BEFORE = /(?:han|xong|hoan thanh|trong|truoc|cuoi|het|den|dat|lam|thuc hien|vao|roi vao|la|ky)\s*(?:nam\s*)?$/;

export interface QuestionPeriod {
  period?: QueryPeriod;
  /** "sắp đến hạn": the next 30 days (the caller may treat it as a state). */
  soon: boolean;
}

export function questionPeriod(raw: string, now: Date, timeZone: string): QuestionPeriod {
  const f = fold(raw);
  const today = localDate(now, timeZone);
  const y0 = Number(today.slice(0, 4));
  const m0 = Number(today.slice(5, 7));
  const q0 = Math.ceil(m0 / 3);
  const soon = /\bsap (?:den|het|toi) han\b|\bsap toi\b|\btrong (?:30|ba muoi) ngay toi\b/.test(f);

  // Relative words only questions use.
  const rel = (from: string, to: string, lbl: string): QuestionPeriod => ({ period: { from, to, label: lbl, exact: false }, soon });
  // "tháng sáu" (June) folds like "tháng sau" (next month): tell them apart before folding.
  const june = /tháng\s+sáu/iu.test(raw);
  let m: RegExpExecArray | null;
  if ((m = /\b(thang|quy|nam) (nay|toi|sau|truoc)\b/.exec(f)) && !(june && m[1] === "thang" && m[2] === "sau")) {
    const step = m[2] === "nay" ? 0 : m[2] === "truoc" ? -1 : 1;
    if (m[1] === "thang") {
      const idx = y0 * 12 + (m0 - 1) + step;
      const y = Math.floor(idx / 12);
      const mo = (idx % 12) + 1;
      return rel(`${y}-${String(mo).padStart(2, "0")}-01`, lastDayOfMonth(y, mo), `tháng ${mo}/${y}`);
    }
    if (m[1] === "quy") {
      const idx = y0 * 4 + (q0 - 1) + step;
      const y = Math.floor(idx / 4);
      const q = (idx % 4) + 1;
      return rel(quarterStart(y, q), quarterEnd(y, q), `quý ${ROMAN[q - 1]}/${y}`);
    }
    const y = y0 + step;
    return rel(`${y}-01-01`, `${y}-12-31`, `năm ${y}`);
  }
  if (/\bcuoi quy\b/.test(f) && !/\bcuoi quy (?:i|ii|iii|iv|[1-4])\b/.test(f)) return rel(quarterStart(y0, q0), quarterEnd(y0, q0), `quý ${ROMAN[q0 - 1]}/${y0}`);

  // "Hôm nay là 23/11/2026" says what today is, not which period.
  const isToday = (p: Period) => /\bhom nay\s*(?:la\s*)?(?:ngay\s*)?$/.test(f.slice(Math.max(0, p.index - 16), p.index));
  const found = findPeriods(raw, { defaultYear: y0 }).filter((p) => !namesThePlan(f, p) && !isToday(p));
  // A bare year counts only after deadline words ("phải xong trong năm 2026", "hạn năm 2025"); else it says which plan.
  const periods = found.filter((p) => p.kind !== "year" || p.range || DEADLINE_BEFORE.test(f.slice(Math.max(0, p.index - 30), p.index)));
  if (june && !periods.some((p) => p.kind === "month")) {
    const m6 = /tháng\s+sáu(?:\s+(?:năm\s+)?(\d{4}))?/iu.exec(raw);
    const y = Number(m6?.[1] ?? y0);
    const at = m6?.index ?? 0;
    // "tháng sáu năm 2026" is one month, not a month and a year
    for (let i = periods.length - 1; i >= 0; i--) if (periods[i]!.kind === "year" && periods[i]!.index >= at && periods[i]!.index <= at + (m6?.[0].length ?? 0)) periods.splice(i, 1);
    periods.unshift({ kind: "month", start: `${y}-06-01`, end: `${y}-06-30`, index: at, length: m6?.[0].length ?? 9 });
  }
  if (periods.length === 0) {
    if (soon) return { period: { from: today, to: dateOfDay(dayNumber(today) + 30), label: "30 ngày tới", exact: false }, soon };
    if (/\bcuoi nam\b/.test(f)) return rel(`${y0}-10-01`, `${y0}-12-31`, `cuối năm ${y0}`);
    return { soon };
  }
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  // "từ tháng 3 đến tháng 6/2026": one period from the first to the last.
  if (periods.length >= 2 && /\b(?:tu|giua)\b[^.?]*\b(?:den|toi|-)\b/.test(f.slice(Math.max(0, first.index - 8), last.index + last.length))) {
    return { period: { from: first.start, to: last.end, label: `${label(first)} đến ${label(last)}`, exact: false }, soon };
  }
  const before = f.slice(Math.max(0, first.index - 14), first.index);
  // "trước 30/6/2026", "trước ngày 30/6", "chậm nhất 30/6": everything due by then.
  if (/\b(?:truoc|cham nhat|muon nhat|khong qua)\s*(?:ngay\s*)?$/.test(before)) {
    return { period: { from: FOREVER_AGO, to: first.end, label: `trước ${first.kind === "date" ? formatDate(first.end) : label(first)}`, exact: false }, soon };
  }
  // "cuối năm 2026" → its last quarter.
  if (first.kind === "year" && /\bcuoi\s*$/.test(f.slice(Math.max(0, first.index - 6), first.index))) {
    const y = Number(first.end.slice(0, 4));
    return { period: { from: `${y}-10-01`, to: `${y}-12-31`, label: `cuối năm ${y}`, exact: false }, soon };
  }
  if (periods.length >= 2 && periods.every((p) => p.kind === first.kind)) {
    // "quý I và quý II/2026": the span they cover.
    return { period: { from: first.start, to: last.end, label: periods.map(label).join(", "), exact: false }, soon };
  }
  return { period: { from: first.start, to: first.end, label: label(first), exact: first.kind === "date" }, soon };
}
