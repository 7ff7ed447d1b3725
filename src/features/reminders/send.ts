// Pushing digests out within platform limits: a pacer per channel (messages per
// second overall, and a gap between two messages to the same group). Retries
// are the channel's business: it says delivered, retry after a wait, or failed,
// and a "retry" is tried again here after the wait it names. Time is injected
// so tests and benchmarks control it.
import type { ChannelName, OutMessage, Outbox } from "../../core/types.js";

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
  /** Attempts per message when the channel asks to retry, the first included. */
  maxAttempts: number;
}

/**
 * Telegram: ≈30 messages a second overall and 20 a minute in one group (we use
 * 25/s and 3 s). Zalo Bot API: no published figure; 10/s and 1 s per chat are
 * conservative.
 */
export const CHANNEL_PACING: Record<ChannelName, Pacing> = {
  telegram: { perSecond: 25, perChatGapMs: 3000, maxAttempts: 4 },
  zalo: { perSecond: 10, perChatGapMs: 1000, maxAttempts: 4 },
  console: { perSecond: 1000, perChatGapMs: 0, maxAttempts: 1 },
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

/** A wait the channel asks for beyond this is not sat out here: the group is tried again later. */
const MAX_WAIT_MS = 60_000;

/**
 * Send one message, pacing every attempt; when the channel says "retry", wait
 * as long as it asks and try again, up to pacing.maxAttempts. Never throws.
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
  const max = Math.max(1, pacing.maxAttempts);
  let lastError = "";
  for (let attempt = 1; attempt <= max; attempt++) {
    await pacer.take();
    const d = await outbox.send(chatId, [message]);
    if (d.status === "delivered") return { ok: true, attempts: attempt };
    lastError = d.error;
    if (d.status === "failed" || attempt === max || d.afterMs > MAX_WAIT_MS) return { ok: false, attempts: attempt, error: lastError };
    onRetry?.(attempt, lastError, d.afterMs);
    await timer.sleep(d.afterMs);
  }
  return { ok: false, attempts: max, error: lastError };
}
