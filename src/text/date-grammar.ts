// The one Vietnamese date and period vocabulary: days ("30/6/2026", "ngày 01
// tháng 12 năm 2025"), months ("tháng 9/2026", "tháng 02 năm 2025", bare
// "6/2025"), quarters ("Quý II/2026", "Quí IV-2025", "quý 3 năm 2026"), halves
// ("6 tháng đầu năm 2026"), years ("năm 2026", bare "2026"), year ranges
// ("2025 - 2026", "giai đoạn 2026-2030") and open ends ("2025 và những năm tiếp
// theo", "2026 trở đi"). Deadlines, forms and the question parser share it.
//
// Matching runs on folded text (lower case, no diacritics, đ → d), so "Quý",
// "Quí", "QUY" and "quy" are one word. Folding keeps string length, so indexes
// found on the folded text are indexes into the original.
import { fold } from "./vietnamese.js";

export type PeriodKind = "date" | "month" | "quarter" | "half" | "year";

export interface Period {
  kind: PeriodKind;
  /** First day of the period, ISO "YYYY-MM-DD" (for a range: the first day of its first year). */
  start: string;
  /** Last day of the period, ISO: the due date of a deadline written this way. */
  end: string;
  /** A year range ("2025 - 2026"): `start` is in its first year, `end` in its last. */
  range?: boolean;
  /** Continues after `end` ("2025 và những năm tiếp theo", "2026 trở đi", "từ năm 2026"). */
  ongoing?: boolean;
  /** Where the period was written in the text (indexes into the original string). */
  index: number;
  length: number;
}

export interface FindOptions {
  /**
   * Also accept forms that are dates only inside a deadline cell: bare "6/2025",
   * bare "2025". In running text they could be numbers of documents.
   */
  loose?: boolean;
  /** Year for a period written without one ("tháng 6", "quý II", "30/6"); without it such periods are skipped. */
  defaultYear?: number;
}

const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

/** "IV" → 4, "xii" → 12, "3" → 3; undefined for anything else. */
export function romanNumeral(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^[ivxlc]+$/.test(t)) return undefined;
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const v = ROMAN_VALUES[t[i]!]!;
    const next = ROMAN_VALUES[t[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** ISO date of a calendar day, or null when the day does not exist (31/02). */
export function isoDate(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Last day of a month, ISO. */
export function lastDayOfMonth(y: number, m: number): string {
  return `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

export const quarterStart = (y: number, q: number): string => `${y}-${pad(q * 3 - 2)}-01`;
export const quarterEnd = (y: number, q: number): string => lastDayOfMonth(y, q * 3);

const YEAR = "((?:19|20)\\d{2})";
const SEP = "\\s*(?:\\/|-|–|\\.|\\s+nam\\s+|\\s*,\\s*nam\\s+)\\s*";
const Q = "(?:quy|qui)";
const QNUM = "(iv|iii|ii|i|[1-4])";

interface Rule {
  re: RegExp;
  loose?: boolean;
  make(m: RegExpExecArray, o: FindOptions): Omit<Period, "index" | "length"> | null;
}

const yearOf = (s: string | undefined, o: FindOptions): number | undefined => (s ? Number(s) : o.defaultYear);

const RULES: Rule[] = [
  {
    // 15/12/2026, 30.06.2026, "ngày 01 tháng 12 năm 2026", "ngày 30 tháng 6/2026"
    re: new RegExp(`\\b(\\d{1,2})\\s*[/.-]\\s*(\\d{1,2})\\s*[/.-]\\s*${YEAR}\\b|\\bngay\\s+(\\d{1,2})\\s+thang\\s+(\\d{1,2})${SEP}${YEAR}\\b`, "g"),
    make: (m) => {
      const d = Number(m[1] ?? m[4]);
      const mo = Number(m[2] ?? m[5]);
      const y = Number(m[3] ?? m[6]);
      const day = isoDate(y, mo, d);
      return day ? { kind: "date", start: day, end: day } : null;
    },
  },
  {
    // "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "sáu tháng đầu năm"
    re: new RegExp(`\\b(?:06|6|sau)\\s+thang\\s+(dau|cuoi)\\s+nam(?:\\s+${YEAR})?`, "g"),
    make: (m, o) => {
      const y = yearOf(m[2], o);
      if (!y) return null;
      return m[1] === "dau" ? { kind: "half", start: `${y}-01-01`, end: `${y}-06-30` } : { kind: "half", start: `${y}-07-01`, end: `${y}-12-31` };
    },
  },
  {
    // Quý III/2026, Quý II năm 2026, Quí IV-2025, quý 3/2026, "quý II" (with a default year)
    re: new RegExp(`\\b${Q}\\s+${QNUM}\\b(?:${SEP}${YEAR}\\b)?`, "g"),
    make: (m, o) => {
      const q = romanNumeral(m[1]!)!;
      const y = yearOf(m[2], o);
      if (!y || q < 1 || q > 4) return null;
      return { kind: "quarter", start: quarterStart(y, q), end: quarterEnd(y, q) };
    },
  },
  {
    // Tháng 9/2026, tháng 02 năm 2025, tháng 12-2026, "tháng 6" (with a default year)
    re: new RegExp(`\\bthang\\s+(\\d{1,2})\\b(?:${SEP}${YEAR}\\b)?`, "g"),
    make: (m, o) => {
      const mo = Number(m[1]);
      const y = yearOf(m[2], o);
      if (!y || mo < 1 || mo > 12) return null;
      return { kind: "month", start: `${y}-${pad(mo)}-01`, end: lastDayOfMonth(y, mo) };
    },
  },
  {
    // "30/6" without a year (with a default year only)
    re: /\b(\d{1,2})\s*\/\s*(\d{1,2})\b(?!\s*[/.-]\s*\d)/g,
    make: (m, o) => {
      if (!o.defaultYear) return null;
      const day = isoDate(o.defaultYear, Number(m[2]), Number(m[1]));
      return day ? { kind: "date", start: day, end: day } : null;
    },
  },
  {
    // Year ranges: "2025 - 2026", "năm 2025-2030", "giai đoạn 2026 – 2030", "từ năm 2025 đến năm 2030"
    re: new RegExp(`\\b(?:(?:giai doan|nam|tu nam|tu)\\s+)?${YEAR}\\s*(?:-|–|—|den(?:\\s+nam)?)\\s*${YEAR}\\b`, "g"),
    make: (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (b < a || b - a > 50) return null;
      return { kind: "year", start: `${a}-01-01`, end: `${b}-12-31`, range: true };
    },
  },
  {
    // Open ends: "2025 và những năm tiếp theo", "năm 2026 trở đi", "từ năm 2026"
    re: new RegExp(`\\b(?:(?:tu\\s+)?nam\\s+)?${YEAR}\\s+(?:va\\s+(?:nhung|cac)\\s+nam\\s+tiep\\s+theo|tro\\s+di|tro\\s+ve\\s+sau)|\\btu\\s+nam\\s+${YEAR}\\b`, "g"),
    make: (m) => {
      const y = Number(m[1] ?? m[2]);
      return { kind: "year", start: `${y}-01-01`, end: `${y}-12-31`, ongoing: true };
    },
  },
  {
    // Năm 2026, Trong năm 2026, đến năm 2030, xong 2026, cuối năm 2026
    re: new RegExp(`\\b(?:nam|xong)\\s+${YEAR}\\b`, "g"),
    make: (m) => ({ kind: "year", start: `${m[1]}-01-01`, end: `${m[1]}-12-31` }),
  },
  {
    // Bare 6/2025, 03/2025 (deadline cells only): the month's last day
    re: new RegExp(`(?<![\\d/.-])(\\d{1,2})\\s*\\/\\s*${YEAR}\\b(?!\\s*\\/)`, "g"),
    loose: true,
    make: (m) => {
      const mo = Number(m[1]);
      const y = Number(m[2]);
      if (mo < 1 || mo > 12) return null;
      return { kind: "month", start: `${y}-${pad(mo)}-01`, end: lastDayOfMonth(y, mo) };
    },
  },
  {
    // Bare 2026 (deadline cells only)
    re: new RegExp(`(?<![\\d/.-])${YEAR}\\b(?!\\s*[/.-]\\s*\\d)`, "g"),
    loose: true,
    make: (m) => ({ kind: "year", start: `${m[1]}-01-01`, end: `${m[1]}-12-31` }),
  },
];

/**
 * Every period written in the text, in order, none inside another (the longest
 * and earliest rule wins: "ngày 01 tháng 12 năm 2026" is one date, not a month
 * and a year). A period written without its year ("Quý I và Quý II/2026") takes
 * the year of the next period in the same text.
 */
export function findPeriods(text: string, opts: FindOptions = {}): Period[] {
  const f = fold(text);
  const hits: Period[] = [];
  const overlaps = (a: number, b: number) => hits.some((h) => a < h.index + h.length && b > h.index);
  // A first pass without default year finds the years written; a period missing its year borrows the next one's.
  const pass = (o: FindOptions, only?: (m: RegExpExecArray) => boolean) => {
    for (const rule of RULES) {
      if (rule.loose && !o.loose) continue;
      rule.re.lastIndex = 0;
      for (let m = rule.re.exec(f); m; m = rule.re.exec(f)) {
        if (only && !only(m)) continue;
        const made = rule.make(m, o);
        if (!made) continue;
        const end = m.index + m[0].length;
        if (overlaps(m.index, end)) continue;
        hits.push({ ...made, index: m.index, length: m[0].length });
      }
    }
  };
  pass({ loose: opts.loose });
  // Quarters and months written without a year, followed by one that has it: "Quý I và Quý II/2026", "tháng 6 và tháng 12/2026",
  // "quý I hoặc quý II năm 2030".
  const yearless = new RegExp(`\\b(?:${Q}\\s+${QNUM}|thang\\s+\\d{1,2})\\b(?!${SEP}${YEAR})`, "g");
  for (let m = yearless.exec(f); m; m = yearless.exec(f)) {
    if (overlaps(m.index, m.index + m[0].length)) continue;
    const next = hits.filter((h) => h.index > m!.index && (h.kind === "quarter" || h.kind === "month")).sort((a, b) => a.index - b.index)[0];
    const between = next ? f.slice(m.index + m[0].length, next.index) : "";
    const year = next && /^[\s,;]*(?:va|hoac|,|;|den|-|–)[\s\w,]*$/.test(between) && between.length < 40 ? Number(next.end.slice(0, 4)) : opts.defaultYear;
    if (!year) continue;
    const at = m.index;
    pass({ defaultYear: year }, (x) => x.index === at);
  }
  if (opts.defaultYear) pass({ defaultYear: opts.defaultYear });
  return hits.sort((a, b) => a.index - b.index);
}

/** The one period a short text is ("Quý II/2026", "tháng 9/2026", "30/6/2026"), when it is exactly that. */
export function parsePeriod(text: string, opts: FindOptions = {}): Period | undefined {
  const ps = findPeriods(text, { loose: true, ...opts });
  const only = ps.length === 1 ? ps[0] : undefined;
  if (!only) return undefined;
  const rest = fold(text.slice(0, only.index) + text.slice(only.index + only.length)).replace(/[\s.,;:()]+/g, " ").trim();
  return /^(?:(?:truoc|trong|den|vao|hoan thanh|het|cuoi|chậm nhất|cham nhat|ngay)\s*)*$/.test(rest) ? only : undefined;
}
