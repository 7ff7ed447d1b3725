// Form sessions: one open form per user per chat, stored after every answer.
import type Database from "better-sqlite3";
import { parseJson, str, type Row } from "../rows.js";
import type { SessionKey, SessionRow } from "../types.js";

export interface SessionsRepo {
  get(key: SessionKey): SessionRow | undefined;
  put(row: SessionRow): void;
  delete(key: SessionKey): boolean;
  /** Remove sessions not touched since `before`; returns how many. */
  deleteIdle(before: Date): number;
}

const toSession = (r: Row): SessionRow => ({
  channel: str(r.channel),
  chatId: str(r.chat_id),
  userId: str(r.user_id),
  form: str(r.form),
  version: Number(r.version),
  step: Number(r.step),
  values: parseJson<Record<string, unknown>>(r.values_json, {}),
  startedAt: str(r.started_at),
  updatedAt: str(r.updated_at),
});

export function sessionsRepo(db: Database.Database): SessionsRepo {
  const get = db.prepare("SELECT * FROM form_sessions WHERE channel = ? AND chat_id = ? AND user_id = ?");
  const put = db.prepare(`
    INSERT INTO form_sessions (channel, chat_id, user_id, form, version, step, values_json, started_at, updated_at)
    VALUES (@channel, @chatId, @userId, @form, @version, @step, @values, @startedAt, @updatedAt)
    ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET form = excluded.form, version = excluded.version,
      step = excluded.step, values_json = excluded.values_json, started_at = excluded.started_at,
      updated_at = excluded.updated_at`);
  const del = db.prepare("DELETE FROM form_sessions WHERE channel = ? AND chat_id = ? AND user_id = ?");
  const delIdle = db.prepare("DELETE FROM form_sessions WHERE updated_at < ?");
  return {
    get: (k) => {
      const r = get.get(k.channel, k.chatId, k.userId) as Row | undefined;
      return r ? toSession(r) : undefined;
    },
    put: (s) =>
      void put.run({
        channel: s.channel,
        chatId: s.chatId,
        userId: s.userId,
        form: s.form,
        version: s.version,
        step: s.step,
        values: JSON.stringify(s.values),
        startedAt: s.startedAt,
        updatedAt: s.updatedAt,
      }),
    delete: (k) => del.run(k.channel, k.chatId, k.userId).changes > 0,
    deleteIdle: (before) => delIdle.run(before.toISOString()).changes,
  };
}
