// Glyph runs → visual lines: runs grouped by baseline, sorted by x, spaces put
// back from the gaps, bold taken from the font name, footnote markers dropped,
// running headers/footers and page numbers removed, lines numbered.
import { nfc, squash } from "../../text/vietnamese.js";
import type { RawItem, RawPage } from "./pdf-engine.js";

/** A glyph run on a page, cleaned. y is the baseline, growing downwards. */
export interface Item {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  bold: boolean;
  /** The line the run sits on (set when lines are built). */
  line: Line;
  /** Taken by a table. */
  claimed: boolean;
}

export interface Line {
  page: number;
  y: number;
  /** Largest font size on the line. */
  size: number;
  items: Item[];
  /** 1-based across the document, in reading order; and on its page. */
  no: number;
  pageLine: number;
}

export interface PageLines {
  page: number;
  width: number;
  height: number;
  lines: Line[];
}

const BOLD_FONT = /bold|black|heavy|semibold|demibold|extrabold|ultrabold/i;

// Symbol/Wingdings bullets come out as private-use code points.
const PUA_BULLETS = new Set([0xf0b7, 0xf0a7, 0xf0a8, 0xf0d8, 0xf076, 0xf06c, 0xf0fc, 0xf0ae, 0xf06e, 0xf0f0, 0xf02d]);

function cleanText(s: string): string {
  let out = "";
  for (const ch of nfc(s)) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xe000 && cp <= 0xf8ff) out += PUA_BULLETS.has(cp) ? "•" : "";
    else if (cp === 0xad) continue; // soft hyphen
    else out += ch;
  }
  return out.replace(/[\s\u00a0]+/g, " ");
}

/** The size most of the document's text is set in. */
export function bodySize(pages: RawPage[]): number {
  const weight = new Map<number, number>();
  for (const p of pages) {
    for (const it of p.items) {
      const k = Math.round(it.size * 2) / 2;
      weight.set(k, (weight.get(k) ?? 0) + it.text.length);
    }
  }
  let best = 12;
  let bestW = -1;
  for (const [k, w] of weight) if (w > bestW) [best, bestW] = [k, w];
  return best;
}

type Run = Omit<Item, "line">;

function toItems(raw: RawItem[], fonts: Record<string, string>): Run[] {
  const items: Run[] = [];
  for (const r of raw) {
    const full = cleanText(r.text);
    const text = full.trim();
    if (!text) continue;
    // pdf.js counts the spaces it adds at the ends into the width: take them out.
    const perChar = Math.max(0, r.width) / full.length;
    const lead = full.length - full.trimStart().length;
    items.push({
      text,
      x0: r.x + lead * perChar,
      x1: r.x + (lead + text.length) * perChar,
      y: r.y,
      size: r.size,
      bold: BOLD_FONT.test(fonts[r.font] ?? ""),
      claimed: false,
    });
  }
  items.sort((a, b) => a.y - b.y || a.x0 - b.x0);
  // Text painted twice at (almost) the same place is fake bold: keep one, bold.
  const out: Run[] = [];
  for (const it of items) {
    let twin: Run | undefined;
    for (let k = out.length - 1; k >= 0; k--) {
      const o = out[k];
      if (!o || it.y - o.y >= 1) break;
      if (Math.abs(o.x0 - it.x0) < 1 && o.text === it.text) twin = o;
    }
    if (twin) twin.bold = true;
    else out.push(it);
  }
  return out;
}

/**
 * The run a short, smaller run s is a superscript of: s sits raised above
 * the host's baseline (or on it, when s leads the line: a footnote's own
 * marker), right after or before the host. `items` is sorted by y; s is at i.
 */
function superscriptHost(items: Run[], i: number): Run | undefined {
  const s = items[i];
  if (!s || s.text.trim().length > 3) return undefined;
  for (let k = i + 1; k < items.length; k++) {
    const h = items[k];
    if (!h) break;
    const rise = h.y - s.y;
    if (rise > 1.2 * s.size) break;
    if (h.size * 0.85 < s.size) continue;
    const after = s.x0 - h.x1;
    const before = h.x0 - s.x1;
    if (after > -1 && after < 1.5 * h.size && rise >= 0.12 * h.size && rise <= 0.6 * h.size) return h;
    if (before > -1 && before < 1.5 * h.size && rise >= -0.05 * h.size && rise <= 0.6 * h.size) return h;
  }
  return undefined;
}

/** Lines of one page, top to bottom (not yet numbered). */
export function buildLines(page: number, raw: RawPage, fonts: Record<string, string>): Line[] {
  const items = toItems(raw.items, fonts);
  // Superscripts: numbers are footnote markers and are dropped (the markdown
  // reader drops <sup>n</sup> too); other superscripts join their host's line.
  const kept: Run[] = [];
  const attach = new Map<Run, Run>();
  items.forEach((it, i) => {
    const host = superscriptHost(items, i);
    if (!host) kept.push(it);
    else if (!/^[\d*†‡]+$/.test(it.text.trim())) attach.set(it, host);
  });

  // Group by baseline: a run joins the line when its baseline is within a third of an em.
  const lines: Line[] = [];
  const lineOfRun = new Map<Run, Line>();
  let cur: Line | undefined;
  for (const it of kept) {
    if (!cur || Math.abs(it.y - cur.y) > 0.35 * Math.max(it.size, cur.size)) {
      cur = { page, y: it.y, size: it.size, items: [], no: 0, pageLine: 0 };
      lines.push(cur);
    }
    cur.size = Math.max(cur.size, it.size);
    cur.items.push({ ...it, line: cur });
    lineOfRun.set(it, cur);
  }
  for (const [sup, host] of attach) {
    const line = lineOfRun.get(host);
    if (line) line.items.push({ ...sup, y: line.y, line });
  }
  for (const l of lines) {
    l.items.sort((a, b) => a.x0 - b.x0);
    l.items = weave(l.items);
  }
  return lines;
}

// Advance widths (per mille of the em) of Times-like serif letters, for
// placing characters inside a run: pdf.js gives only a run's start and width.
const WIDTHS: Record<string, number> = {
  a: 444, b: 500, c: 444, d: 500, e: 444, f: 333, g: 500, h: 500, i: 278, j: 278, k: 500, l: 278, m: 778,
  n: 500, o: 500, p: 500, q: 500, r: 333, s: 389, t: 278, u: 500, v: 500, w: 722, x: 500, y: 500, z: 444,
  I: 333, J: 389, M: 889, W: 944, ".": 250, ",": 250, ":": 278, ";": 278, "-": 333, "/": 278, "(": 333,
  ")": 333, "“": 444, "”": 444, '"': 408, "'": 180, "%": 833, đ: 500, Đ: 722,
};

function charWidth(ch: string): number {
  const base = ch.normalize("NFD")[0] ?? ch;
  return WIDTHS[ch] ?? WIDTHS[base] ?? (/\p{Lu}/u.test(base) ? 667 : 500);
}

/**
 * x where each character of a run starts (and, last, where the run ends):
 * letters by their usual widths, spaces sharing what is left (justified text
 * stretches them), all scaled to the run's width.
 */
export function charOffsets(text: string, x0: number, x1: number, size: number): number[] {
  const chars = [...text];
  const widths = chars.map((c) => (c === " " ? 0 : charWidth(c)));
  const spaces = chars.filter((c) => c === " ").length;
  const letters = widths.reduce((a, b) => a + b, 0);
  const room = ((x1 - x0) * 1000) / size - letters;
  const space = spaces ? Math.max(250, room / spaces) : 0;
  const natural = letters + space * spaces || 1;
  const scale = (x1 - x0) / natural;
  const out = [x0];
  let x = x0;
  chars.forEach((c, i) => out.push((x += (c === " " ? space : widths[i]!) * scale)));
  return out;
}

/**
 * Glyphs a PDF writer drew from a fallback font (Vietnamese letters missing
 * from the main font) come as runs of their own, overlapping the main runs,
 * whose text holds a space (pdf.js' mark for the gap) where they go. Runs
 * that overlap, one of them such a sparse run ("ủ ị": letters one or two at a
 * time), are merged letter by letter in x order, each letter placed by
 * charOffsets; a space that a letter of the other run fills is dropped,
 * unless room for a word space is left beside that letter.
 */
function weave(items: Item[]): Item[] {
  const sparse = (it: Item) => it.text.split(" ").every((w) => [...w].length <= 2);
  const out: Item[] = [];
  let group: Item[] = [];
  const flush = () => {
    if (group.length > 1 && group.some(sparse)) out.push(mergeRuns(group));
    else out.push(...group);
    group = [];
  };
  for (const it of items) {
    if (group.length && it.x0 >= Math.max(...group.map((g) => g.x1)) - 0.5) flush();
    group.push(it);
  }
  flush();
  return out;
}

function mergeRuns(runs: Item[]): Item {
  type Glyph = { ch: string; x0: number; x1: number; run: Item };
  const glyphs: Glyph[] = [];
  for (const run of runs) {
    const at = charOffsets(run.text, run.x0, run.x1, run.size);
    [...run.text].forEach((ch, i) => glyphs.push({ ch, x0: at[i]!, x1: at[i + 1]!, run }));
  }
  const letters = glyphs.filter((g) => g.ch !== " ");
  const size = Math.max(...runs.map((r) => r.size));
  const kept: Glyph[] = [...letters];
  for (const sp of glyphs.filter((g) => g.ch === " ")) {
    const over = (g: Glyph) => Math.min(g.x1, sp.x1) - Math.max(g.x0, sp.x0);
    const fill = letters.filter((g) => g.run !== sp.run && over(g) > 0.4 * Math.min(g.x1 - g.x0, sp.x1 - sp.x0));
    if (!fill.length) kept.push(sp);
    else {
      const left = Math.min(...fill.map((g) => g.x0)) - sp.x0;
      const right = sp.x1 - Math.max(...fill.map((g) => g.x1));
      if (left > 0.3 * size) kept.push({ ...sp, x1: sp.x0 + left });
      else if (right > 0.3 * size) kept.push({ ...sp, x0: sp.x1 - right });
    }
  }
  kept.sort((a, b) => a.x0 + a.x1 - (b.x0 + b.x1));
  return {
    ...runs[0]!,
    text: squash(kept.map((g) => g.ch).join("")),
    x0: Math.min(...runs.map((r) => r.x0)),
    x1: Math.max(...runs.map((r) => r.x1)),
    size,
    bold: runs.every((r) => r.bold),
  };
}

/** Items joined into text, a space where the gap between two runs is wider than a sliver. */
export function joinItems(items: readonly Item[]): string {
  let out = "";
  let prev: Item | undefined;
  for (const it of items) {
    if (prev) {
      const gap = it.x0 - prev.x1;
      if (gap > 0.15 * Math.max(prev.size, it.size) && !out.endsWith(" ") && !it.text.startsWith(" ")) out += " ";
    }
    out += it.text;
    prev = it;
  }
  return squash(out);
}

export const lineText = (l: Line): string => joinItems(l.items);

const PAGE_NUMBER = /^[-–—(]?\s*(trang\s*)?\d{1,4}\s*(\/\s*\d{1,4})?\s*[-–—)]?$/i;

/**
 * Drop running headers and footers: a line in the top or bottom eighth of the
 * page whose text (digits ignored) recurs at the same height on most pages;
 * and a bare page number that is the first or last line of its page.
 */
export function dropRunningLines(pages: PageLines[]): void {
  // A running line sits in the top or bottom eighth, apart from the body (a
  // table's header row, repeated on each page, is not apart from it).
  const band = (p: PageLines, l: Line) => l.y < p.height * 0.12 || l.y > p.height * 0.88;
  const apart = (p: PageLines, l: Line) => {
    const i = p.lines.indexOf(l);
    const inner = l.y < p.height / 2 ? p.lines[i + 1] : p.lines[i - 1];
    return !inner || Math.abs(inner.y - l.y) > 1.6 * Math.max(l.size, inner.size);
  };
  const edge = (p: PageLines) => {
    const top = p.lines.slice(0, 3).filter((l) => band(p, l));
    const bottom = p.lines.slice(-3).filter((l) => band(p, l));
    // Only the outermost lines, each apart from the next one in.
    const keep: Line[] = [];
    for (const l of top) if (apart(p, l)) keep.push(l); else break;
    for (const l of [...bottom].reverse()) if (apart(p, l)) keep.push(l); else break;
    return keep;
  };
  const keyOf = (l: Line) => lineText(l).toLowerCase().replace(/\d+/g, "#");
  const seen = new Map<string, { y: number; pages: Set<number> }[]>();
  for (const p of pages) {
    for (const l of edge(p)) {
      const k = keyOf(l);
      const spots = seen.get(k) ?? [];
      let spot = spots.find((s) => Math.abs(s.y - l.y) < 4);
      if (!spot) spots.push((spot = { y: l.y, pages: new Set() }));
      spot.pages.add(p.page);
      seen.set(k, spots);
    }
  }
  const need = Math.max(3, Math.ceil(pages.length * 0.5));
  for (const p of pages) {
    const drop = new Set<Line>();
    for (const l of edge(p)) {
      const spot = seen.get(keyOf(l))?.find((s) => Math.abs(s.y - l.y) < 4);
      if (spot && spot.pages.size >= need) drop.add(l);
    }
    const rest = p.lines.filter((l) => !drop.has(l));
    for (const l of [rest[0], rest.at(-1)]) {
      if (l && band(p, l) && PAGE_NUMBER.test(lineText(l)) && apart(p, l)) drop.add(l);
    }
    p.lines = p.lines.filter((l) => !drop.has(l));
  }
}

/** Number the lines: across the document and on each page, top to bottom. */
export function numberLines(pages: PageLines[]): void {
  let no = 0;
  for (const p of pages) {
    p.lines.forEach((l, i) => {
      l.no = ++no;
      l.pageLine = i + 1;
    });
  }
}
