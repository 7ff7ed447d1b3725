// The mirror of the knowledge base's tasks: status updates point at these rows,
// so a task that leaves the plan is archived (its history kept), never deleted.
import type Database from "better-sqlite3";
import { parseJson, str, strOrNull, type Iso, type Row } from "../rows.js";
import type { SyncResult, TaskInput, TaskRow } from "../types.js";

export interface TasksRepo {
  /**
   * Mirror the knowledge base: upsert every task by id, archive ids that disappeared (history kept), restore ids that came back.
   * `version` (the knowledge's, when known): a sync from the version the mirror already holds is skipped and counts all unchanged.
   */
  syncTasks(tasks: readonly TaskInput[], now?: Date, version?: string): SyncResult;
  /** Upsert one task without archiving anything else. */
  upsert(task: TaskInput, now?: Date): void;
  get(id: string): TaskRow | undefined;
  list(opts?: { includeArchived?: boolean }): TaskRow[];
  /** Only the archived tasks (usually few). */
  archived(): TaskRow[];
}

function toTask(r: Row): TaskRow {
  return {
    id: str(r.id),
    plan: str(r.plan),
    name: str(r.name),
    leadIds: parseJson<string[]>(r.lead_ids, []),
    coordinatorIds: parseJson<string[]>(r.coordinator_ids, []),
    due: strOrNull(r.due),
    deadlineRaw: str(r.deadline_raw),
    archivedAt: strOrNull(r.archived_at),
    firstSeenAt: str(r.first_seen_at),
    updatedAt: str(r.updated_at),
  };
}

export function tasksRepo(db: Database.Database, iso: Iso): TasksRepo {
  const get = db.prepare("SELECT * FROM tasks WHERE id = ?");
  const all = db.prepare("SELECT * FROM tasks ORDER BY id");
  const active = db.prepare("SELECT * FROM tasks WHERE archived_at IS NULL ORDER BY id");
  const archived = db.prepare("SELECT * FROM tasks WHERE archived_at IS NOT NULL ORDER BY id");
  const insert = db.prepare(`
    INSERT INTO tasks (id, plan, name, lead_ids, coordinator_ids, due, deadline_raw, archived_at, first_seen_at, updated_at)
    VALUES (@id, @plan, @name, @leadIds, @coordinatorIds, @due, @deadlineRaw, NULL, @now, @now)`);
  const update = db.prepare(`
    UPDATE tasks SET plan = @plan, name = @name, lead_ids = @leadIds, coordinator_ids = @coordinatorIds,
      due = @due, deadline_raw = @deadlineRaw, archived_at = NULL, updated_at = @now WHERE id = @id`);
  const archive = db.prepare("UPDATE tasks SET archived_at = ?, updated_at = ? WHERE id = ?");
  const syncedFrom = db.prepare("SELECT value FROM store_meta WHERE key = 'tasks_synced_from'").pluck();
  const setSyncedFrom = db.prepare("INSERT INTO store_meta (key, value) VALUES ('tasks_synced_from', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const forgetSyncedFrom = db.prepare("DELETE FROM store_meta WHERE key = 'tasks_synced_from'");
  const params = (t: TaskInput, now: string) => ({
    id: t.id,
    plan: t.plan,
    name: t.name,
    leadIds: JSON.stringify([...new Set(t.leadAgencies.map((a) => a.id))]),
    coordinatorIds: JSON.stringify([...new Set(t.coordinatorAgencies.map((a) => a.id))]),
    due: t.deadline.due,
    deadlineRaw: t.deadline.raw,
    now,
  });
  const upsertOne = (t: TaskInput, now: string, known?: Map<string, Row>): "inserted" | "updated" | "unchanged" | "restored" => {
    const p = params(t, now);
    const old = known ? known.get(t.id) : (get.get(t.id) as Row | undefined);
    if (!old) {
      insert.run(p);
      return "inserted";
    }
    const same =
      old.plan === p.plan &&
      old.name === p.name &&
      old.lead_ids === p.leadIds &&
      old.coordinator_ids === p.coordinatorIds &&
      (old.due ?? null) === p.due &&
      old.deadline_raw === p.deadlineRaw;
    if (same && old.archived_at === null) return "unchanged";
    update.run(p);
    return old.archived_at !== null ? "restored" : "updated";
  };
  return {
    syncTasks: (list, nowDate, version) =>
      db.transaction((): SyncResult => {
        const now = iso(nowDate);
        const result: SyncResult = { inserted: 0, updated: 0, unchanged: 0, archived: 0, restored: 0 };
        if (version !== undefined && syncedFrom.get() === version) return { ...result, unchanged: new Set(list.map((t) => t.id)).size };
        const ids = new Set<string>();
        // Every stored row read once (tens of thousands at scale), not one query per task.
        const stored = all.all() as Row[];
        const known = new Map(stored.map((r) => [str(r.id), r]));
        for (const t of list) {
          if (ids.has(t.id)) continue;
          ids.add(t.id);
          result[upsertOne(t, now, known)]++;
        }
        for (const r of stored) {
          if (r.archived_at === null && !ids.has(str(r.id))) {
            archive.run(now, now, r.id);
            result.archived++;
          }
        }
        if (version !== undefined) setSyncedFrom.run(version);
        else forgetSyncedFrom.run();
        return result;
      })(),
    upsert: (t, nowDate) => {
      // a row written outside a sync: the mirror no longer equals any one knowledge version
      if (upsertOne(t, iso(nowDate)) !== "unchanged") forgetSyncedFrom.run();
    },
    get: (id) => {
      const r = get.get(id) as Row | undefined;
      return r ? toTask(r) : undefined;
    },
    list: (opts) => ((opts?.includeArchived ? all : active).all() as Row[]).map(toTask),
    archived: () => (archived.all() as Row[]).map(toTask),
  };
}
