// Version 4: who may do what, durably.
// - registrations: every submission of /dangky gets its own id, so approving #7
//   approves exactly what the admin was shown; a newer submission supersedes it.
//   Existing users get one registration each, with the user's id as its id (so an
//   "#id" in a notice sent before this version still means the same person).
// - invite_codes: codes an admin made with /maomoi (only a hash is kept), with an
//   expiry and a use limit.
// - attempt_limits: counters for wrong invite codes (lockouts that grow) and for
//   registration notices (a rate limit per user).
// - names already stored are cleaned like new ones (bidi, control, invisible characters).
// (Version 3 is the durable inbox, 003-inbox.)
import { cleanName } from "../../text/names.js";
import type { Migration } from "./types.js";

export const access: Migration = {
  version: 4,
  name: "access",
  up(db) {
    db.exec(`
      CREATE TABLE registrations (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name        TEXT    NOT NULL,
        agency_id   TEXT,
        via_invite  INTEGER NOT NULL DEFAULT 0 CHECK (via_invite IN (0, 1)),
        invite_id   INTEGER,                       -- the /maomoi code used; NULL for none or a configured code
        status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
        created_at  TEXT    NOT NULL,
        decided_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
        decided_at  TEXT
      );
      CREATE INDEX registrations_user ON registrations(user_id, id);
      CREATE INDEX registrations_status ON registrations(status, id);
      ALTER TABLE users ADD COLUMN registration_id INTEGER;   -- the user's latest registration

      INSERT INTO registrations (id, user_id, name, agency_id, via_invite, status, created_at, decided_by, decided_at)
        SELECT id, id, name, agency_id, via_invite, CASE WHEN approved = 1 THEN 'approved' ELSE 'pending' END,
               updated_at, approved_by, approved_at
        FROM users;
      UPDATE users SET registration_id = id;

      CREATE TABLE invite_codes (
        id          INTEGER PRIMARY KEY,
        code_hash   TEXT    NOT NULL UNIQUE,       -- sha256 of the code as matched (upper case, no spaces)
        agency_id   TEXT    NOT NULL,
        max_uses    INTEGER NOT NULL CHECK (max_uses >= 1),
        uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
        expires_at  TEXT    NOT NULL,
        created_by  TEXT    NOT NULL,              -- "telegram:42"
        created_at  TEXT    NOT NULL,
        revoked_at  TEXT,
        revoked_by  TEXT
      );

      CREATE TABLE attempt_limits (
        key           TEXT PRIMARY KEY,            -- "invite:user:telegram:42", "notice:telegram:42"
        count         INTEGER NOT NULL,            -- in the current window
        window_start  TEXT    NOT NULL,
        locked_until  TEXT,
        lockouts      INTEGER NOT NULL DEFAULT 0,  -- lockouts in a row (each one lasts longer)
        last_at       TEXT    NOT NULL
      );
      CREATE INDEX attempt_limits_last ON attempt_limits(last_at);
    `);
    const rename = db.prepare("UPDATE users SET name = ? WHERE id = ?");
    const renameRegistration = db.prepare("UPDATE registrations SET name = ? WHERE user_id = ?");
    for (const r of db.prepare("SELECT id, name FROM users").all() as { id: number; name: string }[]) {
      const clean = cleanName(r.name) || "(không rõ tên)";
      if (clean === r.name) continue;
      rename.run(clean, r.id);
      renameRegistration.run(clean, r.id);
    }
  },
};
