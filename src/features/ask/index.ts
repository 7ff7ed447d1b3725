// The ask feature: questions about the plans, answered from their records.
import type { Feature } from "../feature.js";
import { createAskCommand } from "./command.js";
import type { AskService } from "./types.js";

export { createAskService, type AskJson, type AskMatch, type FullAskService } from "./service.js";
export type { AskService, AskAnswer } from "./types.js";
export { storedConversations, memoryConversations, type ConversationStore } from "./context.js";

export function createAskFeature(ask: AskService): Feature {
  return { name: "ask", commands: [createAskCommand(ask)] };
}
