// Tasks written as labelled paragraphs, in any of their usual shapes:
//   "12. Task text" then "*Cơ quan chủ trì:* …" / "*Thời gian hoàn thành:* …"
//   "- Task text" then "+ Đơn vị chủ trì: …" / "+ Đơn vị phối hợp: …" / "+ Thời gian thực hiện: …"
//   "1. …" then "a) Nhiệm vụ: …" / "b) Cơ quan thực hiện: - Đơn vị chủ trì: … - Đơn vị phối hợp: …" / "c) Thời gian thực hiện: …"
// Label synonyms: (Cơ quan|Đơn vị) chủ trì, Chủ trì, (Cơ quan|Đơn vị) thực hiện,
// phối hợp, Thời gian (thực hiện|hoàn thành), Thời hạn, Tiến độ, Kết quả / Sản
// phẩm, Nhiệm vụ / Nội dung. A value may run over hard line breaks (the
// paragraph step has joined them). The paragraph right before the labels is
// the task unless a "Nhiệm vụ:" label names it; a numbered paragraph without
// labels is a heading, or the parent of lettered sub-tasks ("18a").
import { fold, squash } from "../../text/vietnamese.js";
import type { AgencyDictionary } from "../agencies.js";
import type { Plan, Section, Task } from "../types.js";
import { headingTitle, markerOf, type Paragraph } from "./paragraphs.js";
import { makeTask, type IdAllocator } from "./table-records.js";

export type Label = "name" | "lead" | "coordinators" | "deadline" | "result";

const LABEL_WORDS: [string, Label][] = [
  ["(?:co quan|don vi)(?:,? (?:co quan|don vi))? chu tri(?: thuc hien)?", "lead"],
  ["(?:co quan|don vi)(?:,? (?:co quan|don vi))? phoi hop(?: thuc hien)?", "coordinators"],
  ["(?:co quan|don vi)(?:,? (?:co quan|don vi))? (?:thuc hien|phu trach|dau moi)", "lead"],
  ["chu tri(?: thuc hien)?", "lead"],
  ["phoi hop(?: thuc hien)?", "coordinators"],
  ["trach nhiem thuc hien", "lead"],
  ["thoi (?:gian|han)(?: (?:du kien )?(?:hoan thanh|thuc hien|trien khai))?", "deadline"],
  ["tien do(?: (?:thuc hien|hoan thanh))?", "deadline"],
  ["(?:ket qua|san pham)(?: (?:du kien|dau ra|can dat))?", "result"],
  ["(?:ten )?nhiem vu(?: cu the)?", "name"],
  ["noi dung(?: (?:thuc hien|nhiem vu|cong viec))?", "name"],
];

const LABEL_RE = new RegExp(`(?:${LABEL_WORDS.map(([w]) => `(${w})`).join("|")})\\s*:`, "y");
/** Where a label may start: the paragraph's start or after a bullet, "a)", ";" or ". " inside it. */
const LABEL_START = /(?:^|[;.]\s+|\s[-–+•]\s+|\s[a-zđ]\)\s+)(?=\S)/g;
const PREFIX = /^(?:[-–+•*]\s*|[a-zđ]\)\s+)?/;

export interface LabelValue {
  label: Label;
  value: string;
}

function matchLabelAt(f: string, at: number): { label: Label; end: number } | undefined {
  LABEL_RE.lastIndex = at;
  const m = LABEL_RE.exec(f);
  if (!m) return undefined;
  const group = m.slice(1).findIndex((g) => g !== undefined);
  return { label: LABEL_WORDS[group]![1], end: m.index + m[0].length };
}

/**
 * A paragraph that starts with a label → its labels and values (several when
 * one line holds them: "Chủ trì: Sở X; Phối hợp: Sở Y"); undefined otherwise.
 */
export function labelsOf(text: string): LabelValue[] | undefined {
  const prefix = PREFIX.exec(text)?.[0].length ?? 0;
  const f = fold(text);
  const first = matchLabelAt(f, prefix);
  if (!first) return undefined;
  const starts: { at: number; label: Label; end: number }[] = [{ at: 0, ...first }];
  LABEL_START.lastIndex = first.end;
  for (let m = LABEL_START.exec(f); m; m = LABEL_START.exec(f)) {
    const at = m.index + m[0].length;
    const hit = matchLabelAt(f, at);
    if (hit) {
      starts.push({ at: m.index, label: hit.label, end: hit.end });
      LABEL_START.lastIndex = hit.end;
    }
  }
  return starts.map((s, i) => {
    const next = starts[i + 1];
    const value = squash(text.slice(s.end, next ? next.at : text.length))
      .replace(/^[-–+•]\s*/, "")
      .replace(/[;,:]$/, "")
      .trim();
    // A name keeps its full stop; an agency or a deadline does not.
    return { label: s.label, value: s.label === "name" ? value : value.replace(/\.$/, "") };
  });
}

/** For the paragraph step: a label starts its own paragraph. */
export const startsWithLabel = (text: string): boolean => labelsOf(text) !== undefined;

/** A label line → its first label and value (kept for callers that read one line). */
export function labelOf(line: string): LabelValue | undefined {
  return labelsOf(squash(line.replace(/\*/g, "")))?.[0];
}

const NUMBERED = /^(\d+)\.\s+/; // "12. …"
const LETTERED = /^([a-zđ])\)\s+/; // "a) …"

interface Pending {
  name: string;
  line: number;
  ordinal: string;
  parent?: string;
  values: Record<Label, string[]>;
  endLine: number;
  page?: number;
  blocks: number; // how many label blocks (a repeated "chủ trì" starts a second one)
  used: number[];
}

export function labelledTasks(
  paragraphs: Paragraph[],
  plan: Plan,
  dict: AgencyDictionary,
  ids: IdAllocator,
  warn: (line: number, message: string) => void,
): { tasks: Task[]; used: Set<number> } {
  const tasks: Task[] = [];
  const used = new Set<number>();
  let section: Section = { number: "", title: "" };
  let sub: { number: string; title: string } | undefined;
  let lastBlock: { text: string; line: number; index: number; page?: number } | undefined;
  let lastNumbered: { ordinal: string; text: string; index: number } | undefined;
  let pending: Pending | undefined;
  let unnumbered = 0;

  const flush = () => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    // Only a name with nothing else is not a task ("Nhiệm vụ: Theo Phụ lục …").
    if (!p.values.lead.length && !p.values.coordinators.length && !p.values.deadline.length) return;
    for (const i of p.used) used.add(i);
    // "18đ" must not collide with "18d" once diacritics are folded: đ → "dd" in ids.
    const base = p.ordinal ? `${plan.code}-${p.ordinal.replace(/đ/g, "dd")}` : `${plan.code}-${++unnumbered}`;
    const { id, repeated } = ids.take(base);
    const flags = repeated ? ["repeated-ordinal"] : [];
    if (p.blocks > 1) {
      flags.push("several-label-blocks");
      warn(p.line, `task ${id} has ${p.blocks} blocks of "chủ trì / thời gian"; all kept in one record`);
    }
    const sec: Section = sub ? { number: `${section.number} (${sub.number})`.trim(), title: `${section.title} — ${sub.title}` } : section;
    const task = makeTask(
      {
        plan,
        section: sec,
        ordinal: p.ordinal,
        name: p.name,
        leadCell: p.values.lead.join("; "),
        coordinatorsCell: p.values.coordinators.join("; "),
        deadlineText: p.values.deadline.join("; "),
        basis: "",
        file: plan.file,
        line: p.line,
        endLine: p.endLine,
        ...(p.values.result.length ? { result: p.values.result.join("; ") } : {}),
        ...(p.page !== undefined ? { page: p.page } : {}),
      },
      id,
      dict,
      flags,
    );
    if (p.parent) task.parent = p.parent;
    if (task.flags.includes("no-lead")) warn(p.line, `task ${id} has no lead agency`);
    if (task.deadline.kind === "unknown") warn(p.line, `task ${id}: deadline "${task.deadline.raw}" not understood`);
    tasks.push(task);
  };

  paragraphs.forEach((para, index) => {
    const labs = labelsOf(para.text);
    if (labs) {
      const named = labs[0]!.label === "name";
      if (named && pending) flush();
      if (!pending) {
        if (named) {
          // "a) Nhiệm vụ: …": the task names itself; its number is the numbered paragraph right above.
          const num = lastNumbered && lastNumbered.index === index - 1 ? lastNumbered : undefined;
          pending = { name: labs[0]!.value, line: para.line, ordinal: num?.ordinal ?? "", values: emptyValues(), endLine: para.endLine, blocks: 1, used: [index] };
          if (num) pending.used.push(num.index);
          labs.shift();
        } else {
          if (!lastBlock) {
            warn(para.line, `a "${labs[0]!.label}" label with no task text before it; kept out`);
            return;
          }
          const num = NUMBERED.exec(lastBlock.text);
          const let_ = LETTERED.exec(lastBlock.text);
          const ordinal = num ? num[1]! : let_ && lastNumbered ? `${lastNumbered.ordinal}${let_[1]}` : "";
          const name = lastBlock.text.replace(NUMBERED, "").replace(LETTERED, "").replace(/[;:]$/, "").trim();
          pending = { name, line: lastBlock.line, ordinal, values: emptyValues(), endLine: para.endLine, blocks: 1, used: [lastBlock.index, index] };
          if (let_ && lastNumbered) pending.parent = lastNumbered.text;
        }
        if (para.page !== undefined) pending.page = para.page;
      } else pending.used.push(index);
      for (const lab of labs) {
        if (!lab.value) continue; // "b) Cơ quan thực hiện:" with its sub-labels below
        if (lab.label === "name") continue;
        if (lab.label === "lead" && pending.values.lead.length > 0) pending.blocks++;
        pending.values[lab.label].push(lab.value);
      }
      pending.endLine = para.endLine;
      return;
    }
    const text = para.text.replace(/^[-–•]\s+/, "");
    // Any other paragraph ends the task being filled.
    if (pending) flush();
    // Sections: "I- Công tác …" (bold or a heading), "2.1. Chỉ tiêu …"; sub-sections "(1) Về hạ tầng số:".
    const { marker, number } = markerOf(text);
    if (marker === "roman" && text.length < 400 && (para.bold || para.level > 0)) {
      section = { number, title: headingTitle(text) };
      sub = undefined;
    } else if (marker === "dotted" && text.length < 200) {
      section = { number, title: headingTitle(text) };
      sub = undefined;
    } else if (marker === "paren" && text.length < 200) {
      sub = { number, title: headingTitle(text) };
    }
    const num = NUMBERED.exec(text);
    if (num) lastNumbered = { ordinal: num[1]!, text: text.replace(NUMBERED, "").replace(/[;:]$/, ""), index };
    lastBlock = { text, line: para.line, index, ...(para.page !== undefined ? { page: para.page } : {}) };
  });
  flush();
  return { tasks, used };
}

function emptyValues(): Record<Label, string[]> {
  return { name: [], lead: [], coordinators: [], deadline: [], result: [] };
}
