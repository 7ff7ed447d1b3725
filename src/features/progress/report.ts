// Where tasks stand, computed once for views, the admin report and the CSV.
import { localDate } from "../../text/dates.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { StatusKey, Store, StatusUpdateView, TaskRow } from "../../store/index.js";

export interface TaskStanding {
  id: string;
  plan: string;
  name: string;
  leadIds: string[];
  coordinatorIds: string[];
  lead: string;
  coordinators: string;
  due: string | null;
  deadlineRaw: string;
  archived: boolean;
  latest: StatusUpdateView | undefined;
  reports: number;
  overdue: boolean;
  reportedThisMonth: boolean;
}

export const monthOf = (iso: string, timeZone: string): string => localDate(new Date(iso), timeZone).slice(0, 7);

/**
 * Every task of the knowledge base (plus archived ones that have reports), with its latest
 * update. Overdue: the deadline passed (local day) and the latest status is not "hoàn thành".
 */
export function standings(store: Store, knowledge: KnowledgeIndex, now: Date, timeZone = "Asia/Ho_Chi_Minh"): TaskStanding[] {
  const today = localDate(now, timeZone);
  const month = today.slice(0, 7);
  const latest = store.updates.latestByTask();
  const counts = store.updates.countsByTask();
  const names = (ids: string[]) => ids.map((id) => knowledge.agencies.find((a) => a.id === id)?.canonical ?? id).join("; ");
  const stored = new Map(store.tasks.list({ includeArchived: true }).map((t) => [t.id, t]));
  const out: TaskStanding[] = [];
  const push = (t: Omit<TaskStanding, "latest" | "reports" | "overdue" | "reportedThisMonth">) => {
    const l = latest.get(t.id);
    out.push({
      ...t,
      latest: l,
      reports: counts.get(t.id) ?? 0,
      overdue: t.due !== null && t.due < today && l?.status !== "hoan_thanh",
      reportedThisMonth: l !== undefined && monthOf(l.reportedAt, timeZone) === month,
    });
  };
  const seen = new Set<string>();
  for (const t of knowledge.tasks) {
    seen.add(t.id);
    const leadIds = [...new Set(t.leadAgencies.map((a) => a.id))];
    const coordinatorIds = [...new Set(t.coordinatorAgencies.map((a) => a.id))];
    push({
      id: t.id,
      plan: t.plan,
      name: t.name,
      leadIds,
      coordinatorIds,
      lead: t.leadAgencies.map((a) => a.canonical).join("; ") || t.leadRaw,
      coordinators: t.coordinatorAgencies.map((a) => a.canonical).join("; ") || t.coordinatorsRaw,
      due: t.deadline.due,
      deadlineRaw: t.deadline.raw,
      archived: stored.get(t.id)?.archivedAt != null,
    });
  }
  for (const t of stored.values() as Iterable<TaskRow>) {
    if (seen.has(t.id) || !counts.has(t.id)) continue;
    push({
      id: t.id,
      plan: t.plan,
      name: t.name,
      leadIds: t.leadIds,
      coordinatorIds: t.coordinatorIds,
      lead: names(t.leadIds),
      coordinators: names(t.coordinatorIds),
      due: t.due,
      deadlineRaw: t.deadlineRaw,
      archived: true,
    });
  }
  return out;
}

export interface AgencySummary {
  agencyId: string;
  name: string;
  tasks: number;
  byStatus: Record<StatusKey, number>;
  unreported: number;
  overdue: number;
  notThisMonth: number;
}

/** Counts per lead agency (a task with several leads counts for each; none → "(chưa rõ)"). */
export function byAgency(list: TaskStanding[], knowledge: KnowledgeIndex): AgencySummary[] {
  const map = new Map<string, AgencySummary>();
  for (const t of list) {
    if (t.archived) continue;
    for (const id of t.leadIds.length ? t.leadIds : [""]) {
      let s = map.get(id);
      if (!s) {
        s = {
          agencyId: id,
          name: id ? (knowledge.agencies.find((a) => a.id === id)?.canonical ?? id) : "(chưa rõ cơ quan)",
          tasks: 0,
          byStatus: { chua_trien_khai: 0, dang_thuc_hien: 0, hoan_thanh: 0, cham_tien_do: 0, vuong_mac: 0 },
          unreported: 0,
          overdue: 0,
          notThisMonth: 0,
        };
        map.set(id, s);
      }
      s.tasks++;
      if (t.latest) s.byStatus[t.latest.status]++;
      else s.unreported++;
      if (t.overdue) s.overdue++;
      if (!t.reportedThisMonth && t.latest?.status !== "hoan_thanh") s.notThisMonth++;
    }
  }
  return [...map.values()].sort((a, b) => b.overdue - a.overdue || b.notThisMonth - a.notThisMonth || a.name.localeCompare(b.name, "vi"));
}
