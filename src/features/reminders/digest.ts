// One digest per group per run: the items grouped by rule, then by due date,
// one line per task or duty with its id (for /capnhat), short name, lead agency
// and due date. Split into messages within the channel's limit, at line
// boundaries, each message knowing which reminders it carries (so a message
// that fails leaves exactly its reminders claimable for the next run).
import { itemKey, RULES, type ReminderItem, type RuleName } from "./rules.js";
import { formatDate } from "../../text/dates.js";

/**
 * Characters per message when the group's channel is not running (previews and
 * dry runs from the CLI): the smallest limit of the channels we serve (Zalo's).
 * A running channel tells its own limit (Outbox.textLimit).
 */
export const FALLBACK_TEXT_LIMIT = 2000;

const SECTION_TITLES: Record<RuleName, string> = {
  overdue: "⚠️ QUÁ HẠN, CHƯA BÁO CÁO HOÀN THÀNH",
  "due-soon": "⏰ SẮP ĐẾN HẠN",
  "duty-due": "📋 BÁO CÁO ĐỊNH KỲ SẮP ĐẾN HẠN",
  stale: "🕓 CHƯA CẬP NHẬT TIẾN ĐỘ",
};

export interface DigestChunk {
  text: string;
  /** Keys (rule|id|window) of the reminders this message carries. */
  keys: string[];
}

export interface DigestOptions {
  /** The local date of the run (ISO). */
  date: string;
  limit: number;
  /** Set when this digest makes up for missed runs: the local date of the last digest before the gap. */
  catchUpSince?: string | null;
  /** Days without update that make a task stale (for the section title). */
  staleDays?: number;
  /** Stale tasks left for the next digests (see capStale). */
  staleHeld?: number;
  /** Reminders left out to keep within the day's messages (see renderDigestWithin). */
  more?: number;
}

/** The line that ends a digest cut to the day's messages. */
export const moreLine = (n: number): string => `… và ${n} mục nhắc việc khác. Gõ /nhacviec để xem đủ.`;

function whenLabel(item: ReminderItem): string {
  if (item.due === null || item.daysLeft === null) return "Không có hạn cụ thể";
  const d = item.daysLeft;
  const rel = d === 0 ? "hôm nay" : d > 0 ? `còn ${d} ngày` : `quá ${-d} ngày`;
  return `Hạn ${formatDate(item.due)} (${rel})`;
}

function line(item: ReminderItem): string {
  const due = item.due ? `hạn ${formatDate(item.due)}` : "không có hạn cụ thể";
  const note = item.note ? ` · ${item.note}` : "";
  return `• ${item.id} · ${item.name} · ${item.lead} · ${due}${note}`;
}

/** The digest's messages, each within `limit` characters. [] when there is nothing to say. */
export function renderDigest(items: ReminderItem[], opts: DigestOptions): DigestChunk[] {
  if (items.length === 0) return [];
  const title = `🔔 NHẮC VIỆC NGÀY ${formatDate(opts.date)}`;
  const intro: string[] = [title];
  if (opts.catchUpSince) {
    intro.push(
      `(Tổng hợp bù: hệ thống tạm dừng sau ngày ${formatDate(opts.catchUpSince)}; các nhắc việc bị lỡ được gộp vào tin này.)`,
    );
  }
  const footer = `Cập nhật tiến độ: /capnhat <mã>, ví dụ /capnhat ${items.find((i) => i.rule !== "duty-due")?.id ?? items[0]!.id}. Xem trước: /nhacviec · Tắt nhắc: /tatnhac`;
  // Room for " (phần 12/12)" after the title of every message.
  const limit = Math.max(200, opts.limit - 16);

  interface Raw {
    text: string;
    key?: string;
  }
  const pieces: { lines: Raw[]; keys: string[]; len: number }[] = [];
  let cur = { lines: [] as Raw[], keys: [] as string[], len: 0 };
  const add = (text: string, key?: string) => {
    cur.lines.push({ text, key });
    if (key) cur.keys.push(key);
    cur.len += text.length + 1;
  };
  const open = () => {
    cur = { lines: [], keys: [], len: 0 };
    pieces.push(cur);
  };
  open();
  for (const l of intro) add(l);

  const staleTitle = `${SECTION_TITLES.stale} TỪ ${opts.staleDays ?? 30} NGÀY TRỞ LÊN`;
  for (const rule of RULES) {
    const ofRule = items.filter((i) => i.rule === rule);
    if (ofRule.length === 0) continue;
    const section = rule === "stale" ? staleTitle : SECTION_TITLES[rule];
    add("");
    add(section);
    let lastWhen = "";
    for (const item of ofRule) {
      const when = whenLabel(item);
      const text = line(item);
      const needed = (when !== lastWhen ? when.length + 1 : 0) + text.length + 1;
      if (cur.len + needed > limit && cur.keys.length > 0) {
        open();
        add(title);
        add("");
        add(`${section} (tiếp)`);
        lastWhen = "";
      }
      if (when !== lastWhen) {
        add(`📅 ${when}`);
        lastWhen = when;
      }
      add(text.length > limit ? text.slice(0, limit - 1) + "…" : text, itemKey(item));
    }
    if (rule === "stale" && opts.staleHeld) add(`… và ${opts.staleHeld} nhiệm vụ khác chưa cập nhật, sẽ nhắc trong các ngày tới.`);
  }
  const tail = opts.more ? [moreLine(opts.more), footer] : [footer];
  const tailLen = tail.reduce((n, l) => n + l.length + 1, 1);
  if (cur.len + tailLen > limit) {
    open();
    add(title);
  }
  add("");
  for (const l of tail) add(l);

  const n = pieces.length;
  return pieces.map((p, i) => {
    const lines = p.lines.map((l) => l.text);
    if (n > 1) lines[0] = `${lines[0]} (phần ${i + 1}/${n})`;
    return { text: lines.join("\n"), keys: p.keys };
  });
}

/**
 * The digest within `maxMessages` messages: as many reminders as fit, in the digest's own order
 * (overdue first), the rest named in one line pointing to /nhacviec. `held` are those left out.
 */
export function renderDigestWithin(items: ReminderItem[], opts: DigestOptions, maxMessages: number): { chunks: DigestChunk[]; held: ReminderItem[] } {
  const all = renderDigest(items, opts);
  if (all.length <= maxMessages || items.length === 0) return { chunks: all, held: [] };
  const ordered = RULES.flatMap((r) => items.filter((i) => i.rule === r));
  const fits = (k: number) => renderDigest(ordered.slice(0, k), { ...opts, more: ordered.length - k }).length <= maxMessages;
  // The most reminders that fit (at least one: a single line always fits one message).
  let lo = 1;
  let hi = ordered.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const kept = ordered.slice(0, lo);
  return { chunks: renderDigest(kept, { ...opts, more: ordered.length - lo }), held: ordered.slice(lo) };
}
