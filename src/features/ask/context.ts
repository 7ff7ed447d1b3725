// Conversation context: the last query of a chat's user and the rows it gave,
// so that a follow-up ("còn phối hợp?", "thế còn Sở Y tế?", "trang 2", "tiếp")
// fills what it leaves out. Short-lived; kept in the store so a restart keeps it.
import { z } from "zod";
import { QuerySchema, type Query } from "./query.js";

export interface ConversationState {
  query: Query;
  /** Ids of the records the answer gave, in its order (every row of a list). */
  ids: string[];
  /** ISO time of the answer. */
  at: string;
}

export interface ConversationStore {
  get(key: string): ConversationState | undefined;
  put(key: string, state: ConversationState): void;
}

/** How long a follow-up may lean on the previous question. */
export const CONTEXT_TTL_MS = 30 * 60 * 1000;

export function memoryConversations(): ConversationStore {
  const m = new Map<string, ConversationState>();
  return {
    get: (k) => m.get(k),
    put: (k, s) => {
      m.delete(k);
      m.set(k, s);
      if (m.size > 10_000) m.delete(m.keys().next().value!);
    },
  };
}

/** Where the store keeps contexts (store/repos/ask-context.ts): JSON by key. */
export interface ContextRows {
  get(key: string): { state: string; at: string } | undefined;
  put(key: string, state: string, at: string): void;
}

const StoredState = z.object({ query: QuerySchema, ids: z.array(z.string()).max(5000) });

/** Contexts kept in the store; a row that no longer reads as a query (an older version's) is ignored. */
export function storedConversations(rows: ContextRows): ConversationStore {
  return {
    get(key) {
      const row = rows.get(key);
      if (!row) return undefined;
      try {
        const parsed = StoredState.safeParse(JSON.parse(row.state));
        return parsed.success ? { query: parsed.data.query, ids: parsed.data.ids, at: row.at } : undefined;
      } catch {
        return undefined;
      }
    },
    put: (key, s) => rows.put(key, JSON.stringify({ query: s.query, ids: s.ids }), s.at),
  };
}

/** "trang 2", "tiếp", "xem tiếp", "trang sau": paging the last list, nothing else. */
export function pageRequest(folded: string, previousPage: number): number | undefined {
  const t = folded.replace(/[^a-z0-9 ]+/g, " ").replace(/\s+/g, " ").trim();
  const m = /^(?:xem |cho xem |mo )?trang (\d{1,3})$/.exec(t);
  if (m) return Number(m[1]);
  if (/^(?:tiep|xem tiep|tiep theo|trang tiep|trang sau|tiep di|con nua|xem them|them nua|con nua khong|next)$/.test(t)) return previousPage + 1;
  return undefined;
}

/**
 * A follow-up takes the previous query and changes what it says: other agencies, another role,
 * another plan, a period, or only the rows of the previous answer.
 */
export function mergeFollowUp(prev: Query, q: Query, raw: { roleWords: boolean }): Query {
  const merged: Query = { ...prev, page: 1, followUp: true, withinPrevious: q.withinPrevious, previousAgency: q.previousAgency, standalone: false };
  if (q.agencies.length) merged.agencies = q.agencies;
  if (q.recipients.length) merged.recipients = q.recipients;
  if (raw.roleWords) merged.role = q.role;
  if (q.plans.length) {
    merged.plans = q.plans;
    merged.scoped = true;
  }
  if (q.period) merged.period = q.period;
  if (q.state) merged.state = q.state;
  if (q.section) merged.section = q.section;
  if (q.kinds.length && !q.withinPrevious) merged.kinds = q.kinds;
  // A new question word on the same rows: "hạn khi nào?", "cơ quan nào phối hợp?".
  if (["who", "when", "who_when", "coordinators", "target"].includes(q.ask) && !q.agencies.length && !["list", "count", "duties"].includes(prev.ask)) {
    merged.ask = q.ask;
  } else if (q.ask === "count") merged.ask = "count";
  else if (q.withinPrevious && (q.ask === "when" || q.ask === "who_when")) merged.ask = "list";
  else if (q.ask === "duties" && !q.agencies.length) merged.ask = "duties";
  const content = q.topic.split(" ").filter((w) => w.length > 2 || /\d/.test(w));
  if (content.length >= 2 && !q.agencies.length && !q.plans.length && !q.withinPrevious) merged.topic = q.topic;
  if (q.state) merged.state = q.state;
  return merged;
}
