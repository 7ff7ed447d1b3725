// The dialogue core's vocabulary. Channels translate their platform's updates
// into a Turn and render OutMessages back; nothing here knows a platform.

export type ChannelName = "telegram" | "zalo" | "console";

export interface Turn {
  channel: ChannelName;
  chatId: string;
  chatType: "private" | "group";
  userId: string;
  userName: string;
  text: string;
  messageId: string;
  /** Platform update id, used to drop duplicate deliveries. */
  updateId?: string;
  /** The message mentions the bot (groups). */
  mentionsBot?: boolean;
  /** The message replies to one of the bot's messages (groups). */
  replyToBot?: boolean;
  /** When the platform says the message was sent. */
  date?: Date;
  /** The bot's own username on this channel (without "@"), so "/cmd@OtherBot" is ignored and "@bot" is stripped. */
  botUsername?: string;
  /**
   * The message carried no text the bot can read (a voice message, a photo without caption, a sticker):
   * the core says it reads only text, in a group too.
   */
  nonText?: boolean;
  /**
   * The channel's inbox already recognised repeated deliveries: the core does not check again
   * (an update resumed after a restart must be answered, not taken for a repeat of itself).
   */
  deduplicated?: boolean;
}

export interface Choice {
  /** What the user sees: a button label, or a numbered line on Zalo/console. */
  label: string;
  /** What comes back as the user's text when chosen (a button press or the number). */
  value: string;
}

export interface OutDocument {
  filename: string;
  mime: string;
  content: Buffer;
}

export interface OutMessage {
  text: string;
  choices?: Choice[];
  document?: OutDocument;
}

/** A message for a chat other than the one being answered (an admin's approval reaches the user who asked). */
export interface Notice {
  channel: ChannelName;
  chatId: string;
  messages: OutMessage[];
}

/**
 * What became of a send, as the channel that knows its platform's errors
 * judges it (after the retries it found worth making):
 * - delivered: every message went out;
 * - retry: the platform asked to wait (flood control, a passing outage); try again after `afterMs`;
 * - failed: it will not go out by retrying (bot removed from the group, chat unknown, …).
 */
export type Delivery =
  | { status: "delivered" }
  | { status: "retry"; afterMs: number; error: string }
  | { status: "failed"; error: string };

/** Sends messages into a chat of one channel; used for replies and for pushes (reminders, notices). */
export interface Outbox {
  /** The longest text one message may carry on this channel (longer texts are split by the channel). */
  readonly textLimit: number;
  /** Never throws: the result says what happened. */
  send(chatId: string, messages: OutMessage[]): Promise<Delivery>;
}

export interface DialogueCore {
  /** Decide the reply to one turn. Never throws for user input; returns [] when the bot must stay silent. */
  handle(turn: Turn): Promise<OutMessage[]>;
}
