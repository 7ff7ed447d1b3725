// Access without passwords: the bot gives a one-time sign-in link (10 minutes,
// works once) that the browser trades for a session cookie (8 hours). Tokens are
// 256 random bits; the store keeps only their SHA-256. Every issue, sign-in and
// refusal goes to the audit log.
import { createHash, randomBytes } from "node:crypto";
import type { Config } from "../../config.js";
import type { LinkRefusal, Store, UserRow } from "../../store/index.js";
import type { People } from "../people/index.js";
import { dashboardAccess, type Access, type Who } from "./access.js";

/** Every dashboard path starts with this; the HTTP server hands the whole prefix to the dashboard. */
export const DASHBOARD_PREFIX = "/bangdieukhien";
export const SIGN_IN_PATH = `${DASHBOARD_PREFIX}/dang-nhap`;
export const LINK_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 8 * 3_600_000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const newToken = (): string => randomBytes(32).toString("base64url");
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** Where links point: DASHBOARD_URL, else PUBLIC_URL, else this machine's port. */
export function dashboardOrigin(config: Pick<Config, "DASHBOARD_URL" | "PUBLIC_URL" | "PORT">, port?: number): string {
  return (config.DASHBOARD_URL ?? config.PUBLIC_URL ?? `http://127.0.0.1:${port ?? config.PORT}`).replace(/\/+$/, "");
}

export type Issued = { ok: true; url: string; expiresAt: Date; access: Extract<Access, { ok: true }> } | { ok: false; reason: string };

export interface SessionUser {
  user: UserRow;
  access: Extract<Access, { ok: true }>;
  expiresAt: string;
}

export interface SignIn {
  /** A link for this person, when they may see the dashboard. `via`: the channel or "cli". */
  issue(who: Who, via: string, now: Date): Issued;
  /** Is this link still good (read-only: showing the sign-in page uses nothing up)? */
  check(token: string, now: Date): { ok: true; expiresAt: Date } | { ok: false; why: LinkRefusal };
  /** Use the link: a new session's cookie value, or why not. */
  redeem(token: string, now: Date, remote: string): { ok: true; session: string; expiresAt: Date } | { ok: false; why: LinkRefusal | "refused"; reason?: string };
  /** The person behind a cookie value, with what they may see now (rights are judged again on every request). */
  session(value: string | undefined, now: Date): SessionUser | { refused: string } | undefined;
  signOut(value: string | undefined, now: Date): void;
  /** The origin links point at (set once the server listens, for PORT=0). */
  origin(): string;
  setPort(port: number): void;
}

export function createSignIn(deps: { store: Store; people: People; config: Pick<Config, "DASHBOARD_URL" | "PUBLIC_URL" | "PORT"> }): SignIn {
  const { store, people, config } = deps;
  let port: number | undefined;
  const whoOf = (u: UserRow): Who => ({ channel: u.channel as Who["channel"], userId: u.channelUserId, userName: u.name });
  const accessOf = (userId: number, now: Date): { user: UserRow; access: Access } | undefined => {
    const user = store.users.byId(userId);
    return user ? { user, access: dashboardAccess(people, whoOf(user), now) } : undefined;
  };

  const signIn: SignIn = {
    origin: () => dashboardOrigin(config, port),
    setPort(p) {
      port = p;
    },

    issue(who, via, now) {
      const access = dashboardAccess(people, who, now);
      if (!access.ok) return access;
      const token = newToken();
      const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
      store.transaction(() => {
        store.dashboard.prune(new Date(now.getTime() - 86_400_000));
        store.dashboard.addLink({ tokenHash: hashToken(token), userId: access.user.id, issuedVia: via, createdAt: now, expiresAt });
        store.audit.log({ actor: access.actor, action: "dashboard.link", subject: `user:${access.user.id}`, detail: { via }, at: now });
      });
      return { ok: true, url: `${signIn.origin()}${SIGN_IN_PATH}?t=${token}`, expiresAt, access };
    },

    check(token, now) {
      if (!TOKEN.test(token)) return { ok: false, why: "unknown" };
      const link = store.dashboard.getLink(hashToken(token));
      if (!link) return { ok: false, why: "unknown" };
      if (link.usedAt) return { ok: false, why: "used" };
      if (link.expiresAt <= now.toISOString()) return { ok: false, why: "expired" };
      return { ok: true, expiresAt: new Date(link.expiresAt) };
    },

    redeem(token, now, remote) {
      if (!TOKEN.test(token)) return { ok: false, why: "unknown" };
      const session = newToken();
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      const hash = hashToken(token);
      const result = store.transaction(() => {
        const r = store.dashboard.redeem(hash, { idHash: hashToken(session), createdAt: now, expiresAt });
        const link = store.dashboard.getLink(hash);
        const who = link ? store.users.byId(link.userId) : undefined;
        const actor = who ? `${who.channel}:${who.channelUserId}` : null;
        store.audit.log({
          actor,
          action: r.ok ? "dashboard.signin" : "dashboard.signin.refused",
          subject: link ? `user:${link.userId}` : null,
          detail: r.ok ? { remote } : { why: r.why, remote },
          at: now,
        });
        return r;
      });
      if (!result.ok) return result;
      // Rights are judged at sign-in too: someone removed since the link was issued gets nothing.
      const a = accessOf(result.userId, now);
      if (!a?.access.ok) {
        store.dashboard.deleteSession(hashToken(session));
        return { ok: false, why: "refused", reason: a && !a.access.ok ? a.access.reason : undefined };
      }
      return { ok: true, session, expiresAt };
    },

    session(value, now) {
      if (!value || !TOKEN.test(value)) return undefined;
      const row = store.dashboard.session(hashToken(value), now);
      if (!row) return undefined;
      const a = accessOf(row.userId, now);
      if (!a) return undefined;
      if (!a.access.ok) return { refused: a.access.reason };
      return { user: a.user, access: a.access, expiresAt: row.expiresAt };
    },

    signOut(value, now) {
      if (!value || !TOKEN.test(value)) return;
      const hash = hashToken(value);
      const row = store.dashboard.session(hash, now);
      if (store.dashboard.deleteSession(hash) && row) {
        const u = store.users.byId(row.userId);
        store.audit.log({ actor: u ? `${u.channel}:${u.channelUserId}` : null, action: "dashboard.signout", subject: `user:${row.userId}`, at: now });
      }
    },
  };
  return signIn;
}
