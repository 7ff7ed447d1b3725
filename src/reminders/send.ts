// Pushing digests out within platform limits: a pacer per channel (messages per
// second overall, and a gap between two messages to the same group), and a retry
// with exponential backoff that honours the platform's retry_after. Time is
// injected so tests and benchmarks control it.
import type { ChannelName, OutMessage, Outbox } from "../core/types.js";

export interface Timer {
  /** Milliseconds, monotonic enough for pacing. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
};

export interface Pacing {
  /** Messages per second across all chats of the channel. */
  perSecond: number;
  /** Minimum gap between two messages to the same chat (ms). */
  perChatGapMs: number;
  /** Attempts per message, the first included. */
  maxAttempts: number;
  /** First backoff (ms); doubled each time, capped at maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

/**
 * Telegram: ≈30 messages a second overall and 20 a minute in one group (we use
 * 25/s and 3 s). Zalo Bot API: no published figure; 10/s and 1 s per chat are
 * conservative.
 */
export const CHANNEL_PACING: Record<ChannelName, Pacing> = {
  telegram: { perSecond: 25, perChatGapMs: 3000, maxAttempts: 4, backoffMs: 1000, maxBackoffMs: 30_000 },
  zalo: { perSecond: 10, perChatGapMs: 1000, maxAttempts: 4, backoffMs: 1000, maxBackoffMs: 30_000 },
  console: { perSecond: 1000, perChatGapMs: 0, maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0 },
};

/** Hands out send slots at most `perSecond` a second (callers may be concurrent). */
export class Pacer {
  private next = 0;
  private readonly interval: number;
  constructor(
    perSecond: number,
    private readonly timer: Timer,
  ) {
    this.interval = perSecond > 0 ? 1000 / perSecond : 0;
  }
  async take(): Promise<void> {
    const now = this.timer.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.interval;
    if (slot > now) await this.timer.sleep(slot - now);
  }
}

export interface SendOutcome {
  ok: boolean;
  attempts: number;
  error?: string;
}

/** Seconds the platform asked us to wait, if it did (grammY's GrammyError, Zalo's errors). */
function retryAfterMs(err: unknown): number | undefined {
  const e = err as { retryAfter?: unknown; parameters?: { retry_after?: unknown } } | null;
  const s = typeof e?.retryAfter === "number" ? e.retryAfter : typeof e?.parameters?.retry_after === "number" ? e.parameters.retry_after : undefined;
  return s === undefined ? undefined : s * 1000;
}

/** False for refusals that will not change by retrying (bot removed from the group, chat not found). */
export function isRetryable(err: unknown): boolean {
  const e = err as { retryable?: unknown; error_code?: unknown } | null;
  if (typeof e?.retryable === "boolean") return e.retryable;
  if (typeof e?.error_code === "number") return e.error_code === 429 || e.error_code >= 500;
  return true;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Send one message, pacing every attempt; on failure wait (retry_after, else
 * backoff doubling) and retry up to pacing.maxAttempts. Never throws.
 */
export async function sendPaced(
  outbox: Outbox,
  chatId: string,
  message: OutMessage,
  pacing: Pacing,
  pacer: Pacer,
  timer: Timer,
  onRetry?: (attempt: number, error: string, waitMs: number) => void,
): Promise<SendOutcome> {
  let wait = pacing.backoffMs;
  let lastError = "";
  const max = Math.max(1, pacing.maxAttempts);
  for (let attempt = 1; attempt <= max; attempt++) {
    await pacer.take();
    try {
      await outbox.send(chatId, [message]);
      return { ok: true, attempts: attempt };
    } catch (err) {
      lastError = errorText(err);
      if (!isRetryable(err) || attempt === max) return { ok: false, attempts: attempt, error: lastError };
      // The platform's retry_after is obeyed in full; our own backoff is capped.
      const delay = Math.max(retryAfterMs(err) ?? 0, Math.min(wait, pacing.maxBackoffMs || wait));
      onRetry?.(attempt, lastError, delay);
      await timer.sleep(delay);
      wait = Math.min(pacing.maxBackoffMs || wait * 2, wait * 2);
    }
  }
  return { ok: false, attempts: max, error: lastError };
}
