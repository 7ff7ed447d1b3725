// The status feature's services: who is talking (registered? admin?), whether
// they may report on a task, finding tasks by id or keywords, and the store.
import type { CommandContext, SeenUpdates, Services } from "../core/commands.js";
import { createFormEngine, type FormEngine } from "../forms/index.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { idKey } from "../knowledge/knowledge-index.js";
import type { Task } from "../knowledge/types.js";
import type { Store, UserRow } from "../store/index.js";
import { localDate } from "../text/dates.js";
import { fold, truncate, words } from "../text/vietnamese.js";
import { capnhatForm } from "./capnhat.js";
import { dangkyForm } from "./register.js";

export interface Identity {
  /** The stored user (admins get a row on first use). */
  user: UserRow | undefined;
  admin: boolean;
  /** "telegram:123" — for the audit log. */
  actor: string;
}

export type Permission = { ok: true; user: UserRow } | { ok: false; reason: string };

export interface StatusService {
  store: Store;
  forms: FormEngine;
  identify(ctx: CommandContext): Identity;
  /** May this user report at all (registered, approved, with an agency)? */
  mayReport(ctx: CommandContext): Permission;
  /** May this user report on this task (their agency leads or coordinates it; admins any)? */
  mayReportOn(ctx: CommandContext, task: Task): Permission;
  /** Best matching tasks for keywords: retrieval first, then a simple word match. */
  findTasks(ctx: CommandContext, query: string, limit?: number): Promise<Task[]>;
  /** A task id as the user typed it inside text ("bn 7.22 80%") → the task and the words after it. */
  taskAtStart(knowledge: KnowledgeIndex, text: string): { task: Task; rest: string } | undefined;
  agencyName(knowledge: KnowledgeIndex, id: string | null | undefined): string;
  /** The user's agency's tasks, unfinished and soonest due first. */
  agencyTasks(ctx: CommandContext, agencyId: string): Task[];
  today(ctx: CommandContext): string;
}

export const isAdmin = (ctx: CommandContext): boolean =>
  ctx.services.config.ADMINS.some((a) => a.channel === ctx.turn.channel && a.userId === ctx.turn.userId);

/** The status service from Services (set by createStatusServices). */
export function statusOf(services: Services): StatusService {
  const s = services.status as StatusService | undefined;
  if (!s) throw new Error("Status services are missing: spread createStatusServices(...) into Services.");
  return s;
}

const STOP = new Set(["va", "cua", "cac", "nhiem", "vu", "cho", "trong", "tai", "ve", "voi", "the", "la", "de", "nhung", "mot"]);

export function createStatusService(store: Store, forms: FormEngine): StatusService {
  const svc: StatusService = {
    store,
    forms,

    identify(ctx) {
      const admin = isAdmin(ctx);
      const { channel, userId, userName } = ctx.turn;
      const user = admin
        ? store.users.ensureAdmin({ channel, channelUserId: userId, name: userName || "Quản trị viên", now: ctx.now })
        : store.users.get(channel, userId);
      return { user, admin, actor: `${channel}:${userId}` };
    },

    mayReport(ctx) {
      const { user, admin } = svc.identify(ctx);
      if (admin && user) return { ok: true, user };
      if (!user) return { ok: false, reason: "Bạn chưa đăng ký nên chưa thể báo cáo; gõ /dangky để đăng ký." };
      if (!user.approved) return { ok: false, reason: "Đăng ký của bạn đang chờ quản trị viên duyệt nên chưa thể báo cáo." };
      if (!user.agencyId) return { ok: false, reason: "Tài khoản của bạn chưa gắn cơ quan; gõ /dangky để chọn cơ quan." };
      return { ok: true, user };
    },

    mayReportOn(ctx, task) {
      const base = svc.mayReport(ctx);
      if (!base.ok) return base;
      const stored = store.tasks.get(task.id);
      if (stored?.archivedAt) return { ok: false, reason: `Nhiệm vụ ${task.id} không còn trong kế hoạch hiện hành nên không nhận báo cáo.` };
      if (isAdmin(ctx)) return base;
      const agency = base.user.agencyId!;
      if ([...task.leadAgencies, ...task.coordinatorAgencies].some((a) => a.id === agency)) return base;
      // Led only by a collective ("Các sở, ngành, địa phương"): no single owner, so any member agency may report.
      // A collective among the coordinators alone does not open the task to everyone.
      const leads = task.leadAgencies.filter((a) => a.isAgency);
      if (leads.length > 0 && leads.every((a) => a.isGroup)) return base;
      const lead = task.leadAgencies.map((a) => a.canonical).join(", ") || task.leadRaw || "cơ quan khác";
      const mine = svc.agencyName(ctx.services.knowledge, agency);
      return { ok: false, reason: `Nhiệm vụ ${task.id} do ${lead} chủ trì, không thuộc ${mine}, nên bạn không báo cáo được.` };
    },

    async findTasks(ctx, query, limit = 5) {
      const k = ctx.services.knowledge;
      const out: Task[] = [];
      const add = (t: Task | undefined) => {
        if (t && !out.some((x) => x.id === t.id) && out.length < limit) out.push(t);
      };
      try {
        const ans = await ctx.services.ask.ask(query, { now: ctx.now, limit: limit * 2 });
        for (const id of ans.ids) add(k.task(id));
        for (const c of ans.choices ?? []) add(k.task(c.value));
      } catch (err) {
        ctx.log?.warn("status: ask failed, falling back to word match", { err });
      }
      if (out.length > 0) return out;
      const q = words(query).filter((w) => w.length > 1 && !STOP.has(w));
      if (q.length === 0) return out;
      const scored = k.tasks
        .map((t) => {
          const name = new Set(words(t.name));
          return { t, score: q.filter((w) => name.has(w)).length };
        })
        .filter((x) => x.score > 0 && x.score >= Math.ceil(q.length / 2))
        .sort((a, b) => b.score - a.score || a.t.id.localeCompare(b.t.id));
      for (const { t } of scored) add(t);
      return out;
    },

    taskAtStart(knowledge, text) {
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

    agencyName(knowledge, id) {
      if (!id) return "(chưa rõ cơ quan)";
      return knowledge.agencies.find((a) => a.id === id)?.canonical ?? id;
    },

    agencyTasks(ctx, agencyId) {
      const latest = store.updates.latestByTask();
      return ctx.services.knowledge
        .tasksOfAgency(agencyId)
        .slice()
        .sort((a, b) => {
          const da = latest.get(a.id)?.status === "hoan_thanh" ? 1 : 0;
          const db = latest.get(b.id)?.status === "hoan_thanh" ? 1 : 0;
          return da - db || (a.deadline.due ?? "9999").localeCompare(b.deadline.due ?? "9999") || a.id.localeCompare(b.id);
        });
    },

    today: (ctx) => localDate(ctx.now, ctx.services.config.TIMEZONE),
  };
  return svc;
}

/** One line naming a task: "BN-7.22 · Xây dựng cơ sở dữ liệu …". */
export const taskLine = (t: { id: string; name: string }, max = 60): string => `${t.id} · ${truncate(t.name, max)}`;

export const folded = fold;

export interface StatusServices {
  store: Store;
  status: StatusService;
  forms: FormEngine;
  seen: SeenUpdates;
  [feature: string]: unknown;
}

/**
 * Everything the status feature adds to Services: spread the result into the
 * core's Services. When `knowledge` is given, the task mirror is synced now.
 */
export function createStatusServices(o: { store: Store; knowledge?: KnowledgeIndex; now?: Date; idleMinutes?: number }): StatusServices {
  const forms = createFormEngine({ store: o.store, forms: [capnhatForm, dangkyForm], idleMinutes: o.idleMinutes });
  if (o.knowledge) o.store.tasks.syncTasks(o.knowledge.tasks, o.now);
  // Housekeeping at start-up: forms idle for a week and update keys older than 30 days.
  const now = (o.now ?? new Date()).getTime();
  o.store.sessions.deleteIdle(new Date(now - 7 * 86_400_000));
  o.store.seen.prune(new Date(now - 30 * 86_400_000));
  const status = createStatusService(o.store, forms);
  return { store: o.store, status, forms, seen: o.store.seen };
}
