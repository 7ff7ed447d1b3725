// .md and .txt → PlanDocument. One text block per source line (the shared
// paragraph step rejoins them), except that an emphasis span left open at the
// end of a line (legal-portal markdown: "**I. MỤC" / "ĐÍCH, YÊU CẦU**") is one
// block. Tables in three layouts:
// - pipe tables ("| TT | Nhiệm vụ | … |"), separator rows skipped;
// - tab-separated lines with three cells or more (Word text export);
// - "one cell per line" (legal-portal exports): a line holding only "|" between
//   cells, a cell's text on the lines between, "| |" (an empty cell) where a row
//   ends. Cells merged in the source are left out, so a row may be short; the
//   table extractor aligns it.
import { squash } from "../../text/vietnamese.js";
import type { Block, DocFormat, PlanDocument, TableBlock, TableCell, TableRowBlock, TextBlock } from "../document.js";
import { cleanMarkup } from "../markup.js";

/** Split into lines, NFC-normalised (some exports carry decomposed Vietnamese), without CR. */
export function planLines(text: string): string[] {
  return text.replace(/^\uFEFF/, "").normalize("NFC").split("\n").map((l) => l.replace(/\r$/, ""));
}

const SEPARATOR = /^\|?\s*:?-{2,}/;
const WHOLE_BOLD = /^(#{1,6}\s+)?\*\*[^*]+\*\*:?$/;
const WHOLE_BOLD_HTML = /^<(b|strong)>[^<]+<\/\1>:?$/i;

function pipeCells(line: string): string[] | undefined {
  const t = line.trim();
  if (t.startsWith("|") && t !== "|") return t.replace(/^\|/, "").replace(/\|$/, "").split("|");
  if (line.includes("\t")) {
    const cells = line.split("\t");
    if (cells.length >= 3) return cells;
  }
  return undefined;
}

function cellOf(raw: string): TableCell {
  const t = raw.trim();
  const bold = /^\*\*[\s\S]+\*\*$/.test(t) || /^<(b|strong)>[\s\S]*<\/\1>$/i.test(t);
  return { text: cleanMarkup(raw, "\n"), bold };
}

/** Unbalanced emphasis: an odd count of "**", or of single "*" (a bullet "* " at a line start aside). */
function unbalanced(text: string): boolean {
  const t = text.replace(/^\s*\*(?:\s+|$)/gm, "");
  if ((t.match(/\*\*/g) ?? []).length % 2 === 1) return true;
  return (t.replace(/\*\*/g, "").match(/\*/g) ?? []).length % 2 === 1;
}

/** Median length of non-empty lines below this → the file was hard-wrapped (text from PDF, legal portals). */
const HARD_WRAP_MEDIAN = 110;

export function isHardWrapped(lines: string[]): boolean {
  const lengths = lines.map((l) => l.trim().length).filter((n) => n > 0).sort((a, b) => a - b);
  return lengths.length > 0 && lengths[Math.floor(lengths.length / 2)]! < HARD_WRAP_MEDIAN;
}

function textBlock(raw: string, line: number, endLine: number, wrapped: boolean, md: boolean): TextBlock | undefined {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  const headingMatch = /^(#{1,6})\s/.exec(trimmed);
  const heading = headingMatch ? headingMatch[1]!.length : 0;
  const flat = trimmed.replace(/\s*\n\s*/g, " ");
  const bold = WHOLE_BOLD.test(flat) || WHOLE_BOLD_HTML.test(flat);
  // "* item" / "*   item" is a markdown bullet; the visible marker is "•".
  const bulleted = md ? trimmed.replace(/^(#{1,6}\s+)?\*\s+(?=\S)/, "$1• ") : trimmed;
  const text = squash(cleanMarkup(bulleted.replace(/^#{1,6}\s+/, "")));
  if (!text) return undefined;
  const block: TextBlock = { type: "text", text, bold, heading, wrapped, source: { line, endLine } };
  if (/^(?:<sup>\s*\d+\s*<\/sup>|\[\^\d+\]:)/.test(trimmed)) block.role = "footnote";
  else if (/^[-–—_*]{3,}$/.test(trimmed)) block.role = "rule";
  else if (/^\d{1,3}$/.test(trimmed)) block.role = "page-number";
  return block;
}

/**
 * The one-cell-per-line layout from line index `start` (a line holding only "|").
 * Returns the table and the index of the first line after it.
 */
function oneCellTable(lines: string[], start: number): { table: TableBlock; next: number } {
  interface Cell {
    lines: string[];
    from: number;
    to: number;
  }
  const cells: Cell[] = [];
  let i = start;
  let cur: Cell | undefined;
  let lastBar = start;
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === "|") {
      if (cur) cells.push(cur);
      else if (i > start) cells.push({ lines: [], from: i + 1, to: i + 1 });
      cur = undefined;
      lastBar = i;
      continue;
    }
    if (t === "") break; // a blank line ends the layout
    if (!cur) cur = { lines: [], from: i + 1, to: i + 1 };
    cur.lines.push(lines[i]!);
    cur.to = i + 1;
  }
  // Text after the last "|" (no closing bar) is not part of the table.
  const next = lastBar + 1;
  // Rows: runs of non-empty cells, ended by an empty cell (the "| |" between rows).
  const runs: { cells: Cell[]; empties: number }[] = [];
  let run: Cell[] = [];
  for (const c of cells) {
    const empty = !c.lines.some((l) => l.trim());
    if (!empty) {
        run.push(c);
      continue;
    }
    if (run.length) {
      runs.push({ cells: run, empties: 1 });
      run = [];
    } else if (runs.length) runs[runs.length - 1]!.empties++;
  }
  if (run.length) runs.push({ cells: run, empties: 1 });
  const width = runs[0]?.cells.length ?? 0;
  const rows: TableRowBlock[] = [];
  let carry = 0; // empty cells that open the next row
  for (const r of runs) {
    const lead: TableCell[] = Array.from({ length: carry }, () => ({ text: "", bold: false }));
    const body = r.cells.map((c) => ({ ...cellOf(c.lines.join("\n")), line: c.from }));
    const row = [...lead, ...body];
    // The empties after a run: real empty cells up to the header's width, then the row boundary.
    const room = Math.max(0, width - row.length);
    const trailing = Math.min(room, r.empties - 1);
    for (let k = 0; k < trailing; k++) row.push({ text: "", bold: false });
    carry = Math.max(0, r.empties - 1 - trailing);
    rows.push({ cells: row, source: { line: r.cells[0]!.from, endLine: r.cells[r.cells.length - 1]!.to } });
  }
  const first = rows[0]?.source.line ?? start + 1;
  const last = rows[rows.length - 1]?.source.endLine ?? next;
  return { table: { type: "table", layout: "one-cell-per-line", rows, source: { line: first, endLine: last } }, next };
}

/** Does the "|" line at `i` start a one-cell-per-line table? (Cells follow on their own lines.) */
function startsOneCell(lines: string[], i: number): boolean {
  if (lines[i]!.trim() !== "|") return false;
  let bars = 0;
  for (let k = i; k < Math.min(lines.length, i + 40); k++) {
    const t = lines[k]!.trim();
    if (t === "") break;
    if (t === "|") bars++;
  }
  return bars >= 2;
}

export function readText(file: string, text: string, format: Extract<DocFormat, "md" | "txt">): PlanDocument {
  const lines = planLines(text);
  const hard = isHardWrapped(lines);
  const blocks: Block[] = [];
  let table: TableBlock | undefined;
  let tabOnly = true;
  const closeTable = () => {
    if (table && table.rows.length) {
      // Tab-separated lines with at most one filled cell each are text laid out with tabs, not a table.
      if (tabOnly && table.rows.every((r) => r.cells.filter((c) => c.text.trim()).length <= 1)) {
        for (const r of table.rows) {
          const t = r.cells.map((c) => c.text).join(" ");
          const b = textBlock(t, r.source.line, r.source.endLine, hard, format === "md");
          if (b) blocks.push(b);
        }
      } else blocks.push({ ...table, layout: tabOnly ? "tab" : "pipe" });
    }
    table = undefined;
    tabOnly = true;
  };
  for (let i = 0; i < lines.length; ) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (startsOneCell(lines, i)) {
      closeTable();
      const { table: t, next } = oneCellTable(lines, i);
      if (t.rows.length) blocks.push(t);
      i = next;
      continue;
    }
    const cells = pipeCells(raw);
    if (cells) {
      if (SEPARATOR.test(raw.trim())) {
        i++;
        continue;
      }
      table ??= { type: "table", rows: [], source: { line: lineNo, endLine: lineNo } };
      if (raw.trim().startsWith("|")) tabOnly = false;
      table.rows.push({ cells: cells.map(cellOf), source: { line: lineNo, endLine: lineNo } });
      table.source.endLine = lineNo;
      i++;
      continue;
    }
    closeTable();
    if (!raw.trim()) {
      i++;
      continue;
    }
    // An emphasis span left open joins the following lines (up to 8) into one block.
    let end = i;
    let joined = raw;
    if (format === "md" && unbalanced(raw)) {
      for (let k = i + 1; k < Math.min(lines.length, i + 9); k++) {
        const t = lines[k]!;
        if (!t.trim() || pipeCells(t) || t.trim() === "|") break;
        joined = `${joined}\n${t}`;
        if (!unbalanced(joined)) {
          end = k;
          break;
        }
      }
      if (end === i) joined = raw;
    }
    const b = textBlock(joined, lineNo, end + 1, hard, format === "md");
    if (b) blocks.push(b);
    i = end + 1;
  }
  closeTable();
  return { file, format, blocks, warnings: [] };
}
