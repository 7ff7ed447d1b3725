// The shared paragraph step: text blocks → paragraphs (headings, paragraphs,
// list items) with their markers and source. Hard-wrapped text (PDF, legal
// portals) is rejoined line by line; text whose paragraphs the format keeps
// (Word, HTML, most markdown) is still split at page breaks, where the
// continuation starts in lower case.
import type { Block, BlockSource, TextBlock } from "../document.js";

export type Marker = "roman" | "number" | "dotted" | "paren" | "letter" | "bullet" | "plain";

export interface Paragraph {
  text: string;
  marker: Marker;
  /** "III", "2", "4.1", "(1)", "a" — without punctuation; "" for bullets and plain text. */
  number: string;
  heading: boolean;
  /** The whole paragraph is bold, or the format marked it as a heading. */
  bold: boolean;
  /** Explicit heading level from the format (markdown #, Word Heading n, <hn>); 0 when none. */
  level: number;
  line: number;
  endLine: number;
  page?: number;
  pageLine?: number;
  /** Indexes of the first and last source blocks. */
  block: number;
  lastBlock: number;
}

const MARKERS: [Marker, RegExp][] = [
  ["roman", /^([IVX]+)\s*[.\-–]\s+/],
  ["dotted", /^(\d+(?:\.\d+)+)\.?\s+/],
  ["number", /^(\d+)[.)]\s+/],
  ["paren", /^\((\d+)\)\s+/],
  ["letter", /^([a-zđ])\)\s+/],
  ["bullet", /^[-–+•]\s+/],
];

export function markerOf(text: string): { marker: Marker; number: string } {
  for (const [marker, re] of MARKERS) {
    const m = re.exec(text);
    if (m) return { marker, number: m[1] ?? "" };
  }
  return { marker: "plain", number: "" };
}

/** Where the body of a plan ends (folded text): "Nơi nhận:", "Trên đây là …", the signature ("TM. …", "KT. …"), an appendix. */
export const END_OF_BODY = /^(noi nhan|tren day la|tm\.|t\/m|kt\.|phu luc\b)/;

/** Markers that number a heading ("II.", "2.", "2.3.", "(1)", "a)"), as opposed to bullets and plain text. */
export const isNumbered = (marker: Marker): boolean => marker !== "plain" && marker !== "bullet";

/**
 * How deep a numbered heading sits, whatever the format says: parts ("II.") above
 * groups ("2."), "2.3." above "2.3.1.", then "(1)", then "a)" and unnumbered headings.
 */
export function headingRank(p: { marker: Marker; number: string }): number {
  return p.marker === "roman" ? 1 : p.marker === "number" ? 2 : p.marker === "dotted" ? 1 + p.number.split(".").length : p.marker === "paren" ? 5 : 6;
}

/** A heading's title: its number ("II.", "2.3.", "(1)", "a)") and the colon or full stop after it removed. */
export function headingTitle(text: string): string {
  const { marker } = markerOf(text);
  const re = isNumbered(marker) ? MARKERS.find(([m]) => m === marker)![1] : undefined;
  return (re ? text.replace(re, "") : text).replace(/[:.]$/, "");
}

/** A heading: marked as one by the format (`explicit`), a part ("II."), or a short numbered line without closing punctuation. */
export function isHeading(p: Paragraph, explicit: boolean): boolean {
  if (explicit || p.marker === "roman") return true;
  if (p.marker !== "number" && p.marker !== "dotted" && p.marker !== "paren") return false;
  // A numbered heading has no closing punctuation and no "Agency: what to do" shape.
  return !/[.;]$/.test(p.text) && p.text.length < 400 && !/:\s*\S/.test(p.text.slice(0, 80));
}

export interface ParagraphOptions {
  /** A paragraph starting with one of these (a task label, "Cơ quan chủ trì: …") never continues the one before. */
  startsOwnParagraph?: (text: string) => boolean;
  /** A numbered line that reads as a heading (short, no closing punctuation) is not continued by a capitalised line. */
  numberedHeadingsClose?: boolean;
  /**
   * Hard-wrapped text: a numbered paragraph whose last line ends well short of the text's line
   * width, without closing punctuation, is a heading that ended there; a capitalised line after it
   * starts a paragraph of its own ("2.4. Về theo dõi, giám sát và đánh giá" / "Bảo đảm 100% …").
   */
  headingLines?: boolean;
}

/** The width of a hard-wrapped text's lines: the length most full lines reach (its 90th percentile). */
function lineWidth(blocks: Block[]): number {
  const lengths = blocks.flatMap((b) => (b.type === "text" && b.wrapped ? [b.text.length] : [])).sort((a, b) => a - b);
  return lengths.length ? lengths[Math.floor(lengths.length * 0.9)]! : 0;
}

/**
 * Paragraphs of the text blocks, in order. Tables, rules and the blocks in `skip`
 * (indexes) end the paragraph being built; page numbers are dropped.
 */
export function toParagraphs(blocks: Block[], opts: ParagraphOptions = {}, skip: Set<number> = new Set()): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | undefined;
  let curHard = false;
  let explicit = false;
  let lastLine = 0; // length of the last line added to `cur`
  const short = opts.headingLines ? 0.7 * lineWidth(blocks) : 0;
  const close = () => {
    if (cur && cur.text) {
      cur.heading = isHeading(cur, explicit);
      out.push(cur);
    }
    cur = undefined;
  };
  blocks.forEach((b, index) => {
    if (b.type === "table" || skip.has(index)) {
      close();
      return;
    }
    if (b.role === "page-number") return;
    if (b.role === "rule") {
      close();
      return;
    }
    const text = b.text;
    if (!text) return;
    const { marker, number } = markerOf(text);
    const startsLower = /^[a-zà-ỹđ]/.test(text);
    const prevEnds = cur ? /[.:;!?]["”)]?$/.test(cur.text) : true;
    const curClosed = !cur || explicit || cur.marker === "roman" || cur.text === cur.text.toUpperCase();
    const own =
      (opts.startsOwnParagraph?.(text) ?? false) ||
      (!!opts.numberedHeadingsClose && !!cur && isNumbered(cur.marker) && cur.text.length < 200 && !/[.;:,]$/.test(cur.text) && /^[A-ZÀ-ỸĐ]/.test(text)) ||
      (!!cur && curHard && lastLine < short && isNumbered(cur.marker) && cur.text.length < 400 && !/[.;:,]$/.test(cur.text) && /^[A-ZÀ-ỸĐ"“(]/.test(text));
    const continues =
      !curClosed && b.heading === 0 && !b.bold && !own && marker === "plain" && (curHard ? !(prevEnds && /^[A-ZÀ-ỸĐ"“(]/.test(text)) : startsLower);
    if (continues && cur) {
      cur.text = `${cur.text} ${text}`;
      cur.endLine = b.source.endLine;
      cur.lastBlock = index;
      curHard = !!b.wrapped;
      lastLine = text.length;
      return;
    }
    close();
    explicit = b.heading > 0 || b.bold;
    curHard = !!b.wrapped;
    lastLine = text.length;
    cur = { text, marker, number, heading: false, bold: b.bold, level: b.heading, line: b.source.line, endLine: b.source.endLine, block: index, lastBlock: index };
    copyPage(cur, b.source);
  });
  close();
  return out;
}

function copyPage(p: Paragraph, s: BlockSource): void {
  if (s.page !== undefined) p.page = s.page;
  if (s.pageLine !== undefined) p.pageLine = s.pageLine;
}

/** The text blocks of a document, for extractors that want them one by one. */
export const textBlocks = (blocks: Block[]): TextBlock[] => blocks.filter((b): b is TextBlock => b.type === "text");
