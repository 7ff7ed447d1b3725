// Version 1: users, chats, mirrored tasks, status updates, form sessions,
// processed updates (durable de-duplication) and the audit log.
import type { Migration } from "./types.js";

export const initial: Migration = {
  version: 1,
  name: "initial",
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id              INTEGER PRIMARY KEY,
        channel         TEXT    NOT NULL,
        channel_user_id TEXT    NOT NULL,
        name            TEXT    NOT NULL,
        agency_id       TEXT,
        role            TEXT    NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        approved        INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)),
        approved_by     INTEGER REFERENCES users(id),
        approved_at     TEXT,
        via_invite      INTEGER NOT NULL DEFAULT 0 CHECK (via_invite IN (0, 1)),
        created_at      TEXT    NOT NULL,
        updated_at      TEXT    NOT NULL,
        UNIQUE (channel, channel_user_id)
      );
      CREATE INDEX users_agency ON users(agency_id);

      CREATE TABLE chats (
        channel    TEXT NOT NULL,
        chat_id    TEXT NOT NULL,
        type       TEXT NOT NULL CHECK (type IN ('private', 'group')),
        title      TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (channel, chat_id)
      );

      CREATE TABLE tasks (
        id              TEXT PRIMARY KEY,
        plan            TEXT NOT NULL,
        name            TEXT NOT NULL,
        lead_ids        TEXT NOT NULL DEFAULT '[]',
        coordinator_ids TEXT NOT NULL DEFAULT '[]',
        due             TEXT,
        deadline_raw    TEXT NOT NULL DEFAULT '',
        archived_at     TEXT,
        first_seen_at   TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );

      CREATE TABLE status_updates (
        id          INTEGER PRIMARY KEY,
        task_id     TEXT    NOT NULL REFERENCES tasks(id),
        user_id     INTEGER NOT NULL REFERENCES users(id),
        status      TEXT    NOT NULL CHECK (status IN
                      ('chua_trien_khai', 'dang_thuc_hien', 'hoan_thanh', 'cham_tien_do', 'vuong_mac')),
        percent     INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
        done        TEXT    NOT NULL DEFAULT '',
        obstacles   TEXT    NOT NULL DEFAULT '',
        proposal    TEXT    NOT NULL DEFAULT '',
        expected_by TEXT,
        reported_at TEXT    NOT NULL,
        channel     TEXT    NOT NULL,
        chat_id     TEXT,
        message_id  TEXT
      );
      CREATE INDEX status_updates_task ON status_updates(task_id, reported_at, id);
      CREATE INDEX status_updates_user ON status_updates(user_id);

      CREATE TABLE form_sessions (
        channel     TEXT    NOT NULL,
        chat_id     TEXT    NOT NULL,
        user_id     TEXT    NOT NULL,
        form        TEXT    NOT NULL,
        version     INTEGER NOT NULL,
        step        INTEGER NOT NULL,
        values_json TEXT    NOT NULL,
        started_at  TEXT    NOT NULL,
        updated_at  TEXT    NOT NULL,
        PRIMARY KEY (channel, chat_id, user_id)
      );

      CREATE TABLE processed_updates (
        key     TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL
      );
      CREATE INDEX processed_updates_seen ON processed_updates(seen_at);

      CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT,
        action  TEXT NOT NULL,
        subject TEXT,
        detail  TEXT
      );
      CREATE INDEX audit_log_at ON audit_log(at);
    `);
  },
};
