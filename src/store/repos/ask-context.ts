// The ask feature's conversation context, one row per chat and user. The store
// keeps the JSON as given; the feature validates what it reads back.
import type Database from "better-sqlite3";

export interface AskContextRow {
  state: string;
  at: string;
}

export interface AskContextRepo {
  get(key: string): AskContextRow | undefined;
  put(key: string, state: string, at: string): void;
  /** Forget contexts older than `before`; returns how many. */
  prune(before: Date): number;
}

export function askContextRepo(db: Database.Database): AskContextRepo {
  const get = db.prepare("SELECT state, at FROM ask_context WHERE key = ?");
  const put = db.prepare("INSERT INTO ask_context (key, state, at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, at = excluded.at");
  const prune = db.prepare("DELETE FROM ask_context WHERE at < ?");
  return {
    get: (key) => get.get(key) as AskContextRow | undefined,
    put: (key, state, at) => void put.run(key, state, at),
    prune: (before) => prune.run(before.toISOString()).changes,
  };
}
