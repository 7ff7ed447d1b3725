// Running text → blocks (headings, paragraphs, bullets) with their source
// lines. PDF exports break lines by hand and put page numbers between them;
// Word/markdown exports keep one paragraph per line but still split a
// paragraph at page breaks (the continuation starts in lower case).
import { squash } from "../../text/vietnamese.js";
import { cleanMarkup } from "../markup.js";

export type Marker = "roman" | "number" | "dotted" | "paren" | "letter" | "bullet" | "plain";

export interface TextBlock {
  text: string;
  marker: Marker;
  /** "III", "2", "4.1", "(1)", "a" — without punctuation; "" for bullets and plain text. */
  number: string;
  heading: boolean;
  line: number;
  endLine: number;
}

const MARKERS: [Marker, RegExp][] = [
  ["roman", /^([IVX]+)\s*[.\-–]\s+/],
  ["dotted", /^(\d+(?:\.\d+)+)\.?\s+/],
  ["number", /^(\d+)[.)]\s+/],
  ["paren", /^\((\d+)\)\s+/],
  ["letter", /^([a-zđ])\)\s+/],
  ["bullet", /^[-–+•]\s+/],
];

function markerOf(text: string): { marker: Marker; number: string } {
  for (const [marker, re] of MARKERS) {
    const m = re.exec(text);
    if (m) return { marker, number: m[1] ?? "" };
  }
  return { marker: "plain", number: "" };
}

/** Median length of non-empty lines below this → the file was hard-wrapped (PDF). */
const HARD_WRAP_MEDIAN = 110;

export function isHardWrapped(lines: string[]): boolean {
  const lengths = lines.map((l) => l.trim().length).filter((n) => n > 0).sort((a, b) => a - b);
  return lengths.length > 0 && lengths[Math.floor(lengths.length / 2)]! < HARD_WRAP_MEDIAN;
}

function isHeading(b: TextBlock, explicit: boolean): boolean {
  if (explicit || b.marker === "roman") return true;
  if (b.marker !== "number" && b.marker !== "dotted" && b.marker !== "paren") return false;
  // A numbered heading has no closing punctuation and no "Agency: what to do" shape.
  return !/[.;]$/.test(b.text) && b.text.length < 400 && !/:\s*\S/.test(b.text.slice(0, 80));
}

/**
 * Blocks of the given lines. `skip` holds 1-based line numbers already used
 * (table rows, labelled tasks): they end the current block and are left out.
 */
export function toBlocks(lines: string[], skip: Set<number> = new Set()): TextBlock[] {
  const hard = isHardWrapped(lines);
  const blocks: TextBlock[] = [];
  let cur: TextBlock | undefined;
  let explicit = false;
  const close = () => {
    if (cur && cur.text) {
      cur.heading = isHeading(cur, explicit);
      blocks.push(cur);
    }
    cur = undefined;
  };
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (skip.has(lineNo) || raw.includes("|") || /\t.*\t/.test(raw)) {
      close();
      return;
    }
    const trimmed = raw.trim();
    if (!trimmed) return; // blank lines separate wrapped fragments in PDF text; not a block end
    if (/^\d{1,3}$/.test(trimmed)) return; // a page number
    if (/^[-–]{3,}$/.test(trimmed)) {
      close();
      return;
    }
    const mdHeading = /^#{1,6}\s/.test(trimmed);
    const wholeBold = /^(#{1,6}\s+)?\*\*[^*]+\*\*:?$/.test(trimmed);
    const text = squash(cleanMarkup(trimmed.replace(/^#{1,6}\s+/, "")));
    if (!text) return;
    const { marker, number } = markerOf(text);
    const startsLower = /^[a-zà-ỹđ]/.test(text);
    const prevEnds = cur ? /[.:;!?]["”)]?$/.test(cur.text) : true;
    const curClosed = !cur || explicit || cur.marker === "roman" || cur.text === cur.text.toUpperCase();
    const continues =
      !curClosed &&
      !mdHeading &&
      !wholeBold &&
      marker === "plain" &&
      (hard ? !(prevEnds && /^[A-ZÀ-ỸĐ"“(]/.test(text)) : startsLower);
    if (continues && cur) {
      cur.text = `${cur.text} ${text}`;
      cur.endLine = lineNo;
      return;
    }
    close();
    explicit = mdHeading || wholeBold;
    cur = { text, marker, number, heading: false, line: lineNo, endLine: lineNo };
  });
  close();
  return blocks;
}
