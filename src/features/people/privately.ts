// Admin output only in private chats: an admin command typed in a group
// (/duyet, /baocao and its CSV, /maomoi) runs as in the admin's private chat and
// its answer goes there; the group hears only that it went there. When the bot
// has never seen that private chat (a bot may not write first), nothing runs and
// the group is told how to open it.
import type { CommandContext } from "../../core/feature.js";
import type { OutMessage } from "../../core/types.js";
import type { People } from "./service.js";

export const PRIVATE_TEXTS = {
  sent: "Đã gửi riêng cho quản trị viên (trong chat riêng với bot).",
  openPrivateChat:
    "Kết quả lệnh này chỉ gửi riêng cho quản trị viên, nhưng tôi chưa có chat riêng với anh/chị. Hãy mở chat riêng với bot, gõ /batdau, rồi gõ lại lệnh ở đó. Chưa làm gì.",
} as const;

/** Run an admin's command and answer in private; in a group the answer goes to the admin's private chat. */
export async function answerPrivately(
  ctx: CommandContext,
  people: Pick<People, "privateChat">,
  run: () => OutMessage[] | Promise<OutMessage[]>,
): Promise<OutMessage[]> {
  if (ctx.turn.chatType === "private") return run();
  const chatId = people.privateChat(ctx.turn);
  if (!chatId) return [{ text: PRIVATE_TEXTS.openPrivateChat }];
  const out = await run();
  if (out.length > 0) await ctx.notify([{ channel: ctx.turn.channel, chatId, messages: out }]);
  return [{ text: PRIVATE_TEXTS.sent }];
}
