// Who signed: the signature block at the foot of a plan (or of the decision that
// issues it). Capacity lines, then the signer's name:
//   "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Mai Sơn"
//   "T/M BAN THƯỜNG VỤ" / "BÍ THƯ" / "Dương Ngọc Chiên"
// read from text lines and from the lines of table cells (the two-column foot
// where "Nơi nhận" sits beside the signature). Capacity lines a reader ran
// together ("T/M BAN THƯỜNG VỤ BÍ THƯ") are split at the office.
import { squash } from "../../text/vietnamese.js";
import { citation, type Block, type BlockSource } from "../document.js";
import type { Signer } from "../types.js";

/** "TM. …", "T/M …", "KT. …", "TL. …", "TUQ. …", "Q. …": signing for or on behalf of. */
const CAPACITY = /^(?:(?:T\/M|TM|KT)(?:\.\s*|\s+)|(?:TL|TUQ|Q)\.\s*)\S/u;
/** An office signed in, on a line of its own ("PHÓ CHỦ TỊCH", "BÍ THƯ", "PHÓ CHÁNH THANH TRA"). */
const OFFICE =
  "(?:PHÓ\\s+|Q\\.\\s*)?(?:CHỦ TỊCH|BÍ THƯ|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|CHÁNH THANH TRA|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|BỘ TRƯỞNG|THỨ TRƯỞNG|THỦ TƯỚNG|CHỦ NHIỆM|CỤC TRƯỞNG|TỔNG CỤC TRƯỞNG|VIỆN TRƯỞNG|HIỆU TRƯỞNG|TRƯỞNG PHÒNG|TỔNG THƯ KÝ|CHÁNH ÁN)";
const OFFICE_LINE = new RegExp(`^${OFFICE}$`, "u");
const OFFICE_AT_END = new RegExp(`^(.+?)\\s+(${OFFICE})$`, "u");
/** A person's name: two to six capitalised words ("Nguyễn Thị Hường", "Mai Sơn"). */
const NAME = /^\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,5}$/u;
/** What may stand between the capacity and the name: "(Đã ký)", "[ký]", "(ký, ghi rõ họ tên, đóng dấu)". */
const SIGNED = /^[([]?\s*(?:đã\s+)?ký(?!\p{L})/iu;

interface Line {
  text: string;
  source: BlockSource;
}

/** The text lines of the document and the lines of its table cells (trimmed), in order. */
function linesOf(blocks: Block[]): Line[] {
  const out: Line[] = [];
  for (const b of blocks) {
    if (b.type === "text") {
      if (!b.role) out.push({ text: b.text, source: b.source });
      continue;
    }
    for (const r of b.rows)
      for (const c of r.cells) {
        if (c.spanned || !c.text) continue;
        c.text.split("\n").forEach((t, k) => {
          const line = c.line !== undefined ? c.line + k : r.source.line;
          const text = t.trim();
          if (text) out.push({ text, source: { ...r.source, line, endLine: line } });
        });
      }
  }
  return out;
}

const upper = (s: string) => s === s.toUpperCase() && /\p{Lu}/u.test(s);
const isCapacity = (t: string) => (CAPACITY.test(t) || OFFICE_LINE.test(t)) && t.length <= 80 && !/[;]|\.$/.test(t) && upper(t);

/** "T/M BAN THƯỜNG VỤ BÍ THƯ" → ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]; "KT. CHỦ TỊCH" stays whole. */
function capacityLines(t: string): string[] {
  const m = CAPACITY.test(t) ? OFFICE_AT_END.exec(t) : null;
  if (m && CAPACITY.test(m[1]!)) return [...capacityLines(m[1]!), m[2]!];
  return [t];
}

/** Every signature block of the document, in order; a block that names nobody has name "". */
export function signers(blocks: Block[], file: string): Signer[] {
  const lines = linesOf(blocks);
  const out: Signer[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!isCapacity(lines[i]!.text)) continue;
    const roles: string[] = [];
    let j = i;
    for (; j < lines.length && isCapacity(lines[j]!.text); j++) roles.push(...capacityLines(squash(lines[j]!.text)));
    let end = lines[j - 1]!;
    let name = "";
    for (let k = j; k < Math.min(lines.length, j + 3); k++) {
      const t = squash(lines[k]!.text.replace(/^\*+|\*+$/g, ""));
      if (SIGNED.test(t)) continue;
      if (NAME.test(t) && t.length <= 40) {
        name = t;
        end = lines[k]!;
        j = k + 1;
      }
      break;
    }
    out.push({ role: roles.join(" / "), name, source: citation(file, lines[i]!.source, end.source) });
    i = j - 1;
  }
  return out;
}
