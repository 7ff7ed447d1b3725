// The reader entry: picks the reader by the file's content (magic bytes), the
// extension only breaking ties between text formats; refuses what it cannot
// read with a DocumentReadError naming why.
import { DocumentReadError, type DocFormat, type PlanDocument } from "../document.js";
import { readText } from "./text.js";

// The Word, PDF and HTML readers (mammoth, the PDF engine, htmlparser2) load on the first such
// file: a start with the knowledge already on disk reads none of them and pays nothing for them.
const readers = {
  docx: () => import("./docx.js"),
  html: () => import("./html.js"),
  pdf: () => import("./pdf.js"),
};

/** Plans larger than this are refused (chat uploads and knowledge/ alike). */
export const MAX_PLAN_BYTES = 20 * 1024 * 1024;

/** Extensions the readers take. */
export const PLAN_EXTENSIONS = ["md", "txt", "html", "htm", "docx", "pdf"] as const;

const startsWith = (d: Uint8Array, sig: number[]) => sig.every((b, i) => d[i] === b);

/** What the bytes are, whatever the name says: a format the readers take, or why not. */
export function sniff(file: string, data: Uint8Array): { format: DocFormat } | { refused: string; reason: "unsupported" | "encrypted" | "broken" } {
  const ext = /\.([^.]+)$/.exec(file)?.[1]?.toLowerCase() ?? "";
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46])) return { format: "pdf" }; // %PDF
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) return { format: "docx" }; // zip: the docx reader checks it is Word
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0])) {
    // OLE2: an old .doc, or an encrypted .docx
    return ext === "docx"
      ? { refused: "the Word file is password-protected (encrypted)", reason: "encrypted" }
      : { refused: "an old Word .doc (or another Office file): save it as .docx", reason: "unsupported" };
  }
  if (startsWith(data, [0x7b, 0x5c, 0x72, 0x74, 0x66])) return { refused: "an RTF file: save it as .docx", reason: "unsupported" };
  const head = data.subarray(0, 4096);
  // Binary: NUL bytes or many control characters.
  let control = 0;
  for (const b of head) if (b === 0 || (b < 9 && b !== 0)) control++;
  if (control > 0 && (head.includes(0) || control > head.length / 50)) return { refused: "binary content that is not a plan format (images, an archive, …)", reason: "unsupported" };
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head).trimStart().toLowerCase();
  if (/^(?:<!doctype html|<html|<\?xml[^>]*>\s*<html)/.test(text) || (ext.startsWith("htm") && /<(?:p|div|table|body)\b/.test(text))) return { format: "html" };
  if (ext === "md" || ext === "markdown") return { format: "md" };
  if (ext === "txt" || ext === "") return { format: "txt" };
  // Other names with text content: markdown if it looks like it, else plain text.
  return { format: /(^|\n)(#{1,6} |\|.*\|)/.test(text) ? "md" : "txt" };
}

/** A reader that never settles must not hang an ingest (or the bot's start-up): give up after this long. */
const READ_DEADLINE_MS = 120_000;

async function withDeadline(file: string, read: Promise<PlanDocument>): Promise<PlanDocument> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DocumentReadError("broken", `${file}: reading did not finish in ${READ_DEADLINE_MS / 1000} s`)), READ_DEADLINE_MS);
  });
  try {
    return await Promise.race([read, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Read any plan file into the document model. Throws DocumentReadError for a file that cannot be read. */
export async function readDocument(file: string, data: Uint8Array): Promise<PlanDocument> {
  if (data.byteLength > MAX_PLAN_BYTES) throw new DocumentReadError("too-large", `${file}: ${(data.byteLength / 1048576).toFixed(1)} MB is more than 20 MB`);
  const kind = sniff(file, data);
  if ("refused" in kind) throw new DocumentReadError(kind.reason, `${file}: ${kind.refused}`);
  const decode = () => {
    // A page saved by Word or a portal may declare its own encoding (windows-1258, utf-16…).
    const declared = /<meta[^>]+charset=["']?([\w-]+)/i.exec(new TextDecoder("latin1").decode(data.subarray(0, 4096)))?.[1];
    let label = "utf-8";
    if (kind.format === "html" && declared) {
      try {
        new TextDecoder(declared);
        label = declared;
      } catch {
        /* an unknown label: read as UTF-8 */
      }
    }
    const t = new TextDecoder(label, { fatal: false }).decode(data);
    if ((t.match(/\uFFFD/g) ?? []).length > Math.max(20, t.length / 200)) throw new DocumentReadError("broken", `${file}: not UTF-8 text`);
    return t;
  };
  switch (kind.format) {
    case "pdf":
      return withDeadline(file, readers.pdf().then((m) => m.readPdf(file, data)));
    case "docx":
      return (await readers.docx()).readDocx(file, data);
    case "html":
      return (await readers.html()).readHtml(file, decode(), "html");
    case "md":
    case "txt":
      return readText(file, decode(), kind.format);
  }
}
