// The PDF reader against the Bắc Ninh plan as offices make it (markdown → HTML →
// LibreOffice .docx → PDF, 67 pages): its tables and paragraphs must be the
// markdown original's. Plus small PDFs of other layouts and broken files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DocumentReadError, type PlanDocument, type TableBlock, type TextBlock } from "../../../src/knowledge/document.js";
import { readPdf } from "../../../src/knowledge/read/pdf.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
// knowledge/bac-ninh-ubnd-2026.md is a byte copy of the plan the PDF was made from.
const MARKDOWN = readFileSync(join(import.meta.dirname, "../../../knowledge/bac-ninh-ubnd-2026.md"), "utf8");

/**
 * Compare text as a reader sees it: no whitespace, and the typography the
 * office pipeline added undone (curly quotes, the ellipsis character).
 */
const flat = (s: string) =>
  s
    .normalize("NFC")
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/…/g, "...")
    .replace(/\s+/g, "");

/** A markdown cell or paragraph as plain text: tags, emphasis, footnote markers and inline math removed. */
function plain(md: string): string {
  return md
    .replace(/<sup>\s*\d+\s*<\/sup>/g, "")
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<\/?[a-z]+>/g, "")
    .replace(/\$([^$]*)\$/g, (_m, math: string) => math.replace(/\\geq?/g, "≥").replace(/\\%/g, "%"))
    .replace(/\*\*|\*/g, "")
    .replace(/^#+\s*/, "")
    .trim();
}

type Row = string[];

/** The markdown's pipe tables, each a list of rows (the header first), separator rows dropped. */
function markdownTables(md: string): Row[][] {
  const tables: Row[][] = [];
  let cur: Row[] | null = null;
  for (const line of md.split("\n")) {
    if (!line.startsWith("|")) {
      cur = null;
      continue;
    }
    if (/^\|[\s|:-]+\|\s*$/.test(line)) continue;
    if (!cur) tables.push((cur = []));
    // Cells written as raw <p>…</p> HTML (one table of Phụ lục II) came out empty
    // from the office pipeline: the PDF has no text for them.
    cur.push(line.trim().replace(/^\||\|$/g, "").split("|").map((c) => (c.includes("<p>") ? "" : plain(c))));
  }
  return tables;
}

/** Body rows of the tables whose header holds `headerWord`, with continuation rows (empty TT) joined cell by cell. */
function joinedRows(tables: Row[][], headerWord: string): Row[] {
  const rows: Row[] = [];
  for (const t of tables) {
    if (!t[0]?.some((c) => flat(c).includes(flat(headerWord)))) continue;
    for (const row of t.slice(1)) {
      const prev = rows.at(-1);
      if (flat(row[0] ?? "") === "TT") continue; // a header repeated inside a piece
      if (!flat(row[0] ?? "") && prev) row.forEach((c, i) => (prev[i] = `${prev[i] ?? ""} ${c}`));
      else rows.push([...row]);
    }
  }
  return rows.map((r) => r.map(flat));
}

const pdfTables = (doc: PlanDocument) => doc.blocks.filter((b): b is TableBlock => b.type === "table");
const asRows = (t: TableBlock): Row[] => t.rows.map((r) => r.cells.map((c) => c.text));

describe("readPdf on the 67-page Bắc Ninh plan", () => {
  let doc: PlanDocument;
  beforeAll(async () => {
    doc = await readPdf("001_e1558aa038f95f91.pdf", fixture("001_e1558aa038f95f91.pdf"));
  });

  it("is a PDF document with no warnings", () => {
    expect(doc.format).toBe("pdf");
    expect(doc.file).toBe("001_e1558aa038f95f91.pdf");
    expect(doc.warnings).toEqual([]);
  });

  it("yields the 58 indicators of Phụ lục I, cell for cell as in the markdown", () => {
    const md = joinedRows(markdownTables(MARKDOWN), "Chỉ tiêu cụ thể");
    const pdf = joinedRows(pdfTables(doc).map(asRows), "Chỉ tiêu cụ thể");
    expect(md.filter((r) => /^\d+$/.test(r[0] ?? ""))).toHaveLength(58);
    expect(pdf).toEqual(md);
  });

  it("yields the 162 tasks of Phụ lục II (sections I–X), cell for cell as in the markdown", () => {
    const md = joinedRows(markdownTables(MARKDOWN), "Tên nhiệm vụ");
    const pdf = joinedRows(pdfTables(doc).map(asRows), "Tên nhiệm vụ");
    expect(md.filter((r) => /^\d+$/.test(r[0] ?? ""))).toHaveLength(162);
    expect(md.filter((r) => /^[IVX]+$/.test(r[0] ?? "")).map((r) => r[0])).toEqual(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]);
    expect(pdf).toEqual(md);
  });

  it("cuts the tables at page breaks and at the markdown's own table breaks, each piece opening with its header", () => {
    const tables = pdfTables(doc);
    // One piece per page a table runs over, plus one where a markdown table ends and the next begins on the same page.
    expect(tables).toHaveLength(PIECES);
    for (const t of tables) expect(flat(t.rows[0]!.cells[0]!.text)).toBe("TT");
    for (const t of tables) expect(t.rows[0]!.cells.every((c) => c.bold && c.text)).toBe(true);
    const pages = tables.map((t) => t.source.page!);
    expect(new Set(pages).size).toBe(67 - 9); // pages 10 (from its foot) to 67
  });

  it("keeps rows whole within a page and marks bold section rows", () => {
    const rows = pdfTables(doc).flatMap((t) => t.rows);
    for (const r of rows) expect(r.source.page).toBeGreaterThan(0);
    const section = rows.find((r) => r.cells[0]!.text === "III");
    expect(section?.cells[0]).toEqual({ text: "III", bold: true });
    expect(section?.cells[1]?.bold).toBe(true);
    expect(section?.cells.slice(2).every((c) => c.text === "" && !c.bold)).toBe(true);
    // Task 1 of section I, a row of its own on page 20, with its cells' line breaks.
    const first = rows.find((r) => flat(r.cells[1]?.text ?? "").startsWith(flat("Tham mưu Tỉnh ủy ban hành Chương trình đột phá")));
    expect(first?.cells[0]?.text).toBe("1");
    expect(first?.cells[1]?.text).toContain("\n");
    expect(first?.source.page).toBe(20);
  });

  it("numbers lines across the document, with page and line on page for every block and row", () => {
    let prev = 0;
    for (const b of doc.blocks) {
      expect(b.source.page).toBeGreaterThan(0);
      expect(b.source.pageLine).toBeGreaterThan(0);
      expect(b.source.line).toBeGreaterThanOrEqual(prev);
      expect(b.source.endLine).toBeGreaterThanOrEqual(b.source.line);
      prev = b.source.line;
      if (b.type === "table") for (const r of b.rows) expect(r.source.page).toBe(b.source.page);
    }
    const motto = doc.blocks.find((b) => b.type === "text" && b.text.startsWith("II. MỤC TIÊU"));
    expect(motto?.source).toMatchObject({ page: 2, pageLine: 3 });
  });

  it("reads the body's paragraphs as the markdown's: one block each", () => {
    const mdParagraphs = MARKDOWN.split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p && !p.startsWith("|"))
      .map(plain)
      .slice(0, 20);
    // The office pipeline set the HTML title ("KH") above the plan; the markdown has none.
    const texts = doc.blocks.filter((b): b is TextBlock => b.type === "text").map((b) => b.text);
    expect(texts[0]).toBe("KH");
    expect(texts.slice(1, 21).map(flat)).toEqual(mdParagraphs.map(flat));
  });

  it("marks headings by size and bold lines standing alone", () => {
    const text = (start: string) => doc.blocks.find((b): b is TextBlock => b.type === "text" && b.text.startsWith(start));
    expect(text("KẾ HOẠCH")).toMatchObject({ bold: true, heading: 2 });
    expect(text("I. MỤC ĐÍCH, YÊU CẦU")).toMatchObject({ bold: true, heading: 3 });
    expect(text("2. Công tác tuyên truyền")?.text).toBe("2. Công tác tuyên truyền, nâng cao nhận thức, tạo sự thống nhất trong hành động");
    expect(text("Phụ lục I")).toMatchObject({ bold: true, heading: 0 });
    expect(text("1.1. Các cấp")).toMatchObject({ bold: false, heading: 0 });
  });
});

const PIECES = 97;

/** Paragraphs of an ODF fixture's source (text:p), markup removed; the master page's header and footer excluded. */
function fodtParagraphs(name: string): string[] {
  const xml = readFileSync(join(FIXTURES, name), "utf8");
  const body = xml.slice(xml.indexOf("<office:body>"));
  const entities: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };
  return [...body.matchAll(/<text:p[^>]*>(.*?)<\/text:p>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "").replace(/&[#\w]+;/g, (e) => entities[e] ?? e));
}

const texts = (doc: PlanDocument) => doc.blocks.filter((b): b is TextBlock => b.type === "text");

describe("readPdf on a Word-style narrative plan", () => {
  let doc: PlanDocument;
  beforeAll(async () => {
    doc = await readPdf("narrative.pdf", fixture("narrative.pdf"));
  });

  it("gives each source paragraph as one block, in reading order: the head's two columns one after the other", () => {
    expect(texts(doc).map((b) => b.text)).toEqual(fodtParagraphs("narrative.fodt"));
    expect(doc.blocks.every((b) => b.type === "text")).toBe(true);
  });

  it("drops the running header and the page numbers", () => {
    for (const b of texts(doc)) {
      expect(b.text).not.toContain("Kế hoạch số 12/KH-UBND của UBND tỉnh Bắc Ninh");
      expect(b.text).not.toMatch(/^\d+$/);
    }
  });

  it("marks bold headings and lines, and places each block on its page and line", () => {
    const block = (text: string) => texts(doc).find((b) => b.text === text);
    expect(block("I. MỤC ĐÍCH, YÊU CẦU")).toMatchObject({ bold: true, heading: 0 });
    expect(block("KẾ HOẠCH")).toMatchObject({ bold: true, heading: 1 });
    expect(block("Số: 12/KH-UBND")).toMatchObject({ bold: false, source: { page: 1, pageLine: 3, line: 3 } });
    expect(block("Nguyễn Văn An")).toMatchObject({ bold: true, source: { page: 3 } });
    const across = texts(doc).find((b) => b.text.startsWith("Nhóm nhiệm vụ thứ 2 tập trung"));
    expect(across?.source.endLine).toBeGreaterThan(across!.source.line);
  });
});

describe("readPdf on a ruled table broken across a page", () => {
  let doc: PlanDocument;
  beforeAll(async () => {
    doc = await readPdf("table.pdf", fixture("table.pdf"));
  });

  it("gives one table per page, each opening with the header row", () => {
    const tables = pdfTables(doc);
    expect(tables.map((t) => t.source.page)).toEqual([1, 2]);
    for (const t of tables) expect(t.rows[0]!.cells.map((c) => c.text.replace(/\n/g, " "))).toEqual(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]);
    expect(texts(doc).map((b) => b.text)).toEqual([
      "PHỤ LỤC: DANH MỤC NHIỆM VỤ NĂM 2026",
      "Các cơ quan, đơn vị triển khai các nhiệm vụ theo danh mục dưới đây, báo cáo kết quả định kỳ hằng quý.",
      "Danh mục này được cập nhật khi có nhiệm vụ mới phát sinh.",
    ]);
  });

  it("keeps each row whole on its page; the row the break cuts goes on, with an empty TT cell, on the next", () => {
    const [first, second] = pdfTables(doc);
    expect(first!.rows.map((r) => r.cells[0]!.text)).toEqual(["TT", "I", "1", "2", "3", "4", "II", "1", "2", "3", "4", "5"]);
    expect(second!.rows.map((r) => r.cells[0]!.text)).toEqual(["TT", "", "6", "7", "8"]);
    const cut = first!.rows.at(-1)!;
    const rest = second!.rows[1]!;
    expect(cut.cells.slice(2).map((c) => c.text.replace(/\n/g, " "))).toEqual(["Sở Khoa học và Công nghệ", "Viettel Bắc Ninh, VNPT Bắc Ninh", "Quý IV/2026"]);
    expect(rest.cells.slice(2).map((c) => c.text)).toEqual(["", "", ""]);
    const source = fodtParagraphs("table.fodt").find((p) => p.startsWith("Triển khai hạ tầng mạng 5G"))!;
    expect(flat(cut.cells[1]!.text + rest.cells[1]!.text)).toBe(flat(source));
    expect(cut.source.page).toBe(1);
    expect(rest.source).toMatchObject({ page: 2, pageLine: 3 });
  });

  it("puts a section row merged across the columns in its first cell, bold", () => {
    const section = pdfTables(doc)[0]!.rows[1]!;
    expect(section.cells).toEqual([
      { text: "I", bold: true },
      { text: "Công tác lãnh đạo, chỉ đạo", bold: true },
      { text: "", bold: false },
      { text: "", bold: false },
      { text: "", bold: false },
    ]);
  });

  it("does not let a cell take its neighbour's text", () => {
    const row = pdfTables(doc)[0]!.rows[2]!;
    expect(row.cells.map((c) => c.text.replace(/\n/g, " "))).toEqual([
      "1",
      "Tham mưu ban hành Chương trình đột phá về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số của tỉnh.",
      "Sở Khoa học và Công nghệ",
      "Các sở, ngành, địa phương",
      "31/3/2026",
    ]);
    expect(row.source).toMatchObject({ page: 1, pageLine: 7, line: 7, endLine: 10 });
  });
});

describe("readPdf failures, as values", () => {
  const reason = async (data: Uint8Array, options = {}) => {
    try {
      await readPdf("x.pdf", data, options);
      return "read";
    } catch (e) {
      expect(e).toBeInstanceOf(DocumentReadError);
      return (e as DocumentReadError).reason + ": " + (e as DocumentReadError).message;
    }
  };

  it("refuses an image-only PDF as scanned, asking for OCR", async () => {
    expect(await reason(fixture("scanned.pdf"))).toMatch(/^scanned: .*OCR/);
  });

  it("reads a PDF of which one page is an image, with a warning for that page", async () => {
    const doc = await readPdf("mixed.pdf", fixture("mixed.pdf"));
    expect(texts(doc).map((b) => b.text)).toEqual(["KE HOACH trien khai nam 2026", "Trang nay co chu; trang sau chi co anh."]);
    expect(doc.warnings).toHaveLength(1);
    expect(doc.warnings[0]).toMatchObject({ page: 2 });
    expect(doc.warnings[0]!.message).toMatch(/page 2 .*OCR/);
  });

  it("refuses a password-protected PDF as encrypted", async () => {
    expect(await reason(fixture("encrypted.pdf"))).toMatch(/^encrypted: /);
  });

  it("refuses a truncated PDF as broken", async () => {
    const whole = fixture("table.pdf");
    expect(await reason(whole.subarray(0, Math.floor(whole.length / 4)))).toMatch(/^broken: /);
  });

  it("refuses a text file named .pdf, and an empty one, as broken", async () => {
    expect(await reason(new TextEncoder().encode("Kế hoạch số 12/KH-UBND\nI. MỤC ĐÍCH\n"))).toMatch(/^broken: .*not a PDF/);
    expect(await reason(new Uint8Array())).toMatch(/^broken: /);
  });

  it("gives up in bounded time: a read past its deadline is broken, the worker stopped", async () => {
    const started = Date.now();
    expect(await reason(fixture("001_e1558aa038f95f91.pdf"), { timeoutMs: 50 })).toMatch(/^broken: .*in time/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses a file over the size limit as too large", async () => {
    expect(await reason(fixture("mixed.pdf"), { maxBytes: 1000 })).toMatch(/^too-large: /);
  });
});
