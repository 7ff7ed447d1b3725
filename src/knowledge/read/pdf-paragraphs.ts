// Lines outside tables → paragraphs. Within a band of lines (no gap wider
// than the pitch), a line starts a new paragraph when it opens with a list
// marker, changes font size, is indented past the paragraph's left edge, or
// when the line before it ended short (its next word would have fitted).
// A band whose lines have two columns of text separated by a gutter (the
// agency / motto header, the "Nơi nhận" / signature block) is read column by
// column.
import { joinItems, type Item, type Line } from "./pdf-lines.js";
import { bandsOf } from "./pdf-tables.js";

/** One visual line's runs within one column. */
export interface Seg {
  line: Line;
  items: Item[];
  x0: number;
  x1: number;
  size: number;
  text: string;
}

export interface Paragraph {
  segs: Seg[];
  /** Right edge of the column the paragraph is set in. */
  right: number;
  /** Top of the lines it was read with: the columns of a plan's head share one, and keep their order. */
  top: number;
}

const seg = (line: Line, items: Item[]): Seg => ({
  line,
  items,
  x0: Math.min(...items.map((i) => i.x0)),
  x1: Math.max(...items.map((i) => i.x1)),
  size: Math.max(...items.map((i) => i.size)),
  text: joinItems(items),
});

/** "1.", "1.2.", "a)", "đ)", "II.", "A.", "(1)", "-", "+", "•" … at the start of a line. */
export const LIST_MARKER = /^(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ][.)]|[IVXLC]{1,6}[.)]|[A-ZĐ][.)]|\(\d{1,3}\)|\([a-zđ]\)|[-+–•*▪●◦➢✓])(?=\s|$)/;
const DASH_MARKER = /^[-+–](?=\s)/;
const MARKER_ONLY = /^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|[a-zđ][.)]|[IVXLC]{1,6}[.)]|[-+–•*▪●◦➢✓])$/;

/** The line ended short: the next line's first word would have fitted after it. */
function endsShort(a: Seg, b: Seg, right: number): boolean {
  const first = b.items[0];
  if (!first) return true;
  const word = b.text.split(" ")[0] ?? "";
  const chars = first.text.trim().length || 1;
  const width = (first.x1 - first.x0) * Math.min(1, word.length / chars);
  return a.x1 + 0.25 * a.size + 0.8 * width < right - 0.5 * a.size;
}

/** Whether b opens a new paragraph after the paragraph `para` (whose last line is a). */
export function opensParagraph(para: Paragraph, b: Seg): boolean {
  const a = para.segs.at(-1);
  if (!a) return true;
  const short = endsShort(a, b, para.right);
  if (LIST_MARKER.test(b.text)) {
    // "kinh tế - xã hội" may wrap before the dash: a dash continues a full line at the same left edge.
    const cont = para.segs[1]?.x0 ?? a.x0;
    if (!(DASH_MARKER.test(b.text) && !short && Math.abs(b.x0 - cont) < 0.5 * b.size)) return true;
  }
  if (Math.abs(a.size - b.size) > 0.6) return true;
  const cont = para.segs[1]?.x0;
  if (cont !== undefined && b.x0 > cont + 0.8 * b.size) return true;
  return short;
}

interface Span {
  x0: number;
  x1: number;
  items: Item[];
}

/**
 * The x-ranges the runs cover, split at gutters 1.5 em wide or more; a range
 * of bare list markers ("-", "1.") joins the text after it.
 */
function textColumns(items: Item[]): Span[] {
  const sorted = [...items].sort((a, b) => a.x0 - b.x0);
  const out: Span[] = [];
  for (const it of sorted) {
    const last = out.at(-1);
    const markers = last?.items.every((i) => MARKER_ONLY.test(i.text));
    if (last && (it.x0 - last.x1 < 1.5 * Math.max(it.size, ...last.items.map((i) => i.size)) || markers)) {
      last.x1 = Math.max(last.x1, it.x1);
      last.items.push(it);
    } else out.push({ x0: it.x0, x1: it.x1, items: [it] });
  }
  return out;
}

/**
 * A band's lines cut into runs of consecutive lines; in a run whose text
 * leaves a gutter (the agency and motto of a plan's head, "Nơi nhận" and
 * the signature) the columns are read one after the other.
 */
function columnRuns(lines: Line[]): { lines: Line[]; columns: Span[] }[] {
  const runs: { lines: Line[]; columns: Span[] }[] = [];
  for (const line of lines) {
    const items = line.items.filter((i) => !i.claimed);
    if (!items.length) continue;
    const own = textColumns(items);
    const last = runs.at(-1);
    if (last) {
      const columns = textColumns([...last.columns.flatMap((c) => c.items), ...items]);
      const multi = last.columns.length >= 2;
      // Columns go on while the gutter stays; a single column goes on with lines of one column;
      // two lone lines on either side of a gutter (different baselines) are columns too.
      const goesOn = multi ? columns.length >= 2 : own.length < 2 && (columns.length < 2 || last.lines.length === 1);
      if (goesOn) {
        last.lines.push(line);
        last.columns = columns;
        continue;
      }
    }
    runs.push({ lines: [line], columns: own });
  }
  return runs;
}

/** Paragraphs of one page's unclaimed lines, in reading order. */
export function pageParagraphs(lines: Line[], pitch: (size: number) => number, right: number): Paragraph[] {
  const out: Paragraph[] = [];
  for (const band of bandsOf(lines, pitch)) {
    for (const run of columnRuns(band.lines)) {
      const segsOf = (inside: (i: Item) => boolean) =>
        run.lines
          .map((l) => l.items.filter((i) => !i.claimed && inside(i)))
          .filter((its) => its.length)
          .map((its) => seg(its[0]!.line, its));
      const flows =
        run.columns.length >= 2
          ? run.columns.map((c) => ({ right: c.x1, columnar: true, segs: segsOf((i) => c.items.includes(i)) }))
          : [{ right, columnar: false, segs: segsOf(() => true) }];
      const top = run.lines[0]!.y;
      for (const flow of flows) {
        let cur: Paragraph | undefined;
        for (const s of flow.segs) {
          // In a column, lines are set one by one (centred, mostly): only a left-aligned line that is full goes on.
          const goesOn = cur && (flow.columnar ? Math.abs(s.x0 - cur.segs.at(-1)!.x0) < 1 && !opensParagraph(cur, s) : !opensParagraph(cur, s));
          if (cur && goesOn) cur.segs.push(s);
          else out.push((cur = { segs: [s], right: flow.right, top }));
        }
      }
    }
  }
  return out;
}

/** Paragraph text: lines joined by a space, or by nothing after a word broken at its hyphen ("57-" + "NQ/TW"). */
export function paragraphText(p: Paragraph): string {
  let text = "";
  for (const s of p.segs) {
    if (!text) text = s.text;
    else if (/[\p{L}\p{N}]-$/u.test(text) && /^[\p{L}\p{N}]/u.test(s.text)) text += s.text;
    else text += " " + s.text;
  }
  return text;
}
