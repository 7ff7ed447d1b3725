// Who is talking: a configured admin, an approved official of an agency, a
// registration waiting, or nobody yet. One place for the admin check.
import type { Config } from "../../config.js";
import type { Turn } from "../../core/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Store, UserRow } from "../../store/index.js";

export interface Identity {
  /** The stored user (admins get a row on first use). */
  user: UserRow | undefined;
  admin: boolean;
  /** "telegram:123" — for the audit log. */
  actor: string;
}

export type Permission = { ok: true; user: UserRow } | { ok: false; reason: string };

type Who = Pick<Turn, "channel" | "userId"> & Partial<Pick<Turn, "userName">>;

export interface People {
  /** Is this user one of ADMINS? */
  isAdmin(who: Who): boolean;
  /** The stored user, an admin's row created on first use. */
  identify(who: Who, now: Date): Identity;
  /** May this user report at all (registered, approved, with an agency)? */
  mayReport(who: Who, now: Date): Permission;
  /** May this user change a group's reminder settings (an admin, or an approved official)? */
  mayManageGroups(who: Who): boolean;
  /** An agency's canonical name, "(chưa rõ cơ quan)" for none. */
  agencyName(id: string | null | undefined): string;
}

export interface PeopleDeps {
  store: Store;
  config: Pick<Config, "ADMINS">;
  knowledge: KnowledgeIndex;
}

export function createPeople({ store, config, knowledge }: PeopleDeps): People {
  const isAdmin = (who: Who) => config.ADMINS.some((a) => a.channel === who.channel && a.userId === who.userId);
  const people: People = {
    isAdmin,
    identify(who, now) {
      const admin = isAdmin(who);
      const user = admin
        ? store.users.ensureAdmin({ channel: who.channel, channelUserId: who.userId, name: who.userName || "Quản trị viên", now })
        : store.users.get(who.channel, who.userId);
      return { user, admin, actor: `${who.channel}:${who.userId}` };
    },
    mayReport(who, now) {
      const { user, admin } = people.identify(who, now);
      if (admin && user) return { ok: true, user };
      if (!user) return { ok: false, reason: "Bạn chưa đăng ký nên chưa thể báo cáo; gõ /dangky để đăng ký." };
      if (!user.approved) return { ok: false, reason: "Đăng ký của bạn đang chờ quản trị viên duyệt nên chưa thể báo cáo." };
      if (!user.agencyId) return { ok: false, reason: "Tài khoản của bạn chưa gắn cơ quan; gõ /dangky để chọn cơ quan." };
      return { ok: true, user };
    },
    mayManageGroups(who) {
      if (isAdmin(who)) return true;
      const u = store.users.get(who.channel, who.userId);
      return !!u && (u.role === "admin" || u.approved);
    },
    agencyName(id) {
      if (!id) return "(chưa rõ cơ quan)";
      return knowledge.agencies.find((a) => a.id === id)?.canonical ?? id;
    },
  };
  return people;
}
