// Who is talking: a configured admin, an approved official of an agency, a
// registration waiting, or nobody yet. One place for the admin check, and the
// rules of who reads and changes what (access.ts) bound to the knowledge.
import type { Config } from "../../config.js";
import type { Turn } from "../../core/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Store, UserRow } from "../../store/index.js";
import { cleanName } from "../../text/names.js";
import { isParty, mayManageGroup, maySeeAgencyList, maySeeStatusDetails, type Identity, type TaskParties } from "./access.js";

export type { Identity, TaskParties } from "./access.js";

export type Permission = { ok: true; user: UserRow } | { ok: false; reason: string };

type Who = Pick<Turn, "channel" | "userId"> & Partial<Pick<Turn, "userName">>;

export const PEOPLE_TEXTS = {
  notRegistered: "Bạn chưa đăng ký nên chưa thể báo cáo; gõ /dangky để đăng ký.",
  pending: "Đăng ký của bạn đang chờ quản trị viên duyệt nên chưa thể báo cáo.",
  rejected: "Đăng ký của bạn không được duyệt nên chưa thể báo cáo. Gõ /dangky để đăng ký lại, hoặc liên hệ quản trị viên.",
  noAgency: "Tài khoản của bạn chưa gắn cơ quan; gõ /dangky để chọn cơ quan.",
} as const;

export interface People {
  /** Is this user one of ADMINS? */
  isAdmin(who: Who): boolean;
  /** The stored user, an admin's row created on first use (with the platform name cleaned). */
  identify(who: Who, now: Date): Identity;
  /** May this user report at all (registered, approved, with an agency)? */
  mayReport(who: Who, now: Date): Permission;
  /** Is the agency a party to the task (lead, coordinator, or any agency when only collectives lead)? */
  isParty(agencyId: string, task: TaskParties): boolean;
  /** May this identity see the task's status details (reporter, notes), not only status and percent? */
  maySeeDetails(me: Identity, task: TaskParties): boolean;
  /** May this identity see this agency's task list (/nhiemvu)? */
  maySeeAgency(me: Identity, agencyId: string): boolean;
  /** May this user change the reminder settings of a group following these agencies (without them: of some group)? */
  mayManageGroup(who: Who, followed?: ReadonlySet<string>): boolean;
  /** The user's private chat with the bot on their channel, when the bot has seen it (else undefined). */
  privateChat(who: Pick<Turn, "channel" | "userId">): string | undefined;
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
        ? store.users.ensureAdmin({ channel: who.channel, channelUserId: who.userId, name: cleanName(who.userName ?? "") || "Quản trị viên", now })
        : store.users.get(who.channel, who.userId);
      return { user, admin, actor: `${who.channel}:${who.userId}` };
    },
    mayReport(who, now) {
      const { user, admin } = people.identify(who, now);
      if (admin && user) return { ok: true, user };
      if (!user) return { ok: false, reason: PEOPLE_TEXTS.notRegistered };
      if (!user.approved) {
        const rejected = user.registrationId !== null && store.users.registration(user.registrationId)?.status === "rejected";
        return { ok: false, reason: rejected ? PEOPLE_TEXTS.rejected : PEOPLE_TEXTS.pending };
      }
      if (!user.agencyId) return { ok: false, reason: PEOPLE_TEXTS.noAgency };
      return { ok: true, user };
    },
    isParty: (agencyId, task) => isParty(knowledge, agencyId, task),
    maySeeDetails: (me, task) => maySeeStatusDetails(knowledge, me, task),
    maySeeAgency: (me, agencyId) => maySeeAgencyList(me, agencyId),
    mayManageGroup(who, followed) {
      const admin = isAdmin(who);
      return mayManageGroup({ user: admin ? undefined : store.users.get(who.channel, who.userId), admin, actor: `${who.channel}:${who.userId}` }, followed);
    },
    privateChat(who) {
      return store.chats.get(who.channel, who.userId)?.type === "private" ? who.userId : undefined;
    },
    agencyName(id) {
      if (!id) return "(chưa rõ cơ quan)";
      return knowledge.agencies.find((a) => a.id === id)?.canonical ?? id;
    },
  };
  return people;
}
