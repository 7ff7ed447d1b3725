// The contract between the dialogue core and the features that plug into it
// (ask, status updates, reminders). A command is a value: names, help, run().
import type { Config } from "../config.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import type { Notice, OutMessage, Turn } from "./types.js";
import type { Logger } from "../log.js";

/** Answers a question about the plans (implemented in src/ask/). */
export interface AskService {
  ask(question: string, opts?: { now?: Date; limit?: number }): Promise<AskAnswer>;
}

export interface AskAnswer {
  question: string;
  intent: string;
  /** Vietnamese text as the user sees it. */
  answer: string;
  notFound: boolean;
  /** Record ids the answer is about, best first. */
  ids: string[];
  /** Follow-ups offered to the user (e.g. the closest tasks when nothing matched). */
  choices?: { label: string; value: string }[];
}

/** Routes a turn into an active conversational form (implemented in src/forms/). */
export interface FormRouter {
  /** The reply when the turn belongs to an active form session of this user in this chat; null otherwise. */
  handleActive(ctx: CommandContext): Promise<OutMessage[] | null>;
}

/** Remembers which updates were already handled (in memory, or durably in the store). */
export interface SeenUpdates {
  /** True the first time a key is seen; false for every repeat. */
  firstTime(key: string): boolean;
}

/**
 * Everything a command may use. Features add their own service under a name of
 * their own (declared optional here so the core runs without them).
 */
export interface Services {
  config: Config;
  knowledge: KnowledgeIndex;
  ask: AskService;
  clock: () => Date;
  forms?: FormRouter;
  seen?: SeenUpdates;
  /** Push notices to other chats through the running channels (absent in the CLI and most tests). Never throws. */
  notify?: (notices: Notice[]) => Promise<void>;
  /** Feature services (store, reminders, …), typed by the feature that owns them. */
  [feature: string]: unknown;
}

export interface CommandContext {
  turn: Turn;
  /** Text after the command word, trimmed ("" when none). */
  args: string;
  services: Services;
  now: Date;
  /** The bot's logger (absent in tests that do not pass one). */
  log?: Logger;
}

export interface Command {
  /** Vietnamese name without the slash and without diacritics, e.g. "capnhat". */
  name: string;
  /** Other names that reach the same command (e.g. "cập nhật", "update"). Matching ignores case and diacritics. */
  aliases?: string[];
  /** One Vietnamese line for /huongdan. */
  summary: string;
  /** Vietnamese usage with an example, shown by "/huongdan <lệnh>" and when the command is misused. */
  help: string;
  run(ctx: CommandContext): Promise<OutMessage[]> | OutMessage[];
  /**
   * True for commands that control an active form (cancel, back): they run as ordinary
   * commands even while a form is active. "huy" and "quaylai" are treated so by default.
   */
  controlsForm?: boolean;
}
