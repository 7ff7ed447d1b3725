// Version 5: the progress dashboard's one-time sign-in links and its sessions.
// Only a SHA-256 of each token is kept, so a copy of the database opens nothing.
// Also, for the dashboard's speed: status updates indexed in time order (the trend), and
// each task's latest update and count kept by a trigger (the standings).
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

      -- Each task's latest update (by reported_at, then id) and how many it has, kept by a
      -- trigger on every insert (updates are append-only), so "where does every task stand"
      -- is one lookup per task instead of a search through all its updates.
      CREATE TABLE task_latest (
        task_id     TEXT    PRIMARY KEY REFERENCES tasks(id),
        update_id   INTEGER NOT NULL REFERENCES status_updates(id),
        reported_at TEXT    NOT NULL,
        updates     INTEGER NOT NULL
      );
      INSERT INTO task_latest (task_id, update_id, reported_at, updates)
        SELECT t.task_id,
               (SELECT x.id FROM status_updates x WHERE x.task_id = t.task_id ORDER BY x.reported_at DESC, x.id DESC LIMIT 1),
               (SELECT MAX(x.reported_at) FROM status_updates x WHERE x.task_id = t.task_id),
               t.n
        FROM (SELECT task_id, COUNT(*) AS n FROM status_updates GROUP BY task_id) t;
      CREATE TRIGGER status_updates_latest AFTER INSERT ON status_updates BEGIN
        INSERT INTO task_latest (task_id, update_id, reported_at, updates) VALUES (NEW.task_id, NEW.id, NEW.reported_at, 1)
        ON CONFLICT (task_id) DO UPDATE SET
          updates = updates + 1,
          update_id = CASE WHEN excluded.reported_at > reported_at OR (excluded.reported_at = reported_at AND excluded.update_id > update_id)
                           THEN excluded.update_id ELSE update_id END,
          reported_at = MAX(reported_at, excluded.reported_at);
      END;
    `);
  },
};
