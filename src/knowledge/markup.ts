// Turns a table cell or a line exported from Word/PDF into plain text:
// HTML tags, footnote markers, LaTeX-ish math and markdown emphasis removed.
import { nfc, squash } from "../text/vietnamese.js";

const LATEX: [RegExp, string][] = [
  [/\\geq?\b/g, "≥"],
  [/\\leq?\b/g, "≤"],
  [/\\neq\b/g, "≠"],
  [/\\times\b/g, "×"],
  [/\\%/g, "%"],
  [/\\,/g, " "],
];

/** Replace `$\geq 40$` by "≥ 40" and drop the dollar signs of inline math. */
export function latexToText(s: string): string {
  return s.replace(/\$([^$]*)\$/g, (_m, inner: string) => {
    let t = inner;
    for (const [re, rep] of LATEX) t = t.replace(re, rep);
    return t.replace(/[{}]/g, "").replace(/\\([a-zA-Z]+)/g, "$1");
  });
}

/**
 * Plain text of a cell. `<br>` and `</p><p>` become `lineBreak` (a separator
 * that matters in agency cells), footnote markers `<sup>n</sup>` vanish.
 */
export function cleanMarkup(s: string, lineBreak = " "): string {
  let t = nfc(s);
  t = t.replace(/<sup>\s*\d+\s*<\/sup>/gi, "");
  t = t.replace(/\[footnoteRef:\d+\]/g, "");
  t = t.replace(/<br\s*\/?>/gi, lineBreak).replace(/<\/p>\s*<p>/gi, lineBreak);
  t = t.replace(/<[^>]+>/g, "");
  t = t.replace(/&nbsp;/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  t = latexToText(t);
  t = t.replace(/\*\*|__/g, "").replace(/(^|[\s(])\*(\S[^*]*?)\*(?=[\s).,:;]|$)/g, "$1$2");
  t = t.replace(/\[bookmark:[^\]]*\]/g, "");
  return lineBreak === " " ? squash(t) : t.split(lineBreak).map(squash).join(lineBreak);
}

/**
 * Two pieces of one cell (lines of a narrow column, or the halves of a row cut
 * at a page break) as one text: a space, except where the break cut a token —
 * after "-" or "/" ("13-⏎KH/TU"), before "/" ("15/12⏎/2026"), inside a date
 * ("15/12/20⏎26").
 */
export function joinPieces(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  if (/[\p{L}\d][-/]$/u.test(a) && /^[\p{L}\d]/u.test(b)) return a + b;
  if (/[\p{L}\d]$/u.test(a) && /^[/][\p{L}\d]/u.test(b)) return a + b;
  if (/\d{1,2}\/\d{1,2}\/\d{1,3}$|\d{1,2}\/\d?$/.test(a) && /^\d/.test(b)) return a + b;
  // "KH/T⏎U", "ươm/t⏎rung tâm": one or two letters after "/" or "-" and the word goes on.
  if (/[/-]\p{Lu}{1,2}$/u.test(a) && /^\p{Lu}{1,3}(?![\p{L}])/u.test(b)) return a + b;
  if (/[/-]\p{Ll}{1,2}$/u.test(a) && /^\p{Ll}/u.test(b)) return a + b;
  return `${a} ${b}`;
}

/** A cell's lines as one text (see joinPieces). */
export function joinCellLines(raw: string): string {
  return raw
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .reduce((acc, l) => joinPieces(acc, l), "");
}
