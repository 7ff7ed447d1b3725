// One document model for every format a plan arrives in (.md, .txt, .html,
// .docx, .pdf). Readers (src/knowledge/read/) turn a file into blocks; the
// extractors (src/knowledge/parse/) read blocks only, never a file's layout.

export type DocFormat = "md" | "txt" | "html" | "docx" | "pdf";

/** Where a block came from, so a record's citation can be followed. */
export interface BlockSource {
  /**
   * 1-based first and last line. Text formats: lines of the file. docx/html:
   * lines of the reader's plain-text rendering, in document order. PDF: lines
   * as rebuilt from glyph positions, numbered across the whole document.
   */
  line: number;
  endLine: number;
  /** PDF only: 1-based page, and the line on that page where the block starts. */
  page?: number;
  pageLine?: number;
}

/** The citation of what spans blocks `from` to `to` of a file: its first line (and page), the last line of `to`. */
export function citation(file: string, from: BlockSource, to: BlockSource = from): { file: string; line: number; endLine: number; page?: number; pageLine?: number } {
  const s: { file: string; line: number; endLine: number; page?: number; pageLine?: number } = { file, line: from.line, endLine: Math.max(from.line, to.endLine) };
  if (from.page !== undefined) s.page = from.page;
  if (from.pageLine !== undefined) s.pageLine = from.pageLine;
  return s;
}

/** A heading, a paragraph or a list item. */
export interface TextBlock {
  type: "text";
  /**
   * Plain text: NFC, markup removed, whitespace squashed. A list item keeps its
   * visible marker at the start ("1.", "a)", "-", "+", "•"), materialised by
   * the reader when the format numbers lists itself (Word, HTML <ol>).
   */
  text: string;
  /** The whole text is bold (how plans mark headings and lead groups). */
  bold: boolean;
  /** Explicit heading level from the format (markdown #, Word "Heading n", <h1>–<h6>); 0 when none. */
  heading: number;
  /**
   * True when the reader could not tell where the paragraph ends (hard-wrapped
   * text): the block is one visual line and may continue in the next block.
   * The shared paragraph step decides.
   */
  wrapped?: boolean;
  /**
   * Page furniture rather than body text, where the reader can tell: a footnote
   * ("<sup>1</sup> Gồm: …"), a horizontal rule ("-----"), a page number. Tables
   * cut at a page break continue across them.
   */
  role?: "footnote" | "rule" | "page-number";
  source: BlockSource;
}

export interface TableCell {
  /** Plain text; line breaks inside the cell kept as "\n" (the extractor decides what they mean). */
  text: string;
  /** The cell's text is bold. */
  bold: boolean;
  /**
   * A merged cell, where the format says so (Word vMerge/gridSpan, HTML rowspan/colspan):
   * "row" — the cell continues the one above, its text repeated here; "col" — it continues
   * the one to its left, text left empty. A layout that drops merged cells altogether (the
   * one-cell-per-line markdown of legal portals) gives a shorter row instead.
   */
  spanned?: "row" | "col";
  /** 1-based line where the cell's text starts, where the reader knows it (one cell per line); else the row's line. */
  line?: number;
}

export interface TableRowBlock {
  cells: TableCell[];
  source: BlockSource;
}

/**
 * One table as found. A table cut at page breaks may arrive as several
 * TableBlocks (each with the header repeated, or not); the extractor joins
 * them by their header words, and a row whose TT cell is empty continues the
 * row before it.
 */
export interface TableBlock {
  type: "table";
  /** How the table was written, where the reader knows ("pipe", "tab", "one-cell-per-line"); for the ingest report. */
  layout?: string;
  rows: TableRowBlock[];
  source: BlockSource;
}

export type Block = TextBlock | TableBlock;

export interface ReaderWarning {
  line: number;
  page?: number;
  message: string;
}

export interface PlanDocument {
  file: string;
  format: DocFormat;
  blocks: Block[];
  /** Problems the reader met (an unreadable page, an image-only page, …), with their place. */
  warnings: ReaderWarning[];
}

/** Why a file could not be read at all. Readers throw this; ingest turns it into a warning naming the file. */
export type ReadFailure = "unsupported" | "too-large" | "broken" | "encrypted" | "scanned";

export class DocumentReadError extends Error {
  constructor(
    readonly reason: ReadFailure,
    message: string,
  ) {
    super(message);
    this.name = "DocumentReadError";
  }
}
