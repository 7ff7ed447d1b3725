// Finding the task a person means (by id as typed, or by keywords) and whether
// they may report on it: their agency leads or coordinates it, or they are an admin.
import type { Logger } from "../../log.js";
import type { Turn } from "../../core/types.js";
import { idKey, type KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Task } from "../../knowledge/types.js";
import type { Store } from "../../store/index.js";
import { truncate, words } from "../../text/vietnamese.js";
import type { People, Permission } from "../people/index.js";

/** Ids of the records that best answer a search, best first (the ask feature's retrieval). */
export type FindRecordIds = (query: string, now: Date, limit: number) => Promise<string[]>;

export interface TaskFinder {
  /** May this user report on this task (their agency leads or coordinates it; admins any)? */
  mayReportOn(who: Pick<Turn, "channel" | "userId" | "userName">, now: Date, task: Task): Permission;
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
      if ([...task.leadAgencies, ...task.coordinatorAgencies].some((a) => a.id === agency)) return base;
      // Led only by a collective ("Các sở, ngành, địa phương"): no single owner, so any member agency may report.
      // A collective among the coordinators alone does not open the task to everyone.
      const leads = task.leadAgencies.filter((a) => a.isAgency);
      if (leads.length > 0 && leads.every((a) => a.isGroup)) return base;
      const lead = task.leadAgencies.map((a) => a.canonical).join(", ") || task.leadRaw || "cơ quan khác";
      return { ok: false, reason: `Nhiệm vụ ${task.id} do ${lead} chủ trì, không thuộc ${people.agencyName(agency)}, nên bạn không báo cáo được.` };
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

/** One line naming a task: "BN-7.22 · Xây dựng cơ sở dữ liệu …". */
export const taskLine = (t: { id: string; name: string }, max = 60): string => `${t.id} · ${truncate(t.name, max)}`;
