// .html (a web page, a legal portal's export, or mammoth's rendering of a Word
// file) → PlanDocument. Headings <h1>–<h6>, paragraphs and list items (an <ol>
// numbers its items: the marker is written out), tables with rowspan/colspan
// expanded (a spanned cell is marked, see TableCell.spanned), bold as bold,
// footnote references (<sup>1</sup>) dropped. Lines are those of a plain-text
// rendering: one per block, one per table row.
import { Parser } from "htmlparser2";
import { squash } from "../../text/vietnamese.js";
import type { Block, DocFormat, PlanDocument, TableBlock, TableCell, TextBlock } from "../document.js";
import { latexToText } from "../markup.js";

interface Run {
  text: string;
  bold: boolean;
}

interface CellBuild {
  runs: Run[];
  rowspan: number;
  colspan: number;
}

const BLOCK_TAGS = new Set(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "caption"]);
const SKIP_TAGS = new Set(["script", "style", "head", "title", "noscript", "template"]);

function runsText(runs: Run[]): { text: string; bold: boolean } {
  const text = runs.map((r) => r.text).join("");
  const visible = runs.filter((r) => r.text.trim());
  const bold = visible.length > 0 && visible.every((r) => r.bold);
  return { text, bold };
}

const clean = (s: string) =>
  latexToText(s)
    .normalize("NFC")
    .replace(/[\u200B-\u200D\uFEFF]/g, "");

export function readHtml(file: string, html: string, format: DocFormat = "html"): PlanDocument {
  const blocks: Block[] = [];
  let line = 0;
  let skip = 0;
  let boldDepth = 0;
  let supDepth = 0;
  let supText = "";
  let runs: Run[] = [];
  let heading = 0;
  const lists: { ordered: boolean; n: number; type: string }[] = [];
  let itemMarker = "";
  // tables (nested tables are flattened into their cell)
  const tables: { rows: CellBuild[][]; row: CellBuild[] | undefined; cell: CellBuild | undefined; headerRows: number }[] = [];
  let cellBreak = false;
  let footnote = false; // the block being read starts with a footnote mark

  const pushText = (text: string) => {
    if (tables.length && tables[tables.length - 1]!.cell) {
      tables[tables.length - 1]!.cell!.runs.push({ text, bold: boldDepth > 0 });
      return;
    }
    runs.push({ text, bold: boldDepth > 0 || heading > 0 });
  };

  const flushBlock = () => {
    if (tables.length && tables[tables.length - 1]!.cell) {
      // a paragraph inside a cell ends with a line break
      const c = tables[tables.length - 1]!.cell!;
      if (c.runs.length && !/\n$/.test(c.runs[c.runs.length - 1]!.text)) c.runs.push({ text: "\n", bold: false });
      return;
    }
    const { text, bold } = runsText(runs);
    runs = [];
    const t = squash(clean(text));
    if (!t) {
      footnote = false;
      return;
    }
    line++;
    const b: TextBlock = { type: "text", text: itemMarker ? `${itemMarker} ${t}` : t, bold: bold || heading > 0, heading, source: { line, endLine: line } };
    if (footnote) b.role = "footnote";
    footnote = false;
    itemMarker = "";
    blocks.push(b);
  };

  const marker = (l: { ordered: boolean; n: number; type: string }): string => {
    if (!l.ordered) return "-";
    if (l.type === "a") return `${String.fromCharCode(96 + l.n)})`;
    if (l.type === "A") return `${String.fromCharCode(64 + l.n)}.`;
    if (l.type === "i" || l.type === "I") {
      const romans = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"];
      const r = romans[l.n] ?? String(l.n);
      return `${l.type === "i" ? r.toLowerCase() : r}.`;
    }
    return `${l.n}.`;
  };

  const finishTable = () => {
    const t = tables.pop()!;
    // Expand spans into a grid.
    const grid: TableCell[][] = [];
    const carry: ({ cell: TableCell; left: number } | undefined)[] = [];
    for (const row of t.rows) {
      const out: TableCell[] = [];
      let col = 0;
      const place = () => {
        while (carry[col] && carry[col]!.left > 0) {
          out.push({ ...carry[col]!.cell, spanned: "row" });
          carry[col]!.left--;
          col++;
        }
      };
      for (const c of row) {
        place();
        const { text, bold } = runsText(c.runs);
        const cellText = clean(text)
          .split("\n")
          .map((l) => squash(l))
          .filter(Boolean)
          .join("\n");
        const cell: TableCell = { text: cellText, bold };
        for (let k = 0; k < c.colspan; k++) {
          const here: TableCell = k === 0 ? cell : { text: "", bold: false, spanned: "col" };
          out.push(here);
          carry[col] = c.rowspan > 1 ? { cell: { ...cell }, left: c.rowspan - 1 } : undefined;
          col++;
        }
      }
      place();
      grid.push(out);
    }
    const rows = grid.map((cells) => {
      line++;
      return { cells, source: { line, endLine: line } };
    });
    const block: TableBlock = { type: "table", rows, source: { line: rows[0]?.source.line ?? line, endLine: line } };
    if (tables.length && tables[tables.length - 1]!.cell) {
      // a table inside a cell: its text goes into the cell
      const c = tables[tables.length - 1]!.cell!;
      for (const r of rows) c.runs.push({ text: r.cells.map((x) => x.text).join(" ") + "\n", bold: false });
      return;
    }
    if (rows.length) blocks.push(block);
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (SKIP_TAGS.has(name)) skip++;
        if (skip) return;
        if (name === "b" || name === "strong" || name === "th") boldDepth++;
        if (name === "sup") {
          supDepth++;
          supText = "";
          return;
        }
        if (name === "br") {
          if (tables.length && tables[tables.length - 1]!.cell) pushText("\n");
          else {
            flushBlock();
            cellBreak = true;
          }
          return;
        }
        if (/^h[1-6]$/.test(name)) {
          flushBlock();
          heading = Number(name[1]);
          return;
        }
        if (name === "ol" || name === "ul") {
          flushBlock();
          const start = Number(attrs.start ?? 1);
          lists.push({ ordered: name === "ol", n: (Number.isFinite(start) ? start : 1) - 1, type: attrs.type ?? "1" });
          return;
        }
        if (name === "li") {
          flushBlock();
          const l = lists[lists.length - 1];
          if (l) {
            l.n++;
            if (!tables.length || !tables[tables.length - 1]!.cell) itemMarker = attrs["data-marker"] ?? marker(l);
          }
          return;
        }
        if (name === "table") {
          flushBlock();
          tables.push({ rows: [], row: undefined, cell: undefined, headerRows: 0 });
          return;
        }
        const t = tables[tables.length - 1];
        if (t && name === "tr") {
          t.row = [];
          t.rows.push(t.row);
          return;
        }
        if (t && (name === "td" || name === "th")) {
          if (!t.row) {
            t.row = [];
            t.rows.push(t.row);
          }
          t.cell = { runs: [], rowspan: Math.max(1, Number(attrs.rowspan ?? 1) || 1), colspan: Math.max(1, Math.min(50, Number(attrs.colspan ?? 1) || 1)) };
          t.row.push(t.cell);
          return;
        }
        if (BLOCK_TAGS.has(name)) flushBlock();
      },
      ontext(text) {
        if (skip) return;
        if (supDepth) {
          supText += text;
          return;
        }
        pushText(text.replace(/\s+/g, " "));
        cellBreak = false;
      },
      onclosetag(name) {
        if (SKIP_TAGS.has(name)) {
          skip = Math.max(0, skip - 1);
          return;
        }
        if (skip) return;
        if (name === "b" || name === "strong" || name === "th") boldDepth = Math.max(0, boldDepth - 1);
        if (name === "sup") {
          supDepth = Math.max(0, supDepth - 1);
          // Footnote references ("1", "[1]") vanish; other superscripts (m², 10³) stay as text.
          if (!/^\s*\[?\d{1,3}\]?\s*$/.test(supText)) pushText(supText);
          else if (!runs.some((r) => r.text.trim()) && !(tables.length && tables[tables.length - 1]!.cell)) footnote = true;
          return;
        }
        if (/^h[1-6]$/.test(name)) {
          flushBlock();
          heading = 0;
          return;
        }
        if (name === "ol" || name === "ul") {
          flushBlock();
          lists.pop();
          return;
        }
        const t = tables[tables.length - 1];
        if (t && (name === "td" || name === "th")) {
          t.cell = undefined;
          return;
        }
        if (t && name === "tr") {
          t.row = undefined;
          return;
        }
        if (name === "table") {
          finishTable();
          return;
        }
        if (BLOCK_TAGS.has(name)) flushBlock();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flushBlock();
  while (tables.length) finishTable();
  void cellBreak;
  return { file, format, blocks, warnings: [] };
}
