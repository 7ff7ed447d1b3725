// The outline of each plan (title, basis, headings, appendices, signers), as the
// ask feature will quote it: "gồm những phần nào", "mục 2.2 có mấy tổ đảng",
// "ai ký", "thực hiện những văn bản nào", "có mấy phụ lục". Every value below
// was read in the file itself; lines are the file's (text formats) or the
// reader's (Word, PDF: with the page).
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readText } from "../../src/knowledge/read/text.js";
import { ingest } from "../../src/knowledge/ingest.js";
import { referencesIn } from "../../src/knowledge/parse/basis.js";
import { planOutline } from "../../src/knowledge/parse/outline.js";
import { signers } from "../../src/knowledge/parse/signature.js";
import { parseTables } from "../../src/knowledge/parse/tables.js";
import type { KnowledgeBase, OutlineHeading, PlanOutline } from "../../src/knowledge/types.js";
import { BAC_NINH, KNOWLEDGE_DIR, ingestAs, realKnowledge } from "./helpers.js";

function outline(plan: string, kb?: KnowledgeBase): PlanOutline {
  const o = kb ? kb.outlines?.find((x) => x.plan === plan) : realKnowledge().outline(plan);
  if (!o) throw new Error(`no outline for ${plan}`);
  return o;
}
const parts = (o: PlanOutline) => o.headings.filter((h) => h.level === 1 && !h.appendix);
const appendices = (o: PlanOutline) => o.headings.filter((h) => h.level === 1 && h.appendix);
const childrenOf = (o: PlanOutline, h: OutlineHeading) => o.headings.filter((c) => c.parent === o.headings.indexOf(h));
/** The heading numbered `path` ("II", "2", "2.2"), each inside the one before. */
function at(o: PlanOutline, ...path: string[]): OutlineHeading {
  let scope = o.headings.filter((h) => h.parent === -1 && !h.appendix);
  let found: OutlineHeading | undefined;
  for (const n of path) {
    found = scope.find((h) => h.number === n);
    if (!found) throw new Error(`no heading ${path.join(" > ")} in ${o.plan}`);
    scope = childrenOf(o, found);
  }
  return found!;
}
const brief = (hs: OutlineHeading[]) => hs.map((h) => [h.number, h.title, h.source.line]);

describe("Bắc Giang (UBND tỉnh, NQ 03/NQ-CP): text from PDF, hard-wrapped", () => {
  const o = outline("bac-giang-ubnd-2025");

  it("has the title as written and the four parts I–IV, with their lines", () => {
    expect(o.title).toMatch(/^KẾ HOẠCH Thực hiện Nghị quyết số 03\/NQ-CP ngày 09\/01\/2025 của Chính phủ ban hành Chương trình hành động/);
    expect(o.titleSource).toMatchObject({ file: "bac-giang-ubnd-2025.txt", line: 1, endLine: 9 });
    expect(brief(parts(o))).toEqual([
      ["I", "MỤC ĐÍCH, YÊU CẦU", 28],
      ["II", "NHIỆM VỤ CỤ THỂ", 91],
      ["III", "KINH PHÍ THỰC HIỆN", 836],
      ["IV", "TỔ CHỨC THỰC HIỆN", 848],
    ]);
  });

  it("part II has nine groups numbered 1–9, each at its own line, their wrapped titles rejoined", () => {
    const groups = childrenOf(o, at(o, "II"));
    expect(groups.map((g) => g.number)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(groups.map((g) => g.source.line)).toEqual([101, 206, 350, 421, 542, 613, 682, 739, 781]);
    expect(groups.every((g) => g.level === 2 && g.appendix === "")).toBe(true);
    expect(groups[0]!.title).toBe(
      "Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết liệt lãnh đạo, chỉ đạo, tạo xung lực mới, khí thế mới trong toàn xã hội về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    );
    expect(groups[7]!.title).toBe("Bảo đảm an toàn, an ninh mạng");
    // The numbered sentences of IV are duties, not headings.
    expect(childrenOf(o, at(o, "IV"))).toEqual([]);
  });

  it("rests on NQ 03/NQ-CP (its title) and NQ 57-NQ/TW (its opening sentence), each once", () => {
    expect(o.basis.map((b) => [b.text, b.source.line])).toEqual([
      ["Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ", 3],
      ["Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", 14],
    ]);
  });

  it("its signature block names no one: the file ends before the name", () => {
    expect(o.signers).toEqual([{ role: "TM. UỶ BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", name: "", source: { file: "bac-giang-ubnd-2025.txt", line: 937, endLine: 941 } }]);
  });
});

describe("UBND TP. Hồ Chí Minh, QĐ 2820: a decision, its plan, and a one-cell-per-line appendix table", () => {
  const o = outline("hcm-ubnd-2820-2025");

  it("the plan's parts I–IV; part II has six groups", () => {
    expect(brief(parts(o))).toEqual([
      ["I", "MỤC ĐÍCH, YÊU CẦU", 178],
      ["II", "NỘI DUNG THỰC HIỆN", 213],
      ["III", "NHIỆM VỤ TRỌNG TÂM", 295],
      ["IV", "TỔ CHỨC THỰC HIỆN", 321],
    ]);
    expect(brief(childrenOf(o, at(o, "II")))).toEqual([
      ["1", "Xây dựng hạ tầng công nghệ thông tin", 216],
      ["2", "Xây dựng phần mềm và cơ sở dữ liệu quy hoạch", 227],
      ["3", "Hoàn thiện thể chế, quy chế phối hợp", 240],
      ["4", "Đào tạo, tập huấn và truyền thông", 254],
      ["5", "Quản lý, vận hành, khai thác và bảo mật", 264],
      ["6", "Kinh phí thực hiện", 276],
    ]);
    expect(childrenOf(o, at(o, "IV")).map((h) => h.title)[0]).toBe("Sở Tài chính (cơ quan chủ trì)");
  });

  it("the appendix is one heading of level 1, its task table's section rows I–VI under it", () => {
    const [app, ...more] = appendices(o);
    expect(more).toEqual([]);
    expect(app).toMatchObject({ level: 1, number: "", appendix: "Phụ lục", title: "NHIỆM VỤ CỦA CÁC SỞ, BAN, NGÀNH, PHƯỜNG, XÃ, ĐẶC KHU", source: { line: 452, endLine: 455 } });
    const sections = childrenOf(o, app!);
    expect(sections.map((s) => [s.number, s.source.line])).toEqual([
      ["I", 476],
      ["II", 550],
      ["III", 615],
      ["IV", 726],
      ["V", 809],
      ["VI", 868],
    ]);
    expect(sections.every((s) => s.level === 2 && s.appendix === "Phụ lục")).toBe(true);
    expect(sections[2]!.title).toBe("Xây dựng cơ sở dữ liệu quốc gia về quy hoạch");
    expect(sections[5]!.title).toBe("Các nhiệm vụ khác");
  });

  it("signed in the cell beside \"Nơi nhận\", cited at the cell's own lines", () => {
    expect(o.signers).toEqual([{ role: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", name: "Nguyễn Lộc Hà", source: { file: "hcm-ubnd-2820-2025.md", line: 162, endLine: 164 } }]);
  });

  it("rests on the decision's \"Căn cứ\": QĐ 06/QĐ-TTg and 3103/QĐ-BTC among them, the title's capitals not repeated", () => {
    const qd06 = o.basis.find((b) => b.text.includes("Quyết định số 06/QĐ-TTg"));
    const qd3103 = o.basis.find((b) => b.text.includes("3103/QĐ-BTC"));
    expect(qd06).toMatchObject({ text: "Quyết định số 06/QĐ-TTg ngày 02 tháng 01 năm 2025 của Thủ tướng Chính phủ", source: { line: 86 } });
    expect(qd3103).toMatchObject({ text: "Quyết định số 3103/QĐ-BTC ngày 05 tháng 9 năm 2025 của Bộ Tài chính", source: { line: 107 } });
    expect(o.basis.filter((b) => /06\/QĐ-TTg/i.test(b.text))).toHaveLength(1);
    // "Căn cứ các Quyết định …: Quyết định số 1629 …; Quyết định số 790 …; Quyết định số 1711 …" — three documents.
    expect(o.basis.filter((b) => b.source.line === 100).map((b) => b.text)).toEqual([
      "Quyết định số 1629/QĐ-TTg ngày 16 tháng 12 năm 2023",
      "Quyết định số 790/QĐ-TTg ngày 03 tháng 8 năm 2024",
      "Quyết định số 1711/QĐ-TTg ngày 31 tháng 12 năm 2024",
    ]);
    // A document named inside another's description is not one the plan rests on.
    expect(o.basis.some((b) => /71\/NQ-CP|Luật Đấu thầu/.test(b.text))).toBe(false);
    expect(o.basis).toHaveLength(23);
  });
});

describe("Đảng đoàn Quốc hội, 3260-KH/ĐĐQH15: party style, bold lettered groups", () => {
  const o = outline("quochoi-ddqh-3260-2025");

  it("parts I, II, III at lines 22, 37, 138, and no appendix", () => {
    expect(brief(parts(o))).toEqual([
      ["I", "MỤC ĐÍCH, YÊU CẦU", 22],
      ["II", "PHÂN CÔNG NHIỆM VỤ", 37],
      ["III", "TỔ CHỨC THỰC HIỆN", 138],
    ]);
    expect(appendices(o)).toEqual([]);
  });

  it("2.2 assigns work to exactly 14 groups, a–p without f and j, at their lines", () => {
    const h22 = at(o, "II", "2", "2.2");
    expect(h22.level).toBe(3);
    const groups = childrenOf(o, h22);
    expect(groups.map((g) => g.number)).toEqual(["a", "b", "c", "d", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p"]);
    expect(groups.map((g) => g.source.line)).toEqual([54, 65, 71, 77, 81, 88, 94, 101, 108, 115, 120, 127, 130, 134]);
    expect(groups[0]).toMatchObject({ level: 4, title: "Tổ đảng ở Thường trực Ủy ban KH,CN&MT" });
    expect(groups[13]!.title).toBe("Các Đoàn đại biểu Quốc hội, các đại biểu Quốc hội");
  });

  it("signed by Trần Thanh Mẫn for the Đảng đoàn; rests on NQ 57-NQ/TW", () => {
    expect(o.signers.map((s) => [s.role, s.name, s.source.line])).toEqual([["T/M ĐẢNG ĐOÀN QUỐC HỘI / BÍ THƯ", "Trần Thanh Mẫn", 157]]);
    expect(o.basis.map((b) => b.text)).toEqual(["Nghị quyết số 57-NQ/TW ngày 22/12/2024"]);
  });
});

describe("Thanh tra tỉnh Bắc Ninh: hard-wrapped text", () => {
  const o = outline("bac-ninh-thanh-tra-2026");

  it("part II (NỘI DUNG) has six groups; 5 has 5.1", () => {
    const groups = childrenOf(o, at(o, "II"));
    expect(groups.map((g) => [g.number, g.source.line])).toEqual([
      ["1", 75],
      ["2", 101],
      ["3", 142],
      ["4", 188],
      ["5", 238],
      ["6", 284],
    ]);
    expect(brief(childrenOf(o, at(o, "II", "5")))).toEqual([["5.1", "Đẩy mạnh chuyển đổi số trong hệ thống chính trị", 240]]);
    expect(parts(o).map((p) => p.number)).toEqual(["I", "II", "III"]);
  });

  it("signed by Nguyễn Thị Hường for the Chánh Thanh tra", () => {
    expect(o.signers).toEqual([{ role: "KT. CHÁNH THANH TRA / PHÓ CHÁNH THANH TRA", name: "Nguyễn Thị Hường", source: { file: "bac-ninh-thanh-tra-2026.txt", line: 366, endLine: 377 } }]);
  });

  it("implements KH 107/KH-UBND of the province (its opening sentence) and NQ 57 (its title)", () => {
    expect(o.basis.map((b) => [b.text, b.source.line])).toEqual([
      ["Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", 3],
      ["Kế hoạch số 107/KH-UBND ngày 11/4/2026 của UBND tỉnh", 10],
    ]);
  });
});

describe("UBND tỉnh Bắc Ninh: markdown, two appendices with tables", () => {
  const o = outline(BAC_NINH);

  it("Phụ lục I and Phụ lục II, with their titles as written", () => {
    expect(appendices(o).map((a) => [a.appendix, a.number, a.source.line])).toEqual([
      ["Phụ lục I", "I", 241],
      ["Phụ lục II", "II", 332],
    ]);
    expect(appendices(o)[0]!.title).toBe("MỤC TIÊU, CHỈ TIÊU CỤ THỂ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22/12/2024 CỦA BỘ CHÍNH TRỊ TRÊN ĐỊA BÀN TỈNH BẮC NINH NĂM 2026");
    expect(appendices(o)[1]!.title).toBe("DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026 THEO CÁC KẾ HOẠCH CỦA UBND TỈNH, NGHỊ QUYẾT SỐ 11/NQ-CP");
  });

  it("indicator groups A–E under Phụ lục I, task groups I–X under Phụ lục II", () => {
    const [pl1, pl2] = appendices(o);
    expect(brief(childrenOf(o, pl1!))).toEqual([
      ["A", "Phát triển hạ tầng", 249],
      ["B", "Phát triển nguồn lực", 252],
      ["C", "Phát triển khoa học, công nghệ", 262],
      ["D", "Phát triển hệ sinh thái đổi mới sáng tạo", 279],
      ["E", "Phát triển chuyển đổi số", 289],
    ]);
    const groups = childrenOf(o, pl2!);
    expect(groups.map((g) => g.number)).toEqual(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]);
    expect(groups.map((g) => g.source.line)).toEqual([339, 350, 374, 399, 441, 477, 525, 590, 611, 622]);
    expect(groups.every((g) => g.appendix === "Phụ lục II" && g.level === 2)).toBe(true);
  });

  it("the body: parts I, II, III, V as written (there is no IV); sentences cut by a footnote are not headings", () => {
    expect(parts(o).map((p) => p.number)).toEqual(["I", "II", "III", "V"]);
    const groups = childrenOf(o, at(o, "III"));
    expect(groups.map((g) => g.number)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    // "1.3. Thành lập Hội đồng … đổi mới sáng" and "5.2. …" are cut by footnotes among sentences 1.1–1.5, 5.1–5.x.
    expect(childrenOf(o, at(o, "III", "1"))).toEqual([]);
    expect(childrenOf(o, at(o, "III", "5"))).toEqual([]);
    expect(brief(childrenOf(o, at(o, "III", "7")))).toEqual([
      ["7.1", "Đẩy mạnh chuyển đổi số trong hệ thống chính trị", 147],
      ["7.2", "Thúc đẩy mạnh mẽ hoạt động chuyển đổi số trong doanh nghiệp", 165],
    ]);
  });

  it("signed by Mai Sơn; rests on 17-TB/CQTTBCĐ, 11/NQ-CP and 13-KH/TU, one reference each", () => {
    expect(o.signers.map((s) => [s.role, s.name, s.source.line, s.source.endLine])).toEqual([["TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Mai Sơn", 235, 239]]);
    expect(o.basis.map((b) => b.text)).toEqual([
      "Thông báo kết luận số 17-TB/CQTTBCĐ ngày 29/12/2025 của Cơ quan Thường trực Ban Chỉ đạo Trung ương",
      "Nghị quyết số 11/NQ-CP ngày 14/01/2026 của Chính phủ",
      "Kế hoạch số 13-KH/TU ngày 08/01/2026 của Ban Thường vụ Tỉnh ủy",
    ]);
  });
});

describe("Đảng ủy phường Đa Mai: markdown, two appendices, labelled tasks", () => {
  const o = outline("da-mai-dang-uy-2026");

  it("signed by Dương Ngọc Chiên, Bí thư, for the Ban Thường vụ (two lines one block: split at the office)", () => {
    expect(o.signers).toEqual([{ role: "T/M BAN THƯỜNG VỤ / BÍ THƯ", name: "Dương Ngọc Chiên", source: { file: "da-mai-dang-uy-2026.md", line: 178, endLine: 181 } }]);
  });

  it("PHỤ LỤC (indicator groups A–E) and PHỤ LỤC 02 (task groups I–V); tasks are records, not headings", () => {
    const [pl, pl02] = appendices(o);
    expect([pl!.appendix, pl!.number, pl!.title, pl!.source.line]).toEqual(["Phụ lục", "", "Các chỉ tiêu cụ thể thực hiện Nghị quyết số 57-NQ/TW", 183]);
    expect(childrenOf(o, pl!).map((h) => h.number)).toEqual(["A", "B", "C", "D", "E"]);
    expect([pl02!.appendix, pl02!.number, pl02!.source.line]).toEqual(["Phụ lục 02", "02", 228]);
    const groups = childrenOf(o, pl02!);
    expect(groups.map((g) => [g.number, g.source.line])).toEqual([
      ["I", 236],
      ["II", 268],
      ["III", 304],
      ["IV", 318],
      ["V", 350],
    ]);
    // "9. Triển khai, bộ quy tắc …" (a task) and "18. Tiếp nhận … chuyển giao:" (the parent of tasks 18a–18e).
    expect(groups.flatMap((g) => childrenOf(o, g))).toEqual([]);
  });
});

describe("Tỉnh ủy Lai Châu: text from Word whose paragraphs are one line each", () => {
  const o = outline("lai-chau-tinh-uy-2026");

  it("2.1–2.4 under II.2, each at its own line though the text after it starts in capitals", () => {
    expect(brief(childrenOf(o, at(o, "II", "2")))).toEqual([
      ["2.1", "Chỉ tiêu kết quả, đóng góp tăng trưởng", 33],
      ["2.2", "Về đột phá khoa học, công nghệ và đổi mới sáng tạo", 40],
      ["2.3", "Về chuyển đổi số của tỉnh", 70],
      ["2.4", "Về theo dõi, giám sát và đánh giá", 115],
    ]);
    expect(childrenOf(o, at(o, "II", "2", "2.3")).map((h) => [h.number, h.title])).toEqual([
      ["1", "Về hạ tầng số"],
      ["2", "Về số hóa, dữ liệu, nền tảng số"],
      ["3", "Về thủ tục hành chính và dịch vụ công trực tuyến"],
      ["4", "Về nhân lực và năng lực thực thi công vụ trên môi trường số"],
    ]);
    expect(parts(o).map((p) => [p.number, p.source.line])).toEqual([
      ["I", 18],
      ["II", 28],
      ["III", 119],
      ["IV", 167],
    ]);
  });

  it("has no signature block, and rests on NQ 57, CTr 63-CTr/TU and TB 17-TB/CQTTBCĐ", () => {
    expect(o.signers).toEqual([]);
    expect(o.basis.map((b) => b.text)).toEqual([
      "Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị",
      "Chương trình hành động số 63-CTr/TU, ngày 27/02/2025 của Tỉnh ủy",
      "Thông báo số 17-TB/CQTTBCĐ, ngày 29/12/2025 của Cơ quan Thường trực Ban Chỉ đạo Trung ương",
    ]);
  });
});

describe("passages sit where the outline says", () => {
  const passage = (plan: string, starts: string) => {
    const p = realKnowledge().passages.find((x) => x.plan === plan && x.text.includes(starts));
    if (!p) throw new Error(`no passage "${starts}" in ${plan}`);
    return p;
  };

  it("their path is the outline's headings around them, their section the innermost", () => {
    // "1.2. Về hoàn thiện thể chế, chính sách" is a heading of its own line (the line after it starts in capitals).
    const lc = passage("lai-chau-tinh-uy-2026", "Đẩy mạnh hiện đại hóa phương thức chỉ đạo, điều hành dựa trên dữ liệu");
    expect(lc.path).toEqual(["NHIỆM VỤ, GIẢI PHÁP", "Nhiệm vụ, giải pháp chung", "Về hoàn thiện thể chế, chính sách"]);
    expect(lc.section).toEqual({ number: "1.2", title: "Về hoàn thiện thể chế, chính sách" });
    const qh = passage("quochoi-ddqh-3260-2025", "Chủ trì thẩm tra, giám sát việc thực hiện chính sách, pháp luật về tư pháp");
    expect(qh.path.slice(-2)).toEqual([at(outline("quochoi-ddqh-3260-2025"), "II", "2", "2.2").title, "Tổ đảng ở Thường trực Ủy ban Tư pháp"]);
  });

  it("a sentence a footnote cut is not a heading of the text after it, and the opening lines sit under no heading", () => {
    expect(passage(BAC_NINH, "Từng bước xem xét bố trí cán bộ").path).toEqual(["NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "Công tác lãnh đạo, chỉ đạo"]);
    expect(passage(BAC_NINH, "Căn cứ Nghị quyết số 11/NQ-CP").path).toEqual([]);
  });
});

describe("every plan of knowledge/ has its outline", () => {
  it("one per plan, through KnowledgeIndex.outline", () => {
    const kb = realKnowledge();
    expect(kb.plans.map((p) => kb.outline(p.id)?.plan)).toEqual(kb.plans.map((p) => p.id));
    expect(kb.outline("no-such-plan")).toBeUndefined();
    for (const p of kb.plans) expect(parts(kb.outline(p.id)!).length).toBeGreaterThanOrEqual(3);
  });
});

describe("Bắc Ninh as .docx and .pdf: the same outline as its markdown", async () => {
  const bare = (s: string) => s.replace(/…/g, "...").replace(/\s+/g, "");
  const shape = (o: PlanOutline) => ({
    headings: o.headings.map((h) => [h.level, h.number, bare(h.title), h.appendix, h.parent]),
    signers: o.signers.map((s) => [s.role, s.name]),
    basis: o.basis.map((b) => bare(b.text)),
    title: bare(o.title),
  });
  const md = outline(BAC_NINH, await ingestAs("md"));
  const docx = outline(BAC_NINH, await ingestAs("docx"));
  const pdf = outline(BAC_NINH, await ingestAs("pdf"));

  it("Word: headings, signer, basis and title", () => {
    expect(shape(docx)).toEqual(shape(md));
  });

  it("PDF: the same, a section title cut at a page break rejoined (\"Phát triển khoa học,\" / \"công nghệ\")", () => {
    expect(shape(pdf)).toEqual(shape(md));
  });

  it("each cites its own lines: the PDF with pages", () => {
    expect(docx.headings.map((h) => h.source.line)).not.toEqual(md.headings.map((h) => h.source.line));
    expect(pdf.headings.every((h) => typeof h.source.page === "number")).toBe(true);
    expect(appendices(pdf).map((a) => a.source.page)).toEqual([10, 19]);
    expect(pdf.signers[0]!.source).toMatchObject({ page: 10 });
  });
});

// The held-out plans are committed beside their scorer (test/knowledge/heldout/plans).
const HELDOUT = join(import.meta.dirname, "heldout", "plans");

describe("held-out plans in other layouts (read, not tuned on)", async () => {
  const root = mkdtempSync(join(tmpdir(), "outline-heldout-"));
  const k = join(root, "knowledge");
  cpSync(KNOWLEDGE_DIR, k, { recursive: true, filter: (src) => !/\.(md|txt|docx|pdf|html)$/.test(src) });
  for (const f of readdirSync(HELDOUT)) cpSync(join(HELDOUT, f), join(k, f));
  const result = await ingest({ knowledgeDir: k, dataDir: join(root, "data") });
  const of = (plan: string) => outline(plan, result.kb);

  it("broken files give a warning each, no crash and no outline", () => {
    expect(result.failed.map((f) => f.file).sort()).toEqual(["broken-renamed-png.pdf", "broken-scan-nghean-165-2025.pdf", "broken-truncated-ninhkieu.docx"]);
    expect(result.kb.outlines?.some((o) => o.plan.startsWith("broken-"))).toBe(false);
    expect(result.kb.outlines).toHaveLength(8);
  });

  it("Hà Nội (HTML legal portal): parts I–V, the appendix's section rows I–VI, signer", () => {
    const o = of("hanoi-ubnd-215-2025");
    expect(parts(o).map((p) => [p.number, p.title])).toEqual([
      ["I", "MỤC ĐÍCH, YÊU CẦU"],
      ["II", "MỤC TIÊU ĐẾN NĂM 2026"],
      ["III", "NHIỆM VỤ, GIẢI PHÁP"],
      ["IV", "KINH PHÍ THỰC HIỆN"],
      ["V", "TỔ CHỨC THỰC HIỆN"],
    ]);
    const [app] = appendices(o);
    expect(app!.title).toBe("DANH MỤC NHIỆM VỤ TRIỂN KHAI CHUYỂN ĐỔI SỐ THÀNH PHỐ HÀ NỘI NĂM 2025 - 2026");
    expect(childrenOf(o, app!).map((h) => h.number)).toEqual(["I", "II", "III", "IV", "V", "VI"]);
    expect(o.signers.map((s) => s.name)).toEqual(["Nguyễn Đức Hải"]);
  });

  it("Chính phủ NQ 27 (PDF): the programme's parts I–III after the resolution, appendix rows I–VI whose titles sit in the lead column", () => {
    const o = of("chinhphu-nq-27-2025");
    expect(parts(o).map((p) => [p.number, p.title, p.source.page])).toEqual([
      ["I", "MỤC TIÊU", 2],
      ["II", "NHIỆM VỤ CỤ THỂ", 2],
      ["III", "TỔ CHỨC THỰC HIỆN", 2],
    ]);
    // The numbered sentences of III are not headings, though the PDF reader marks all the text with a heading level.
    expect(childrenOf(o, at(o, "III"))).toEqual([]);
    const [app] = appendices(o);
    expect(childrenOf(o, app!).map((h) => [h.number, h.title])).toEqual([
      ["I", "HOÀN THIỆN THỂ CHẾ, CHÍNH SÁCH"],
      ["II", "TĂNG CƯỜNG ĐẦU TƯ, HOÀN THIỆN HẠ TẦNG"],
      ["III", "PHÁT TRIỂN NGUỒN NHÂN LỰC CHẤT LƯỢNG CAO"],
      ["IV", "CHUYỂN ĐỔI SỐ TRONG HOẠT ĐỘNG CỦA CƠ QUAN NHÀ NƯỚC"],
      ["V", "TUYÊN TRUYỀN, NÂNG CAO NHẬN THỨC"],
      ["VI", "HỢP TÁC QUỐC TẾ VÀ TỔ CHỨC THỰC HIỆN"],
    ]);
    expect(o.signers.map((s) => [s.role, s.name])).toEqual([["TM. CHÍNH PHỦ / THỦ TƯỚNG", "Đặng Minh Khôi"]]);
  });

  it("Quảng Ninh (markdown, party style): parts I–IV at their lines, bold lettered groups a–i with đ, signer in a table cell", () => {
    const o = of("quangninh-dukhoi-112-2025");
    expect(parts(o).map((p) => [p.number, p.source.line])).toEqual([
      ["I", 15],
      ["II", 21],
      ["III", 38],
      ["IV", 91],
    ]);
    expect(childrenOf(o, at(o, "III", "2")).map((h) => h.number)).toEqual(["a", "b", "c", "d", "đ", "e", "g", "h", "i"]);
    expect(o.signers.map((s) => [s.role, s.name])).toEqual([["T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ", "Vũ Thị Thu Hà"]]);
  });

  it("Gia Lai (text from PDF, form feeds): parts I–IV at their lines", () => {
    const o = of("gialai-ubnd-312-2025");
    expect(parts(o).map((p) => [p.number, p.title, p.source.line])).toEqual([
      ["I", "MỤC ĐÍCH, YÊU CẦU", 21],
      ["II", "MỤC TIÊU NĂM 2026", 27],
      ["III", "NHIỆM VỤ CỤ THỂ", 33],
      ["IV", "TỔ CHỨC THỰC HIỆN", 161],
    ]);
  });
});

describe("the steps, on small texts", () => {
  it("an outline from layouts alone: parts, groups, an appendix with its title on the same line, a table's groups past H", () => {
    const md = [
      "**KẾ HOẠCH**", // 1
      "**Triển khai Kế hoạch số 12/KH-UBND ngày 02/3/2026 của UBND tỉnh**",
      "",
      "Căn cứ Quyết định số 5/QĐ-UBND ngày 01/01/2026 của UBND tỉnh; Chỉ thị số 7/CT-TTg của Thủ tướng Chính phủ;",
      "",
      "**I. MỤC ĐÍCH**", // 6
      "",
      "Phụ lục kèm theo Kế hoạch này gồm các chỉ tiêu.",
      "",
      "**II. NHIỆM VỤ**", // 10
      "",
      "1. Về hạ tầng", // 12
      "",
      "a) Sở Tài chính bảo đảm kinh phí.",
      "",
      "2. Về nhân lực", // 16
      "",
      "**PHỤ LỤC C: DANH MỤC CHỈ TIÊU**", // 18
      "",
      "| TT | Chỉ tiêu | Đơn vị tính | Năm 2026 |",
      "|---|---|---|---|",
      ...["A", "B", "C", "D", "E", "G", "H", "I", "K"].flatMap((g, k) => [`| ${g} | Nhóm ${k + 1} |  |  |`, `| 1 | Chỉ tiêu ${k + 1} | % | 100 |`]),
    ].join("\n");
    const doc = readText("p.md", md, "md");
    const o = planOutline({ doc, plan: "p", tables: parseTables(doc.blocks, () => {}) });
    expect(o.title).toBe("KẾ HOẠCH Triển khai Kế hoạch số 12/KH-UBND ngày 02/3/2026 của UBND tỉnh");
    expect(o.basis.map((b) => [b.text, b.source.line])).toEqual([
      ["Kế hoạch số 12/KH-UBND ngày 02/3/2026 của UBND tỉnh", 2],
      ["Quyết định số 5/QĐ-UBND ngày 01/01/2026 của UBND tỉnh", 4],
      ["Chỉ thị số 7/CT-TTg của Thủ tướng Chính phủ", 4],
    ]);
    expect(o.headings.map((h) => [h.level, h.number, h.title, h.appendix, h.source.line])).toEqual([
      [1, "I", "MỤC ĐÍCH", "", 6],
      [1, "II", "NHIỆM VỤ", "", 10],
      [2, "1", "Về hạ tầng", "", 12],
      [2, "2", "Về nhân lực", "", 16],
      [1, "C", "DANH MỤC CHỈ TIÊU", "Phụ lục C", 18],
      ...["A", "B", "C", "D", "E", "G", "H", "I", "K"].map((g, k) => [2, g, `Nhóm ${k + 1}`, "Phụ lục C", 22 + 2 * k]),
    ]);
    expect(o.signers).toEqual([]);
  });

  it("a sentence naming several documents gives one reference each; documents inside a description none", () => {
    const refs = referencesIn(
      "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học (sau đây gọi tắt là Nghị quyết số 57-NQ/TW), Kế hoạch số 13-KH/TU ngày 08/01/2026 của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW và Quyết định số 06/QĐ-TTg của Thủ tướng Chính phủ về việc phê duyệt Đề án; Luật Dữ liệu số 60/2024/QH15",
    );
    expect(refs.map((r) => r.text)).toEqual([
      "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
      "Kế hoạch số 13-KH/TU ngày 08/01/2026 của Ban Thường vụ Tỉnh ủy",
      "Luật Dữ liệu số 60/2024/QH15",
    ]);
  });

  it("a signature block in text, and one run into a single line", () => {
    const doc = readText("x.md", ["Nơi nhận:", "- Lưu: VT.", "", "**TM. ỦY BAN NHÂN DÂN**", "**KT. CHỦ TỊCH PHÓ CHỦ TỊCH**", "", "(Đã ký)", "", "**Nguyễn Văn An**"].join("\n"), "md");
    expect(signers(doc.blocks, "x.md")).toEqual([{ role: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", name: "Nguyễn Văn An", source: { file: "x.md", line: 4, endLine: 9 } }]);
    expect(signers(readText("y.md", "KTKT\n\nTM. BAN CHỈ ĐẠO\n\nTRƯỞNG BAN", "md").blocks, "y.md").map((s) => [s.role, s.name])).toEqual([["TM. BAN CHỈ ĐẠO / TRƯỞNG BAN", ""]]);
  });

  it("a section row is its number and one title, in whichever column; a row cut at a page break continues the title", () => {
    const md = [
      "| TT | Cơ quan chủ trì | Nhiệm vụ | Thời hạn |",
      "|---|---|---|---|",
      "| I | HOÀN THIỆN THỂ CHẾ |  |  |",
      "| 1 | Bộ Tư pháp | Rà soát văn bản | 2025 |",
      "| II | Phát triển khoa học, |  |  |",
      "|  | công nghệ |  |  |",
      "| 2 | Bộ Tài chính | Bố trí kinh phí | Hằng năm |",
    ].join("\n");
    const [table] = parseTables(readText("t.md", md, "md").blocks, () => {});
    expect(table!.items.map((i) => (i.type === "section" ? `${i.section.number}: ${i.section.title} @${i.section.line}` : `row ${i.row.cells.tt}`))).toEqual([
      "I: HOÀN THIỆN THỂ CHẾ @3",
      "row 1",
      "II: Phát triển khoa học, công nghệ @5",
      "row 2",
    ]);
  });
});

describe("the header's number, place-and-date line and issuer, where each plan writes them", () => {
  const issued = (plan: string) => {
    const o = outline(plan);
    return { number: o.numberSource?.line, date: o.dateText, dateLine: o.dateSource?.line, dateEnd: o.dateSource?.endLine, issuer: o.issuerSource?.line };
  };
  it("reads plain header lines, with the date as written", () => {
    expect(issued("lai-chau-tinh-uy-2026")).toEqual({ number: 5, date: "Lai Châu, ngày 09 tháng 01 năm 2026", dateLine: 7, dateEnd: 7, issuer: 17 });
    expect(issued("quochoi-ddqh-3260-2025")).toMatchObject({ number: 6, date: "Hà Nội, ngày 10 tháng 01 năm 2025", dateLine: 8 });
  });
  it("reads a header table cell by cell, a cell cut over two lines cited whole; the title's own dates are not the plan's", () => {
    expect(issued("hcm-ubnd-2820-2025")).toMatchObject({ number: 13, date: "Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025", dateLine: 16, dateEnd: 17 });
    expect(outline("hcm-ubnd-2820-2025").numberSource?.endLine).toBe(14);
  });
  it("a number and a day left blank are cited as the plan leaves them", () => {
    expect(issued("bac-ninh-ubnd-2026")).toMatchObject({ number: 3, date: "Bắc Ninh, ngày tháng năm 2026", dateLine: 5 });
  });
  it("a plan whose header gives none has none", () => {
    expect(issued("bac-ninh-thanh-tra-2026")).toEqual({ number: undefined, date: undefined, dateLine: undefined, dateEnd: undefined, issuer: undefined });
  });
});
