// Version 3: the inbox — every update a channel received, stored before the
// platform is told it arrived (webhook 200, polling offset). A worker answers it
// and marks it done with what was sent; a restart resumes every row not done.
// The two UNIQUE keys are how a repeated delivery is recognised: by the
// platform's update id (Telegram), or by the message's id in its chat (Zalo,
// the console, and Telegram's same message under a new update id).
import type { Migration } from "./types.js";

export const inbox: Migration = {
  version: 3,
  name: "inbox",
  up(db) {
    db.exec(`
      CREATE TABLE inbox (
        id          INTEGER PRIMARY KEY,           -- arrival order
        channel     TEXT    NOT NULL,
        chat_id     TEXT    NOT NULL,
        update_id   TEXT,                          -- the platform's update id, when it has one
        message_id  TEXT,                          -- the message's id in its chat
        payload     TEXT    NOT NULL,              -- the update as received (JSON)
        received_at TEXT    NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,    -- times a worker began to answer it
        reply       TEXT,                          -- the messages decided for it (JSON), once decided
        sent        INTEGER NOT NULL DEFAULT 0,    -- how many of them reached the platform
        outcome     TEXT CHECK (outcome IN ('delivered', 'silent', 'failed', 'skipped')),
        error       TEXT,
        done_at     TEXT,                          -- NULL while the update waits or is being answered
        UNIQUE (channel, update_id),
        UNIQUE (channel, chat_id, message_id)
      );
      CREATE INDEX inbox_open ON inbox(channel, id) WHERE done_at IS NULL;
      CREATE INDEX inbox_done ON inbox(done_at) WHERE done_at IS NOT NULL;
    `);
  },
};
