// What the pages show, computed from the progress feature's standings: the
// tasks a scope sees, per plan and per agency tallies, the filtered task table
// and the weekly trend. Pure functions over one snapshot, so every page of a
// request counts the same way the /baocao report and the CSV do.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Task } from "../../knowledge/types.js";
import { STATUS_KEYS, type StatusKey, type Store } from "../../store/index.js";
import { dateOfDay, dayNumber, instantOf, localDate, weekdayOf } from "../../text/dates.js";
import { fold } from "../../text/vietnamese.js";
import { byAgency, compareIds, standings, tally, type AgencySummary, type Tally, type TaskStanding } from "../progress/index.js";
import { visibleTaskIds, type Scope } from "./access.js";

/** One request's snapshot: the tasks this scope sees, with their standing now. */
export interface Snapshot {
  now: Date;
  timeZone: string;
  today: string;
  scope: Scope;
  knowledge: KnowledgeIndex;
  /** Visible tasks, archived ones included (for their pages). */
  all: TaskStanding[];
  /** Visible tasks still in the plans. */
  active: TaskStanding[];
  /** undefined: every task is visible. */
  visible: Set<string> | undefined;
}

export function snapshot(store: Store, knowledge: KnowledgeIndex, now: Date, timeZone: string, scope: Scope): Snapshot {
  const every = standings(store, knowledge, now, timeZone);
  const visible = visibleTaskIds(scope, knowledge, scope.kind === "all" ? [] : every.filter((t) => t.archived));
  const all = visible ? every.filter((t) => visible.has(t.id)) : every;
  return { now, timeZone, today: localDate(now, timeZone), scope, knowledge, all, active: all.filter((t) => !t.archived), visible };
}

/** Vietnamese names in dictionary order; one collator, made once. */
export const compareVi: (a: string, b: string) => number = new Intl.Collator("vi").compare;

export const percent = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 100) : 0);
/** Share of tasks whose latest report says "hoàn thành". */
export const donePercent = (t: Tally): number => percent(t.byStatus.hoan_thanh, t.tasks);
/** Mean of the latest percentages, a task never reported counting 0. */
export const meanPercent = (t: Tally): number => (t.tasks > 0 ? Math.round(t.percentSum / t.tasks) : 0);

export interface PlanSummary {
  id: string;
  name: string;
  tally: Tally;
}

export function overview(s: Snapshot): { total: Tally; plans: PlanSummary[] } {
  const byPlan = new Map<string, TaskStanding[]>();
  for (const t of s.active) {
    const list = byPlan.get(t.plan) ?? [];
    list.push(t);
    byPlan.set(t.plan, list);
  }
  const order = new Map(s.knowledge.plans.map((p, i) => [p.id, i]));
  const plans = [...byPlan.entries()]
    .sort(([a], [b]) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b))
    .map(([id, list]) => ({ id, name: s.knowledge.plan(id)?.shortName ?? id, tally: tally(list) }));
  return { total: tally(s.active), plans };
}

// ---- by agency ----

export type Role = "lead" | "coordinator";
export const AGENCY_SORTS = ["ten", "nv", ...STATUS_KEYS, "cbc", "tyle", "quahan", "cbc30"] as const;
export type AgencySort = (typeof AGENCY_SORTS)[number];

const agencyKey = (a: AgencySummary, k: AgencySort): number | string => {
  switch (k) {
    case "ten":
      return a.name;
    case "nv":
      return a.tasks;
    case "cbc":
      return a.unreported;
    case "tyle":
      return donePercent(a);
    case "quahan":
      return a.overdue;
    case "cbc30":
      return a.stale;
    default:
      return a.byStatus[k];
  }
};

/** Per agency in one role, sorted; an official sees only their own agency's row. */
export function agencyTable(s: Snapshot, role: Role, sort: AgencySort, dir: "asc" | "desc"): AgencySummary[] {
  let rows = byAgency(s.active, s.knowledge, role);
  if (s.scope.kind === "agency") {
    const mine = s.scope.agencyId;
    rows = rows.filter((r) => r.agencyId === mine);
  }
  const sign = dir === "asc" ? 1 : -1;
  return rows.sort((a, b) => {
    const x = agencyKey(a, sort);
    const y = agencyKey(b, sort);
    const c = typeof x === "string" ? compareVi(x, String(y)) : x - Number(y);
    return sign * c || compareVi(a.name, b.name);
  });
}

// ---- the task table ----

export const TASK_SORTS = ["ma", "han", "tt", "tyle", "bc"] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export type StatusFilter = StatusKey | "chua_bao_cao";

export interface Filters {
  plan?: string;
  /** "planId|section number". */
  section?: string;
  agency?: string;
  role: "any" | Role;
  status?: StatusFilter;
  /** Due from / to, local dates. */
  from?: string;
  to?: string;
  overdue: boolean;
  stale: boolean;
  q?: string;
  sort: TaskSort;
  dir: "asc" | "desc";
  page: number;
}

export const PAGE_SIZE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const validDate = (v: string | undefined): string | undefined => (v && DATE.test(v) && dateOfDay(dayNumber(v)) === v ? v : undefined);

/** Filters from a query string; values that name nothing known are dropped, never echoed. */
export function parseFilters(q: (name: string) => string | undefined, knowledge: KnowledgeIndex): Filters {
  const plan = q("kh");
  const section = q("muc");
  const agency = q("cq");
  const role = q("vai");
  const status = q("tt");
  const sort = q("sap");
  const text = (q("q") ?? "").trim().slice(0, 100);
  const page = Number(q("trang") ?? "1");
  const sections = new Set(knowledge.tasks.map((t) => `${t.plan}|${t.section.number}`));
  return {
    plan: plan && knowledge.plan(plan) ? plan : undefined,
    section: section && sections.has(section) ? section : undefined,
    agency: agency && knowledge.agencies.some((a) => a.id === agency) ? agency : undefined,
    role: role === "lead" || role === "coordinator" ? role : "any",
    status: status && (STATUS_KEYS as readonly string[]).concat("chua_bao_cao").includes(status) ? (status as StatusFilter) : undefined,
    from: validDate(q("tu")),
    to: validDate(q("den")),
    overdue: q("quahan") === "1",
    stale: q("cbc30") === "1",
    q: text || undefined,
    sort: (TASK_SORTS as readonly string[]).includes(sort ?? "") ? (sort as TaskSort) : "han",
    dir: q("chieu") === "desc" ? "desc" : "asc",
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** The query string of a filter set (defaults left out), with some fields changed. */
export function filterQuery(f: Filters, change: Partial<Filters> = {}): string {
  const g = { ...f, ...change };
  const p = new URLSearchParams();
  if (g.plan) p.set("kh", g.plan);
  if (g.section) p.set("muc", g.section);
  if (g.agency) p.set("cq", g.agency);
  if (g.role !== "any") p.set("vai", g.role);
  if (g.status) p.set("tt", g.status);
  if (g.from) p.set("tu", g.from);
  if (g.to) p.set("den", g.to);
  if (g.overdue) p.set("quahan", "1");
  if (g.stale) p.set("cbc30", "1");
  if (g.q) p.set("q", g.q);
  if (g.sort !== "han") p.set("sap", g.sort);
  if (g.dir !== "asc") p.set("chieu", g.dir);
  if (g.page !== 1) p.set("trang", String(g.page));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export const noFilters = (): Filters => ({ role: "any", overdue: false, stale: false, sort: "han", dir: "asc", page: 1 });

/** How many filters narrow the table (sorting and paging aside). */
export const activeFilters = (f: Filters): number =>
  [f.plan, f.section, f.agency, f.status, f.from, f.to, f.q].filter(Boolean).length + Number(f.overdue) + Number(f.stale) + Number(f.role !== "any" && !f.agency);

const sortValue = (t: TaskStanding, k: TaskSort): string | number => {
  switch (k) {
    case "ma":
      return t.id;
    case "han":
      return t.due ?? "9999-99-99";
    case "tt":
      return t.latest ? STATUS_KEYS.indexOf(t.latest.status) : 99;
    case "tyle":
      return t.latest?.percent ?? -1;
    case "bc":
      return t.latest?.reportedAt ?? "";
  }
};

/** The visible active tasks that pass the filters, sorted. */
export function filterTasks(s: Snapshot, f: Filters): TaskStanding[] {
  const words = f.q ? fold(f.q).split(/\s+/).filter(Boolean) : [];
  const out = s.active.filter((t) => {
    if (f.plan && t.plan !== f.plan) return false;
    if (f.section) {
      const task = taskById(s.knowledge, t.id);
      if (!task || `${task.plan}|${task.section.number}` !== f.section) return false;
    }
    if (f.agency) {
      const lead = t.leadIds.includes(f.agency);
      const coord = t.coordinatorIds.includes(f.agency);
      if (f.role === "lead" ? !lead : f.role === "coordinator" ? !coord : !lead && !coord) return false;
    }
    if (f.status) {
      if (f.status === "chua_bao_cao" ? t.latest !== undefined : t.latest?.status !== f.status) return false;
    }
    if ((f.from || f.to) && !t.due) return false;
    if (f.from && t.due! < f.from) return false;
    if (f.to && t.due! > f.to) return false;
    if (f.overdue && !t.overdue) return false;
    if (f.stale && !t.stale) return false;
    if (words.length) {
      const hay = fold(`${t.id} ${t.name}`);
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });
  const sign = f.dir === "asc" ? 1 : -1;
  const k = f.sort;
  return out.sort((a, b) => {
    const x = sortValue(a, f.sort);
    const y = sortValue(b, f.sort);
    const c = typeof x === "number" ? x - Number(y) : k === "ma" ? compareIds(x, String(y)) : x < String(y) ? -1 : x > String(y) ? 1 : 0;
    return sign * c || compareIds(a.id, b.id);
  });
}

/** The plan's sections that a scope's tasks fall in, for the section filter. */
export function sectionsOf(s: Snapshot): { plan: string; planName: string; sections: { key: string; label: string }[] }[] {
  const out = new Map<string, Map<string, string>>();
  for (const t of s.active) {
    const task = taskById(s.knowledge, t.id);
    if (!task) continue;
    const m = out.get(task.plan) ?? new Map<string, string>();
    m.set(`${task.plan}|${task.section.number}`, [task.section.number, task.section.title].filter(Boolean).join(". "));
    out.set(task.plan, m);
  }
  return [...out.entries()].map(([plan, m]) => ({
    plan,
    planName: s.knowledge.plan(plan)?.shortName ?? plan,
    sections: [...m.entries()].map(([key, label]) => ({ key, label: label || "(không ghi mục)" })),
  }));
}

const byIdCache = new WeakMap<KnowledgeIndex, Map<string, Task>>();

/** A task by its exact id (no folding of what a user typed): one map per knowledge index. */
export function taskById(knowledge: KnowledgeIndex, id: string): Task | undefined {
  let m = byIdCache.get(knowledge);
  if (!m) {
    m = new Map(knowledge.tasks.map((t) => [t.id, t]));
    byIdCache.set(knowledge, m);
  }
  return m.get(id);
}

// ---- the trend ----

export interface Week {
  /** Monday, local date. */
  start: string;
  /** Sunday, local date. */
  end: string;
  updates: number;
  /** Tasks whose latest report by the week's end says "hoàn thành". */
  done: number;
  /** done / tasks now in view. */
  pct: number;
}

/**
 * Updates per local week (Monday to Sunday) and the share of tasks complete at each
 * week's end, for the last `weeks` weeks up to this one (from the first week with a report). Counted from the light
 * timeline rows in one pass: week boundaries are instants, compared as ISO text.
 */
export function trend(s: Snapshot, timeline: readonly (readonly [string, StatusKey, string])[], opts: { weeks?: number; plan?: string } = {}): Week[] {
  const weeks = Math.max(1, Math.min(opts.weeks ?? 26, 104));
  const inView = new Set(s.active.filter((t) => !opts.plan || t.plan === opts.plan).map((t) => t.id));
  const today = dayNumber(s.today);
  const monday = today - (weekdayOf(today) - 1);
  const firstDay = monday - 7 * (weeks - 1);
  const bounds: string[] = []; // the instant each week ends (the next Monday's local midnight)
  for (let i = 1; i <= weeks; i++) bounds.push(instantOf(dateOfDay(firstDay + 7 * i), 0, s.timeZone).toISOString());
  const startAt = instantOf(dateOfDay(firstDay), 0, s.timeZone).toISOString();
  const status = new Map<string, StatusKey>();
  let done = 0;
  const set = (id: string, st: StatusKey) => {
    const before = status.get(id);
    if (before === "hoan_thanh") done--;
    if (st === "hoan_thanh") done++;
    status.set(id, st);
  };
  const out: Week[] = [];
  let i = 0;
  // Reports before the first week set the starting point.
  while (i < timeline.length && timeline[i]![2] < startAt) {
    const [id, st] = timeline[i]!;
    if (inView.has(id)) set(id, st);
    i++;
  }
  for (let w = 0; w < weeks; w++) {
    const end = bounds[w]!;
    let updates = 0;
    while (i < timeline.length && timeline[i]![2] < end) {
      const [id, st] = timeline[i]!;
      if (inView.has(id)) {
        set(id, st);
        updates++;
      }
      i++;
    }
    const start = firstDay + 7 * w;
    out.push({ start: dateOfDay(start), end: dateOfDay(start + 6), updates, done, pct: percent(done, inView.size) });
  }
  // Weeks before anything was reported say nothing: leave them out (keeping at least 4 weeks).
  const first = out.findIndex((w) => w.updates > 0 || w.done > 0);
  return out.slice(Math.max(0, Math.min(first < 0 ? out.length : first, out.length - 4)));
}
