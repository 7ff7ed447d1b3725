// The contract between the dialogue core and what plugs into it. A command is
// a value (names, help, run); everything a command needs beyond the turn it
// gets from its feature's own typed dependencies, never from the core.
import type { Logger } from "../log.js";
import type { Notice, OutMessage, Turn } from "./types.js";

/** Opens, cancels and steps back in this turn's user's form (the form engine behind it is not the core's). */
export interface FormControl {
  /** Open `form` prefilled with `values`; asks the first missing field — or, with `answer`, answers it at once. */
  start(form: string, opts?: FormStart): Promise<OutMessage[]>;
  /** Drop the open form; true when there was one. */
  cancel(): boolean;
  /** The previous field (or the summary); null when no form is open. */
  back(): Promise<OutMessage[] | null>;
}

export interface CommandContext {
  /** The turn as the core cleaned it (text NFC, control characters and the bot's mention removed). */
  turn: Turn;
  /** Text after the command word, trimmed ("" when none). */
  args: string;
  now: Date;
  log: Logger;
  forms: FormControl;
  /** Push notices to other chats through the running channels. Never throws. */
  notify(notices: Notice[]): Promise<void>;
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
  /** Plain text addressed to the bot (not a command, not small talk) goes to this command as its args. One command may say so. */
  plainText?: boolean;
}

export interface FormStart {
  values?: Record<string, unknown>;
  /** A line above the first question. */
  intro?: string;
  /** Text the user already typed for the first missing field (e.g. "/capnhat chuyển đổi số"). */
  answer?: string;
}

/** How the core hands a turn to an open form: already parsed, so nothing is parsed twice. */
export type FormInput =
  /** An answer typed for the current field. */
  | { kind: "text"; text: string }
  /** /huy or /quaylai (or those words typed alone). */
  | { kind: "control"; control: "cancel" | "back" }
  /** Any other command: the form waits while it runs. */
  | { kind: "command"; name: string };

/** The form engine as the core sees it. */
export interface FormRouter {
  /** The reply when the turn belongs to an open form of this user in this chat; null to let the core go on. */
  handleActive(ctx: CommandContext, input: FormInput): Promise<OutMessage[] | null>;
  start(ctx: CommandContext, form: string, opts?: FormStart): Promise<OutMessage[]>;
  cancel(turn: Turn): boolean;
  back(ctx: CommandContext): Promise<OutMessage[] | null>;
}

/** Remembers which updates were already handled (in memory, or durably in the store). */
export interface SeenUpdates {
  /** True the first time a key is seen; false for every repeat. */
  firstTime(key: string): boolean;
}

/** Work that runs beside the dialogue (the reminder scheduler). Started by main once the channels run. */
export interface Job {
  name: string;
  start(): { stop(): Promise<void> };
}
