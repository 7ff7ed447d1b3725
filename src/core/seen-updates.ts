// In-memory, bounded SeenUpdates: remembers the last `max` keys (oldest
// forgotten first). The store provides a durable one with the same interface.
import { BoundedMap } from "../text/bounded-map.js";
import type { SeenUpdates } from "./feature.js";

export function createSeenUpdates(max = 10_000): SeenUpdates & { readonly size: number } {
  const keys = new BoundedMap<string, true>(max);
  return {
    firstTime(key: string): boolean {
      if (keys.has(key)) return false;
      keys.set(key, true);
      return true;
    },
    get size() {
      return keys.size;
    },
  };
}
