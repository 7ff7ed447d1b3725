// People: registrations with their agency, approval and role. Every /dangky is
// a registration of its own (an id the admin approves or refuses exactly); the
// user row holds what is in force.
import type Database from "better-sqlite3";
import { str, strOrNull, type Iso, type Row } from "../rows.js";
import type { Decision, RegistrationRow, UserRow } from "../types.js";

export interface UsersRepo {
  get(channel: string, channelUserId: string): UserRow | undefined;
  byId(id: number): UserRow | undefined;
  /**
   * A new registration (name, agency): the user row is created or updated at once, approved as
   * given (an admin stays approved); the registration gets its own id and supersedes any earlier
   * one still waiting.
   */
  register(input: {
    channel: string;
    channelUserId: string;
    name: string;
    agencyId: string | null;
    approved: boolean;
    viaInvite?: boolean;
    /** The /maomoi code used (none for a configured code). */
    inviteId?: number | null;
    now: Date;
  }): UserRow;
  /** Make sure a configured admin has a row (role admin, approved); keeps an existing name and agency. */
  ensureAdmin(input: { channel: string; channelUserId: string; name: string; now: Date }): UserRow;
  registration(id: number): RegistrationRow | undefined;
  /** Approve exactly this registration, if it is still the user's latest and still waiting. */
  approve(registrationId: number, byUserId: number | null, now: Date): Decision;
  /**
   * Refuse exactly this registration, if it is still the user's latest and still waiting. A user
   * approved before keeps that earlier registration; one with status reports stays (not approved);
   * anyone else is removed.
   */
  reject(registrationId: number, byUserId: number | null, now: Date): Decision;
  /** Registrations waiting for an admin, oldest first. */
  pending(): RegistrationRow[];
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
    registrationId: r.registration_id === null || r.registration_id === undefined ? null : Number(r.registration_id),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRegistration(r: Row): RegistrationRow {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    channel: str(r.channel),
    channelUserId: str(r.channel_user_id),
    name: str(r.name),
    agencyId: strOrNull(r.agency_id),
    viaInvite: r.via_invite === 1,
    inviteId: numOrNull(r.invite_id),
    status: str(r.status) as RegistrationRow["status"],
    createdAt: str(r.created_at),
    decidedBy: numOrNull(r.decided_by),
    decidedAt: strOrNull(r.decided_at),
  };
}

export function usersRepo(db: Database.Database, iso: Iso): UsersRepo {
  const registrationView = `SELECT g.*, u.channel, u.channel_user_id FROM registrations g JOIN users u ON u.id = g.user_id`;
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
    supersede: db.prepare("UPDATE registrations SET status = 'superseded' WHERE user_id = ? AND status = 'pending'"),
    addRegistration: db.prepare(`
      INSERT INTO registrations (user_id, name, agency_id, via_invite, invite_id, status, created_at, decided_at)
      VALUES (@userId, @name, @agencyId, @viaInvite, @inviteId, @status, @now, @decidedAt)`),
    setLatest: db.prepare("UPDATE users SET registration_id = ? WHERE id = ?"),
    ensureAdmin: db.prepare(`
      INSERT INTO users (channel, channel_user_id, name, agency_id, role, approved, approved_at, created_at, updated_at)
      VALUES (@channel, @channelUserId, @name, NULL, 'admin', 1, @now, @now, @now)
      ON CONFLICT (channel, channel_user_id) DO UPDATE SET
        role = 'admin', approved = 1, approved_at = COALESCE(users.approved_at, excluded.approved_at),
        updated_at = CASE WHEN users.role = 'admin' AND users.approved = 1 THEN users.updated_at ELSE excluded.updated_at END`),
    registration: db.prepare(`${registrationView} WHERE g.id = ?`),
    decide: db.prepare("UPDATE registrations SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'"),
    approveUser: db.prepare(`
      UPDATE users SET approved = 1, approved_by = @by, approved_at = @now, name = @name, agency_id = @agencyId,
        via_invite = @viaInvite, registration_id = @registrationId, updated_at = @now
      WHERE id = @userId`),
    restoreUser: db.prepare(`
      UPDATE users SET approved = 1, approved_by = @by, approved_at = @at, name = @name, agency_id = @agencyId,
        via_invite = @viaInvite, registration_id = @registrationId, updated_at = @now
      WHERE id = @userId`),
    unapproveUser: db.prepare("UPDATE users SET approved = 0, approved_by = NULL, approved_at = NULL, updated_at = ? WHERE id = ?"),
    lastApproved: db.prepare(`${registrationView} WHERE g.user_id = ? AND g.id < ? AND g.status = 'approved' ORDER BY g.id DESC LIMIT 1`),
    hasReports: db.prepare("SELECT 1 FROM status_updates WHERE user_id = ? LIMIT 1"),
    remove: db.prepare("DELETE FROM users WHERE id = ? AND role = 'user' AND approved = 0"),
    pending: db.prepare(`${registrationView} WHERE g.status = 'pending' AND u.registration_id = g.id ORDER BY g.created_at, g.id`),
    all: db.prepare("SELECT * FROM users ORDER BY id"),
  };

  const byId = (id: number): UserRow | undefined => {
    const r = q.byId.get(id) as Row | undefined;
    return r ? toUser(r) : undefined;
  };
  const registration = (id: number): RegistrationRow | undefined => {
    const r = q.registration.get(id) as Row | undefined;
    return r ? toRegistration(r) : undefined;
  };

  /** The registration if it may still be decided, or why not. */
  function decidable(id: number): { reg: RegistrationRow; user: UserRow } | Extract<Decision, { ok: false }> {
    const reg = registration(id);
    if (!reg) return { ok: false, reason: "unknown" };
    const user = byId(reg.userId);
    if (!user) return { ok: false, reason: "unknown", registration: reg };
    if (reg.status === "superseded" || (reg.status === "pending" && user.registrationId !== reg.id)) {
      const latest = user.registrationId === null ? undefined : registration(user.registrationId);
      return { ok: false, reason: "superseded", registration: reg, latest };
    }
    if (reg.status !== "pending") return { ok: false, reason: "decided", registration: reg };
    return { reg, user };
  }

  const repo: UsersRepo = {
    get: (channel, channelUserId) => {
      const r = q.get.get(channel, channelUserId) as Row | undefined;
      return r ? toUser(r) : undefined;
    },
    byId,
    register: (i) =>
      db.transaction(() => {
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
        const user = repo.get(i.channel, i.channelUserId)!;
        q.supersede.run(user.id);
        const info = q.addRegistration.run({
          userId: user.id,
          name: i.name,
          agencyId: i.agencyId,
          viaInvite: i.viaInvite ? 1 : 0,
          inviteId: i.inviteId ?? null,
          status: user.approved ? "approved" : "pending",
          now,
          decidedAt: user.approved ? now : null,
        });
        q.setLatest.run(Number(info.lastInsertRowid), user.id);
        return byId(user.id)!;
      })(),
    ensureAdmin: (i) => {
      const existing = repo.get(i.channel, i.channelUserId);
      if (existing?.role === "admin" && existing.approved) return existing; // no write, no fsync
      q.ensureAdmin.run({ channel: i.channel, channelUserId: i.channelUserId, name: i.name, now: iso(i.now) });
      return repo.get(i.channel, i.channelUserId)!;
    },
    registration,
    approve: (id, by, now) =>
      db.transaction((): Decision => {
        const d = decidable(id);
        if ("ok" in d) return d;
        const t = iso(now);
        q.decide.run("approved", by, t, id);
        q.approveUser.run({ by, now: t, name: d.reg.name, agencyId: d.reg.agencyId, viaInvite: d.reg.viaInvite ? 1 : 0, registrationId: id, userId: d.user.id });
        return { ok: true, outcome: "approved", registration: registration(id)!, user: byId(d.user.id) };
      })(),
    reject: (id, by, now) =>
      db.transaction((): Decision => {
        const d = decidable(id);
        if ("ok" in d) return d;
        const t = iso(now);
        q.decide.run("rejected", by, t, id);
        const earlier = q.lastApproved.get(d.user.id, id) as Row | undefined;
        if (earlier) {
          const prev = toRegistration(earlier);
          q.restoreUser.run({
            by: prev.decidedBy,
            at: prev.decidedAt ?? t,
            name: prev.name,
            agencyId: prev.agencyId,
            viaInvite: prev.viaInvite ? 1 : 0,
            registrationId: prev.id,
            now: t,
            userId: d.user.id,
          });
          return { ok: true, outcome: "restored", registration: registration(id)!, user: byId(d.user.id), restored: prev };
        }
        if (d.user.role === "user" && !q.hasReports.get(d.user.id)) {
          const reg = registration(id)!;
          if (q.remove.run(d.user.id).changes === 1) return { ok: true, outcome: "removed", registration: reg, user: undefined };
        }
        q.unapproveUser.run(t, d.user.id);
        return { ok: true, outcome: "rejected", registration: registration(id)!, user: byId(d.user.id) };
      })(),
    pending: () => (q.pending.all() as Row[]).map(toRegistration),
    all: () => (q.all.all() as Row[]).map(toUser),
  };
  return repo;
}
