// Optional LLM phrasing for open questions. The model sees only the retrieved
// records; its text is thrown away when it names an agency or a date that is not
// in those records (the template answer stands instead).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Config } from "../../config.js";
import type { KnowledgeRecord } from "../../knowledge/types.js";
import { phraseKey } from "../../retrieval/analyzer.js";
import { createChat, type Chat } from "../../retrieval/langchain.js";
import { fold, nfc } from "../../text/vietnamese.js";

export interface LlmPhraser {
  /** The model's answer, or null when it failed or the guard rejected it. */
  phrase(question: string, records: KnowledgeRecord[]): Promise<string | null>;
  /** Why the last answer was rejected ("" when accepted). */
  lastRejection: string;
}

const PROMPTS_DIR = fileURLToPath(new URL("../../../prompts/", import.meta.url));

export function loadPrompt(name: string): string {
  return readFileSync(PROMPTS_DIR + name, "utf8");
}

/** Everything a record says, as one text (what the guard checks against). */
export function recordText(r: KnowledgeRecord): string {
  switch (r.kind) {
    case "task":
      return [r.id, r.name, r.section.title, ...r.lead, ...r.coordinators, r.leadRaw, r.coordinatorsRaw, r.deadline.raw, ...r.deadline.milestones.map((m) => m.raw), r.basis].join("\n");
    case "indicator":
      return [r.id, r.name, r.group.title, r.unit, ...r.lead, r.target2026, r.target2030, r.note].join("\n");
    case "duty":
      return [r.id, r.action, r.section.title, r.agency, ...r.coordinators, r.reportTo, r.deadline?.raw ?? "", ...r.schedule.map((s) => s.raw)].join("\n");
    case "passage":
      return [r.id, r.text, r.section.title, ...r.path].join("\n");
  }
}

/** Records rendered for the prompt. */
export function renderRecords(records: KnowledgeRecord[]): string {
  return records
    .map((r) => {
      switch (r.kind) {
        case "task":
          return `[${r.id}] Nhiệm vụ: ${r.name}\n  Chủ trì: ${r.lead.join("; ") || "(không ghi)"}\n  Phối hợp: ${r.coordinators.join("; ") || "(không ghi)"}\n  Thời hạn: ${r.deadline.raw || "(không ghi)"}`;
        case "indicator":
          return `[${r.id}] Chỉ tiêu: ${r.name} (${r.unit})\n  Năm 2026: ${r.target2026}\n  Đến hết năm 2030: ${r.target2030}\n  Chủ trì: ${r.lead.join("; ")}`;
        case "duty":
          return `[${r.id}] ${r.agency ? r.agency + ": " : ""}${r.action}${r.schedule.length ? `\n  Lịch báo cáo: ${r.schedule.map((s) => s.raw).join("; ")}` : ""}`;
        case "passage":
          return `[${r.id}] ${r.path.join(" › ")}\n  ${r.text}`;
      }
    })
    .join("\n\n");
}

const AGENCY_HEADS = ["Ủy ban Mặt trận", "Sở", "Ban", "Bộ", "Ủy ban", "Uỷ ban", "UBND", "HĐND", "Văn phòng", "Phòng", "Trung tâm", "Công an", "Viện", "Cục", "Chi cục", "Tỉnh đoàn", "Liên hiệp", "Đảng ủy", "Đảng uỷ", "Hội đồng", "Thanh tra", "Ngân hàng", "Bảo hiểm", "Tỉnh ủy", "Tỉnh uỷ", "Mặt trận"];
const HEAD_RE = new RegExp(`(?<![\\p{L}])(?:${AGENCY_HEADS.join("|")})(?![\\p{L}])`, "gu");
/** Words that end an agency name: verbs and function words that follow it in a sentence. */
const STOP_AFTER = new Set(
  "chủ phối có là được thực triển ban xây tổ đã sẽ cần lo giao làm phụ trách đảm bảo theo với cùng trong tại để về khi từ đến hạn năm tháng ngày trước".split(" "),
);

/** Agency-like phrases in a text ("Sở Ngoại vụ", "Công an tỉnh"): a head word and the name after it. */
export function agencyPhrases(text: string): string[] {
  const s = nfc(text);
  const out: string[] = [];
  for (const m of s.matchAll(HEAD_RE)) {
    const rest = s.slice(m.index! + m[0].length);
    const words: string[] = [];
    let tail = rest;
    for (let i = 0; i < 6; i++) {
      const wm = tail.match(/^[ \t]+([\p{L}&]+)/u);
      if (!wm) break;
      const w = wm[1]!;
      if (STOP_AFTER.has(w.toLowerCase())) break;
      if (w === "và" || w === "hoặc") {
        const next = tail.slice(wm[0].length).match(/^[ \t]+([\p{L}&]+)/u)?.[1] ?? "";
        if (/^\p{Lu}/u.test(next) && new RegExp(`^(?:${AGENCY_HEADS.join("|")})$`, "u").test(next)) break;
      }
      if (new RegExp(`^(?:${AGENCY_HEADS.join("|")})$`, "u").test(w)) break;
      words.push(w);
      tail = tail.slice(wm[0].length);
    }
    // a head with no capitalised name after it is a common noun ("ban hành", "phòng chống")
    if (!words.length || !/^[\p{Lu}0-9]|^(tỉnh|phường|xã)$/u.test(words[0]!)) continue;
    out.push([m[0], ...words].join(" "));
  }
  return out;
}

const DATE_RES = [
  /\b\d{1,2}\/\d{1,2}\/\d{4}\b/g,
  /\b\d{1,2}\/\d{4}\b/g,
  /\b(?:ngày|Ngày)\s+\d{1,2}(?:\s+tháng\s+\d{1,2})?(?:\s+năm\s+\d{4})?/g,
  /\b(?:tháng|Tháng)\s+\d{1,2}(?:\s+năm\s+\d{4})?/g,
  /\b(?:quý|Quý)\s+(?:IV|I{1,3}|[1-4])\b/g,
  /\b(?:19|20)\d{2}\b/g,
];

/** Date-like phrases in a text. */
export function datePhrases(text: string): string[] {
  const s = nfc(text);
  return DATE_RES.flatMap((re) => [...s.matchAll(re)].map((m) => m[0]));
}

function normDates(s: string): string {
  return fold(s)
    .replace(/\b0+(\d)/g, "$1")
    .replace(/\s+/g, " ");
}

/**
 * The guard: every agency and every date the model wrote must be found in the
 * records. Returns "" when the text passes, else the reason.
 */
export function guardText(text: string, records: KnowledgeRecord[]): string {
  const src = records.map(recordText).join("\n");
  const srcKey = " " + phraseKey(src) + " ";
  const srcDates = normDates(src);
  for (const a of agencyPhrases(text)) {
    // the name as written, or a shorter form of it keeping the head and two words ("Sở Khoa học và Công nghệ tỉnh" → "Sở Khoa học và Công nghệ")
    const parts = a.split(" ");
    let ok = false;
    for (let n = parts.length; n >= Math.min(parts.length, 3); n--) {
      const k = phraseKey(parts.slice(0, n).join(" "));
      if (k && srcKey.includes(" " + k + " ")) {
        ok = true;
        break;
      }
    }
    if (!ok) return `agency not in records: ${a}`;
  }
  for (const d of datePhrases(text)) {
    if (!srcDates.includes(normDates(d))) return `date not in records: ${d}`;
  }
  return "";
}

export function createLlmPhraser(config: Pick<Config, "LLM_PROVIDER" | "LLM_BASE_URL" | "LLM_MODEL" | "LLM_API_KEY">, chat?: Chat): LlmPhraser | null {
  if (config.LLM_PROVIDER === "none" || !config.LLM_MODEL) return null;
  const model =
    chat ??
    createChat({ provider: config.LLM_PROVIDER, baseUrl: config.LLM_BASE_URL, model: config.LLM_MODEL, apiKey: config.LLM_API_KEY });
  const system = loadPrompt("ask-system.md");
  const user = loadPrompt("ask-user.md");
  const phraser: LlmPhraser = {
    lastRejection: "",
    async phrase(question, records) {
      phraser.lastRejection = "";
      if (!records.length) return null;
      let out: string;
      try {
        out = nfc(await model.complete(system, user, { question, records: renderRecords(records) })).trim();
      } catch (err) {
        phraser.lastRejection = `llm failed: ${err instanceof Error ? err.message : String(err)}`;
        return null;
      }
      if (!out) {
        phraser.lastRejection = "empty";
        return null;
      }
      const why = guardText(out, records);
      if (why) {
        phraser.lastRejection = why;
        return null;
      }
      return out.length > 900 ? out.slice(0, 899) + "…" : out;
    },
  };
  return phraser;
}
