// Calendar arithmetic in the configured time zone (Asia/Ho_Chi_Minh by default).
// Local dates are "YYYY-MM-DD" strings; day numbers count days since 1970-01-01
// so "due in 7 days" is a subtraction. Nothing here reads the system clock.

export interface LocalMoment {
  /** Local calendar date, "2026-03-02". */
  date: string;
  /** Days since 1970-01-01 of that local date. */
  day: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date, weekday and time of day of an instant. */
export function localMoment(at: Date, timeZone: string): LocalMoment {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const day = dayNumber(date);
  const hour = Number(parts.hour) % 24;
  return { date, day, weekday: weekdayOf(day), minutes: hour * 60 + Number(parts.minute) };
}

/** "2026-03-02" (or a longer ISO string) → days since 1970-01-01; NaN when not a date. */
export function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return NaN;
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

export function dateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "07:30" → 450; null when not a valid 24-hour time. Accepts "7:30", "7h30", "07.30", "7h". */
export function parseTimeOfDay(input: string): number | null {
  const m = /^\s*(\d{1,2})\s*(?:[:hg.]\s*(\d{1,2})?)?\s*$/i.exec(input);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59 || (m[2] !== undefined && m[2].length !== 2)) return null;
  return h * 60 + min;
}

export function formatTimeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** True when `minutes` falls inside "HH:MM-HH:MM" (which may wrap midnight: "21:00-07:00"). */
export function inQuietHours(minutes: number, quiet: string): boolean {
  const [a, b] = quiet.split("-").map((s) => parseTimeOfDay(s));
  if (a == null || b == null || a === b) return false;
  return a < b ? minutes >= a && minutes < b : minutes >= a || minutes < b;
}

/** "2026-03-09" → "09/03/2026" (the text unchanged when it is not an ISO date; "" for none). */
export function formatDate(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? "");
}

/** Today's local date in a time zone, "2026-03-02". */
export const localDate = (at: Date, timeZone: string): string => localMoment(at, timeZone).date;

/** The instant at which a local date and time of day happen (fixed-offset zones and DST zones alike). */
export function instantOf(date: string, minutes: number, timeZone: string): Date {
  const guess = new Date(dayNumber(date) * 86_400_000 + minutes * 60_000);
  // Correct by the zone's offset at the guess (twice, for DST edges).
  let t = guess.getTime();
  for (let i = 0; i < 2; i++) {
    const lm = localMoment(new Date(t), timeZone);
    const diff = (lm.day - dayNumber(date)) * 1440 + (lm.minutes - minutes);
    t -= diff * 60_000;
  }
  return new Date(t);
}
