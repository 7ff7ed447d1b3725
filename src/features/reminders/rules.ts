// The reminder rules, pure: given the knowledge, the latest status of each task,
// what a group follows and the local day, which reminders are due. No clock, no
// store, no network — the caller passes the day in.
//
// Each reminder has a key (rule, task or duty id, due window). The window is the
// part that makes "exactly once" mean the right thing:
//   due-soon  a stage of REMINDER_DAYS: with 14,7,1 a task due on D has windows
//             "D@14" (from D-14), "D@7" (from D-7), "D@1" (from D-1). Only the
//             current stage is due, so after a week of downtime the group gets
//             the reminder for the stage it is in now, once — not the missed ones.
//   overdue   "D#k": week k after the (last) deadline D, so an unfinished overdue
//             task comes back once every OVERDUE_REPEAT_DAYS, not every day.
//   duty-due  "O": a report date O, due from O - DUTY_LEAD_DAYS to O.
//   stale     "R#k": the k-th 30 days without an update since R (the last update,
//             or when the group subscribed when the task never had one).
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Duty, Task } from "../../knowledge/types.js";
import { fold, squash, truncate } from "../../text/vietnamese.js";
import { occurrences, periodLabel } from "./schedule.js";
import { dateOfDay, dayNumber } from "../../text/dates.js";

export type RuleName = "due-soon" | "overdue" | "duty-due" | "stale";

/** The order of sections in a digest. */
export const RULES: readonly RuleName[] = ["overdue", "due-soon", "duty-due", "stale"];

import type { Target } from "../../store/index.js";
export type { Target };

export interface TaskStatus {
  /** Status key as stored ("hoan_thanh", "dang_thuc_hien", …) or its Vietnamese label. */
  status: string;
  /** When it was reported (ISO instant or date). */
  at: string;
}

export interface RuleOptions {
  /** Days before a deadline at which to remind (REMINDER_DAYS), e.g. [14, 7, 1]. */
  reminderDays: number[];
  /** A report date is announced this many days ahead. */
  dutyLeadDays: number;
  /** An overdue task comes back once per this many days. */
  overdueRepeatDays: number;
  /** A task with no update for this many days is "stale". */
  staleDays: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  reminderDays: [14, 7, 1],
  dutyLeadDays: 3,
  overdueRepeatDays: 7,
  staleDays: 30,
};

export interface ReminderItem {
  rule: RuleName;
  /** Task or duty id, as the plan wrote it ("BN-7.22", "BG-D3"). */
  id: string;
  /** The due window (see the header comment). */
  window: string;
  /** The date the item is about (ISO), null for a task without a date (stale rule). */
  due: string | null;
  /** due − today in days (negative when overdue); null without a date. */
  daysLeft: number | null;
  /** Short name for the digest line. */
  name: string;
  /** Lead agency (or agencies) as the digest shows them. */
  lead: string;
  plan: string;
  /** Extra words for the line, e.g. the stage or the last update. */
  note?: string;
}

export function itemKey(i: Pick<ReminderItem, "rule" | "id" | "window">): string {
  return `${i.rule}|${i.id}|${i.window}`;
}

/** True when a status means the task is finished ("hoan_thanh", "Hoàn thành", "đã hoàn thành"). */
export function isDone(status: string | undefined): boolean {
  if (!status) return false;
  const f = fold(status).replace(/[_-]+/g, " ").trim();
  return f === "hoan thanh" || f === "da hoan thanh" || f === "done" || f === "completed";
}

export interface ChatSubscription {
  /** "telegram:-100123" */
  chat: string;
  targets: Target[];
  /** When the group first subscribed (ISO instant): the reference for "no update" when a task never had one. */
  since: string;
}

const NAME_MAX = 90;
const LEAD_MAX = 70;

export function taskLead(t: Task): string {
  const names = t.leadAgencies.filter((a) => a.isAgency).map((a) => a.canonical);
  const s = names.length ? [...new Set(names)].join(", ") : squash(t.leadRaw || t.lead.join(", "));
  return truncate(s || "Chưa rõ đơn vị chủ trì", LEAD_MAX);
}

function dutyLead(d: Duty): string {
  const names = d.agencies.filter((a) => a.isAgency || a.isGroup).map((a) => a.canonical);
  const s = names.length ? [...new Set(names)].join(", ") : squash(d.agency);
  return truncate(s || "Các cơ quan, đơn vị", LEAD_MAX);
}

/** All dated milestones of a task, ascending and unique. */
function taskDueDates(t: Task): string[] {
  const dates = new Set<string>();
  for (const m of t.deadline.milestones ?? []) if (m.due) dates.add(m.due.slice(0, 10));
  if (t.deadline.due) dates.add(t.deadline.due.slice(0, 10));
  return [...dates].filter((d) => Number.isFinite(dayNumber(d))).sort();
}

/**
 * Evaluates the rules for many groups on one day. Build once per run: it
 * indexes the knowledge by agency and plan and caches each task's items.
 */
export class RuleEngine {
  private readonly byLead = new Map<string, Task[]>();
  private readonly byPlan = new Map<string, Task[]>();
  private readonly dutiesByPlan = new Map<string, Duty[]>();
  private readonly planLeads = new Map<string, Set<string>>();
  private readonly taskCache = new Map<string, ReminderItem[]>();
  private readonly staleCache = new Map<string, ReminderItem | null>();
  private readonly datesCache = new Map<string, string[]>();
  private readonly dutyCache = new Map<string, ReminderItem[]>();
  private readonly stages: number[];
  private readonly planNames = new Map<string, string>();

  constructor(
    private readonly knowledge: KnowledgeIndex,
    private readonly statusOf: (taskId: string) => TaskStatus | undefined,
    /** Local day (days since 1970-01-01) the rules are evaluated for. */
    readonly today: number,
    private readonly opts: RuleOptions = DEFAULT_RULE_OPTIONS,
  ) {
    this.stages = [...new Set(opts.reminderDays)].filter((d) => Number.isInteger(d) && d >= 0).sort((a, b) => a - b);
    for (const p of knowledge.plans) this.planNames.set(p.id, p.shortName);
    for (const t of knowledge.tasks) {
      push(this.byPlan, t.plan, t);
      const leads = new Set(t.leadAgencies.map((a) => a.id));
      for (const id of leads) {
        push(this.byLead, id, t);
        let s = this.planLeads.get(t.plan);
        if (!s) this.planLeads.set(t.plan, (s = new Set()));
        s.add(id);
      }
    }
    for (const d of knowledge.duties) push(this.dutiesByPlan, d.plan, d);
  }

  /** Tasks a group follows: led by a subscribed agency, or in a subscribed plan. */
  tasksFor(targets: Target[]): Task[] {
    const seen = new Set<string>();
    const out: Task[] = [];
    for (const t of targets) {
      const list = (t.kind === "agency" ? this.byLead.get(t.id) : this.byPlan.get(t.id)) ?? [];
      for (const task of list) {
        if (seen.has(task.id)) continue;
        seen.add(task.id);
        out.push(task);
      }
    }
    return out;
  }

  /**
   * Duties a group follows: every duty of a subscribed plan; for an agency, the
   * duties that name it, and those addressed to a collective ("các sở, ban,
   * ngành") of a plan in which the agency leads a task.
   */
  dutiesFor(targets: Target[]): Duty[] {
    const seen = new Set<string>();
    const out: Duty[] = [];
    const add = (d: Duty) => {
      if (seen.has(d.id)) return;
      seen.add(d.id);
      out.push(d);
    };
    for (const t of targets) {
      if (t.kind === "plan") {
        for (const d of this.dutiesByPlan.get(t.id) ?? []) add(d);
        continue;
      }
      for (const d of this.knowledge.duties) {
        if (d.agencies.some((a) => a.id === t.id)) add(d);
        else if (d.agencies.some((a) => a.isGroup) && this.planLeads.get(d.plan)?.has(t.id)) add(d);
      }
    }
    return out;
  }

  /** Every reminder due today for one group, before de-duplication against deliveries. */
  itemsFor(sub: ChatSubscription): ReminderItem[] {
    const items: ReminderItem[] = [];
    const sinceDay = dayNumber(sub.since);
    for (const t of this.tasksFor(sub.targets)) {
      const own = this.taskItems(t);
      items.push(...own);
      if (own.length === 0) {
        const stale = this.staleItem(t, Number.isFinite(sinceDay) ? sinceDay : this.today);
        if (stale) items.push(stale);
      }
    }
    for (const d of this.dutiesFor(sub.targets)) items.push(...this.dutyItems(d));
    return sortItems(items);
  }

  /** due-soon and overdue items of a task today (cached; the same for every group). */
  taskItems(t: Task): ReminderItem[] {
    const hit = this.taskCache.get(t.id);
    if (hit) return hit;
    const out: ReminderItem[] = [];
    const st = this.statusOf(t.id);
    if (!isDone(st?.status)) {
      const dates = this.dueDates(t);
      const base = { id: t.id, name: truncate(squash(t.name), NAME_MAX), lead: taskLead(t), plan: t.plan };
      for (const due of dates) {
        const left = dayNumber(due) - this.today;
        if (left < 0) continue;
        const stage = this.stages.find((s) => s >= left);
        if (stage === undefined) continue;
        out.push({ ...base, rule: "due-soon", window: `${due}@${stage}`, due, daysLeft: left });
      }
      const last = dates[dates.length - 1];
      if (last !== undefined) {
        const late = this.today - dayNumber(last);
        if (late > 0) {
          const k = Math.floor((late - 1) / Math.max(1, this.opts.overdueRepeatDays));
          out.push({ ...base, rule: "overdue", window: `${last}#${k}`, due: last, daysLeft: -late });
        }
      }
    }
    this.taskCache.set(t.id, out);
    return out;
  }

  private staleItem(t: Task, sinceDay: number): ReminderItem | null {
    const key = `${t.id}|${sinceDay}`;
    const hit = this.staleCache.get(key);
    if (hit !== undefined) return hit;
    const item = this.computeStale(t, sinceDay);
    this.staleCache.set(key, item);
    return item;
  }

  private dueDates(t: Task): string[] {
    let d = this.datesCache.get(t.id);
    if (!d) this.datesCache.set(t.id, (d = taskDueDates(t)));
    return d;
  }

  private computeStale(t: Task, sinceDay: number): ReminderItem | null {
    const st = this.statusOf(t.id);
    if (isDone(st?.status)) return null;
    const lastDay = st ? dayNumber(st.at) : NaN;
    const ref = Number.isFinite(lastDay) ? lastDay : sinceDay;
    const age = this.today - ref;
    const period = Math.max(1, this.opts.staleDays);
    if (age < period) return null;
    const k = Math.floor(age / period);
    const due = this.dueDates(t)[0] ?? null;
    return {
      rule: "stale",
      id: t.id,
      window: `${dateOfDay(ref)}#${k}`,
      due,
      daysLeft: due ? dayNumber(due) - this.today : null,
      name: truncate(squash(t.name), NAME_MAX),
      lead: taskLead(t),
      plan: t.plan,
      note: Number.isFinite(lastDay) ? `cập nhật lần cuối ${age} ngày trước` : `chưa có cập nhật nào`,
    };
  }

  /** Report dates of a duty that fall within the lead time (cached). */
  dutyItems(d: Duty): ReminderItem[] {
    const hit = this.dutyCache.get(d.id);
    if (hit) return hit;
    const byDate = new Map<string, Set<string>>();
    const end = this.today + Math.max(0, this.opts.dutyLeadDays);
    for (const rule of d.schedule) {
      for (const date of occurrences(rule, this.today, end)) {
        let s = byDate.get(date);
        if (!s) byDate.set(date, (s = new Set()));
        s.add(periodLabel(rule.period));
      }
    }
    if (d.schedule.length === 0 && d.deadline?.due) {
      const due = d.deadline.due.slice(0, 10);
      const left = dayNumber(due) - this.today;
      if (left >= 0 && left <= this.opts.dutyLeadDays) byDate.set(due, new Set());
    }
    const plan = this.planNames.get(d.plan) ?? d.plan;
    const out: ReminderItem[] = [];
    for (const [due, labels] of byDate) {
      const what = labels.size ? `Báo cáo định kỳ ${[...labels].join(", ")} — ${plan}` : truncate(squash(d.action), NAME_MAX);
      out.push({
        rule: "duty-due",
        id: d.id,
        window: due,
        due,
        daysLeft: dayNumber(due) - this.today,
        name: truncate(what + (labels.size && d.reportTo ? `, gửi ${squash(d.reportTo)}` : ""), NAME_MAX + 40),
        lead: dutyLead(d),
        plan: d.plan,
      });
    }
    this.dutyCache.set(d.id, out);
    return out;
  }
}

/**
 * At most `max` stale items in one digest (the oldest windows first, then by due
 * date); the rest stay unclaimed and come in the next days' digests, so a group
 * that has never reported is not handed its whole plan at once.
 */
export function capStale(items: ReminderItem[], max: number): { items: ReminderItem[]; held: number } {
  const stale = items.filter((i) => i.rule === "stale");
  if (stale.length <= max) return { items, held: 0 };
  const keep = new Set(stale.slice(0, Math.max(0, max)));
  return { items: items.filter((i) => i.rule !== "stale" || keep.has(i)), held: stale.length - keep.size };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

const idOrder = new Intl.Collator("en", { numeric: true });
const RANK: Record<RuleName, number> = { overdue: 0, "due-soon": 1, "duty-due": 2, stale: 3 };

/** Digest order: by rule section, then due date (undated last), then id ("BN-7.9" before "BN-7.10"). */
export function sortItems(items: ReminderItem[]): ReminderItem[] {
  return items.sort((a, b) => {
    const r = RANK[a.rule] - RANK[b.rule];
    if (r) return r;
    const da = a.due ?? "9999";
    const db = b.due ?? "9999";
    return da < db ? -1 : da > db ? 1 : idOrder.compare(a.id, b.id);
  });
}
