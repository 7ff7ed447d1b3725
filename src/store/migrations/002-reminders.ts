// Version 2: reminders — which groups follow which agencies or plans, their
// settings (muted, time of day), and one row per reminder delivered to a chat.
// The UNIQUE key of reminder_deliveries is what makes a reminder go out once.
import type { Migration } from "./types.js";

export const reminders: Migration = {
  version: 2,
  name: "reminders",
  up(db) {
    db.exec(`
      CREATE TABLE reminder_chats (
        chat            TEXT PRIMARY KEY,            -- "telegram:-100123"
        channel         TEXT NOT NULL,
        chat_id         TEXT NOT NULL,
        muted           INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
        time_of_day     TEXT,                        -- "07:30"; NULL = REMINDER_TIME
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        last_run_on     TEXT,                        -- local date of the last completed digest run
        last_sent_on    TEXT,                        -- local date of the last digest actually sent
        next_attempt_at TEXT                         -- after a failed send: not before this instant
      );

      CREATE TABLE reminder_subscriptions (
        chat       TEXT NOT NULL REFERENCES reminder_chats(chat) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('agency', 'plan')),
        target     TEXT NOT NULL,                    -- agency id or plan id
        created_by TEXT NOT NULL,                    -- "telegram:42"
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat, kind, target)
      );

      CREATE TABLE reminder_deliveries (
        id           INTEGER PRIMARY KEY,
        chat         TEXT NOT NULL,
        rule         TEXT NOT NULL,                  -- due-soon | overdue | duty-due | stale
        subject      TEXT NOT NULL,                  -- task or duty id
        due_window   TEXT NOT NULL,                  -- "2026-03-09@7", "2026-01-31#2", "2026-03-20"
        status       TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
        run_id       TEXT NOT NULL,
        claimed_at   TEXT NOT NULL,
        lease_until  TEXT NOT NULL,                  -- a claim not sent by then may be taken over
        sent_at      TEXT,
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT,
        UNIQUE (chat, rule, subject, due_window)
      );
      CREATE INDEX reminder_deliveries_chat ON reminder_deliveries(chat, status);
    `);
  },
};
