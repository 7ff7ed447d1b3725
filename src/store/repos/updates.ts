// Status updates: append-only reports on tasks, with who sent them.
import type Database from "better-sqlite3";
import { str, strOrNull, type Row } from "../rows.js";
import type { NewStatusUpdate, StatusKey, StatusUpdateRow, StatusUpdateView } from "../types.js";

export interface UpdatesRepo {
  insert(input: NewStatusUpdate): StatusUpdateRow;
  get(id: number): StatusUpdateRow | undefined;
  latest(taskId: string): StatusUpdateView | undefined;
  /** Newest first. */
  history(taskId: string, limit?: number): StatusUpdateView[];
  /** The latest update of every task that has one. */
  latestByTask(): Map<string, StatusUpdateView>;
  /** Ids of the tasks whose latest update says "hoàn thành". */
  completedTaskIds(): Set<string>;
  /** How many updates each task has. */
  countsByTask(): Map<string, number>;
  count(): number;
  /** Every update, oldest first. */
  all(): StatusUpdateView[];
  /** Every update as [task id, status, reported at], oldest first: the light rows trends are counted from. */
  timeline(): [taskId: string, status: StatusKey, reportedAt: string][];
  /** The id of the newest update (0 when none): it changes whenever an update is added. */
  lastId(): number;
}

function toUpdate(r: Row): StatusUpdateRow {
  return {
    id: Number(r.id),
    taskId: str(r.task_id),
    userId: Number(r.user_id),
    status: str(r.status) as StatusKey,
    percent: Number(r.percent),
    done: str(r.done),
    obstacles: str(r.obstacles),
    proposal: str(r.proposal),
    expectedBy: strOrNull(r.expected_by),
    reportedAt: str(r.reported_at),
    channel: str(r.channel),
    chatId: strOrNull(r.chat_id),
    messageId: strOrNull(r.message_id),
  };
}

const toView = (r: Row): StatusUpdateView => ({ ...toUpdate(r), userName: str(r.user_name), userAgencyId: strOrNull(r.user_agency_id) });

export function updatesRepo(db: Database.Database): UpdatesRepo {
  const view = `SELECT s.*, u.name AS user_name, u.agency_id AS user_agency_id
    FROM status_updates s JOIN users u ON u.id = s.user_id`;
  const insert = db.prepare(`
    INSERT INTO status_updates (task_id, user_id, status, percent, done, obstacles, proposal, expected_by,
      reported_at, channel, chat_id, message_id)
    VALUES (@taskId, @userId, @status, @percent, @done, @obstacles, @proposal, @expectedBy,
      @reportedAt, @channel, @chatId, @messageId)`);
  const get = db.prepare("SELECT * FROM status_updates WHERE id = ?");
  const history = db.prepare(`${view} WHERE s.task_id = ? ORDER BY s.reported_at DESC, s.id DESC LIMIT ?`);
  // task_latest (migration 005) holds each task's latest update id and count, kept by a trigger.
  const latestAll = db.prepare(`${view} JOIN task_latest l ON l.update_id = s.id`);
  const counts = db.prepare("SELECT task_id, updates AS n FROM task_latest");
  const count = db.prepare("SELECT COUNT(*) AS n FROM status_updates");
  const all = db.prepare(`${view} ORDER BY s.reported_at, s.id`);
  const lastId = db.prepare("SELECT COALESCE(MAX(id), 0) AS n FROM status_updates");
  const timeline = db.prepare("SELECT task_id, status, reported_at FROM status_updates ORDER BY reported_at, id").raw(true);
  const repo: UpdatesRepo = {
    insert: (i) => {
      const info = insert.run({
        taskId: i.taskId,
        userId: i.userId,
        status: i.status,
        percent: i.percent,
        done: i.done ?? "",
        obstacles: i.obstacles ?? "",
        proposal: i.proposal ?? "",
        expectedBy: i.expectedBy ?? null,
        reportedAt: i.reportedAt,
        channel: i.channel,
        chatId: i.chatId ?? null,
        messageId: i.messageId ?? null,
      });
      return repo.get(Number(info.lastInsertRowid))!;
    },
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toUpdate(r) : undefined;
    },
    latest: (taskId) => repo.history(taskId, 1)[0],
    history: (taskId, limit = 20) => (history.all(taskId, limit) as Row[]).map(toView),
    latestByTask: () => new Map((latestAll.all() as Row[]).map((r) => [str(r.task_id), toView(r)])),
    completedTaskIds: () => new Set((latestAll.all() as Row[]).filter((r) => r.status === "hoan_thanh").map((r) => str(r.task_id))),
    countsByTask: () => new Map((counts.all() as Row[]).map((r) => [str(r.task_id), Number(r.n)])),
    count: () => Number((count.get() as Row).n),
    all: () => (all.all() as Row[]).map(toView),
    timeline: () => timeline.all() as [string, StatusKey, string][],
    lastId: () => Number((lastId.get() as Row).n),
  };
  return repo;
}
