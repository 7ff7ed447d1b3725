// How people really type answers on a phone: percentages ("80", "80%", "tám
// mươi", "xong"), dates ("15/12", "15/12/2026", "cuối tháng"), choices by
// number or label with or without diacritics, and "bỏ qua" for optional fields.
import type { Choice } from "../core/types.js";
import { daysInMonth, formatDate, localDate } from "../text/dates.js";
import { parsePeriod } from "../text/date-grammar.js";
import { fold, nfc, squash } from "../text/vietnamese.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Folded, squashed, trailing punctuation removed: the form answers are compared in. */
export function key(text: string): string {
  return squash(fold(text).replace(/[.!?,;:…]+$/u, ""));
}

const SKIP = new Set(["-", "--", "bo qua", "boqua", "skip", "khong", "ko", "k", "kg", "khong co", "chua co", "none", "."]);
/** "-", "bỏ qua", "không", "ko": the user skips an optional field. */
export function isSkip(text: string): boolean {
  return SKIP.has(key(text));
}

const DONE_WORDS = new Set(["xong", "da xong", "ht", "hoan thanh", "da hoan thanh", "done", "xong roi", "hoan tat", "da hoan tat"]);
/** "xong", "hoàn thành", "ht": the task is finished (100%). */
export function isDoneWord(text: string): boolean {
  return DONE_WORDS.has(key(text));
}

const UNITS: Record<string, number> = {
  khong: 0, mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, lam: 5, sau: 6, bay: 7, tam: 8, chin: 9,
};

/** "tám mươi lăm" → 85, "một trăm" → 100, "mười" → 10; null when not a Vietnamese number. */
export function vietnameseNumber(text: string): number | null {
  const ws = key(text).split(" ").filter(Boolean);
  if (ws.length === 0) return null;
  let total = 0;
  let tens: number | null = null;
  let last: number | null = null;
  for (const w of ws) {
    if (w in UNITS) {
      if (last !== null) return null;
      last = UNITS[w]!;
    } else if (w === "muoi" || w === "chuc") {
      if (tens !== null) return null;
      tens = (last ?? 1) * 10;
      last = null;
    } else if (w === "tram") {
      total += (last ?? 1) * 100;
      last = null;
    } else if (w === "le" || w === "linh" || w === "phan" || w === "tram%") {
      continue;
    } else return null;
  }
  return total + (tens ?? 0) + (last ?? 0);
}

/** "80", "80%", "80 %", "80 phần trăm", "tám mươi", "xong"/"ht"/"hoàn thành" → 100. */
export function parsePercent(text: string): Parsed<number> {
  const k = key(text);
  if (k === "") return { ok: false, error: "Chưa có tỷ lệ." };
  if (isDoneWord(k)) return { ok: true, value: 100 };
  if (k === "nua" || k === "mot nua") return { ok: true, value: 50 };
  const m = /^(-?\d{1,4}(?:[.,]\d+)?)\s*(?:%|phan tram|pt)?$/.exec(k);
  const n = m ? Number(m[1]!.replace(",", ".")) : vietnameseNumber(k.replace(/\s*(%|phan tram)$/, ""));
  if (n === null || !Number.isFinite(n)) return { ok: false, error: `Chưa hiểu tỷ lệ “${short(text)}”.` };
  if (n < 0 || n > 100) return { ok: false, error: "Tỷ lệ phải từ 0 đến 100%." };
  return { ok: true, value: Math.round(n) };
}

// ---- dates ----

export interface LocalDay {
  year: number;
  month: number; // 1–12
  day: number;
}

/** Today's date in a time zone ("Asia/Ho_Chi_Minh"), as numbers. */
export function localDay(now: Date, timeZone = "Asia/Ho_Chi_Minh"): LocalDay {
  const [y, m, d] = localDate(now, timeZone).split("-").map(Number);
  return { year: y!, month: m!, day: d! };
}

export const isoDay = (d: LocalDay): string =>
  `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;


/**
 * "15/12", "15/12/2026", "15-12-26", "2026-12-15", "cuối tháng", "cuối tháng sau", "cuối tháng 9",
 * "tháng 9/2026", "cuối quý", "quý III/2026", "cuối năm". With `future`, a day/month without a year
 * that already passed means next year, and past dates are refused.
 */
export function parseDate(text: string, now: Date, opts: { timeZone?: string; future?: boolean } = {}): Parsed<string> {
  const today = localDay(now, opts.timeZone);
  const k = key(text).replace(/^(ngay|truoc ngay|den ngay|han)\s+/, "");
  const endOfMonth = (year: number, month: number): LocalDay => ({ year, month, day: daysInMonth(year, month) });
  let d: LocalDay | null = null;
  let m: RegExpExecArray | null;

  if ((m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$/.exec(k))) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    let year = m[3] ? Number(m[3]) : today.year;
    if (m[3] && m[3].length === 2) year += 2000;
    if (month < 1 || month > 12) return { ok: false, error: `Tháng ${month} không có thật.` };
    if (day < 1 || day > daysInMonth(year, month)) {
      return { ok: false, error: `Ngày ${day}/${month}/${year} không có thật.` };
    }
    d = { year, month, day };
    if (!m[3] && opts.future && isoDay(d) < isoDay(today)) {
      d = { year: year + 1, month, day };
      if (day > daysInMonth(d.year, month)) return { ok: false, error: `Ngày ${day}/${month}/${d.year} không có thật.` };
    }
  } else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(k))) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return { ok: false, error: `Ngày ${day}/${month}/${year} không có thật.` };
    }
    d = { year, month, day };
  } else if (k === "cuoi thang" || k === "cuoi thang nay") {
    d = endOfMonth(today.year, today.month);
  } else if (k === "cuoi thang sau" || k === "thang sau") {
    d = today.month === 12 ? endOfMonth(today.year + 1, 1) : endOfMonth(today.year, today.month + 1);
  } else if (k === "cuoi quy" || k === "cuoi quy nay") {
    d = endOfMonth(today.year, Math.ceil(today.month / 3) * 3);
  } else if (k === "cuoi nam" || k === "cuoi nam nay") {
    d = { year: today.year, month: 12, day: 31 };
  } else if ((m = /^(?:cuoi\s+)?thang\s+(\d{1,2})\b/.exec(k)) && (Number(m[1]) < 1 || Number(m[1]) > 12)) {
    return { ok: false, error: `Tháng ${Number(m[1])} không có thật.` };
  } else {
    // "tháng 9/2026", "cuối tháng 9", "quý III/2026", "năm 2027": the period's last day, read by the one date grammar.
    const end = (year: number) => parsePeriod(text, { defaultYear: year })?.end;
    let iso = end(today.year);
    // Without a year, a month or quarter already past means next year's.
    if (iso && opts.future && iso < isoDay(today) && !/\d{4}/.test(k)) iso = end(today.year + 1);
    if (iso) d = { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) };
  }

  if (!d) return { ok: false, error: `Chưa hiểu ngày “${short(text)}”.` };
  if (d.year < 2000 || d.year > 2100) return { ok: false, error: `Năm ${d.year} không hợp lý.` };
  if (opts.future && isoDay(d) < isoDay(today)) {
    return { ok: false, error: `Ngày ${formatDate(isoDay(d))} đã qua.` };
  }
  return { ok: true, value: isoDay(d) };
}

// ---- choices ----

const stripMarks = (s: string) => key(s).replace(/^[^a-z0-9]+/, "").trim();

/**
 * The choice a user meant: its value, its number in the list (1-based), or its label with or
 * without diacritics (a unique prefix of at least 3 letters is enough).
 */
export function matchChoice(text: string, choices: readonly Choice[]): Choice | undefined {
  const raw = nfc(text).trim();
  const exact = choices.find((c) => c.value === raw);
  if (exact) return exact;
  const k = stripMarks(raw);
  if (k === "") return undefined;
  if (/^\d{1,3}$/.test(k)) {
    const byValue = choices.find((c) => stripMarks(c.value) === k);
    if (byValue) return byValue;
    return choices[Number(k) - 1];
  }
  const same = choices.find((c) => stripMarks(c.label) === k || stripMarks(c.value) === k);
  if (same) return same;
  if (k.length >= 3) {
    const pre = choices.filter((c) => stripMarks(c.label).startsWith(k));
    if (pre.length === 1) return pre[0];
  }
  return undefined;
}

/** A user's text shortened for quoting it back in an error. */
export function short(text: string, max = 30): string {
  const t = squash(nfc(text));
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}
