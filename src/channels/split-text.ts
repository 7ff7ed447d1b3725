// Splits a long answer into chat-sized pieces. Shared by every channel:
// Zalo allows 2,000 characters per message, Telegram 4,096.
//
// Lengths are counted in UTF-16 code units (String#length). That is never less
// than the number of characters a platform counts, so a piece that fits here
// fits there too.

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Split `text` into pieces of at most `limit` UTF-16 code units each.
 *
 * Cuts at the last paragraph break that fits, else the last line break, else the
 * last space; only a single word longer than `limit` is cut mid-word, and then
 * on a grapheme boundary, so an emoji or a surrogate pair is never broken.
 * The whitespace at each cut is dropped; pieces are never empty. An empty or
 * whitespace-only text gives `[]`.
 */
export function splitText(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 2) {
    throw new RangeError(`splitText needs a whole-number limit of at least 2, got ${limit}.`);
  }
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece !== "") pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== "") pieces.push(rest);
  return pieces;
}

/** Index (0 < i <= limit) at which to cut `text`, which is longer than `limit`. */
function findCut(text: string, limit: number): number {
  // A separator starting at index `limit` still lets the piece be `limit` long.
  const window = text.slice(0, limit + 1);
  // Do not produce a tiny piece just to honour a paragraph or line break.
  const minPiece = Math.floor(limit / 3);
  for (const separator of [/\n[ \t]*\n/g, /\n/g]) {
    const at = lastMatch(window, separator);
    if (at >= minPiece && at > 0) return at;
  }
  const space = lastMatch(window, /[ \t\n]/g);
  if (space > 0) return space;
  return hardCut(text, limit);
}

function lastMatch(text: string, pattern: RegExp): number {
  let last = -1;
  for (const m of text.matchAll(pattern)) last = m.index;
  return last;
}

/** The last grapheme boundary <= limit; falls back to a code-point boundary. */
function hardCut(text: string, limit: number): number {
  let cut = 0;
  for (const { index, segment } of graphemes.segment(text.slice(0, limit + 16))) {
    if (index + segment.length > limit) break;
    cut = index + segment.length;
  }
  if (cut > 0) return cut;
  // A single grapheme longer than the limit (e.g. a long emoji ZWJ sequence):
  // cut it, but never between the halves of a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
