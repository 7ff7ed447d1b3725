// The choices the bot last offered in a conversation, so that "2" means the
// second of them. Kept per chat and user, for a while, for a bounded number
// of conversations.
import { BoundedMap } from "../../text/bounded-map.js";
import type { Choice, OutMessage, Turn } from "../types.js";

export interface ChoiceMemory {
  /** Remember the last choices offered in `out` (or forget them when none were offered). */
  remember(turn: Turn, out: OutMessage[], now: Date): void;
  /** The choices offered to this conversation, when still fresh. */
  offered(turn: Turn, now: Date): Choice[] | undefined;
}

const conversation = (t: Turn) => `${t.channel}:${t.chatId}:${t.userId}`;

export function createChoiceMemory(opts: { max?: number; ttlMs?: number } = {}): ChoiceMemory {
  const ttl = opts.ttlMs ?? 60 * 60 * 1000;
  const memory = new BoundedMap<string, { choices: Choice[]; at: number }>(opts.max ?? 5000);
  return {
    remember(turn, out, now) {
      const key = conversation(turn);
      const offered = [...out].reverse().find((m) => m.choices && m.choices.length > 0)?.choices;
      memory.delete(key);
      if (offered) memory.set(key, { choices: offered, at: now.getTime() });
    },
    offered(turn, now) {
      const key = conversation(turn);
      const m = memory.get(key);
      if (!m) return undefined;
      if (now.getTime() - m.at > ttl) {
        memory.delete(key);
        return undefined;
      }
      return m.choices;
    },
  };
}

/** "2", "2.", "2)": the number of an offered choice. */
export function choiceNumber(text: string): number | undefined {
  const m = /^(\d{1,3})[.)]?$/.exec(text);
  return m ? Number(m[1]) : undefined;
}
