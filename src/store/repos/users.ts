// People: registrations with their agency, approval and role.
import type Database from "better-sqlite3";
import { str, strOrNull, type Iso, type Row } from "../rows.js";
import type { UserRow } from "../types.js";

export interface UsersRepo {
  get(channel: string, channelUserId: string): UserRow | undefined;
  byId(id: number): UserRow | undefined;
  /** Create or replace a registration (name, agency); approval as given. */
  register(input: {
    channel: string;
    channelUserId: string;
    name: string;
    agencyId: string | null;
    approved: boolean;
    viaInvite?: boolean;
    now: Date;
  }): UserRow;
  /** Make sure a configured admin has a row (role admin, approved); keeps an existing name and agency. */
  ensureAdmin(input: { channel: string; channelUserId: string; name: string; now: Date }): UserRow;
  approve(id: number, byUserId: number | null, now: Date): UserRow | undefined;
  /** Remove a pending registration (never one with status updates). */
  reject(id: number): boolean;
  pending(): UserRow[];
  all(): UserRow[];
}

function toUser(r: Row): UserRow {
  return {
    id: Number(r.id),
    channel: str(r.channel),
    channelUserId: str(r.channel_user_id),
    name: str(r.name),
    agencyId: strOrNull(r.agency_id),
    role: r.role === "admin" ? "admin" : "user",
    approved: r.approved === 1,
    approvedBy: r.approved_by === null || r.approved_by === undefined ? null : Number(r.approved_by),
    approvedAt: strOrNull(r.approved_at),
    viaInvite: r.via_invite === 1,
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

export function usersRepo(db: Database.Database, iso: Iso): UsersRepo {
  const q = {
    get: db.prepare("SELECT * FROM users WHERE channel = ? AND channel_user_id = ?"),
    byId: db.prepare("SELECT * FROM users WHERE id = ?"),
    register: db.prepare(`
      INSERT INTO users (channel, channel_user_id, name, agency_id, role, approved, approved_at, via_invite, created_at, updated_at)
      VALUES (@channel, @channelUserId, @name, @agencyId, 'user', @approved, @approvedAt, @viaInvite, @now, @now)
      ON CONFLICT (channel, channel_user_id) DO UPDATE SET
        name = excluded.name, agency_id = excluded.agency_id,
        approved = CASE WHEN users.role = 'admin' THEN 1 ELSE excluded.approved END,
        approved_at = CASE WHEN users.role = 'admin' THEN users.approved_at ELSE excluded.approved_at END,
        approved_by = CASE WHEN users.role = 'admin' THEN users.approved_by ELSE NULL END,
        via_invite = excluded.via_invite, updated_at = excluded.updated_at`),
    ensureAdmin: db.prepare(`
      INSERT INTO users (channel, channel_user_id, name, agency_id, role, approved, approved_at, created_at, updated_at)
      VALUES (@channel, @channelUserId, @name, NULL, 'admin', 1, @now, @now, @now)
      ON CONFLICT (channel, channel_user_id) DO UPDATE SET
        role = 'admin', approved = 1, approved_at = COALESCE(users.approved_at, excluded.approved_at),
        updated_at = CASE WHEN users.role = 'admin' AND users.approved = 1 THEN users.updated_at ELSE excluded.updated_at END`),
    approve: db.prepare("UPDATE users SET approved = 1, approved_by = ?, approved_at = ?, updated_at = ? WHERE id = ?"),
    reject: db.prepare(
      "DELETE FROM users WHERE id = ? AND approved = 0 AND role = 'user' AND NOT EXISTS (SELECT 1 FROM status_updates WHERE user_id = users.id)",
    ),
    pending: db.prepare("SELECT * FROM users WHERE approved = 0 ORDER BY created_at, id"),
    all: db.prepare("SELECT * FROM users ORDER BY id"),
  };
  const repo: UsersRepo = {
    get: (channel, channelUserId) => {
      const r = q.get.get(channel, channelUserId) as Row | undefined;
      return r ? toUser(r) : undefined;
    },
    byId: (id) => {
      const r = q.byId.get(id) as Row | undefined;
      return r ? toUser(r) : undefined;
    },
    register: (i) => {
      const now = iso(i.now);
      q.register.run({
        channel: i.channel,
        channelUserId: i.channelUserId,
        name: i.name,
        agencyId: i.agencyId,
        approved: i.approved ? 1 : 0,
        approvedAt: i.approved ? now : null,
        viaInvite: i.viaInvite ? 1 : 0,
        now,
      });
      return repo.get(i.channel, i.channelUserId)!;
    },
    ensureAdmin: (i) => {
      const existing = repo.get(i.channel, i.channelUserId);
      if (existing?.role === "admin" && existing.approved) return existing; // no write, no fsync
      q.ensureAdmin.run({ channel: i.channel, channelUserId: i.channelUserId, name: i.name, now: iso(i.now) });
      return repo.get(i.channel, i.channelUserId)!;
    },
    approve: (id, by, now) => {
      const t = iso(now);
      q.approve.run(by, t, t, id);
      return repo.byId(id);
    },
    reject: (id) => q.reject.run(id).changes > 0,
    pending: () => (q.pending.all() as Row[]).map(toUser),
    all: () => (q.all.all() as Row[]).map(toUser),
  };
  return repo;
}
