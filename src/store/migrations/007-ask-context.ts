// Version 7: the last question of each chat's user, so a follow-up ("còn phối hợp?",
// "trang 2") still finds it after a restart. Short-lived: pruned at start-up.
import type { Migration } from "./types.js";

export const askContext: Migration = {
  version: 7,
  name: "ask-context",
  up(db) {
    db.exec(`
      CREATE TABLE ask_context (
        key   TEXT PRIMARY KEY,   -- channel:chat:user
        state TEXT NOT NULL,      -- the ask feature's JSON (query and record ids)
        at    TEXT NOT NULL       -- ISO time of the answer
      );
      CREATE INDEX ask_context_at ON ask_context (at);
    `);
  },
};
