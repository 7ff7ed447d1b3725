// Durable counters against guessing and flooding: wrong attempts that lock a
// key for a time that doubles with each lockout (invite codes), and a plain
// rate limit (registration notices). A restart forgets nothing.
import type Database from "better-sqlite3";
import { str, strOrNull, type Row } from "../rows.js";

export interface AttemptPolicy {
  /** Wrong attempts within `windowMs` that lock the key. */
  max: number;
  windowMs: number;
  /** The first lockout; each next one lasts twice as long, up to `maxLockMs`. */
  lockMs: number;
  maxLockMs: number;
  /** After this long without a wrong attempt, lockouts are forgotten (the next one is short again). */
  forgetMs: number;
}

export interface FailResult {
  /** Wrong attempts in the current window (0 right after a lockout starts). */
  failures: number;
  /** Set when the key is locked now (ISO instant). */
  lockedUntil: string | null;
  /** This attempt started a lockout. */
  lockedNow: boolean;
}

export interface LimitsRepo {
  /** The instant this key is locked until, when that is still ahead of `now`. */
  lockedUntil(key: string, now: Date): string | null;
  /** Count one wrong attempt; the max-th within the window locks the key. */
  fail(key: string, now: Date, policy: AttemptPolicy): FailResult;
  /** Forget the key's wrong attempts (after a right one). */
  clear(key: string): void;
  /** Rate limit: true (and counted) while fewer than `max` were taken within `windowMs`. */
  take(key: string, now: Date, max: number, windowMs: number): boolean;
  /** Drop keys untouched since `before` and not locked; returns how many. */
  prune(before: Date): number;
}

interface State {
  count: number;
  windowStart: string;
  lockedUntil: string | null;
  lockouts: number;
  lastAt: string;
}

const toState = (r: Row): State => ({
  count: Number(r.count),
  windowStart: str(r.window_start),
  lockedUntil: strOrNull(r.locked_until),
  lockouts: Number(r.lockouts),
  lastAt: str(r.last_at),
});

export function limitsRepo(db: Database.Database): LimitsRepo {
  const q = {
    get: db.prepare("SELECT * FROM attempt_limits WHERE key = ?"),
    put: db.prepare(`
      INSERT INTO attempt_limits (key, count, window_start, locked_until, lockouts, last_at)
      VALUES (@key, @count, @windowStart, @lockedUntil, @lockouts, @lastAt)
      ON CONFLICT (key) DO UPDATE SET count = excluded.count, window_start = excluded.window_start,
        locked_until = excluded.locked_until, lockouts = excluded.lockouts, last_at = excluded.last_at`),
    clear: db.prepare("DELETE FROM attempt_limits WHERE key = ?"),
    prune: db.prepare("DELETE FROM attempt_limits WHERE last_at < ? AND (locked_until IS NULL OR locked_until < ?)"),
  };
  const get = (key: string): State | undefined => {
    const r = q.get.get(key) as Row | undefined;
    return r ? toState(r) : undefined;
  };
  const ms = (iso: string) => Date.parse(iso);
  return {
    lockedUntil(key, now) {
      const s = get(key);
      return s?.lockedUntil && ms(s.lockedUntil) > now.getTime() ? s.lockedUntil : null;
    },
    fail: (key, now, p) =>
      db.transaction((): FailResult => {
        const t = now.getTime();
        const at = now.toISOString();
        const s: State = get(key) ?? { count: 0, windowStart: at, lockedUntil: null, lockouts: 0, lastAt: at };
        if (t - ms(s.lastAt) > p.forgetMs) s.lockouts = 0;
        if (t - ms(s.windowStart) > p.windowMs) {
          s.count = 0;
          s.windowStart = at;
        }
        s.count++;
        s.lastAt = at;
        let lockedNow = false;
        if (s.count >= p.max) {
          s.lockouts++;
          const lock = Math.min(p.lockMs * 2 ** Math.min(s.lockouts - 1, 20), p.maxLockMs);
          s.lockedUntil = new Date(t + lock).toISOString();
          s.count = 0;
          s.windowStart = at;
          lockedNow = true;
        }
        q.put.run({ key, ...s });
        const locked = s.lockedUntil && ms(s.lockedUntil) > t ? s.lockedUntil : null;
        return { failures: s.count, lockedUntil: locked, lockedNow };
      })(),
    clear: (key) => void q.clear.run(key),
    take: (key, now, max, windowMs) =>
      db.transaction((): boolean => {
        const at = now.toISOString();
        const s: State = get(key) ?? { count: 0, windowStart: at, lockedUntil: null, lockouts: 0, lastAt: at };
        if (now.getTime() - ms(s.windowStart) > windowMs) {
          s.count = 0;
          s.windowStart = at;
        }
        if (s.count >= max) return false;
        s.count++;
        s.lastAt = at;
        q.put.run({ key, ...s });
        return true;
      })(),
    prune: (before) => q.prune.run(before.toISOString(), before.toISOString()).changes,
  };
}
