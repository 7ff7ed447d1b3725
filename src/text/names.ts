// People's names, cleaned once where they enter the store (a registration's
// typed name, an admin's platform name): no control, bidi or other invisible
// format characters, no invisible "letters" (Hangul fillers, braille blank),
// no runs of stacked combining marks, one space between words, bounded length.
// And the one way a name is quoted back in the bot's own messages, so a name
// such as "✅ Đã duyệt #1 Quản trị viên" cannot pass for the bot's words.
import { nfc, truncate } from "./vietnamese.js";

/** Longest name kept, in characters (code points). */
export const NAME_MAX = 80;

// Control characters (C0, C1, DEL: line breaks and tabs among them) stand between words.
const CONTROL = /\p{Cc}/gu;
// Format characters show nothing: bidi marks, embeddings, overrides and isolates (U+200E/F,
// U+061C, U+202A–E, U+2066–9), zero-width characters, the soft hyphen, tags; private use too.
const FORMAT = /[\p{Cf}\p{Co}\p{Cs}]/gu;
// Characters that are letters or marks to Unicode but show nothing: Hangul fillers, the braille
// blank, Khmer inherent vowels, the combining grapheme joiner, Mongolian vowel separator.
const INVISIBLE = /\u115F|\u1160|\u3164|\uFFA0|\u2800|\u17B4|\u17B5|\u034F|\u180E/gu;
// More than two combining marks in a row (Vietnamese needs at most two): "Zalgo" text.
const STACKED_MARKS = /(\p{M}{2})\p{M}+/gu;
const SPACES = /[\s\p{Z}]+/gu;

/** The name as it is stored: cleaned, one line, at most NAME_MAX characters; "" when nothing visible remains. */
export function cleanName(raw: string): string {
  const s = nfc(raw)
    .replace(CONTROL, " ")
    .replace(FORMAT, "")
    .replace(INVISIBLE, " ")
    .replace(STACKED_MARKS, "$1")
    .replace(SPACES, " ")
    .trim();
  if (!hasVisibleText(s)) return "";
  const chars = [...s];
  return chars.length > NAME_MAX ? chars.slice(0, NAME_MAX).join("").trim() : s;
}

/** A letter or a digit remains once invisible characters are gone. */
export function hasVisibleText(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s.replace(INVISIBLE, ""));
}

export type NameCheck = { ok: true; name: string } | { ok: false; error: string };

/** A name someone typed: cleaned, then refused when empty of letters and digits, or too short. */
export function checkName(raw: string, minLength = 2): NameCheck {
  const name = cleanName(raw);
  if (!name) return { ok: false, error: "Nội dung cần có chữ hoặc số." };
  if ([...name].length < minLength) return { ok: false, error: `Cần ít nhất ${minLength} ký tự.` };
  return { ok: true, name };
}

/** A name inside the bot's own words: in “quotes” (its own quotes turned into '), at most `max` characters. */
export function quoteName(name: string, max = 40): string {
  return `“${truncate(name.replace(/[“”"]/g, "'"), max)}”`;
}
