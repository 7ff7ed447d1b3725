// The status feature's commands, as values for the core's registry.
import type { Command } from "../core/commands.js";
import { capnhatCommand } from "./capnhat.js";
import { dangkyCommand, duyetCommand } from "./register.js";
import { statusOf } from "./service.js";
import { baocaoCommand, nhiemvuCommand, tinhhinhCommand } from "./views.js";

const noForm = [{ text: "Bạn không có biểu mẫu nào đang mở." }];

/** /huy and /quaylai reach here only when no form is open (an open form handles them first). */
export const huyCommand: Command = {
  name: "huy",
  aliases: ["hủy", "huỷ", "cancel"],
  summary: "Hủy biểu mẫu đang điền",
  help: "Gõ /huy để hủy biểu mẫu đang điền (chưa lưu gì).",
  controlsForm: true,
  run(ctx) {
    return statusOf(ctx.services).forms.cancel(ctx.turn) ? [{ text: "Đã hủy, chưa lưu gì." }] : noForm;
  },
};

export const quaylaiCommand: Command = {
  name: "quaylai",
  aliases: ["quay lại", "quay lai", "back"],
  summary: "Quay lại câu hỏi trước của biểu mẫu",
  help: "Gõ /quaylai khi đang điền biểu mẫu để sửa câu trả lời trước.",
  controlsForm: true,
  async run(ctx) {
    return (await statusOf(ctx.services).forms.back(ctx)) ?? noForm;
  },
};

/** Record the chat (for reminders and reports) before any status command runs. */
function withChat(cmd: Command): Command {
  return {
    ...cmd,
    run(ctx) {
      const t = ctx.turn;
      try {
        statusOf(ctx.services).store.chats.upsert({ channel: t.channel, chatId: t.chatId, type: t.chatType, now: ctx.now });
      } catch (err) {
        ctx.log?.error("status: recording the chat failed", { err, chat: `${t.channel}:${t.chatId}` });
      }
      return cmd.run(ctx);
    },
  };
}

export function statusCommands(): Command[] {
  return [capnhatCommand, tinhhinhCommand, nhiemvuCommand, dangkyCommand, duyetCommand, baocaoCommand, huyCommand, quaylaiCommand].map(withChat);
}
