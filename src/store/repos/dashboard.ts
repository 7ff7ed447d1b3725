// The dashboard's sign-in links and sessions (tables of migration 005). The
// repository sees only hashes: callers hash the token from the link or the
// cookie and pass it in, so a token never reaches the database.
import type Database from "better-sqlite3";
import { str, strOrNull, type Row } from "../rows.js";

export interface DashboardLinkRow {
  tokenHash: string;
  userId: number;
  issuedVia: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface DashboardSessionRow {
  idHash: string;
  userId: number;
  createdAt: string;
  expiresAt: string;
}

/** Why a link did not open a session. */
export type LinkRefusal = "unknown" | "used" | "expired";

export interface DashboardRepo {
  addLink(link: { tokenHash: string; userId: number; issuedVia: string; createdAt: Date; expiresAt: Date }): void;
  getLink(tokenHash: string): DashboardLinkRow | undefined;
  /**
   * Use a link once and open a session in the same transaction: the link must be
   * unused and not expired at `now`. Two requests racing for one link get one session.
   */
  redeem(tokenHash: string, session: { idHash: string; createdAt: Date; expiresAt: Date }): { ok: true; userId: number } | { ok: false; why: LinkRefusal };
  /** The session, if it exists and has not expired at `now`. */
  session(idHash: string, now: Date): DashboardSessionRow | undefined;
  deleteSession(idHash: string): boolean;
  /** Forget links and sessions that expired before `before`; returns how many rows went. */
  prune(before: Date): number;
}

const toLink = (r: Row): DashboardLinkRow => ({
  tokenHash: str(r.token_hash),
  userId: Number(r.user_id),
  issuedVia: str(r.issued_via),
  createdAt: str(r.created_at),
  expiresAt: str(r.expires_at),
  usedAt: strOrNull(r.used_at),
});

export function dashboardRepo(db: Database.Database): DashboardRepo {
  const q = {
    addLink: db.prepare(
      "INSERT INTO dashboard_links (token_hash, user_id, issued_via, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    ),
    getLink: db.prepare("SELECT * FROM dashboard_links WHERE token_hash = ?"),
    useLink: db.prepare(
      "UPDATE dashboard_links SET used_at = @now WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now RETURNING user_id",
    ),
    addSession: db.prepare("INSERT INTO dashboard_sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
    session: db.prepare("SELECT * FROM dashboard_sessions WHERE id_hash = ? AND expires_at > ?"),
    deleteSession: db.prepare("DELETE FROM dashboard_sessions WHERE id_hash = ?"),
    pruneLinks: db.prepare("DELETE FROM dashboard_links WHERE expires_at < ?"),
    pruneSessions: db.prepare("DELETE FROM dashboard_sessions WHERE expires_at < ?"),
  };
  const redeem = db.transaction(
    (hash: string, s: { idHash: string; createdAt: Date; expiresAt: Date }): { ok: true; userId: number } | { ok: false; why: LinkRefusal } => {
      const now = s.createdAt.toISOString();
      const used = q.useLink.get({ hash, now }) as Row | undefined;
      if (!used) {
        const link = q.getLink.get(hash) as Row | undefined;
        if (!link) return { ok: false, why: "unknown" };
        return { ok: false, why: link.used_at !== null ? "used" : "expired" };
      }
      const userId = Number(used.user_id);
      q.addSession.run(s.idHash, userId, now, s.expiresAt.toISOString());
      return { ok: true, userId };
    },
  );
  return {
    addLink: (l) => void q.addLink.run(l.tokenHash, l.userId, l.issuedVia, l.createdAt.toISOString(), l.expiresAt.toISOString()),
    getLink: (hash) => {
      const r = q.getLink.get(hash) as Row | undefined;
      return r ? toLink(r) : undefined;
    },
    redeem: (hash, s) => redeem(hash, s),
    session: (hash, now) => {
      const r = q.session.get(hash, now.toISOString()) as Row | undefined;
      return r ? { idHash: str(r.id_hash), userId: Number(r.user_id), createdAt: str(r.created_at), expiresAt: str(r.expires_at) } : undefined;
    },
    deleteSession: (hash) => q.deleteSession.run(hash).changes > 0,
    prune: (before) => {
      const t = before.toISOString();
      return db.transaction(() => q.pruneLinks.run(t).changes + q.pruneSessions.run(t).changes)();
    },
  };
}
