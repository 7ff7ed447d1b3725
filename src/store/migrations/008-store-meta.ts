// Version 8: small facts about the store itself, by key. First use: which knowledge
// version the tasks mirror was last synced from, so an unchanged start skips the sync
// (×100 plans: tens of thousands of rows compared for nothing).
import type { Migration } from "./types.js";

export const storeMeta: Migration = {
  version: 8,
  name: "store-meta",
  up(db) {
    db.exec(`
      CREATE TABLE store_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};
