// /hoi <câu hỏi>: a question about the plans (the same as plain text in a private chat).
import type { AskService, Command } from "../commands.js";
import type { OutMessage } from "../types.js";

export const ASK_USAGE = "Cách dùng: /hoi <câu hỏi>\nVí dụ: /hoi Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?";

/** Ask the question and turn the answer into the message the user reads. */
export async function askAndReply(ask: AskService, question: string, now: Date): Promise<OutMessage[]> {
  const a = await ask.ask(question, { now });
  const choices = a.choices ?? [];
  if (choices.length === 0) return [{ text: a.answer }];
  // The channel shows the choices (buttons or numbered lines): drop the same list from the text.
  const listed = new Set(choices.map((c) => `• ${c.label}`));
  const text = a.answer
    .split("\n")
    .filter((line) => !listed.has(line))
    .join("\n")
    .trim();
  return [{ text, choices: choices.map((c) => ({ label: c.label, value: c.value })) }];
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
