// A fixed-window counter per key (an address, a session), bounded in memory.
import { BoundedMap } from "../../text/bounded-map.js";

export class RateLimit {
  private readonly windows: BoundedMap<string, { start: number; count: number }>;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    maxKeys = 10_000,
  ) {
    this.windows = new BoundedMap(maxKeys);
  }

  /** 0 when allowed (and counted); otherwise the seconds to wait. */
  take(key: string, nowMs: number): number {
    const w = this.windows.get(key);
    if (!w || nowMs - w.start >= this.windowMs) {
      this.windows.set(key, { start: nowMs, count: 1 });
      return 0;
    }
    if (w.count >= this.limit) return Math.max(1, Math.ceil((w.start + this.windowMs - nowMs) / 1000));
    w.count++;
    return 0;
  }
}
