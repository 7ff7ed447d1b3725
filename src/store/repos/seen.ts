// Durable de-duplication: the keys of updates already handled, so a delivery
// repeated by the platform (or after a restart) is answered once.
import type Database from "better-sqlite3";
import type { Iso } from "../rows.js";

export interface SeenRepo {
  /** True the first time a key is seen; false for every repeat. */
  firstTime(key: string): boolean;
  /** Forget keys seen before `before`; returns how many. */
  prune(before: Date): number;
}

export function seenRepo(db: Database.Database, iso: Iso): SeenRepo {
  const insert = db.prepare("INSERT OR IGNORE INTO processed_updates (key, seen_at) VALUES (?, ?)");
  const prune = db.prepare("DELETE FROM processed_updates WHERE seen_at < ?");
  return {
    firstTime: (key) => insert.run(key, iso()).changes === 1,
    prune: (before) => prune.run(before.toISOString()).changes,
  };
}
