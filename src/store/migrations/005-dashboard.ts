// Version 5: the progress dashboard's one-time sign-in links and its sessions.
// Only a SHA-256 of each token is kept, so a copy of the database opens nothing.
// Also an index over status updates in time order, for the dashboard's trend.
import type { Migration } from "./types.js";

export const dashboard: Migration = {
  version: 5,
  name: "dashboard",
  up(db) {
    db.exec(`
      CREATE TABLE dashboard_links (
        token_hash TEXT    PRIMARY KEY,           -- hex SHA-256 of the token in the link
        user_id    INTEGER NOT NULL REFERENCES users(id),
        issued_via TEXT    NOT NULL,              -- "telegram", "zalo", "console", "cli"
        created_at TEXT    NOT NULL,
        expires_at TEXT    NOT NULL,
        used_at    TEXT                           -- set once, when the link becomes a session
      );
      CREATE INDEX dashboard_links_expires ON dashboard_links(expires_at);

      CREATE TABLE dashboard_sessions (
        id_hash    TEXT    PRIMARY KEY,           -- hex SHA-256 of the cookie's value
        user_id    INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT    NOT NULL,
        expires_at TEXT    NOT NULL
      );
      CREATE INDEX dashboard_sessions_expires ON dashboard_sessions(expires_at);

      -- The trend reads every report in time order: a covering index, so no sort.
      CREATE INDEX status_updates_time ON status_updates(reported_at, id, task_id, status);
    `);
  },
};
