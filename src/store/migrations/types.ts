// A numbered schema migration. Each one runs inside its own transaction and is
// recorded in schema_migrations, so it is applied exactly once per database.
import type Database from "better-sqlite3";

export interface Migration {
  /** Unique, increasing. 1 = initial, 2 = reminders, 3+ = later additions. */
  version: number;
  /** Short kebab-case name, e.g. "initial". */
  name: string;
  up(db: Database.Database): void;
}
