// What every channel shares, so each adapter only translates: updates are
// handled per chat in arrival order (chats concurrently), replies go out
// through the platform's own sender, a failed send becomes a Delivery the
// platform's error classifier judged, and stop() waits for work in flight.
import type { Choice, DialogueCore, Delivery, OutMessage, Turn } from "../core/types.js";
import type { Logger } from "../log.js";
import { createChatQueue } from "./chat-queue.js";

export interface Platform {
  /** Longest text of one platform message. */
  readonly textLimit: number;
  /** Put one OutMessage on the platform (split, choices, document as the platform does them). Throws the platform's errors. */
  sendMessage(chatId: string, message: OutMessage): Promise<void>;
  /** How one of the platform's errors reads: worth a retry after a wait, or not. */
  classify(err: unknown): Exclude<Delivery, { status: "delivered" }>;
}

export interface ChannelRuntime {
  readonly textLimit: number;
  /** Answer a turn in its chat's order; `before` runs first (e.g. acknowledging a button press). */
  dispatch(turn: Turn, before?: () => Promise<unknown>): void;
  /** Send messages into a chat; never throws. */
  send(chatId: string, messages: OutMessage[]): Promise<Delivery>;
  /** Resolves when no update is being handled. */
  idle(): Promise<void>;
}

export function createChannelRuntime(opts: { dialogue: DialogueCore; platform: Platform; log: Logger }): ChannelRuntime {
  const { dialogue, platform, log } = opts;
  const queue = createChatQueue((err) => log.error("update failed", { err }));

  async function send(chatId: string, messages: OutMessage[]): Promise<Delivery> {
    try {
      for (const m of messages) await platform.sendMessage(chatId, m);
      return { status: "delivered" };
    } catch (err) {
      return platform.classify(err);
    }
  }

  return {
    textLimit: platform.textLimit,
    send,
    dispatch(turn, before) {
      void queue.run(turn.chatId, async () => {
        if (before) await before().catch((err: unknown) => log.warn("before-answer step failed", { err }));
        const out = await dialogue.handle(turn);
        if (out.length === 0) return;
        const d = await send(turn.chatId, out);
        if (d.status !== "delivered") log.error("reply not delivered", { chat: turn.chatId, status: d.status, error: d.error });
      });
    },
    idle: () => queue.idle(),
  };
}

/** Choices as numbered lines under the text, for platforms without buttons (Zalo, the console). */
export function choicesAsLines(text: string, choices: readonly Choice[] | undefined, hint: (n: number) => string): string {
  if (!choices || choices.length === 0) return text;
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`);
  return `${text.trim()}\n\n${lines.join("\n")}\n\n${hint(choices.length)}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
