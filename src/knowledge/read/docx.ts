// .docx → PlanDocument through mammoth (tables stay tables, bold stays bold,
// merged cells become rowspan/colspan), then the HTML reader. Before mammoth
// sees the file, two things Word shows but mammoth drops are written into the
// document itself:
// - automatic list numbers ("1.", "a)", "II."), computed from numbering.xml
//   (format, start, level text), so a numbered task keeps its number;
// - raised small runs (w:position > 0, how Word/LibreOffice often set footnote
//   marks) become superscript, so the reader can drop footnote marks.
import mammoth from "mammoth";
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped } from "fflate";
import { DocumentReadError, type PlanDocument } from "../document.js";
import { readHtml } from "./html.js";

interface Level {
  fmt: string;
  text: string;
  start: number;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
}

function readNumbering(xml: string): Map<string, Map<number, Level>> {
  const abstract = new Map<string, Map<number, Level>>();
  for (const m of xml.matchAll(/<w:abstractNum\b[^>]*w:abstractNumId="([^"]+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g)) {
    const levels = new Map<number, Level>();
    for (const l of m[2]!.matchAll(/<w:lvl\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvl>/g)) {
      const body = l[2]!;
      levels.set(Number(l[1]), {
        fmt: attr(/<w:numFmt\b[^>]*>/.exec(body)?.[0] ?? "", "w:val") ?? "decimal",
        text: attr(/<w:lvlText\b[^>]*>/.exec(body)?.[0] ?? "", "w:val") ?? "",
        start: Number(attr(/<w:start\b[^>]*>/.exec(body)?.[0] ?? "", "w:val") ?? 1),
      });
    }
    abstract.set(m[1]!, levels);
  }
  const nums = new Map<string, Map<number, Level>>();
  for (const m of xml.matchAll(/<w:num\b[^>]*w:numId="([^"]+)"[^>]*>([\s\S]*?)<\/w:num>/g)) {
    const abs = /<w:abstractNumId\b[^>]*w:val="([^"]+)"/.exec(m[2]!)?.[1];
    const levels = new Map(abs ? abstract.get(abs) ?? [] : []);
    for (const o of m[2]!.matchAll(/<w:lvlOverride\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvlOverride>/g)) {
      const start = /<w:startOverride\b[^>]*w:val="(\d+)"/.exec(o[2]!)?.[1];
      const lv = levels.get(Number(o[1]));
      if (start && lv) levels.set(Number(o[1]), { ...lv, start: Number(start) });
    }
    nums.set(m[1]!, levels);
  }
  return nums;
}

function styleNumbering(xml: string): Map<string, { numId: string; ilvl: number }> {
  const out = new Map<string, { numId: string; ilvl: number }>();
  for (const m of xml.matchAll(/<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>([\s\S]*?)<\/w:style>/g)) {
    const numId = /<w:numId\b[^>]*w:val="([^"]+)"/.exec(m[2]!)?.[1];
    if (numId) out.set(m[1]!, { numId, ilvl: Number(/<w:ilvl\b[^>]*w:val="(\d+)"/.exec(m[2]!)?.[1] ?? 0) });
  }
  return out;
}

const ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"];

function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case "lowerLetter":
      return n >= 1 && n <= 26 ? String.fromCharCode(96 + n) : String(n);
    case "upperLetter":
      return n >= 1 && n <= 26 ? String.fromCharCode(64 + n) : String(n);
    case "lowerRoman":
      return (ROMAN[n] ?? String(n)).toLowerCase();
    case "upperRoman":
      return ROMAN[n] ?? String(n);
    case "bullet":
    case "none":
      return "";
    default:
      return String(n);
  }
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** document.xml with list numbers written out and raised runs made superscript. */
export function materialise(documentXml: string, numberingXml: string, stylesXml: string): string {
  const nums = readNumbering(numberingXml);
  const styles = styleNumbering(stylesXml);
  const counters = new Map<string, number[]>();
  let out = documentXml.replace(/<w:p\b(?:[^>]*[^/])?>[\s\S]*?<\/w:p>/g, (p) => {
    const ppr = /<w:pPr>[\s\S]*?<\/w:pPr>/.exec(p)?.[0] ?? "";
    let numId = /<w:numId\b[^>]*w:val="([^"]+)"/.exec(ppr)?.[1];
    let ilvl = Number(/<w:ilvl\b[^>]*w:val="(\d+)"/.exec(ppr)?.[1] ?? 0);
    if (!numId) {
      const style = /<w:pStyle\b[^>]*w:val="([^"]+)"/.exec(ppr)?.[1];
      const s = style ? styles.get(style) : undefined;
      if (s) {
        numId = s.numId;
        ilvl = s.ilvl;
      }
    }
    if (!numId || numId === "0") return p;
    const levels = nums.get(numId);
    const lvl = levels?.get(ilvl);
    if (!levels || !lvl) return p;
    const count = counters.get(numId) ?? [];
    for (let k = 0; k <= ilvl; k++) if (count[k] === undefined) count[k] = (levels.get(k)?.start ?? 1) - 1;
    count[ilvl] = (count[ilvl] ?? 0) + 1;
    count.length = ilvl + 1;
    counters.set(numId, count);
    if (lvl.fmt === "bullet") return p.replace(/<w:numPr>[\s\S]*?<\/w:numPr>/, "").replace(/(<w:pPr>[\s\S]*?<\/w:pPr>|<w:p\b[^>]*>)/, `$1<w:r><w:t xml:space="preserve">- </w:t></w:r>`);
    if (lvl.fmt === "none") return p;
    const label = lvl.text.replace(/%(\d)/g, (_m, d: string) => formatNumber(count[Number(d) - 1] ?? levels.get(Number(d) - 1)?.start ?? 1, levels.get(Number(d) - 1)?.fmt ?? "decimal"));
    if (!label.trim()) return p;
    // The number as text at the start of the paragraph; the list numbering itself removed.
    const stripped = p.replace(/<w:numPr>[\s\S]*?<\/w:numPr>/, "");
    const run = `<w:r><w:t xml:space="preserve">${escapeXml(label)} </w:t></w:r>`;
    return /<w:pPr>[\s\S]*?<\/w:pPr>/.test(stripped) ? stripped.replace(/(<w:pPr>[\s\S]*?<\/w:pPr>)/, `$1${run}`) : stripped.replace(/(<w:p\b[^>]*>)/, `$1${run}`);
  });
  // Raised runs: superscript.
  out = out.replace(/<w:rPr>((?:(?!<\/w:rPr>)[\s\S])*?<w:position\b[^>]*w:val="(\d+)"[^>]*\/>(?:(?!<\/w:rPr>)[\s\S])*?)<\/w:rPr>/g, (m, inner: string, pos: string) =>
    Number(pos) > 0 && !/w:vertAlign/.test(inner) ? `<w:rPr>${inner}<w:vertAlign w:val="superscript"/></w:rPr>` : m,
  );
  return out;
}

export async function readDocx(file: string, data: Uint8Array): Promise<PlanDocument> {
  let zip: Unzipped;
  try {
    zip = unzipSync(data);
  } catch (err) {
    throw new DocumentReadError("broken", `${file}: not a readable Word file (${(err as Error).message})`);
  }
  const doc = zip["word/document.xml"];
  if (!doc) {
    if (zip["EncryptedPackage"] || zip["EncryptionInfo"]) throw new DocumentReadError("encrypted", `${file}: the Word file is password-protected`);
    throw new DocumentReadError("broken", `${file}: a zip file without word/document.xml is not a Word document`);
  }
  const text = (name: string) => (zip[name] ? strFromU8(zip[name]!) : "");
  zip["word/document.xml"] = strToU8(materialise(strFromU8(doc), text("word/numbering.xml"), text("word/styles.xml")));
  const patched = zipSync(zip, { level: 0 });
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(patched) }, { includeDefaultStyleMap: true, ignoreEmptyParagraphs: true });
    html = result.value;
  } catch (err) {
    throw new DocumentReadError("broken", `${file}: the Word file could not be read (${(err as Error).message})`);
  }
  const out = readHtml(file, html, "docx");
  if (!out.blocks.length) out.warnings.push({ line: 1, message: "the Word file has no text (only images?)" });
  return out;
}
