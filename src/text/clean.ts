// The one cleaning of what a person typed, done once at the core's door (and by
// the CLI for its questions): NFC, broken surrogates, zero-width and control
// characters removed, CRLF → LF, trimmed.
import { nfc } from "./vietnamese.js";

// C0/C1 control characters except tab and newline; bidi overrides; BOM/zero-width are removed by nfc().
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Longest input worth looking at; anything longer is cut before cleaning (the length check still sees it as too long). */
const MAX_RAW = 100_000;

export function cleanText(raw: string): string {
  const bounded = raw.length > MAX_RAW ? raw.slice(0, MAX_RAW) : raw;
  return nfc(bounded.replace(/\r\n?/g, "\n")).replace(CONTROL, "").trim();
}
