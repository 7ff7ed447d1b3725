// Vietnamese text handling shared by ingestion, retrieval and the dialogue:
// NFC, case- and diacritic-folding (đ → d), syllables.

/** NFC-normalise; also drops zero-width characters and unpaired surrogates (broken Unicode). */
export function nfc(s: string): string {
  return s
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .replace(/[\u200B-\u200D\uFEFF]/g, "")
    .normalize("NFC");
}

/** Lower-case, strip diacritics, đ → d. "Sở Khoa học và Công nghệ" → "so khoa hoc va cong nghe". */
export function fold(s: string): string {
  return nfc(s)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

/** Collapse whitespace runs to one space and trim. */
export function squash(s: string): string {
  return s.replace(/[\s\u00A0]+/g, " ").trim();
}

/** Folded word tokens (letters and digits), e.g. "KH&CN tỉnh" → ["kh", "cn", "tinh"]. */
export function words(s: string): string[] {
  return fold(s).match(/[a-z0-9]+/g) ?? [];
}

/** Slug of a phrase: folded words joined by "-". */
export function slug(s: string): string {
  return words(s).join("-");
}

/** Truncate to at most `max` characters on a word boundary, adding "…". */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const sp = cut.lastIndexOf(" ");
  return (sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,;:.]+$/, "") + "…";
}
