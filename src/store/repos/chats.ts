// Chats the bot has seen (private or group), for notices and reminders.
import type Database from "better-sqlite3";
import { str, strOrNull, type Iso, type Row } from "../rows.js";
import type { ChatRow } from "../types.js";

export interface ChatsRepo {
  upsert(input: { channel: string; chatId: string; type: "private" | "group"; title?: string | null; now: Date }): void;
  get(channel: string, chatId: string): ChatRow | undefined;
  list(channel?: string): ChatRow[];
}

const toChat = (r: Row): ChatRow => ({
  channel: str(r.channel),
  chatId: str(r.chat_id),
  type: r.type === "group" ? "group" : "private",
  title: strOrNull(r.title),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export function chatsRepo(db: Database.Database, iso: Iso): ChatsRepo {
  const upsert = db.prepare(`
    INSERT INTO chats (channel, chat_id, type, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (channel, chat_id) DO UPDATE SET type = excluded.type,
      title = COALESCE(excluded.title, chats.title), updated_at = excluded.updated_at`);
  const get = db.prepare("SELECT * FROM chats WHERE channel = ? AND chat_id = ?");
  const list = db.prepare("SELECT * FROM chats WHERE (? IS NULL OR channel = ?) ORDER BY channel, chat_id");
  return {
    upsert: (i) => {
      const old = get.get(i.channel, i.chatId) as Row | undefined;
      if (old && old.type === i.type && (i.title == null || old.title === i.title)) return; // unchanged: no write
      upsert.run(i.channel, i.chatId, i.type, i.title ?? null, iso(i.now), iso(i.now));
    },
    get: (channel, chatId) => {
      const r = get.get(channel, chatId) as Row | undefined;
      return r ? toChat(r) : undefined;
    },
    list: (channel) => (list.all(channel ?? null, channel ?? null) as Row[]).map(toChat),
  };
}
