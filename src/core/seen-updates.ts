// In-memory, bounded SeenUpdates: remembers the last `max` keys (oldest
// forgotten first). The store may provide a durable one with the same interface.
import type { SeenUpdates } from "./commands.js";

export function createSeenUpdates(max = 10_000): SeenUpdates & { readonly size: number } {
  const keys = new Set<string>();
  return {
    firstTime(key: string): boolean {
      if (keys.has(key)) return false;
      keys.add(key);
      if (keys.size > max) {
        const oldest = keys.values().next().value;
        if (oldest !== undefined) keys.delete(oldest);
      }
      return true;
    },
    get size() {
      return keys.size;
    },
  };
}
