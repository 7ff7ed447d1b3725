// What the ask feature offers the rest of the bot.
import type { Choice } from "../../core/types.js";

/** Answers a question about the plans. */
export interface AskService {
  /** `conversation` names the chat and user ("telegram:chat:user"): a follow-up leans on their last question. */
  ask(question: string, opts?: { now?: Date; limit?: number; conversation?: string }): Promise<AskAnswer>;
}

export interface AskAnswer {
  question: string;
  intent: string;
  /** Vietnamese text as the user sees it (offered choices are not repeated in it). */
  answer: string;
  notFound: boolean;
  /** Record ids the answer is about, best first. */
  ids: string[];
  /** Follow-ups offered to the user (e.g. the closest tasks when nothing matched); each channel renders them. */
  choices?: Choice[];
}
