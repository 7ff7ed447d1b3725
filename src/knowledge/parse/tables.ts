// Task and indicator tables, found by their header words, whatever the format
// (pipe, tab, one-cell-per-line, Word, HTML, PDF). What page breaks and merged
// cells do to them:
// - a table cut at a page break arrives in pieces, the header repeated or not;
//   pieces of the same kind join across footnotes, rules and page numbers;
// - a row with no TT right after a (repeated) header continues the row before
//   it, cell by cell (a row cut at the break) — unless it plainly starts a new
//   item (its name starts with a capital after a finished sentence);
// - a row with no TT elsewhere, or whose TT cell is merged with the row above,
//   is a sub-row: a task of its own under the numbered row, taking the merged
//   cells (the row above's) for the columns it does not write;
// - a row shorter than the header (legal-portal markdown drops merged cells)
//   is aligned: cells left to right, a deadline-looking cell moved to the
//   deadline column, the columns not written taken from the row above;
// - a row whose TT is a Roman numeral or a capital letter with a title and no
//   other cell is a section (or indicator group), never a task: the title may
//   sit in any column (a colspan row lands in the first cell after TT), and a
//   row cut at a page break continues the title ("Phát triển khoa học," /
//   "công nghệ").
import { fold, squash } from "../../text/vietnamese.js";
import type { Block, BlockSource, TableBlock, TableCell } from "../document.js";
import { parseDeadline } from "../deadline.js";
import { joinPieces } from "../markup.js";

export type Column =
  | "tt"
  | "name"
  | "unit"
  | "lead"
  | "coordinators"
  | "deadline"
  | "target2026"
  | "target2030"
  | "result"
  | "funding"
  | "note"
  | "extra";

export interface TableRow {
  /** Cells by column (plain text, "\n" where the cell broke lines), continuation rows already joined in. */
  cells: Partial<Record<Exclude<Column, "extra">, string>>;
  /** Columns with no field of their own, by their header as written ("Kết quả dự kiến" has one; "Địa điểm" here). */
  extra: Record<string, string>;
  /** A sub-row: no TT of its own, under this numbered row. */
  parent?: TableRow;
  line: number;
  endLine: number;
  page?: number;
  pageLine?: number;
}

export interface TableSection {
  /** "III", "A"; for a bold title row of a table without TT, a letter counted from "A". */
  number: string;
  /** The number as the row writes it; "" for a counted title row. */
  written: string;
  title: string;
  line: number;
  endLine: number;
  page?: number;
  pageLine?: number;
}

function sectionOf(number: string, written: string, title: string, src: BlockSource): TableSection {
  const s: TableSection = { number, written, title, line: src.line, endLine: src.endLine };
  if (src.page !== undefined) s.page = src.page;
  if (src.pageLine !== undefined) s.pageLine = src.pageLine;
  return s;
}

export interface ParsedTable {
  kind: "tasks" | "indicators";
  /** Header words as written, by column index. */
  headers: string[];
  /** Section (task tables) or group (indicator tables) rows and data rows, in order. */
  items: ({ type: "section"; section: TableSection } | { type: "row"; row: TableRow })[];
}

export function columnOf(header: string): Column | undefined {
  const h = squash(fold(header).replace(/[^a-z0-9%/ ]+/g, " "));
  if (!h) return undefined;
  if (/^(?:s?tt|so tt|so thu tu|thu tu)$/.test(h)) return "tt";
  if (h.includes("don vi tinh") || h === "dvt") return "unit";
  if (h.includes("phoi hop")) return "coordinators";
  if (h.includes("chu tri") || /^(?:co quan|don vi|co quan don vi)(?: thuc hien| phu trach| dau moi)?$/.test(h) || h === "trach nhiem thuc hien") return "lead";
  if (/^(?:thoi han|thoi gian|tien do|moc thoi gian|nam (?:thuc hien|hoan thanh))\b/.test(h)) return "deadline";
  if (/^(?:ket qua|san pham)\b/.test(h)) return "result";
  if (h.includes("kinh phi")) return "funding";
  if (h.includes("ghi chu")) return "note";
  if (h.includes("2030")) return "target2030";
  if (h.includes("2026") || h.includes("nam ke hoach")) return "target2026";
  if (
    h.includes("chi tieu cu the") ||
    h.includes("ten nhiem vu") ||
    /^(?:nhiem vu|noi dung|ten chi tieu|chi tieu|cong viec|hoat dong|ten de an|de an|du an)\b/.test(h)
  )
    return "name";
  return undefined;
}

const SECTION_TT = /^(?:[IVXL]+|[A-Z])$/;
const TT_VALUE = /^(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6}|[A-Z]|[a-zđ])[.)]?$/;

const clean = (s: string | undefined) => squash(s ?? "");

/** Join a continuation cell onto the cell it continues, without doubling a word repeated at the break. */
export function joinContinuation(prev: string, next: string, dedupe: boolean): string {
  const a = prev.trim();
  const b = next.trim();
  if (!a) return b;
  if (!b) return a;
  if (dedupe) {
    const lastWord = fold(a).split(/\s/).pop();
    const firstWord = fold(b).split(/[\s,;]/)[0];
    if (lastWord && lastWord === firstWord) return `${a} ${b.replace(/^\S+/, "")}`.replace(/\s+,/, ",");
  }
  return joinPieces(a, b);
}

interface Header {
  columns: (Column | undefined)[];
  headers: string[];
  kind: ParsedTable["kind"];
}

function headerOf(cells: TableCell[]): Header | undefined {
  const headers = cells.map((c) => squash(c.text));
  const columns = headers.map(columnOf);
  const tt = columns.indexOf("tt");
  const name = columns.indexOf("name");
  if (tt > 1 || name < 0) return undefined;
  const fields = columns.filter((c) => c && c !== "tt" && c !== "name").length;
  if (fields === 0) return undefined;
  // A table without a TT column is a task table only when it names who or when.
  if (tt < 0 && (name > 0 || !columns.some((c) => c === "lead" || c === "deadline"))) return undefined;
  const kind = columns.includes("unit") || columns.includes("target2026") ? "indicators" : "tasks";
  // Columns named by none of the words are kept as extra columns, by their header.
  return { columns: columns.map((c, i) => c ?? (headers[i] ? "extra" : undefined)), headers, kind };
}

const HEADER_WORDS = /\b(?:s?tt|chu tri|phoi hop|thoi han|thoi gian|ghi chu|nhiem vu|chi tieu|don vi tinh|muc tieu|ket qua|kinh phi)\b/;

/** A row of header words the reader garbled (a PDF header with cells run together): a repeated header, not data. */
function headerish(cells: TableCell[]): boolean {
  return cells.filter((c) => HEADER_WORDS.test(fold(squash(c.text)))).length >= 3 && !cells.some((c) => /^\d{1,3}$/.test(squash(c.text)));
}

const looksLikeDeadline = (s: string) => {
  const k = parseDeadline(s).kind;
  return k !== "unknown" && k !== "none" && k !== "elsewhere";
};

/**
 * Cells of a row → columns. A row as wide as the header maps cell to column. A
 * shorter one (merged cells dropped) is aligned; `written` says which columns it wrote.
 */
function mapRow(cells: TableCell[], h: Header): { byIndex: (TableCell | undefined)[]; written: Set<number>; ttMerged: boolean; short: boolean } {
  const n = h.columns.length;
  const byIndex: (TableCell | undefined)[] = new Array<TableCell | undefined>(n).fill(undefined);
  const written = new Set<number>();
  if (cells.length >= n) {
    cells.slice(0, n).forEach((c, i) => {
      byIndex[i] = c;
      if (c.spanned !== "row") written.add(i);
    });
    const extra = cells.slice(n).map((c) => c.text).filter((t) => t.trim());
    if (extra.length && byIndex[n - 1]) byIndex[n - 1] = { ...byIndex[n - 1]!, text: [byIndex[n - 1]!.text, ...extra].join("\n") };
    const ttCol = h.columns.indexOf("tt");
    return { byIndex, written, ttMerged: cells[ttCol]?.spanned === "row", short: false };
  }
  const ttCol = h.columns.indexOf("tt");
  if (ttCol < 0) {
    cells.slice(0, n).forEach((c, i) => {
      byIndex[i] = c;
      written.add(i);
    });
    return { byIndex, written, ttMerged: false, short: true };
  }
  const first = cells[0];
  // A merged TT is absent, not blank: a short row that starts with a blank cell has its TT column.
  const ttWritten = !!first && (TT_VALUE.test(squash(first.text)) || !squash(first.text));
  let col = ttWritten ? ttCol : ttCol + 1;
  const deadlineCol = h.columns.indexOf("deadline");
  for (const c of cells) {
    if (col >= n) break;
    if (deadlineCol > col && h.columns[col] !== "name" && looksLikeDeadline(c.text)) col = deadlineCol;
    byIndex[col] = c;
    written.add(col);
    col++;
  }
  return { byIndex, written, ttMerged: !ttWritten, short: true };
}

function rowOf(byIndex: (TableCell | undefined)[], h: Header, src: BlockSource): TableRow {
  const row: TableRow = { cells: {}, extra: {}, line: src.line, endLine: src.endLine };
  if (src.page !== undefined) row.page = src.page;
  if (src.pageLine !== undefined) row.pageLine = src.pageLine;
  byIndex.forEach((c, i) => {
    const col = h.columns[i];
    if (!col || !c) return;
    if (col === "extra") {
      if (c.text.trim()) row.extra[h.headers[i]!] = c.text;
      return;
    }
    row.cells[col] = row.cells[col] ? `${row.cells[col]}\n${c.text}` : c.text;
  });
  return row;
}

/** Merged cells: the columns a row does not write (`written`) take the values of the row above. */
function inherit(row: TableRow, above: TableRow, written: Set<number>, h: Header): void {
  h.columns.forEach((col, i) => {
    if (!col || written.has(i)) return;
    if (col === "extra") {
      const k = h.headers[i]!;
      if (!(k in row.extra) && above.extra[k] !== undefined) row.extra[k] = above.extra[k]!;
      return;
    }
    const v = above.cells[col];
    if (v !== undefined && row.cells[col] === undefined) row.cells[col] = v;
  });
}

/**
 * Every task or indicator table of the document, pieces joined, with sections
 * and rows. `onWarning` receives problems with their line.
 */
export function parseTables(blocks: Block[], onWarning: (line: number, message: string) => void): ParsedTable[] {
  const tables: ParsedTable[] = [];
  let header: Header | undefined;
  let current: ParsedTable | undefined;
  let last: TableRow | undefined;
  let lastNumbered: TableRow | undefined;
  let counter = 0; // rows of a table without a TT column
  let untitled = 0;

  // Text between two pieces: footnotes, rules and page numbers (marked by the reader, or a little
  // unmarked text at a page foot) do not end a table whose next piece repeats its header.
  let between = 0;
  let betweenChars = 0;
  const reset = () => {
    header = undefined;
    current = undefined;
    last = undefined;
    lastNumbered = undefined;
  };
  for (const block of blocks) {
    if (block.type === "text") {
      if (block.role) continue;
      between++;
      betweenChars += block.text.length;
      continue;
    }
    if (between) {
      const first = block.rows[0];
      const h = first ? headerOf(first.cells) : undefined;
      const repeats = !!first && !!current && ((h && h.kind === current.kind) || (!h && headerish(first.cells)));
      if (!repeats || between > 3 || betweenChars > 1500) reset();
      between = 0;
      betweenChars = 0;
    }
    readTable(block);
  }
  return tables;

  function readTable(t: TableBlock): void {
    let afterHeader = false;
    // Where the format marks merged cells (Word, HTML) or drops them (one cell per line), an empty
    // cell is empty; where it cannot (PDF, a pipe table), an empty cell of a sub-row is merged.
    const spansKnown = t.layout === "one-cell-per-line" || t.rows.some((r) => r.cells.some((c) => c.spanned));
    for (const r of t.rows) {
      const h = headerOf(r.cells);
      if (h) {
        header = h;
        if (!current || current.kind !== h.kind) {
          current = { kind: h.kind, headers: h.headers, items: [] };
          tables.push(current);
          last = undefined;
          lastNumbered = undefined;
        }
        afterHeader = true;
        continue; // a header row, first or repeated after a page break
      }
      if (!header || !current) continue;
      if (headerish(r.cells)) {
        afterHeader = true;
        continue;
      }
      const wasAfterHeader = afterHeader;
      afterHeader = false;
      const { byIndex, written, ttMerged, short } = mapRow(r.cells, header);
      const row = rowOf(byIndex, header, r.source);
      const name = clean(row.cells.name);
      const others = (Object.keys(row.cells) as (keyof TableRow["cells"])[]).filter((c) => c !== "tt" && c !== "name" && clean(row.cells[c]));
      if (!header.columns.includes("tt")) {
        // No TT column: the rows are counted. A bold row with only a name is a section ("I. …" or a title);
        // a row starting in lower case continues the one before.
        const nameCell = byIndex[header.columns.indexOf("name")];
        if (name && others.length === 0 && (nameCell?.bold || /^[IVXL]+[.\-–]\s/.test(name))) {
          const m = /^([IVXL]+)[.\-–]\s+(.+)$/.exec(name);
          untitled++;
          current.items.push({ type: "section", section: sectionOf(m ? m[1]! : String.fromCharCode(64 + Math.min(26, untitled)), m ? m[1]! : "", m ? m[2]! : name, r.source) });
          counter = 0;
          last = undefined;
          continue;
        }
        if (!Object.values(row.cells).some((v) => clean(v))) continue;
        if (last && /^[a-zà-ỹđ]/.test(name)) {
          for (const [col, v] of Object.entries(row.cells) as [keyof TableRow["cells"], string][]) last.cells[col] = joinContinuation(last.cells[col] ?? "", v, col === "lead" || col === "coordinators");
          last.endLine = r.source.endLine;
          continue;
        }
        row.cells.tt = String(++counter);
        last = row;
        lastNumbered = row;
        current.items.push({ type: "row", row });
        continue;
      }
      const tt = clean(row.cells.tt);
      // The cells a section row fills: its number and one title, in whichever column.
      const filled = [name, ...others.map((c) => clean(row.cells[c])), ...Object.values(row.extra).map(clean)].filter(Boolean);
      if (tt && SECTION_TT.test(tt.replace(/\.$/, "")) && filled.length === 1) {
        current.items.push({ type: "section", section: sectionOf(tt.replace(/\.$/, ""), tt.replace(/\.$/, ""), filled[0]!, r.source) });
        last = undefined;
        lastNumbered = undefined;
        continue;
      }
      // A section row cut at a page break: its title goes on in the next row, alone and in lower case.
      const prev = current.items[current.items.length - 1];
      if (!tt && prev?.type === "section" && filled.length === 1 && /^[a-zà-ỹđ]/.test(filled[0]!)) {
        prev.section.title = joinContinuation(prev.section.title, filled[0]!, false);
        prev.section.endLine = r.source.endLine;
        continue;
      }
      if (tt && !ttMerged) {
        // A short numbered row: the columns it does not write are merged with the row above.
        if (short && last) inherit(row, last, written, header);
        last = row;
        lastNumbered = row;
        current.items.push({ type: "row", row });
        continue;
      }
      if (!Object.values(row.cells).some((v) => clean(v)) && Object.keys(row.extra).length === 0) continue;
      // No TT: a row cut at a page break, or a sub-row under the numbered row.
      const startsNew = /^[A-ZÀ-ỸĐ]/.test(name) && !!last && /[.;:!?…)]$/.test(clean(last.cells.name));
      const continuation = !ttMerged && (wasAfterHeader ? !name || !startsNew : !name || /^[a-zà-ỹđ(]/.test(name));
      if (continuation) {
        if (!last) {
          onWarning(r.source.line, "a row with an empty TT cell continues nothing (no row before it); kept out");
          continue;
        }
        for (const [col, v] of Object.entries(row.cells) as [keyof TableRow["cells"], string][]) {
          last.cells[col] = joinContinuation(last.cells[col] ?? "", v, col === "lead" || col === "coordinators");
        }
        for (const [k, v] of Object.entries(row.extra)) last.extra[k] = joinContinuation(last.extra[k] ?? "", v, false);
        last.endLine = r.source.endLine;
        continue;
      }
      const parent = lastNumbered;
      if (!parent) {
        onWarning(r.source.line, "a row without TT and no numbered row above it; kept out");
        continue;
      }
      // Merged cells: the columns the sub-row does not write are the row above's.
      const own = spansKnown ? written : new Set([...written].filter((i) => clean(byIndex[i]?.text)));
      if (!spansKnown) for (const [i, col] of header.columns.entries()) if (col && col !== "extra" && !own.has(i)) delete row.cells[col];
      inherit(row, last ?? parent, own, header);
      row.cells.tt = parent.cells.tt ?? "";
      row.parent = parent;
      last = row;
      current.items.push({ type: "row", row });
    }
  }
}
