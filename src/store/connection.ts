// Opening the SQLite file: WAL, foreign keys, a busy timeout, then migrations.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Migration } from "./migrations/types.js";

export interface OpenOptions {
  /** Default FULL: a commit is on disk before the confirmation is sent. */
  synchronous?: "FULL" | "NORMAL";
  busyTimeoutMs?: number;
  migrations?: Migration[];
  clock?: () => Date;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Database.Database {
  if (path !== ":memory:" && !path.startsWith("file:")) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${opts.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
  db.pragma("foreign_keys = ON");
  return db;
}

/** Apply every migration not yet recorded, each in its own transaction. Returns the versions applied. */
export function migrate(db: Database.Database, migrations: Migration[], now: () => Date = () => new Date()): number[] {
  const seen = new Set<number>();
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`Migration "${m.name}" has an invalid version ${m.version}.`);
    if (seen.has(m.version)) throw new Error(`Two migrations share version ${m.version}; each needs its own number.`);
    seen.add(m.version);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
  );
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, now().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}
