// A .pdf plan with a text layer → the document model (src/knowledge/document.ts).
// pdf.js (in a worker, see pdf-engine.ts) gives glyph runs and ruling lines;
// pdf-lines.ts rebuilds the lines, pdf-tables.ts the tables, pdf-paragraphs.ts
// the paragraphs. Failures are DocumentReadError values, never crashes.
import {
  DocumentReadError,
  type Block,
  type BlockSource,
  type PlanDocument,
  type ReaderWarning,
  type TableBlock,
  type TextBlock,
} from "../document.js";
import { PdfEngine, PdfEngineError, type EngineLimits, type RawDocument, type RawRule } from "./pdf-engine.js";
import { bodySize, buildLines, dropRunningLines, numberLines, type Line, type PageLines } from "./pdf-lines.js";
import { pageParagraphs, opensParagraph, paragraphText, type Paragraph } from "./pdf-paragraphs.js";
import { needsRules, pageTables, type PageTable, type StreamContext, type TableDraft } from "./pdf-tables.js";

export interface PdfReadOptions extends Partial<EngineLimits> {
  /** Files larger than this are refused as "too-large". */
  maxBytes?: number;
}

const DEFAULTS: EngineLimits & { maxBytes: number } = {
  timeoutMs: 30_000,
  maxPages: 2_000,
  maxMemoryMb: 1_024,
  maxRulesPerPage: 20_000,
  maxBytes: 100 * 1024 * 1024,
};

const OCR_HINT = "run it through OCR (e.g. ocrmypdf) and ingest the result";

function failure(file: string, e: unknown): DocumentReadError {
  if (e instanceof DocumentReadError) return e;
  const kind = e instanceof PdfEngineError ? e.kind : "";
  const detail = e instanceof Error ? e.message : String(e);
  if (kind === "PasswordException") return new DocumentReadError("encrypted", `${file}: the PDF is password-protected; save it without a password and ingest it again`);
  if (kind === "too-many-pages") return new DocumentReadError("too-large", `${file}: too many pages (${detail})`);
  if (kind === "memory") return new DocumentReadError("too-large", `${file}: the PDF needs more memory than allowed to read`);
  if (kind === "timeout") return new DocumentReadError("broken", `${file}: the PDF could not be read in time (${detail})`);
  return new DocumentReadError("broken", `${file}: not a readable PDF (${detail})`);
}

/** Baseline-to-baseline distance of consecutive lines, per font size, as the document sets it. */
function pitchOf(pages: PageLines[]): (size: number) => number {
  const votes = new Map<number, number>();
  for (const p of pages) {
    p.lines.forEach((l, i) => {
      const prev = p.lines[i - 1];
      if (!prev || Math.abs(prev.size - l.size) > 0.3) return;
      const r = Math.round(((l.y - prev.y) / l.size) * 20) / 20;
      if (r >= 0.95 && r <= 2.6) votes.set(r, (votes.get(r) ?? 0) + 1);
    });
  }
  let ratio = 1.2;
  let best = 0;
  for (const [r, n] of votes) if (n > best || (n === best && r < ratio)) [ratio, best] = [r, n];
  return (size) => ratio * size;
}

/** Right edge of the text column: the widest lines (95th percentile) of pages of the same width. */
function rightEdges(pages: PageLines[]): Map<number, number> {
  const byWidth = new Map<number, number[]>();
  for (const p of pages) {
    const w = Math.round(p.width);
    const xs = byWidth.get(w) ?? [];
    for (const l of p.lines) xs.push(Math.max(...l.items.map((i) => i.x1)));
    byWidth.set(w, xs);
  }
  const out = new Map<number, number>();
  for (const [w, xs] of byWidth) {
    xs.sort((a, b) => a - b);
    out.set(w, xs[Math.floor(xs.length * 0.95)] ?? w);
  }
  return out;
}

function source(first: Line, last: Line): BlockSource {
  return { line: first.no, endLine: last.no, page: first.page, pageLine: first.pageLine };
}

function tableBlock(t: PageTable): TableBlock {
  const rows = t.rows.map((r) => ({ cells: r.cells, source: source(r.first, r.last) }));
  return { type: "table", rows, source: source(t.rows[0]!.first, t.rows.at(-1)!.last) };
}

type Placed = { first: Line; table?: TableDraft; para?: Paragraph };

/**
 * Cut the tables into cells. A weak piece (one body row at most) borrows the
 * columns of the piece before it (when it opens its page and that one closed
 * the page before) or after it (when it closes its page and that one opens the next).
 */
function finishTables(placed: Placed[]): (TableBlock | undefined)[] {
  const pageOf = (x: Placed | undefined) => x?.first.page ?? -1;
  return placed.map((x, i) => {
    if (!x.table) return undefined;
    const borrowed = [];
    if (x.table.weak) {
      const before = placed[i - 1];
      const after = placed[i + 1];
      if (before?.table && pageOf(before) === pageOf(x) - 1) borrowed.push(before.table.columns);
      if (after?.table && pageOf(after) === pageOf(x) + 1) borrowed.push(after.table.columns);
    }
    return tableBlock(x.table.finish(borrowed));
  });
}

/** Heading level by size: the sizes a point or more above the body, largest first, are levels 1, 2, 3 … */
function headingLevels(paras: Paragraph[], body: number): (size: number) => number {
  const sizes = [...new Set(paras.map((p) => Math.round(Math.max(...p.segs.map((s) => s.size)) * 2) / 2))]
    .filter((s) => s >= body * 1.06 && s - body >= 0.9)
    .sort((a, b) => b - a);
  return (size) => {
    const i = sizes.indexOf(Math.round(size * 2) / 2);
    return i < 0 ? 0 : i + 1;
  };
}

function textBlock(p: Paragraph, level: (size: number) => number): TextBlock {
  const first = p.segs[0]!.line;
  const last = p.segs.at(-1)!.line;
  const items = p.segs.flatMap((s) => s.items);
  return {
    type: "text",
    text: paragraphText(p),
    bold: items.every((i) => i.bold),
    heading: level(Math.max(...p.segs.map((s) => s.size))),
    source: source(first, last),
  };
}

/** Read a PDF plan. Throws DocumentReadError (broken, encrypted, scanned, too-large). */
export async function readPdf(file: string, data: Uint8Array, options: PdfReadOptions = {}): Promise<PlanDocument> {
  const opts = { ...DEFAULTS, ...options };
  if (data.length > opts.maxBytes) throw new DocumentReadError("too-large", `${file}: ${data.length} bytes is more than the ${opts.maxBytes} a PDF may have`);
  const head = new TextDecoder("latin1").decode(data.subarray(0, 1024));
  if (!head.includes("%PDF-")) throw new DocumentReadError("broken", `${file}: not a PDF (no %PDF- header)`);

  let engine: PdfEngine;
  let raw: RawDocument;
  try {
    ({ engine, doc: raw } = await PdfEngine.open(data, opts));
  } catch (e) {
    throw failure(file, e);
  }
  try {
    const warnings: ReaderWarning[] = [];
    if (raw.pages.every((p) => p.error)) throw new DocumentReadError("broken", `${file}: no page of the PDF could be read (${raw.pages[0]?.error ?? "no pages"})`);
    if (!raw.pages.some((p) => p.items.length)) {
      throw new DocumentReadError("scanned", `${file}: the PDF has no text layer (scanned pages?); ${OCR_HINT}`);
    }
    const body = bodySize(raw.pages);
    const pages: PageLines[] = raw.pages.map((p, i) => ({ page: i + 1, width: p.width, height: p.height, lines: buildLines(i + 1, p, raw.fonts) }));
    dropRunningLines(pages);
    numberLines(pages);
    let lineNo = 0;
    for (const p of pages) {
      const rawPage = raw.pages[p.page - 1]!;
      const at = p.lines[0]?.no ?? lineNo + 1;
      lineNo = p.lines.at(-1)?.no ?? lineNo;
      if (rawPage.error) warnings.push({ line: at, page: p.page, message: `page ${p.page} could not be read (${rawPage.error})` });
      else if (!rawPage.items.length) warnings.push({ line: at, page: p.page, message: `page ${p.page} has no text (an image or an empty page); if it holds content, ${OCR_HINT}` });
    }

    const pitch = pitchOf(pages);
    const need = pages.filter((p) => raw.pages[p.page - 1]!.rules === null && needsRules(p.lines, pitch)).map((p) => p.page);
    const fetched = await engine.rules(need);
    const rulesOf = (page: number): RawRule[] => raw.pages[page - 1]!.rules ?? fetched.get(page) ?? [];

    const rights = rightEdges(pages);
    const ctx: StreamContext = { carried: null, header: null };
    const placed: Placed[] = [];
    let openPara: Paragraph | null = null; // the previous page's last paragraph, when nothing came after it

    for (const p of pages) {
      const tables = pageTables(p.lines, rulesOf(p.page), pitch, ctx);
      const right = Math.max(rights.get(Math.round(p.width)) ?? p.width, 0);
      const paras = pageParagraphs(p.lines, pitch, right);
      // Reading order: by the top of each table and of each paragraph's run of lines (stable: columns keep theirs).
      const here: Placed[] = [
        ...tables.map((t) => ({ first: t.top, top: t.top.y, table: t })),
        ...paras.map((para) => ({ first: para.segs[0]!.line, top: para.top, para })),
      ].sort((a, b) => a.top - b.top);

      // A paragraph cut by the page break goes on in the first paragraph of this page.
      const head = here[0]?.para;
      const firstSeg = head?.segs[0];
      if (openPara && head && firstSeg && !opensParagraph(openPara, firstSeg)) {
        openPara.segs.push(...head.segs);
        here.shift();
      }
      placed.push(...here);
      const last = here.at(-1) ?? placed.at(-1);
      openPara = last?.para && here.length ? last.para : openPara && !here.length ? openPara : null;
      ctx.carried = last?.table ? last.table.columns : null;
    }

    const level = headingLevels(placed.flatMap((x) => (x.para ? [x.para] : [])), body);
    const tables = finishTables(placed);
    const blocks: Block[] = placed.map((x, i) => tables[i] ?? textBlock(x.para!, level));
    return { file, format: "pdf", blocks, warnings };
  } catch (e) {
    throw failure(file, e);
  } finally {
    engine.close();
  }
}
