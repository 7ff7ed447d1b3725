// Tasks written as a paragraph or bullet followed by labelled lines:
//   Đa Mai:   "*Cơ quan chủ trì:* …" / "*Thời gian hoàn thành:* …"
//   Lai Châu: "+ Đơn vị chủ trì: …" / "+ Đơn vị phối hợp: …" / "+ Thời gian thực hiện: …"
// The text block right before the labels is the task; numbered lines that are
// not followed by labels are headings (or the parent of lettered sub-tasks).
import { fold, squash } from "../../text/vietnamese.js";
import type { AgencyDictionary } from "../agencies.js";
import { cleanMarkup } from "../markup.js";
import type { Plan, Section, Task } from "../types.js";
import { makeTask, type IdAllocator } from "./table-records.js";

type Label = "lead" | "coordinators" | "deadline";

const LABELS: [RegExp, Label][] = [
  [/^(?:co quan|don vi)\s+chu tri\s*:/, "lead"],
  [/^(?:co quan|don vi)\s+phoi hop\s*:/, "coordinators"],
  [/^thoi (?:gian|han)(?:\s+(?:hoan thanh|thuc hien))?\s*:/, "deadline"],
];

/** A label line → which label and its value; undefined for other lines. */
export function labelOf(line: string): { label: Label; value: string } | undefined {
  const plain = cleanMarkup(line.replace(/^\s*[+\-–•]\s*/, ""));
  const f = fold(plain);
  for (const [re, label] of LABELS) {
    const m = re.exec(f);
    if (m) return { label, value: squash(plain.slice(m[0].length)).replace(/\.$/, "") };
  }
  return undefined;
}

const NUMBERED = /^(\d+)\.\s+/; // "12. …" (after markup removal)
const LETTERED = /^([a-zđ])\)\s+/; // "a) …"
const ROMAN_HEADING = /^([IVX]+)\s*[-.–]\s+(.+)/; // "I- Công tác …", "II. …"
const DOTTED_HEADING = /^(\d+(?:\.\d+)+)\.?\s+(.+)/; // "2.1. Chỉ tiêu …"
const PAREN_HEADING = /^\((\d+)\)\s+(.+)/; // "(1) Về hạ tầng số:"

interface Block {
  text: string;
  line: number;
}

interface Pending {
  block: Block;
  ordinal: string;
  parent?: string;
  values: Record<Label, string[]>;
  endLine: number;
  blocks: number; // how many label blocks (a repeated "chủ trì" starts a second one)
}

export function labelledTasks(
  lines: string[],
  plan: Plan,
  dict: AgencyDictionary,
  ids: IdAllocator,
  warn: (line: number, message: string) => void,
): { tasks: Task[]; usedLines: Set<number> } {
  const tasks: Task[] = [];
  const usedLines = new Set<number>();
  let section: Section = { number: "", title: "" };
  let sub: { number: string; title: string } | undefined;
  let lastBlock: Block | undefined;
  let lastNumbered: { ordinal: string; text: string } | undefined;
  let pending: Pending | undefined;
  let unnumbered = 0;

  const flush = () => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    // "18đ" must not collide with "18d" once diacritics are folded: đ → "dd" in ids.
    const base = p.ordinal ? `${plan.code}-${p.ordinal.replace(/đ/g, "dd")}` : `${plan.code}-${++unnumbered}`;
    const { id, repeated } = ids.take(base);
    const flags = repeated ? ["repeated-ordinal"] : [];
    if (p.blocks > 1) {
      flags.push("several-label-blocks");
      warn(p.block.line, `task ${id} has ${p.blocks} blocks of "chủ trì / thời gian"; all kept in one record`);
    }
    const sec: Section = sub ? { number: `${section.number} (${sub.number})`.trim(), title: `${section.title} — ${sub.title}` } : section;
    const task = makeTask(
      {
        plan,
        section: sec,
        ordinal: p.ordinal,
        name: p.block.text,
        leadCell: p.values.lead.join("; "),
        coordinatorsCell: p.values.coordinators.join("; "),
        deadlineText: p.values.deadline.join("; "),
        basis: "",
        file: plan.file,
        line: p.block.line,
        endLine: p.endLine,
      },
      id,
      dict,
      flags,
    );
    if (p.parent) task.parent = p.parent;
    if (task.flags.includes("no-lead")) warn(p.block.line, `task ${id} has no lead agency`);
    tasks.push(task);
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (!raw.trim()) return;
    const lab = labelOf(raw);
    if (lab) {
      usedLines.add(lineNo);
      if (!pending) {
        if (!lastBlock) {
          warn(lineNo, `a "${lab.label}" label with no task text before it; kept out`);
          return;
        }
        const num = NUMBERED.exec(lastBlock.text);
        const let_ = LETTERED.exec(lastBlock.text);
        const ordinal = num ? num[1]! : let_ && lastNumbered ? `${lastNumbered.ordinal}${let_[1]}` : "";
        const name = lastBlock.text.replace(NUMBERED, "").replace(LETTERED, "").replace(/[;:]$/, "").trim();
        pending = {
          block: { text: name, line: lastBlock.line },
          ordinal,
          parent: let_ && lastNumbered ? lastNumbered.text : undefined,
          values: { lead: [], coordinators: [], deadline: [] },
          endLine: lineNo,
          blocks: 1,
        };
        usedLines.add(lastBlock.line);
      } else if (lab.label === "lead" && pending.values.lead.length > 0) {
        pending.blocks++;
      }
      pending.values[lab.label].push(lab.value);
      pending.endLine = lineNo;
      return;
    }
    const text = squash(cleanMarkup(raw.replace(/^\s*[-–•]\s+/, "")));
    if (!text) return;
    // Any other line ends the task being filled.
    if (pending && lineNo > pending.endLine) flush();
    let m: RegExpExecArray | null;
    if ((m = ROMAN_HEADING.exec(text)) && text.length < 400 && /^\s*(\*\*|#)/.test(raw)) {
      section = { number: m[1]!, title: m[2]!.replace(/[:.]$/, "") };
      sub = undefined;
    } else if ((m = DOTTED_HEADING.exec(text)) && text.length < 200) {
      section = { number: m[1]!, title: m[2]!.replace(/[:.]$/, "") };
      sub = undefined;
    } else if ((m = PAREN_HEADING.exec(text)) && text.length < 200) {
      sub = { number: m[1]!, title: m[2]!.replace(/[:.]$/, "") };
    }
    const num = NUMBERED.exec(text);
    if (num) lastNumbered = { ordinal: num[1]!, text: text.replace(NUMBERED, "").replace(/[;:]$/, "") };
    lastBlock = { text, line: lineNo };
  });
  flush();
  return { tasks, usedLines };
}
