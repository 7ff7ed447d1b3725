// The shape of a plan as a reader sees it: its title, the documents it rests on,
// its parts and what is numbered inside them, its appendices with the section
// rows of their tables, and who signed it.
// - Headings are the paragraphs the shared paragraph step calls headings
//   (paragraphs.ts), nested by their numbers ("II." > "2." > "2.3." > "(1)" >
//   "a)"), never by the format's heading levels (one file marks "2." with ## and
//   its sibling "4." with ####).
// - The body runs from the first numbered heading after the title to "Nơi
//   nhận", "Trên đây là …" or the signature; a plan issued by a decision starts
//   again at its own "I.". An appendix ("PHỤ LỤC II", "Phụ lục số 01") is a
//   heading of level 1 with the title lines under it.
// - A table's section rows ("III | Xây dựng cơ sở dữ liệu …") are headings under
//   whatever heading encloses the table.
// - Not headings: a paragraph that is a task (labelled tasks), and a numbered line
//   that only looks like one (a page foot cut its sentence, a task's text has no
//   full stop) when most of its numbered siblings are sentences or tasks ("1.3.
//   Thành lập Hội đồng … đổi mới sáng" among "1.1." … "1.5." that end with one).
import { fold, squash } from "../../text/vietnamese.js";
import { citation, type Block, type BlockSource, type PlanDocument } from "../document.js";
import { ISSUER_HEAD, titleBlock } from "../facts.js";
import type { BasisRef, OutlineHeading, PlanOutline } from "../types.js";
import { opensBasis, referencesIn } from "./basis.js";
import { END_OF_BODY, headingRank, headingTitle, isHeading, isNumbered, toParagraphs, type Paragraph } from "./paragraphs.js";
import { signers } from "./signature.js";
import type { ParsedTable, TableSection } from "./tables.js";

/** The source of the block holding character `offset` of text made of these blocks joined by spaces. */
function blockAt(blocks: Block[], indexes: number[], offset: number): BlockSource | undefined {
  let pos = 0;
  let last: BlockSource | undefined;
  for (const i of indexes) {
    const b = blocks[i];
    if (b?.type !== "text" || !b.text || b.role === "page-number") continue;
    last = b.source;
    if (offset < pos + b.text.length + 1) return b.source;
    pos += b.text.length + 1;
  }
  return last;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** "PHỤ LỤC II", "Phụ lục số 01: DANH MỤC …", "PHỤ LỤC" → its number and the title on the same line. */
function appendixOf(p: Paragraph): { number: string; rest: string } | undefined {
  if (!/^phụ\s*lục/iu.test(p.text)) return undefined;
  const text = squash(p.text);
  // Folding keeps the length of NFC text, so the groups' places are the text's.
  const m = /^phu luc(?:\s+(?:so\s*)?([ivxlc]+|\d+|[a-z])(?![a-z\d]))?\s*(?:[:.\-–]\s*)?(.*)$/d.exec(fold(text));
  if (!m || text.length > 200) return undefined;
  const rest = text.slice(text.length - m[2]!.length);
  const upper = (s: string) => s === s.toUpperCase();
  // A title, not a sentence that mentions an appendix ("Phụ lục kèm theo Kế hoạch này gồm …").
  if (rest && (!upper(rest) || rest.startsWith("("))) return undefined;
  if (!(p.bold || p.level > 0 || upper(text))) return undefined;
  const at = m.indices?.[1];
  const number = at ? text.slice(at[0], at[1]) : "";
  return { number: /^[ivxlc]+$/i.test(number) || /^[a-z]$/i.test(number) ? number.toUpperCase() : number, rest };
}

/** The title lines under an appendix line: bold, marked as headings or in capitals, until "(Kèm theo …)", a table or a numbered line. */
function appendixTitle(paragraphs: Paragraph[], from: number): number[] {
  const out: number[] = [];
  for (let i = from; i < paragraphs.length && out.length < 4; i++) {
    const p = paragraphs[i]!;
    const prev = out.length ? paragraphs[out[out.length - 1]!]! : paragraphs[from - 1]!;
    if (p.block > prev.lastBlock + 2 || p.text.startsWith("(") || p.marker !== "plain" || appendixOf(p)) break;
    if (!(p.bold || p.level > 0 || p.text === p.text.toUpperCase())) break;
    out.push(i);
  }
  return out;
}

type Event = { kind: "paragraph"; index: number; line: number } | { kind: "section"; table: number; section: TableSection; line: number };

export interface OutlineInput {
  doc: PlanDocument;
  plan: string;
  tables: ParsedTable[];
  /** Blocks read as tasks (labelled paragraphs): their paragraphs are records, not headings. */
  taskBlocks?: ReadonlySet<number>;
}

const NUMBER_LINE = /^\s*(?:\[[^\]]*\]\s*)?Số\s*:?\s*(?:\d+[\d.]*\s*)?[-/]/u;
const DATE_WRITTEN = /(?:[\p{L} .]+,\s*)?ngày\s+(?:\d{1,2}\s+)?tháng\s+(?:\d{1,2}\s+)?năm\s+\d{4}/iu;
const ISSUES = /\bban hanh (?:ke hoach|chuong trinh|quyet dinh|kem theo)\b/;

type Issued = Pick<PlanOutline, "numberSource" | "dateText" | "dateSource" | "issuerSource">;

/**
 * Where the header says the plan's number, its place and date, and who issues it, before the first
 * heading and outside the title: "Số 32-KH/TU" (or "Số: /KH-UBND", left blank), "Lai Châu, ngày 09
 * tháng 01 năm 2026", the organ's line of the header or "… ban hành Kế hoạch …". Header tables are
 * read cell by cell.
 */
function issuedLines(blocks: Block[], file: string, before: number, skip: ReadonlySet<number>): Issued {
  const pieces: { text: string; source: BlockSource }[] = [];
  for (const [i, b] of blocks.entries()) {
    if (b.source.line >= before) break;
    if (skip.has(i)) continue;
    if (b.type === "text") {
      if (b.text) pieces.push({ text: squash(b.text), source: b.source });
    } else if (b.rows.length <= 4) {
      for (const r of b.rows) for (const c of r.cells) if (squash(c.text)) pieces.push({ text: squash(c.text), source: c.line ? { ...r.source, line: c.line, endLine: c.line + c.text.trim().split("\n").length - 1 } : r.source });
    }
  }
  const out: Issued = {};
  for (const p of pieces) {
    if (!out.numberSource && NUMBER_LINE.test(p.text)) out.numberSource = citation(file, p.source);
    const d = !out.dateText && p.text.length < 90 ? DATE_WRITTEN.exec(p.text) : null;
    if (d) {
      out.dateText = squash(d[0]);
      out.dateSource = citation(file, p.source);
    }
  }
  const said = pieces.find((p) => ISSUES.test(fold(p.text)));
  const organ = pieces.find((p) => p.text === p.text.toUpperCase() && ISSUER_HEAD.test(fold(p.text)));
  const by = said ?? organ;
  if (by) out.issuerSource = citation(file, by.source);
  return out;
}

export function planOutline({ doc, plan, tables, taskBlocks = new Set() }: OutlineInput): PlanOutline {
  const file = doc.file;
  const blocks = doc.blocks;
  const title = titleBlock(blocks);
  const titleBlocks = title ? [title.head, ...title.parts] : [];
  // The title is read apart: the sentence after it ("Thực hiện …") starts a paragraph of its own.
  const paragraphs = toParagraphs(blocks, { headingLines: true }, new Set(titleBlocks));
  const isTask = (p: Paragraph) => range(p.block, p.lastBlock).some((b) => taskBlocks.has(b));
  // Heading levels that mark most of the running text (a PDF whose body font the reader took for a
  // heading's) say nothing: there, only bold and the numbering tell a heading.
  const plain = paragraphs.filter((p) => p.marker === "plain" && !p.bold);
  const levelsTell = plain.filter((p) => p.level > 0).length * 2 <= plain.length;
  const explicit = (p: Paragraph) => p.bold || (levelsTell && p.level > 0);
  const headingLike = (p: Paragraph) => (levelsTell ? p.heading : isHeading(p, explicit(p)));

  const appendices = paragraphs.map(appendixOf);
  // Where the body ends ("Nơi nhận", "Trên đây là …", the signature); a sentence that starts with
  // "Phụ lục …" is not the end (an appendix is a heading, read apart).
  const ends = paragraphs.map((p) => {
    const f = fold(p.text.slice(0, 16));
    return END_OF_BODY.test(f) && !f.startsWith("phu luc");
  });
  const events: Event[] = paragraphs.map((p, index) => ({ kind: "paragraph" as const, index, line: p.line }));
  tables.forEach((t, table) => {
    for (const item of t.items) if (item.type === "section") events.push({ kind: "section", table, section: item.section, line: item.section.line });
  });
  events.sort((a, b) => a.line - b.line);

  /**
   * One walk over the document; `demoted` paragraphs are not headings. Besides the headings, every
   * numbered paragraph of the body and the appendices gets the key of its group of siblings (same
   * parent, same kind of number) and whether it is a heading.
   */
  const walk = (demoted: ReadonlySet<number>) => {
    const headings: OutlineHeading[] = [];
    const siblings = new Map<number, { key: string; heading: boolean }>();
    let stack: { rank: number; index: number }[] = [];
    let mode: "before" | "body" | "ended" | "appendix" = "before";
    let appendix = "";
    let firstHeading = Infinity;
    const skip = new Set<number>();
    let table: { index: number; kind: string; parent: number; outer: number } | undefined;
    const top = (rank: number) => {
      const open = stack.filter((s) => s.rank < rank);
      return open.length ? open[open.length - 1]!.index : -1;
    };
    const push = (h: Omit<OutlineHeading, "level">): number => {
      const level = h.parent < 0 ? 1 : headings[h.parent]!.level + 1;
      headings.push({ level, ...h });
      return headings.length - 1;
    };
    for (const e of events) {
      if (e.kind === "section") {
        // Section rows nest under the heading around the table; a table's second kind of row ("A" groups
        // inside "I" sections) under the last row of its first kind.
        const s = e.section;
        const same = table?.index === e.table ? table : undefined;
        // "I" is a Roman one, unless the table counts its groups with letters (A … H, I, K).
        const letters = same ? same.kind === "letter" : !/^[IVXL]+$/.test(s.written);
        const kind = !s.written ? "title" : /^[A-Z]$/.test(s.written) && letters ? "letter" : /^[IVXL]+$/.test(s.written) ? "roman" : "letter";
        if (!same) table = { index: e.table, kind, parent: top(Infinity), outer: -1 };
        if (!table) continue;
        const parent = kind === table.kind || table.outer < 0 ? table.parent : table.outer;
        const at = push({ number: s.written, title: squash(s.title), appendix: mode === "appendix" ? appendix : "", parent, source: citation(file, s) });
        if (kind === table.kind) table.outer = at;
        continue;
      }
      const p = paragraphs[e.index]!;
      if (skip.has(e.index) || (title && p.block < title.head)) continue;
      const app = appendices[e.index];
      if (app) {
        const lines = appendixTitle(paragraphs, e.index + 1);
        for (const i of lines) skip.add(i);
        appendix = `Phụ lục${app.number ? ` ${app.number}` : ""}`;
        const last = lines.length ? paragraphs[lines[lines.length - 1]!]! : p;
        const at = push({
          number: app.number,
          title: squash([app.rest, ...lines.map((i) => paragraphs[i]!.text)].filter(Boolean).join(" ")),
          appendix,
          parent: -1,
          source: citation(file, p, last),
        });
        stack = [{ rank: 0, index: at }];
        mode = "appendix";
        table = undefined;
        continue;
      }
      if (mode === "body" && ends[e.index]) {
        mode = "ended";
        continue;
      }
      if (!isNumbered(p.marker)) continue;
      const rank = headingRank(p);
      const heading = headingLike(p) && !demoted.has(e.index) && !isTask(p);
      if (!heading) {
        if (mode === "body" || mode === "appendix") siblings.set(e.index, { key: `${top(rank)}|${p.marker}|${rank}`, heading: false });
        continue;
      }
      if (mode === "ended") {
        if (p.marker !== "roman" || p.number !== "I") continue;
        stack = [];
      }
      if (mode === "before" || mode === "ended") mode = "body";
      firstHeading = Math.min(firstHeading, e.index);
      while (stack.length && stack[stack.length - 1]!.rank >= rank) stack.pop();
      const parent = top(rank);
      siblings.set(e.index, { key: `${parent}|${p.marker}|${rank}`, heading: true });
      const at = push({ number: p.number, title: squash(headingTitle(p.text)), appendix: mode === "appendix" ? appendix : "", parent, source: citation(file, p) });
      stack.push({ rank, index: at });
      table = undefined;
    }
    return { headings, siblings, firstHeading };
  };

  // Where numbered sentences are most of a group of siblings, the few "headings" among them are
  // sentences a page foot cut (bold or marked headings are kept: the format says so).
  const first = walk(new Set());
  const groups = new Map<string, { headings: number[]; sentences: number }>();
  for (const [index, { key, heading }] of first.siblings) {
    const g = groups.get(key) ?? { headings: [], sentences: 0 };
    if (heading) g.headings.push(index);
    else g.sentences++;
    groups.set(key, g);
  }
  const demoted = new Set<number>();
  for (const g of groups.values()) {
    if (g.sentences <= g.headings.length) continue;
    for (const i of g.headings) if (!explicit(paragraphs[i]!)) demoted.add(i);
  }
  const { headings, firstHeading } = demoted.size ? walk(demoted) : first;

  // The title, and what the title and the opening sentences say the plan rests on.
  const titleText = titleBlocks.map((i) => (blocks[i]!.type === "text" ? blocks[i]!.text : "")).join(" ");
  const basisFrom: { text: string; blocks: number[]; line: number }[] = [];
  if (title) basisFrom.push({ text: titleText, blocks: titleBlocks, line: blocks[title.head]!.source.line });
  for (const [i, p] of paragraphs.entries()) {
    if (i >= firstHeading) break;
    if (!opensBasis(p.text)) continue;
    basisFrom.push({ text: p.text, blocks: range(p.block, p.lastBlock), line: p.line });
  }
  basisFrom.sort((a, b) => a.line - b.line);
  const basis: BasisRef[] = [];
  const seen = new Set<string>();
  for (const from of basisFrom) {
    for (const r of referencesIn(from.text)) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      const at = blockAt(blocks, from.blocks, r.at);
      const end = blockAt(blocks, from.blocks, r.at + r.length - 1);
      if (at) basis.push({ text: r.text, source: citation(file, at, end ?? at) });
    }
  }

  const lastTitle = title ? blocks[titleBlocks[titleBlocks.length - 1]!]!.source : undefined;
  return {
    plan,
    title: squash(titleText),
    titleSource: title ? citation(file, blocks[title.head]!.source, lastTitle) : null,
    ...issuedLines(blocks, file, headings[0]?.source.line ?? Infinity, new Set(titleBlocks)),
    basis,
    headings,
    signers: signers(blocks, file),
  };
}

/**
 * Where a line of the running text sits: the innermost heading at or above it and the titles of it
 * and its parents, outermost first (a passage's `path`). A table's section rows are left out: no
 * running text sits inside a table.
 */
export function placeOf(outline: PlanOutline, line: number, tableRows: ReadonlySet<number>): { heading?: OutlineHeading; path: string[] } {
  let at = -1;
  outline.headings.forEach((h, i) => {
    if (h.source.line <= line && !tableRows.has(i)) at = i;
  });
  const path: string[] = [];
  for (let i = at; i >= 0; i = outline.headings[i]!.parent) path.unshift(outline.headings[i]!.title);
  return at < 0 ? { path } : { heading: outline.headings[at]!, path };
}
