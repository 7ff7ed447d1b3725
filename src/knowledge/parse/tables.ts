// Tables exported from Word/PDF, as markdown pipe tables or tab-separated
// lines. Handles what page breaks do to them: the header row repeats, and a
// row whose TT cell is empty continues the previous row, cell by cell — even
// across footnotes and a new table.
import { fold, squash } from "../../text/vietnamese.js";
import { cleanMarkup } from "../markup.js";

export type Column = "tt" | "name" | "unit" | "lead" | "coordinators" | "deadline" | "target2026" | "target2030" | "note";

export interface TableRow {
  /** Raw cells (markup kept) by column, continuation rows already joined in. */
  cells: Partial<Record<Column, string>>;
  line: number;
  endLine: number;
}

export interface TableSection {
  number: string;
  title: string;
  line: number;
}

export interface ParsedTable {
  kind: "tasks" | "indicators";
  /** Section (task tables) or group (indicator tables) rows and data rows, in order. */
  items: ({ type: "section"; section: TableSection } | { type: "row"; row: TableRow })[];
}

function columnOf(header: string): Column | undefined {
  const h = fold(cleanMarkup(header));
  if (h === "tt" || h === "stt") return "tt";
  if (h.includes("chi tieu cu the") || h.includes("ten nhiem vu") || h === "nhiem vu" || h === "noi dung") return "name";
  if (h.includes("don vi tinh")) return "unit";
  if (h.includes("phoi hop")) return "coordinators";
  if (h.includes("chu tri")) return "lead";
  if (h.includes("thoi han") || h.includes("thoi gian")) return "deadline";
  if (h.includes("2030")) return "target2030";
  if (h.includes("2026") || h.includes("nam ke hoach")) return "target2026";
  if (h.includes("ghi chu")) return "note";
  return undefined;
}

function splitRow(line: string): string[] | undefined {
  const t = line.trim();
  if (t.startsWith("|")) return t.replace(/^\|/, "").replace(/\|$/, "").split("|");
  if (line.includes("\t")) {
    const cells = line.split("\t");
    if (cells.length >= 3) return cells;
  }
  return undefined;
}

const SEPARATOR = /^\|?\s*:?-{2,}/;
const ROMAN = /^(?:[IVX]+|[A-Z])$/;

/** Join a continuation cell onto the cell it continues, without doubling a word repeated at the break. */
export function joinContinuation(prev: string, next: string, dedupe: boolean): string {
  const a = prev.trim();
  const b = next.trim();
  if (!a) return b;
  if (!b) return a;
  if (dedupe) {
    const lastWord = fold(cleanMarkup(a)).split(" ").pop();
    const firstWord = fold(cleanMarkup(b)).split(/[\s,;]/)[0];
    if (lastWord && lastWord === firstWord) return `${a} ${b.replace(/^\S+/, "")}`.replace(/\s+,/, ",");
  }
  return `${a} ${b}`;
}

/**
 * Find every task or indicator table in the lines and return its sections and
 * rows with continuations merged. `onWarning` receives problems with their line.
 */
export function parseTables(lines: string[], onWarning: (line: number, message: string) => void): ParsedTable[] {
  const tables: ParsedTable[] = [];
  let columns: (Column | undefined)[] | undefined;
  let current: ParsedTable | undefined;
  let last: TableRow | undefined;

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const cells = splitRow(line);
    if (!cells) {
      const t = line.trim();
      // Blank lines and footnotes sit between the pieces of one page-split table.
      if (t === "" || /^<sup>\d+<\/sup>/.test(t) || /^-{3,}$/.test(t)) return;
      columns = undefined;
      current = undefined;
      last = undefined;
      return;
    }
    if (SEPARATOR.test(line.trim())) return;
    const mapped = cells.map(columnOf);
    if (mapped[0] === "tt" && mapped.includes("name")) {
      const kind = mapped.includes("unit") || mapped.includes("target2026") ? "indicators" : "tasks";
      columns = mapped;
      if (!current || current.kind !== kind) {
        current = { kind, items: [] };
        tables.push(current);
        last = undefined;
      }
      return; // a header row, first or repeated after a page break
    }
    if (!columns || !current) return;
    const byCol: Partial<Record<Column, string>> = {};
    cells.forEach((c, j) => {
      const col = columns![j];
      if (col) byCol[col] = (byCol[col] ? byCol[col] + " " : "") + c;
    });
    const tt = squash(cleanMarkup(byCol.tt ?? ""));
    const name = squash(cleanMarkup(byCol.name ?? ""));
    const others = (Object.keys(byCol) as Column[]).filter((c) => c !== "tt" && c !== "name" && squash(cleanMarkup(byCol[c] ?? "")));
    if (tt && ROMAN.test(tt) && name && others.length === 0) {
      current.items.push({ type: "section", section: { number: tt, title: name, line: lineNo } });
      last = undefined;
      return;
    }
    if (!tt) {
      if (!Object.values(byCol).some((v) => squash(cleanMarkup(v ?? "")))) return;
      if (!last) {
        onWarning(lineNo, "a row with an empty TT cell continues nothing (no row before it); kept out");
        return;
      }
      for (const [col, v] of Object.entries(byCol) as [Column, string][]) {
        last.cells[col] = joinContinuation(last.cells[col] ?? "", v, col === "lead" || col === "coordinators");
      }
      last.endLine = lineNo;
      return;
    }
    last = { cells: byCol, line: lineNo, endLine: lineNo };
    current.items.push({ type: "row", row: last });
  });
  return tables;
}
