// Who hears about a registration: the admins when one waits for approval, the
// person when an admin approves or refuses it. A notice goes only to a private
// chat the bot has already seen (on Telegram and Zalo a private chat's id is the
// user's id), so a person who never wrote to the bot privately is not messaged.
import type { Config } from "../../config.js";
import type { ChannelName, Notice } from "../../core/types.js";
import type { Store, UserRow } from "../../store/index.js";
import { truncate } from "../../text/vietnamese.js";

function toPrivateChat(store: Store, channel: string, userId: string, text: string): Notice[] {
  const chat = store.chats.get(channel, userId);
  if (chat?.type !== "private") return [];
  return [{ channel: channel as ChannelName, chatId: userId, messages: [{ text }] }];
}

/** To every admin from configuration: a registration #id waits for approval. */
export function pendingNotices(config: Pick<Config, "ADMINS">, store: Store, user: UserRow, agencyName: string): Notice[] {
  const text = `📝 Đăng ký mới chờ duyệt: #${user.id} ${truncate(user.name, 40)} — ${agencyName} (${user.channel}).\nGõ /duyet ${user.id} để duyệt, /duyet ${user.id} từ chối để bỏ.`;
  return config.ADMINS.flatMap((a) => toPrivateChat(store, a.channel, a.userId, text));
}

/** To the person whose registration was decided. */
export function decisionNotices(store: Store, user: UserRow, agencyName: string, approved: boolean): Notice[] {
  const text = approved
    ? `✅ Đăng ký của bạn đã được duyệt: ${truncate(user.name, 40)} — ${agencyName}. Bạn có thể báo cáo tiến độ: /capnhat`
    : `Đăng ký của bạn (${truncate(user.name, 40)} — ${agencyName}) không được duyệt. Vui lòng liên hệ quản trị viên, hoặc gõ /dangky để đăng ký lại.`;
  return toPrivateChat(store, user.channel, user.channelUserId, text);
}
