// /hoi <câu hỏi>: a question about the plans (the same as plain text in a private chat).
import type { AskService, Command } from "../commands.js";
import type { OutMessage } from "../types.js";

export const ASK_USAGE = "Cách dùng: /hoi <câu hỏi>\nVí dụ: /hoi Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?";

/** Ask the question and turn the answer into the message the user reads. */
export async function askAndReply(ask: AskService, question: string, now: Date): Promise<OutMessage[]> {
  const a = await ask.ask(question, { now });
  const msg: OutMessage = { text: a.answer };
  if (a.choices && a.choices.length > 0) msg.choices = a.choices.map((c) => ({ label: c.label, value: c.value }));
  return [msg];
}

export const askCommand: Command = {
  name: "hoi",
  aliases: ["hỏi", "ask", "hoidap"],
  summary: "Hỏi về nhiệm vụ, cơ quan chủ trì, thời hạn",
  help: ASK_USAGE,
  run({ args, services, now }) {
    if (!args) return [{ text: ASK_USAGE }];
    return askAndReply(services.ask, args, now);
  },
};
