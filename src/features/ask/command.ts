// /hoi <câu hỏi>: a question about the plans — the same as plain text in a
// private chat (or addressed to the bot in a group).
import type { Command } from "../../core/feature.js";
import type { AskService } from "./types.js";

export const ASK_USAGE = "Cách dùng: /hoi <câu hỏi>\nVí dụ: /hoi Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?";

export function createAskCommand(ask: AskService): Command {
  return {
    name: "hoi",
    aliases: ["hỏi", "ask", "hoidap"],
    summary: "Hỏi về nhiệm vụ, cơ quan chủ trì, thời hạn",
    help: ASK_USAGE,
    plainText: true,
    async run({ args, now, turn }) {
      if (!args) return [{ text: ASK_USAGE }];
      // Each person in each chat has their own thread of questions ("còn phối hợp?", "trang 2").
      const a = await ask.ask(args, { now, conversation: `${turn.channel}:${turn.chatId}:${turn.userId}` });
      return [a.choices?.length ? { text: a.answer, choices: a.choices } : { text: a.answer }];
    },
  };
}
