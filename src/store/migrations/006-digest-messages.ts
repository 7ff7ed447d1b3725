// Version 6: how many digest messages a group received on a local date, so a
// channel's daily cap (Zalo: three) holds across the retries of one day.
import type { Migration } from "./types.js";

export const digestMessages: Migration = {
  version: 6,
  name: "digest-messages",
  up(db) {
    db.exec(`
      ALTER TABLE reminder_chats ADD COLUMN messages_on TEXT;                          -- local date of the count below
      ALTER TABLE reminder_chats ADD COLUMN messages_sent INTEGER NOT NULL DEFAULT 0;  -- digest messages sent that day
    `);
  },
};
