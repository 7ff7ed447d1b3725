// Expands a duty's periodic ScheduleRule into concrete due dates.
//
//   month   { day: 20 }             → the 20th of every month
//   quarter { day: 15, month: 3 }   → 15/3, 15/6, 15/9, 15/12 (month 3 of each quarter)
//   half    { day: 15, month: 6 }   → 15/6 and 15/12 (month 6 of each half)
//   year    { day: 20, month: 11 }  → 20/11 every year
//
// A month larger than the period ("half", month 12) is read as a month of the
// year, so "6-monthly before 15/6 and 1/12" may be written as two half rules
// { day: 15, month: 6 } and { day: 1, month: 12 } — or as two year rules.
// A missing day means the last day of the month; a missing month the period's
// last month. A day past the month's end is clamped (31 → 30/6).
import type { ScheduleRule } from "../../knowledge/types.js";
import { dateOfDay, dayNumber, daysInMonth } from "../../text/dates.js";

const PERIOD_MONTHS: Record<ScheduleRule["period"], number> = { month: 1, quarter: 3, half: 6, year: 12 };

/** Months of the year (1–12) in which the rule falls due. */
export function dueMonths(rule: ScheduleRule): number[] {
  const len = PERIOD_MONTHS[rule.period];
  if (rule.period === "month") return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const m = rule.month ?? len;
  if (!Number.isInteger(m) || m < 1 || m > 12) return [];
  if (m > len) return [m]; // a month of the year, not of the period
  const out: number[] = [];
  for (let start = 0; start < 12; start += len) out.push(start + m);
  return out;
}

/** Every due date of the rule between two days (inclusive), as ISO dates, ascending. */
export function occurrences(rule: ScheduleRule, fromDay: number, toDay: number): string[] {
  const months = dueMonths(rule);
  const fromYear = Number(dateOfDay(fromDay).slice(0, 4));
  const toYear = Number(dateOfDay(toDay).slice(0, 4));
  const out: string[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    for (const m of months) {
      const last = daysInMonth(y, m);
      const d = rule.day == null || !Number.isInteger(rule.day) || rule.day < 1 ? last : Math.min(rule.day, last);
      const iso = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
      const n = dayNumber(iso);
      if (n >= fromDay && n <= toDay) out.push(iso);
    }
  }
  return out.sort();
}

/** "hàng tháng", "hàng quý", "6 tháng", "hàng năm" — how a period reads in a digest. */
export function periodLabel(period: ScheduleRule["period"]): string {
  switch (period) {
    case "month":
      return "hàng tháng";
    case "quarter":
      return "hàng quý";
    case "half":
      return "6 tháng";
    case "year":
      return "hàng năm";
  }
}
