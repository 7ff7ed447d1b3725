// Every layout and deadline form the extractors promise, on small plans written
// for the purpose (test/knowledge/fixtures/layouts, plans that do not exist):
// labelled paragraphs hard-wrapped mid-name, one-cell-per-line, pipe and tab
// tables, HTML and Word tables with merged cells, Word's own list numbers, bold
// lettered lead groups, assignment sentences, deadlines inside sentences; and
// files that cannot be read give a warning naming them while the others load.
import { cpSync, mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingest, type IngestResult } from "../../src/knowledge/ingest.js";
import { KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import { FIXTURES, KNOWLEDGE_DIR } from "./helpers.js";

async function ingestFiles(files: string[], dir = "layouts"): Promise<IngestResult & { index: KnowledgeIndex }> {
  const root = mkdtempSync(join(tmpdir(), "layouts-"));
  const k = join(root, "knowledge");
  mkdirSync(k);
  cpSync(join(KNOWLEDGE_DIR, "agencies.json"), join(k, "agencies.json"));
  for (const f of files) cpSync(join(FIXTURES, dir, f), join(k, f));
  const r = await ingest({ knowledgeDir: k, dataDir: join(root, "data") });
  return { ...r, index: new KnowledgeIndex(r.kb) };
}

describe("labelled paragraphs, hard-wrapped (text from a PDF): a) Nhiệm vụ / b) Cơ quan thực hiện / c) Thời gian", async () => {
  const r = await ingestFiles(["tay-son-labelled.txt"]);
  const t = (id: string) => r.index.task(id)!;

  it("one task per numbered item, named by its 'Nhiệm vụ:' label, never by 'Cơ quan thực hiện'", () => {
    expect(r.kb.tasks.map((x) => x.id)).toEqual(["TS-1", "TS-2", "TS-3", "TS-4", "TS-5", "TS-6", "TS-7"]);
    expect(r.kb.tasks.some((x) => /cơ quan thực hiện/i.test(x.name))).toBe(false);
    expect(t("TS-1").name).toBe("Xây dựng cơ sở dữ liệu dùng chung của tỉnh, kết nối với các cơ sở dữ liệu quốc gia.");
  });

  it("joins a value cut by a line break inside an agency's name", () => {
    expect(t("TS-1").lead).toEqual(["Sở Khoa học và Công nghệ"]);
    expect(t("TS-1").coordinators).toEqual(["Sở Tài chính", "Công an tỉnh", "các sở, ngành liên quan"]);
  });

  it("reads label synonyms: Chủ trì / Phối hợp, Cơ quan chủ trì; … Cơ quan phối hợp on one line, Đơn vị thực hiện, Nội dung", () => {
    expect(t("TS-4")).toMatchObject({ lead: ["Sở Khoa học và Công nghệ"], coordinators: ["Ban Quản lý các khu công nghiệp tỉnh"] });
    expect(t("TS-5")).toMatchObject({ name: "Triển khai nền tảng học tập số cho các trường phổ thông.", lead: ["Sở GD&ĐT"], coordinators: ["Sở Khoa học và Công nghệ"] });
    expect(t("TS-5").leadAgencies[0]!.canonical).toBe("Sở Giáo dục và Đào tạo");
    expect(t("TS-6").lead).toEqual(["Sở Khoa học và Công nghệ"]);
  });

  it("understands every deadline form, and lists the one it does not with file and line", () => {
    expect(t("TS-1").deadline).toMatchObject({ raw: "Quý II/2026", due: "2026-06-30", kind: "quarter" });
    expect(t("TS-2").deadline).toMatchObject({ raw: "6/2026", due: "2026-06-30", kind: "month" });
    expect(t("TS-3").deadline).toMatchObject({ raw: "2026 và những năm tiếp theo", due: "2026-12-31", kind: "year", ongoing: true });
    expect(t("TS-4").deadline).toMatchObject({ raw: "2025 - 2026", due: "2026-12-31", start: "2025-01-01", kind: "year" });
    expect(t("TS-5").deadline).toMatchObject({ raw: "Quí IV-2026", due: "2026-12-31", kind: "quarter" });
    expect(t("TS-6").deadline).toMatchObject({ raw: "6 tháng đầu năm 2026", due: "2026-06-30", kind: "half" });
    expect(t("TS-7").deadline).toMatchObject({ raw: "Đợt 1", due: null, kind: "unknown" });
    expect(r.kb.warnings).toContainEqual({ file: "tay-son-labelled.txt", line: 52, message: 'task TS-7: deadline "Đợt 1" not understood' });
  });

  it("reads the duties of TỔ CHỨC THỰC HIỆN with their deadlines inside sentences", () => {
    expect(r.kb.duties.map((d) => [d.agency, d.coordinators, d.deadline?.due ?? null])).toEqual([
      ["Sở Khoa học và Công nghệ", ["Sở Tài chính"], "2026-12-15"],
      ["Sở Tài chính", [], "2026-03-31"],
      ["Các sở, ngành, địa phương", [], null],
    ]);
  });

  it("takes the plan's facts from its header", () => {
    expect(r.kb.plans[0]).toMatchObject({ issuer: "Ủy ban nhân dân tỉnh Tây Sơn", number: "45/KH-UBND", date: "2026-03-05", locality: "Tây Sơn", level: "province", code: "TS" });
  });
});

describe("one cell per line (legal-portal markdown), merged cells dropped", async () => {
  const r = await ingestFiles(["an-binh-one-cell.md"]);
  const t = (id: string) => r.index.task(id)!;
  it("section rows are sections; a row without TT is a sub-task taking the merged cells; an empty deadline cell is none", () => {
    expect(r.kb.tasks.map((x) => [x.id, x.section.number])).toEqual([
      ["AB-1.1", "I"],
      ["AB-1.1b", "I"],
      ["AB-1.2", "I"],
      ["AB-2.1", "II"],
      ["AB-2.2", "II"],
    ]);
    expect(t("AB-1.1b")).toMatchObject({ lead: ["Sở Nông nghiệp và Môi trường"], coordinators: ["Sở Khoa học và Công nghệ", "UBND các xã, phường"], deadline: { due: "2026-09-30" }, result: "Bản đồ số", flags: ["sub-row"] });
    expect(t("AB-2.1").deadline.kind).toBe("none");
  });
  it("'Ngân hàng Nhà nước' + 'Việt Nam' on two lines is one agency; header words are synonyms (STT, Nội dung nhiệm vụ, Đơn vị chủ trì, Sản phẩm)", () => {
    expect(t("AB-1.2")).toMatchObject({ coordinators: ["Ngân hàng Nhà nước Việt Nam"], deadline: { raw: "03/2026", due: "2026-03-31" }, result: "Cơ sở dữ liệu cấp phép" });
  });
  it("finds the issuer in the two-column header table", () => {
    expect(r.kb.plans[0]).toMatchObject({ issuer: "Ủy ban nhân dân Thành phố An Bình", number: "118/KH-UBND", date: "2026-02-12", locality: "An Bình" });
  });
});

describe("pipe tables: header synonyms, extra columns, 'I.' section rows, TT with a dot, a row cut at a page break", async () => {
  const r = await ingestFiles(["bo-mau-pipe.md"]);
  const t = (id: string) => r.index.task(id)!;
  it("ids carry no trailing dot; a national plan's code comes from its issuer", () => {
    expect(r.kb.tasks.map((x) => x.id)).toEqual(["BKHCN-1.1", "BKHCN-1.2", "BKHCN-2.1", "BKHCN-2.2", "BKHCN-2.3", "BKHCN-2.4"]);
    expect(r.kb.plans[0]).toMatchObject({ issuer: "Bộ Khoa học và Công nghệ", level: "national", locality: "" });
  });
  it("rejoins the row cut at the page break, across the footnote and the repeated header", () => {
    expect(t("BKHCN-2.1").name).toBe("Nâng cấp trung tâm dữ liệu của Bộ bảo đảm an toàn thông tin cấp độ 4.");
  });
  it("keeps Kết quả dự kiến, Nguồn kinh phí and an unknown column on the record", () => {
    expect(t("BKHCN-1.1")).toMatchObject({ result: "Nghị định", funding: "Ngân sách trung ương", extra: { "Địa điểm": "Hà Nội" } });
  });
  it("reads bare m/yyyy, a bare year, Quí with '-', a year range, 'và những năm tiếp theo', 'tháng 12 năm 2026'", () => {
    expect([t("BKHCN-1.1"), t("BKHCN-1.2"), t("BKHCN-2.1"), t("BKHCN-2.2"), t("BKHCN-2.3"), t("BKHCN-2.4")].map((x) => [x.deadline.due, x.deadline.kind])).toEqual([
      ["2025-03-31", "month"],
      ["2025-12-31", "year"],
      ["2025-12-31", "quarter"],
      ["2026-12-31", "year"],
      ["2025-12-31", "year"],
      ["2026-12-31", "month"],
    ]);
  });
  it("abbreviations and agencies renamed in 2025 are linked to today's agency, the text as written kept", () => {
    expect(t("BKHCN-2.3").lead).toEqual(["Ban Tuyên giáo Trung ương"]);
    expect(t("BKHCN-2.3").coordinatorAgencies.map((a) => a.canonical)).toEqual(["Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam", "Thông tấn xã Việt Nam"]);
    expect(t("BKHCN-2.4").leadAgencies.map((a) => [a.text, a.canonical])).toEqual([["Bộ TT&TT", "Bộ Khoa học và Công nghệ"]]);
    expect(t("BKHCN-2.4").coordinatorAgencies.map((a) => a.canonical)).toEqual(["Bộ Tài chính", "Bộ Nội vụ"]);
    expect(r.index.tasksOfAgency(r.index.agency("Bộ Thông tin và Truyền thông")!.id, "lead").map((x) => x.id)).toEqual(["BKHCN-2.4"]);
  });
});

describe("a table with no TT column", async () => {
  const r = await ingestFiles(["so-no-tt.md"]);
  it("counts its rows per bold section row, joins a row cut mid-sentence, reads 'Năm hoàn thành' as the deadline", () => {
    expect(r.kb.tasks.map((x) => [x.id, x.name, x.lead, x.deadline.due])).toEqual([
      ["TS-A.1", "Nâng cấp mạng nội bộ của Sở.", ["Văn phòng Sở"], "2026-12-31"],
      ["TS-A.2", "Mua sắm máy chủ dự phòng cho trung tâm dữ liệu.", ["Văn phòng Sở"], "2027-12-31"],
      ["TS-B.1", "Xây dựng kho dữ liệu khoa học.", ["Phòng Quản lý khoa học"], "2026-09-30"],
    ]);
    expect(r.kb.plans[0]).toMatchObject({ issuer: "Sở Khoa học và Công nghệ tỉnh Tây Sơn", locality: "Tây Sơn" });
  });
});

describe("tab-separated tables (Word text export)", async () => {
  const r = await ingestFiles(["hoa-lac-tab.txt"]);
  it("reads the rows with 'Đơn vị thực hiện' as the lead and 'Quý 3 năm 2026'", () => {
    expect(r.kb.tasks.map((x) => [x.ordinal, x.lead, x.deadline.due])).toEqual([
      ["1", ["Văn phòng HĐND và UBND xã"], "2026-09-30"],
      ["2", ["Đoàn Thanh niên xã"], "2026-09-30"],
      ["3", ["UBND xã"], "2026-12-31"],
    ]);
    expect(r.kb.plans[0]).toMatchObject({ issuer: "UBND xã Hòa Lạc", locality: "xã Hòa Lạc", level: "commune" });
  });
});

describe("a party plan: bold lettered headings lead the bullets under them; sentences assign work", async () => {
  const r = await ingestFiles(["dang-uy-groups.md"]);
  const t = (id: string) => r.index.task(id)!;
  it("each bullet under 'a) Đảng ủy UBND tỉnh' is a task of that agency, with the deadline its sentence gives", () => {
    expect(r.kb.tasks.filter((x) => x.parent).map((x) => [x.id, x.lead[0], x.deadline.due])).toEqual([
      ["TS-2.a1", "Đảng ủy UBND tỉnh", "2026-02-28"],
      ["TS-2.a2", "Đảng ủy UBND tỉnh", null],
      ["TS-2.b1", "Ban Tổ chức Tỉnh ủy", "2026-06-30"],
      ["TS-2.c1", "Các đảng ủy trực thuộc Tỉnh ủy", null],
      ["TS-2.c2", "Các đảng ủy trực thuộc Tỉnh ủy", null],
    ]);
  });
  it("'X chủ trì, phối hợp với Y …' and 'Giao X …' under PHÂN CÔNG NHIỆM VỤ are tasks of X", () => {
    expect(t("TS-1.1")).toMatchObject({ lead: ["Ban Tuyên giáo và Dân vận Tỉnh ủy"], coordinators: ["Sở Khoa học và Công nghệ"], deadline: { raw: "trong Quý II năm 2026", due: "2026-06-30" } });
    expect(t("TS-1.2").lead).toEqual(["Sở Nội vụ"]);
  });
  it("reads the party header (Đảng bộ over Ban Thường vụ) and the 6-monthly report dates", () => {
    expect(r.kb.plans[0]).toMatchObject({ issuer: "Ban Thường vụ Tỉnh ủy Tây Sơn", number: "12-KH/TU", locality: "Tây Sơn" });
    expect(r.kb.duties[0]!.schedule.map((s) => [s.period, s.day, s.month])).toEqual([
      ["year", 15, 6],
      ["year", 1, 12],
    ]);
  });
});

describe("HTML and Word: tables with merged cells, list numbers, footnote marks", async () => {
  const html = await ingestFiles(["binh-an-html.html"]);
  const word = await ingestFiles(["binh-an-word.docx"]);
  const fields = (r: IngestResult) => r.kb.tasks.map((x) => ({ id: x.id, name: x.name, lead: x.lead, coordinators: x.coordinators, deadline: x.deadline.raw, flags: x.flags }));
  it("HTML: a rowspan TT makes a sub-task taking the merged cells; a colspan title is a section", () => {
    expect(fields(html)).toEqual([
      { id: "BA-1.1", name: "Triển khai phần mềm một cửa điện tử.", lead: ["Văn phòng HĐND và UBND phường"], coordinators: ["Công an phường"], deadline: "Quý II/2026", flags: [] },
      { id: "BA-1.1b", name: "Tập huấn sử dụng phần mềm cho công chức.", lead: ["Phòng Văn hóa - Xã hội phường"], coordinators: ["Công an phường"], deadline: "Quý II/2026", flags: ["sub-row"] },
      { id: "BA-1.2", name: "Số hóa sổ hộ tịch từ năm 1999 đến nay.", lead: ["Phòng Văn hóa - Xã hội phường"], coordinators: ["Văn phòng HĐND và UBND phường"], deadline: "15/10/2026", flags: [] },
    ]);
    expect(html.kb.plans[0]).toMatchObject({ issuer: "Ủy ban nhân dân phường Bình An", locality: "phường Bình An", level: "commune", number: "07/KH-UBND" });
  });
  it("Word (the same page saved by LibreOffice as .docx): the same records", () => {
    expect(fields(word)).toEqual(fields(html).map((f) => ({ ...f, id: f.id })));
  });
  it("Word's automatic numbering ('1.', 'a)') is written out, so labelled tasks keep their numbers", async () => {
    const r = await ingestFiles(["tay-son-word.docx"]);
    expect(r.kb.tasks.map((x) => [x.ordinal, x.name, x.lead, x.deadline.due])).toEqual([
      ["1", "Xây dựng kho dữ liệu dùng chung của tỉnh.", ["Sở Khoa học và Công nghệ"], "2026-06-30"],
      ["2", "Số hóa hồ sơ lưu trữ lịch sử.", ["Sở Nội vụ"], "2026-06-30"],
    ]);
  });
  it("drops footnote marks (<sup>1</sup>) from the text", () => {
    expect(html.kb.passages.some((p) => p.text.includes("mọi người dân."))).toBe(true);
  });
});

describe("PDF (the same page exported by LibreOffice): merged cells show only as empty cells", async () => {
  const html = await ingestFiles(["binh-an-html.html"]);
  const pdf = await ingestFiles(["binh-an-pdf.pdf"]);
  const fields = (r: IngestResult) => r.kb.tasks.map((x) => ({ id: x.id, name: x.name, lead: x.lead, coordinators: x.coordinators, deadline: x.deadline.raw, flags: x.flags }));
  it("gives the records of the HTML: the sub-row's empty cells are the merged ones", () => {
    expect(fields(pdf)).toEqual(fields(html));
    expect(pdf.kb.tasks.every((t) => t.source.page === 1)).toBe(true);
  });
});

describe("an HTML page saved in windows-1258 (Word's 'Web page')", async () => {
  const r = await ingestFiles(["word-web-1258.html"]);
  it("is read in the encoding it declares, tone marks composed", () => {
    expect(r.kb.tasks.map((t) => [t.name, t.lead, t.deadline.due])).toEqual([["Số hóa hồ sơ.", ["Sở Nội vụ"], "2026-06-30"]]);
  });
});

describe("files that cannot be read", async () => {
  const files = ["scanned.pdf", "broken.pdf", "encrypted.pdf", "picture.docx", "old-word.doc", "truncated.docx"];
  const r = await ingestFiles(files, "unreadable");
  it("each gives one warning naming the file and why; nothing crashes", () => {
    expect(r.failed.map((f) => f.file).sort()).toEqual([...files].sort());
    const why = Object.fromEntries(r.failed.map((f) => [f.file, f.message]));
    expect(why["scanned.pdf"]).toMatch(/no text layer/);
    expect(why["encrypted.pdf"]).toMatch(/password/);
    expect(why["broken.pdf"]).toMatch(/not a readable PDF/);
    expect(why["picture.docx"]).toMatch(/not a plan format/);
    expect(why["old-word.doc"]).toMatch(/save it as \.docx/);
    expect(why["truncated.docx"]).toMatch(/not a readable Word file/);
    for (const f of files) expect(r.kb.warnings.filter((w) => w.file === f)).toHaveLength(1);
  });
  it("the other plans still load", async () => {
    const root = mkdtempSync(join(tmpdir(), "mixed-"));
    const k = join(root, "knowledge");
    cpSync(KNOWLEDGE_DIR, k, { recursive: true });
    for (const f of files) cpSync(join(FIXTURES, "unreadable", f), join(k, f));
    const mixed = await ingest({ knowledgeDir: k, dataDir: join(root, "data") });
    expect(mixed.kb.tasks.filter((t) => t.plan === "bac-ninh-ubnd-2026")).toHaveLength(162);
    expect(mixed.failed).toHaveLength(files.length);
  });
});
