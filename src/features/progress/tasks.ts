// Finding the task a person means (by id as typed, or by keywords) and whether
// they may report on it: their agency leads or coordinates it, or they are an admin.
import type { Logger } from "../../log.js";
import type { Turn } from "../../core/types.js";
import { idKey, type KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Task } from "../../knowledge/types.js";
import type { Store } from "../../store/index.js";
import { truncate, words } from "../../text/vietnamese.js";
import { partiesOf, type People, type Permission } from "../people/index.js";

/** Ids of the records that best answer a search, best first (the ask feature's retrieval). */
export type FindRecordIds = (query: string, now: Date, limit: number) => Promise<string[]>;

export interface TaskFinder {
  /** May this user report on this task (their agency leads or coordinates it; admins any)? */
  mayReportOn(who: Pick<Turn, "channel" | "userId" | "userName">, now: Date, task: Task): Permission;
  /**
   * The tasks this user may report on whose id is closest to `typed` (a mistyped or unknown id),
   * best match first: the same plan's first, then by how few characters differ.
   */
  closestReportable(who: Pick<Turn, "channel" | "userId" | "userName">, now: Date, typed: string, limit?: number): Task[];
  /** Best matching tasks for keywords: retrieval first, then a simple word match. */
  findTasks(query: string, now: Date, log: Logger, limit?: number): Promise<Task[]>;
  /** A task id as the user typed it inside text ("bn 7.22 80%") → the task and the words after it. */
  taskAtStart(text: string): { task: Task; rest: string } | undefined;
  /** The agency's tasks, unfinished and soonest due first. */
  agencyTasks(agencyId: string): Task[];
}

const STOP = new Set(["va", "cua", "cac", "nhiem", "vu", "cho", "trong", "tai", "ve", "voi", "the", "la", "de", "nhung", "mot"]);

export function createTaskFinder(deps: { store: Store; knowledge: KnowledgeIndex; people: People; findRecordIds?: FindRecordIds }): TaskFinder {
  const { store, knowledge, people } = deps;
  const finder: TaskFinder = {
    mayReportOn(who, now, task) {
      const base = people.mayReport(who, now);
      if (!base.ok) return base;
      const stored = store.tasks.get(task.id);
      if (stored?.archivedAt) return { ok: false, reason: `Nhiệm vụ ${task.id} không còn trong kế hoạch hiện hành nên không nhận báo cáo.` };
      if (people.isAdmin(who)) return base;
      const agency = base.user.agencyId!;
      // Its lead or coordinating agencies — or any agency when only collectives lead it (people's one rule).
      if (people.isParty(agency, partiesOf(task))) return base;
      const lead = task.leadAgencies.map((a) => a.canonical).join(", ") || task.leadRaw || "cơ quan khác";
      return { ok: false, reason: `Nhiệm vụ ${task.id} do ${lead} chủ trì, không thuộc ${people.agencyName(agency)}, nên bạn không báo cáo được.` };
    },

    closestReportable(who, now, typed, limit = 6) {
      const base = people.mayReport(who, now);
      if (!base.ok) return [];
      const admin = people.isAdmin(who);
      const agency = base.user.agencyId;
      const archived = new Set(store.tasks.list({ includeArchived: true }).filter((t) => t.archivedAt).map((t) => t.id));
      const want = idKey(typed);
      const plan = planPart(want);
      // The agency's own tasks in their usual order (unfinished, soonest due) break ties.
      const order = new Map((agency ? finder.agencyTasks(agency) : []).map((t, i) => [t.id, i]));
      return knowledge.tasks
        .filter((t) => !archived.has(t.id) && (admin || (agency !== null && people.isParty(agency, partiesOf(t)))))
        .map((t) => {
          const key = idKey(t.id);
          return { t, samePlan: planPart(key) === plan ? 0 : 1, distance: editDistance(want, key), rank: order.get(t.id) ?? Number.MAX_SAFE_INTEGER };
        })
        .sort((a, b) => a.samePlan - b.samePlan || a.distance - b.distance || a.rank - b.rank || a.t.id.localeCompare(b.t.id, "en", { numeric: true }))
        .slice(0, limit)
        .map((x) => x.t);
    },

    async findTasks(query, now, log, limit = 5) {
      const out: Task[] = [];
      const add = (t: Task | undefined) => {
        if (t && !out.some((x) => x.id === t.id) && out.length < limit) out.push(t);
      };
      if (deps.findRecordIds) {
        try {
          for (const id of await deps.findRecordIds(query, now, limit * 2)) add(knowledge.task(id));
        } catch (err) {
          log.warn("progress: search failed, falling back to word match", { err });
        }
      }
      if (out.length > 0) return out;
      const q = words(query).filter((w) => w.length > 1 && !STOP.has(w));
      if (q.length === 0) return out;
      const scored = knowledge.tasks
        .map((t) => {
          const name = new Set(words(t.name));
          return { t, score: q.filter((w) => name.has(w)).length };
        })
        .filter((x) => x.score > 0 && x.score >= Math.ceil(q.length / 2))
        .sort((a, b) => b.score - a.score || a.t.id.localeCompare(b.t.id));
      for (const { t } of scored) add(t);
      return out;
    },

    taskAtStart(text) {
      const parts = text.trim().split(/\s+/);
      for (const n of [3, 2, 1]) {
        if (parts.length < n) continue;
        const cand = parts.slice(0, n).join(" ");
        if (n > 1 && !/^[\p{L}]{1,6}$/u.test(parts[0]!)) continue;
        if (!/\d/.test(cand) || idKey(cand).length < 3) continue;
        const task = knowledge.task(cand);
        if (task) return { task, rest: parts.slice(n).join(" ") };
      }
      return undefined;
    },

    agencyTasks(agencyId) {
      const latest = store.updates.latestByTask();
      return knowledge
        .tasksOfAgency(agencyId)
        .slice()
        .sort((a, b) => {
          const da = latest.get(a.id)?.status === "hoan_thanh" ? 1 : 0;
          const db = latest.get(b.id)?.status === "hoan_thanh" ? 1 : 0;
          return da - db || (a.deadline.due ?? "9999").localeCompare(b.deadline.due ?? "9999") || a.id.localeCompare(b.id);
        });
    },
  };
  return finder;
}

/** "BN7.22" → "BN": the plan's letters at the start of an id key. */
const planPart = (key: string): string => /^[A-Z]*/.exec(key)?.[0] ?? "";

/** How many characters to insert, delete or change to turn `a` into `b` (short ids only). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** One line naming a task: "BN-7.22 · Xây dựng cơ sở dữ liệu …". */
export const taskLine = (t: { id: string; name: string }, max = 60): string => `${t.id} · ${truncate(t.name, max)}`;
