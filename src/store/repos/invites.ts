// Invite codes made by an admin (/maomoi): an agency, an expiry, a use limit.
// Only a hash of each code is kept; a use is counted atomically, so a code
// with one use left cannot be used twice.
import type Database from "better-sqlite3";
import { str, strOrNull, type Iso, type Row } from "../rows.js";
import type { InviteRow } from "../types.js";

export interface InvitesRepo {
  create(input: { codeHash: string; agencyId: string; maxUses: number; expiresAt: Date; createdBy: string; now: Date }): InviteRow;
  byId(id: number): InviteRow | undefined;
  byHash(codeHash: string): InviteRow | undefined;
  /** Count one use if the code is neither revoked, expired nor used up at `now`; false otherwise. */
  use(id: number, now: Date): boolean;
  /** Revoke a code not yet revoked; false when there is none. */
  revoke(id: number, by: string, now: Date): boolean;
  /** Codes still usable at `now`, newest first. */
  active(now: Date): InviteRow[];
}

const toInvite = (r: Row): InviteRow => ({
  id: Number(r.id),
  agencyId: str(r.agency_id),
  maxUses: Number(r.max_uses),
  uses: Number(r.uses),
  expiresAt: str(r.expires_at),
  createdBy: str(r.created_by),
  createdAt: str(r.created_at),
  revokedAt: strOrNull(r.revoked_at),
  revokedBy: strOrNull(r.revoked_by),
});

export function invitesRepo(db: Database.Database, iso: Iso): InvitesRepo {
  const q = {
    insert: db.prepare(`
      INSERT INTO invite_codes (code_hash, agency_id, max_uses, expires_at, created_by, created_at)
      VALUES (?, ?, ?, ?, ?, ?)`),
    byId: db.prepare("SELECT * FROM invite_codes WHERE id = ?"),
    byHash: db.prepare("SELECT * FROM invite_codes WHERE code_hash = ?"),
    use: db.prepare("UPDATE invite_codes SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses"),
    revoke: db.prepare("UPDATE invite_codes SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL"),
    active: db.prepare("SELECT * FROM invite_codes WHERE revoked_at IS NULL AND expires_at > ? AND uses < max_uses ORDER BY id DESC"),
  };
  const byId = (id: number) => {
    const r = q.byId.get(id) as Row | undefined;
    return r ? toInvite(r) : undefined;
  };
  return {
    create: (i) => {
      const info = q.insert.run(i.codeHash, i.agencyId, i.maxUses, i.expiresAt.toISOString(), i.createdBy, iso(i.now));
      return byId(Number(info.lastInsertRowid))!;
    },
    byId,
    byHash: (h) => {
      const r = q.byHash.get(h) as Row | undefined;
      return r ? toInvite(r) : undefined;
    },
    use: (id, now) => q.use.run(id, iso(now)).changes === 1,
    revoke: (id, by, now) => q.revoke.run(iso(now), by, id).changes === 1,
    active: (now) => (q.active.all(iso(now)) as Row[]).map(toInvite),
  };
}
