// Who hears about a registration: the admins when one waits for approval (at
// most REGISTRATION_NOTICES a day per person, however often they re-register),
// the person when an admin approves or refuses it; and the admins when an invite
// code was typed where others saw it. A notice goes only to a private chat the
// bot has already seen (on Telegram and Zalo a private chat's id is the user's
// id), so a person who never wrote to the bot privately is not messaged. Names
// are always quoted, so a name cannot pass for the bot's own words.
import type { Config } from "../../config.js";
import type { ChannelName, Notice } from "../../core/types.js";
import type { RegistrationRow, Store } from "../../store/index.js";
import { quoteName } from "../../text/names.js";

/** Registration notices to the admins per person within NOTICE_WINDOW_MS. */
export const REGISTRATION_NOTICES = 3;
export const NOTICE_WINDOW_MS = 24 * 3600_000;

function toPrivateChat(store: Store, channel: string, userId: string, text: string): Notice[] {
  const chat = store.chats.get(channel, userId);
  if (chat?.type !== "private") return [];
  return [{ channel: channel as ChannelName, chatId: userId, messages: [{ text }] }];
}

/** The same text to every admin from configuration, in the private chats the bot knows. */
export function adminNotices(config: Pick<Config, "ADMINS">, store: Store, text: string): Notice[] {
  return config.ADMINS.flatMap((a) => toPrivateChat(store, a.channel, a.userId, text));
}

/** To every admin: registration #id waits for approval — unless this person's notices are used up for the day. */
export function pendingNotices(config: Pick<Config, "ADMINS">, store: Store, reg: RegistrationRow, agencyName: string, now: Date): Notice[] {
  if (!store.limits.take(`notice:${reg.channel}:${reg.channelUserId}`, now, REGISTRATION_NOTICES, NOTICE_WINDOW_MS)) return [];
  const text = `📝 Đăng ký mới chờ duyệt: #${reg.id} ${quoteName(reg.name)} — ${agencyName} (${reg.channel}).\nGõ /duyet ${reg.id} để duyệt, /duyet ${reg.id} từ chối để bỏ.`;
  return adminNotices(config, store, text);
}

export type DecisionNotice =
  | { kind: "approved" }
  | { kind: "rejected" }
  /** A re-registration refused: the person keeps the earlier one. */
  | { kind: "kept"; name: string; agencyName: string };

/** To the person whose registration was decided. */
export function decisionNotices(store: Store, reg: RegistrationRow, agencyName: string, what: DecisionNotice): Notice[] {
  const who = `${quoteName(reg.name)} — ${agencyName}`;
  const text =
    what.kind === "approved"
      ? `✅ Đăng ký của bạn đã được duyệt: ${who}. Bạn có thể báo cáo tiến độ: /capnhat`
      : what.kind === "kept"
        ? `Yêu cầu đổi đăng ký của bạn (${who}) không được duyệt; bạn vẫn là ${quoteName(what.name)} — ${what.agencyName} như trước.`
        : `Đăng ký của bạn (${who}) không được duyệt. Vui lòng liên hệ quản trị viên, hoặc gõ /dangky để đăng ký lại.`;
  return toPrivateChat(store, reg.channel, reg.channelUserId, text);
}
