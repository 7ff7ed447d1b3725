// What a plan implements or rests on: the documents its title and its opening
// sentences ("Thực hiện …", "Căn cứ …", "Triển khai …") name, one reference per
// document, as written: kind, number, date, issuer ("Nghị quyết số 57-NQ/TW
// ngày 22/12/2024 của Bộ Chính trị"). A sentence that lists several documents
// gives one each; a document named inside another's description ("… ban hành
// Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW …", "(sau đây gọi tắt
// là …)") is not one the plan rests on.
import { fold, nfc, squash } from "../../text/vietnamese.js";

const KIND =
  "(?:Nghị quyết(?: liên tịch)?|Quyết định|Kế hoạch(?: hành động)?|Chương trình(?: hành động| công tác)?|Thông báo(?: kết luận)?|Kết luận|Chỉ thị|Công văn|Công điện|Nghị định|Thông tư(?: liên tịch)?|Pháp lệnh|Đề án|Hướng dẫn|Quy định|Văn bản)";
/** A document number: "57-NQ/TW", "66.2/2025/NQ-CP", "13/KH/TU", "02 CTr/BCĐTW". */
const NUMBER = "\\d+(?:[.,]\\d+)*(?:[-/][\\p{L}\\d]+(?:\\.[\\p{L}\\d]+)*)*(?:\\s\\p{L}+(?:[-/][\\p{L}\\d]+)+)?";
const DATE = "(?:\\s*,?\\s*ngày\\s+\\d{1,2}\\s*(?:/|tháng)\\s*\\d{1,2}\\s*(?:/|năm)\\s*\\d{4})?";
/** "Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Luật Dữ liệu số 60/2024/QH15", "Luật Quy hoạch ngày 24 tháng 11 năm 2017". */
const REFERENCE = new RegExp(
  `(?<![\\p{L}\\d])(?:(${KIND})\\s+số\\s*:?\\s*(${NUMBER})|(Luật(?:\\s+(?!Luật\\b)\\p{L}+){1,10}?)(?=\\s+(?:số\\s*\\d|ngày\\s+\\d))(?:\\s+số\\s*(${NUMBER}))?)${DATE}`,
  "giu",
);
/** A document named without a number ("Luật Đầu tư", "Chương trình hành động của Chính phủ"). */
const MENTION = new RegExp(`(?<![\\p{L}])(?:${KIND}|Luật)(?![\\p{L}])`, "iu");

/** Words that end an issuer: what follows is the document's subject or the sentence's verb ("về …", "ban hành …"). */
const ISSUER_END = /^(?:về|tại|nhằm|theo|và|đã|được|trên|với|ngày)$/u;
const ISSUER_END_PAIR = /^(?:ban hành|thực hiện|triển khai|sửa đổi|bổ sung|điều chỉnh|phê duyệt|quy định|hướng dẫn)$/u;

/** " của Bộ Chính trị" after a reference, up to its subject or a punctuation mark: the text, and how much of `text` it spans. */
function issuerAfter(text: string): { text: string; length: number } {
  const m = /^\s+của\s+/iu.exec(text);
  if (!m) return { text: "", length: 0 };
  const words = [...text.slice(m[0].length).matchAll(/\S+/gu)];
  const kept: string[] = [];
  let length = 0;
  for (const [i, w] of words.entries()) {
    const bare = w[0].replace(/[,;:.()"“”]+$/u, "");
    if (!bare || /^[(["“]/u.test(w[0]) || kept.length >= 12) break;
    const lower = nfc(bare).toLowerCase();
    const next = nfc(words[i + 1]?.[0] ?? "").toLowerCase().replace(/[,;:.()"“”]+$/u, "");
    // "Ban Thường vụ" is an issuer, "ban hành" is not; "Bộ Tài chính" is, "tại" is not.
    if (kept.length > 0 && (ISSUER_END.test(lower) || ISSUER_END_PAIR.test(`${lower} ${next}`))) break;
    kept.push(bare);
    length = m[0].length + w.index + bare.length;
    if (bare !== w[0]) break; // punctuation after the word ends the issuer
  }
  return kept.length ? { text: ` ${squash(m[0])} ${kept.join(" ")}`, length } : { text: "", length: 0 };
}

/** Character offsets inside parentheses ("(sau đây gọi tắt là Nghị quyết số 57-NQ/TW)"). */
function inParentheses(text: string): boolean[] {
  const out: boolean[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    out.push(depth > 0);
    if (text[i] === ")" && depth > 0) depth--;
  }
  return out;
}

export interface FoundReference {
  /** As written, whitespace squashed. */
  text: string;
  /** Offset of the reference in the text given, and its length there. */
  at: number;
  length: number;
  /** The same document whatever its spelling ("QUYẾT ĐỊNH SỐ 06/QĐ-TTG" = "Quyết định số 06/QĐ-TTg"). */
  key: string;
}

/**
 * The documents one sentence (or title) rests on. In each clause (";" or a full
 * stop ends one) the first reference counts; a later one counts when a list joins
 * it to a counted one (", ", " và ", ": ", after that one's description), not
 * when a verb or preposition leads to it ("thực hiện …", "của …", "tại …").
 */
export function referencesIn(text: string): FoundReference[] {
  const paren = inParentheses(text);
  const out: FoundReference[] = [];
  let clauseStart = 0;
  let prev: { end: number; counted: boolean } | undefined;
  const clauses = [...text.matchAll(/;|\.\s+(?=\p{Lu})/gu)].map((m) => m.index);
  for (const m of text.matchAll(REFERENCE)) {
    const at = m.index;
    if (paren[at]) continue;
    while (clauses.length && clauses[0]! < at) clauseStart = clauses.shift()! + 1;
    if (prev && prev.end <= clauseStart) prev = undefined;
    const core = m[0];
    const issuer = issuerAfter(text.slice(at + core.length));
    const end = at + core.length + issuer.length;
    let counted: boolean;
    if (!prev) counted = true;
    else {
      // The gap outside parentheses: only list separators → like the one before; a description ending
      // in a separator → a new item of the plan's list, unless it names a document of its own
      // ("… tại Luật sửa đổi … của Luật Quy hoạch, Luật Đầu tư và Luật Đấu thầu ngày …").
      const gap = text.slice(prev.end, at);
      const outside = [...gap].filter((_, k) => !paren[prev!.end + k]).join("");
      const bare = gap.replace(/[\s,:]|(?<!\p{L})và(?!\p{L})/giu, "");
      counted = bare === "" ? prev.counted : /(?:,|:|\svà)\s*$/iu.test(gap) && !MENTION.test(outside);
    }
    prev = { end, counted };
    if (!counted) continue;
    const kind = m[1] ?? m[3]!;
    const number = m[2] ?? m[4] ?? "";
    out.push({ text: squash(`${core}${issuer.text}`), at, length: end - at, key: `${fold(squash(kind))}|${fold(number).replace(/\s+/g, "")}|${number ? "" : fold(squash(core))}` });
  }
  return out;
}

/** Does this opening sentence say what the plan rests on? */
export const opensBasis = (text: string): boolean => /^(?:thực hiện|căn cứ|triển khai|thi hành)(?!\p{L})/iu.test(text);
