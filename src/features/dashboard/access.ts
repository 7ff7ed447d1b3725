// Who sees what on the dashboard, in one small function so it can meet the
// permission rules of the whole bot later: an admin (ADMINS) sees every task;
// an approved official of an agency sees that agency's tasks — those it leads or
// coordinates, and those led only by a collective ("Các sở, ban, ngành") which,
// as for /capnhat, every member agency may report on; anyone else is refused.
import type { Turn } from "../../core/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { UserRow } from "../../store/index.js";
import type { People } from "../people/index.js";

export type Who = Pick<Turn, "channel" | "userId"> & Partial<Pick<Turn, "userName">>;

export type Scope = { kind: "all" } | { kind: "agency"; agencyId: string };

export type Access =
  | { ok: true; user: UserRow; admin: boolean; scope: Scope; actor: string }
  | { ok: false; reason: string };

export function dashboardAccess(people: People, who: Who, now: Date): Access {
  const { user, admin, actor } = people.identify(who, now);
  if (admin && user) return { ok: true, user, admin, scope: { kind: "all" }, actor };
  if (!user) return { ok: false, reason: "Bảng điều khiển dành cho quản trị viên và cán bộ đã đăng ký. Gõ /dangky để đăng ký với cơ quan của anh/chị." };
  if (!user.approved) return { ok: false, reason: "Đăng ký của anh/chị đang chờ quản trị viên duyệt nên chưa xem được bảng điều khiển." };
  if (!user.agencyId) return { ok: false, reason: "Tài khoản của anh/chị chưa gắn cơ quan; gõ /dangky để chọn cơ quan." };
  return { ok: true, user, admin: false, scope: { kind: "agency", agencyId: user.agencyId }, actor };
}

/**
 * The ids of the tasks a scope sees (undefined: every task). Archived tasks (in the
 * store only) are judged by the agencies stored with them.
 */
export function visibleTaskIds(
  scope: Scope,
  knowledge: KnowledgeIndex,
  archived: readonly { id: string; leadIds: string[]; coordinatorIds: string[] }[],
): Set<string> | undefined {
  if (scope.kind === "all") return undefined;
  const agency = scope.agencyId;
  const ids = new Set<string>();
  for (const t of knowledge.tasks) {
    const mine = [...t.leadAgencies, ...t.coordinatorAgencies].some((a) => a.id === agency);
    const leads = t.leadAgencies.filter((a) => a.isAgency);
    const collective = leads.length > 0 && leads.every((a) => a.isGroup);
    if (mine || collective) ids.add(t.id);
  }
  for (const t of archived) {
    if (t.leadIds.includes(agency) || t.coordinatorIds.includes(agency)) ids.add(t.id);
  }
  return ids;
}
