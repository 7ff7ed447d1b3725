// Greetings and thanks typed as plain text: a person saying "chào bot" or
// "cảm ơn" expects a friendly reply, not a search of the plans that finds nothing.
import { fold } from "../text/vietnamese.js";

export type SmallTalk = "greeting" | "thanks";

const ADDRESS = "(?:ban|anh|chi|em|bot|tro ly|tro ly ke hoach|a|nhe|nha|nhieu|ca nha|moi nguoi)";
const GREETING = new RegExp(`^(?:xin chao|chao|hi|hello|helo|alo|hey)(?: ${ADDRESS})*$`);
const THANKS = new RegExp(`^(?:ok |vang |da )?(?:xin cam on|cam on|thanks|thank you|thank|tks|thanks you)(?: ${ADDRESS})*$`);

/** "greeting", "thanks", or undefined when the text is anything else (a question, most likely). */
export function smallTalk(text: string): SmallTalk | undefined {
  if (text.length > 40) return undefined;
  const f = fold(text)
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!f) return undefined;
  if (GREETING.test(f)) return "greeting";
  if (THANKS.test(f)) return "thanks";
  return undefined;
}

export const THANKS_REPLY = "Không có gì ạ. Anh/chị cần tra cứu thêm cứ gõ câu hỏi, hoặc /huongdan để xem các lệnh.";
