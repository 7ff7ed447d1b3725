// Where tasks stand, computed once for views, the admin report and the CSV.
import { daysInMonth, instantOf, localDate } from "../../text/dates.js";
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
  /** Not "hoàn thành" and no report in the last STALE_DAYS days (or never). */
  stale: boolean;
}

/** A task with no report for this many days (and not finished) counts as "not reported". */
export const STALE_DAYS = 30;


/**
 * Every task of the knowledge base (plus archived ones that have reports), with its latest
 * update. Overdue: the deadline passed (local day) and the latest status is not "hoàn thành".
 * Stale: not "hoàn thành" and nothing reported in the last STALE_DAYS days.
 */
export function standings(store: Store, knowledge: KnowledgeIndex, now: Date, timeZone = "Asia/Ho_Chi_Minh"): TaskStanding[] {
  const today = localDate(now, timeZone);
  // This local month as instants (ISO text compares in time order): no time-zone arithmetic per report.
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const monthStart = instantOf(`${today.slice(0, 7)}-01`, 0, timeZone).toISOString();
  const monthEnd = instantOf(`${today.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, "0")}`, 24 * 60, timeZone).toISOString();
  const latest = store.updates.latestByTask();
  const counts = store.updates.countsByTask();
  const since = new Date(now.getTime() - STALE_DAYS * 86_400_000).toISOString();
  const canonical = new Map(knowledge.agencies.map((a) => [a.id, a.canonical]));
  const names = (ids: string[]) => ids.map((id) => canonical.get(id) ?? id).join("; ");
  const stored = new Map(store.tasks.archived().map((t) => [t.id, t]));
  const out: TaskStanding[] = [];
  const push = (t: Omit<TaskStanding, "latest" | "reports" | "overdue" | "reportedThisMonth" | "stale">) => {
    const l = latest.get(t.id);
    out.push({
      ...t,
      latest: l,
      reports: counts.get(t.id) ?? 0,
      overdue: t.due !== null && t.due < today && l?.status !== "hoan_thanh",
      reportedThisMonth: l !== undefined && l.reportedAt >= monthStart && l.reportedAt < monthEnd,
      stale: l?.status !== "hoan_thanh" && (l === undefined || l.reportedAt < since),
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

/** How a set of tasks stands: counts by latest status, overdue, not reported. */
export interface Tally {
  tasks: number;
  byStatus: Record<StatusKey, number>;
  /** No report at all. */
  unreported: number;
  overdue: number;
  /** Not finished and not reported this calendar month. */
  notThisMonth: number;
  /** Not finished and not reported in the last STALE_DAYS days (or never). */
  stale: number;
  /** The latest percentages added up (a task never reported counts 0): divide by `tasks` for the mean. */
  percentSum: number;
}

export const emptyTally = (): Tally => ({
  tasks: 0,
  byStatus: { chua_trien_khai: 0, dang_thuc_hien: 0, hoan_thanh: 0, cham_tien_do: 0, vuong_mac: 0 },
  unreported: 0,
  overdue: 0,
  notThisMonth: 0,
  stale: 0,
  percentSum: 0,
});

/** Count one task into a tally. */
export function count(into: Tally, t: TaskStanding): Tally {
  into.tasks++;
  if (t.latest) into.byStatus[t.latest.status]++;
  else into.unreported++;
  if (t.overdue) into.overdue++;
  if (!t.reportedThisMonth && t.latest?.status !== "hoan_thanh") into.notThisMonth++;
  if (t.stale) into.stale++;
  into.percentSum += t.latest?.percent ?? 0;
  return into;
}

/** The tally of the tasks still in the plans (archived ones left out). */
export const tally = (list: readonly TaskStanding[]): Tally => list.reduce((acc, t) => (t.archived ? acc : count(acc, t)), emptyTally());

const byName = new Intl.Collator("vi").compare;

export interface AgencySummary extends Tally {
  agencyId: string;
  name: string;
}

/**
 * Counts per agency as lead (default) or as coordinator: a task with several counts for
 * each; a task with no lead counts for "(chưa rõ cơ quan)"; archived tasks are left out.
 */
export function byAgency(list: readonly TaskStanding[], knowledge: KnowledgeIndex, role: "lead" | "coordinator" = "lead"): AgencySummary[] {
  const map = new Map<string, AgencySummary>();
  const canonical = new Map(knowledge.agencies.map((a) => [a.id, a.canonical]));
  for (const t of list) {
    if (t.archived) continue;
    const ids = role === "lead" ? (t.leadIds.length ? t.leadIds : [""]) : t.coordinatorIds;
    for (const id of ids) {
      let s = map.get(id);
      if (!s) {
        s = { agencyId: id, name: id ? (canonical.get(id) ?? id) : "(chưa rõ cơ quan)", ...emptyTally() };
        map.set(id, s);
      }
      count(s, t);
    }
  }
  return [...map.values()].sort((a, b) => b.overdue - a.overdue || b.notThisMonth - a.notThisMonth || byName(a.name, b.name));
}
