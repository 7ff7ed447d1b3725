// Two real plans nobody described in plans.json, kept exactly as published
// (knowledge/hcm-ubnd-2820-2025.md, knowledge/quochoi-ddqh-3260-2025.md): their
// facts come from the documents, their records from the layouts. Counts were
// made by reading them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KNOWLEDGE_DIR, realKnowledge, task } from "./helpers.js";

const HCM = "hcm-ubnd-2820-2025";
const QH = "quochoi-ddqh-3260-2025";
const of = (plan: string) => {
  const kb = realKnowledge();
  return { tasks: kb.tasks.filter((t) => t.plan === plan), indicators: kb.indicators.filter((i) => i.plan === plan), duties: kb.duties.filter((d) => d.plan === plan) };
};

describe("UBND TP. Hồ Chí Minh, 2820/QĐ-UBND: the one-cell-per-line table of the Phụ lục", () => {
  it("is copied byte for byte", () => {
    expect(readFileSync(join(KNOWLEDGE_DIR, `${HCM}.md`)).equals(readFileSync(join(KNOWLEDGE_DIR, `${HCM}.md`)))).toBe(true);
  });

  it("knows its facts from the document: issuer, number, date, place, level, code", () => {
    expect(realKnowledge().plan(HCM)).toMatchObject({
      code: "HCM",
      issuer: "Ủy ban nhân dân Thành phố Hồ Chí Minh",
      number: "2820/QĐ-UBND",
      date: "2025-11-19",
      locality: "Hồ Chí Minh",
      level: "province",
    });
    expect(realKnowledge().plan(HCM)!.aliases).toEqual(expect.arrayContaining(["ho chi minh", "tp ho chi minh", "tphcm"]));
  });

  it("reads 28 rows: 25 numbered in groups I–VI and 3 without TT (merged cells), each a task; section rows are never tasks", () => {
    const { tasks, indicators } = of(HCM);
    expect(tasks).toHaveLength(28);
    expect(indicators).toHaveLength(0);
    expect(tasks.filter((t) => t.flags.includes("sub-row")).map((t) => t.id)).toEqual(["HCM-2.1b", "HCM-4.2b", "HCM-5.1b"]);
    const groups = new Map<string, number>();
    for (const t of tasks) if (!t.flags.includes("sub-row")) groups.set(t.section.number, (groups.get(t.section.number) ?? 0) + 1);
    expect(Object.fromEntries(groups)).toEqual({ I: 4, II: 3, III: 6, IV: 4, V: 3, VI: 5 });
    expect(tasks.some((t) => /^Hoàn thiện thể chế/.test(t.name))).toBe(false);
  });

  it("a row without TT is its own task under the numbered row, taking the merged cells it does not write", () => {
    const sub = task("HCM-4.2b");
    expect(sub).toMatchObject({ ordinal: "2", lead: ["Sở Khoa học và Công nghệ"], coordinators: ["Sở Tài chính"], deadline: { raw: "Quý IV/2026", due: "2026-12-31" } });
    expect(sub.parent).toMatch(/^Quản lý, vận hành Hệ thống/);
    expect(task("HCM-2.1b")).toMatchObject({ lead: ["Trung tâm Chuyển đổi số Thành phố"], deadline: { due: "2026-12-31" }, funding: "Đầu tư công hoặc nguồn vốn hợp pháp khác (nếu có)" });
  });

  it("keeps the extra columns (Kết quả dự kiến, Nguồn kinh phí) on the record, merged ones included", () => {
    expect(task("HCM-1.1")).toMatchObject({ result: "Luật Quy hoạch, Quyết định của cấp có thẩm quyền", funding: "Chi thường xuyên hoặc nguồn vốn hợp pháp khác (nếu có)" });
    expect(task("HCM-1.2").funding).toBe("Chi thường xuyên hoặc nguồn vốn hợp pháp khác (nếu có)");
  });

  it("reads every deadline form of the table", () => {
    expect(task("HCM-1.2").deadline).toMatchObject({ raw: "Năm 2025 - 2026", due: "2026-12-31", kind: "year", start: "2025-01-01" });
    expect(task("HCM-5.1").deadline).toMatchObject({ raw: "Năm 2025-2030", due: "2030-12-31" });
    expect(task("HCM-6.1").deadline).toMatchObject({ raw: "Hằng năm", due: null, kind: "recurring" });
    expect(task("HCM-6.4").deadline).toMatchObject({ raw: "Khi có phát sinh", kind: "elsewhere" });
    expect(of(HCM).tasks.filter((t) => t.deadline.kind === "unknown")).toEqual([]);
  });

  it("never splits 'UBND xã, phường, đặc khu' or cuts an agency at a line break", () => {
    expect(task("HCM-2.3").coordinators).toEqual(["Sở Tài chính", "Sở Khoa học và Công nghệ", "các sở, ngành", "UBND xã, phường, đặc khu"]);
    expect(task("HCM-4.4").lead).toEqual(["Các sở, ngành", "UBND xã, phường, đặc khu", "Sở Tài chính"]);
  });

  it("the bullets under agency headings in IV. TỔ CHỨC THỰC HIỆN are duties of those agencies", () => {
    const duties = of(HCM).duties;
    expect(duties.length).toBeGreaterThanOrEqual(15);
    expect(duties.find((d) => d.action.startsWith("Chủ trì xây dựng, tổ chức thực hiện"))?.agencies.map((a) => a.canonical)).toEqual(["Sở Tài chính"]);
  });
});

describe("Đảng đoàn Quốc hội, 3260-KH/ĐĐQH15: leads as bold lettered headings over bullets", () => {
  it("knows its facts: a national plan with no place", () => {
    expect(realKnowledge().plan(QH)).toMatchObject({ code: "DDQH", issuer: "Đảng đoàn Quốc hội", number: "3260-KH/ĐĐQH15", date: "2025-01-10", locality: "", level: "national" });
  });

  it("14 lettered groups a–p (no f, j), 40 bullets: each a task of its group's agency", () => {
    const grouped = of(QH).tasks.filter((t) => t.parent);
    expect(grouped).toHaveLength(40);
    expect([...new Set(grouped.map((t) => t.id.replace(/^DDQH-2\.2\.([a-z])\d+$/, "$1")))].join("")).toBe("abcdeghiklmnop");
    expect(task("DDQH-2.2.a1").lead).toEqual(["Tổ đảng ở Thường trực Ủy ban KH,CN&MT"]);
    expect(task("DDQH-2.2.n1").lead).toEqual(["Lãnh đạo Ban Dân nguyện"]);
    expect(task("ddqh-2.2.p1").lead).toEqual(["Các Đoàn đại biểu Quốc hội, các đại biểu Quốc hội"]);
    expect(grouped.filter((t) => t.id.startsWith("DDQH-2.2.a"))).toHaveLength(6);
  });

  it("an agency sentence in II. PHÂN CÔNG NHIỆM VỤ is a task too; a deadline inside a bullet is its deadline", () => {
    expect(task("DDQH-1.2")).toMatchObject({ lead: ["Đảng đoàn Quốc hội"], coordinators: ["Đảng ủy cơ quan Văn phòng Quốc hội"] });
    expect(of(QH).tasks).toHaveLength(41);
    expect(task("DDQH-2.2.a2").deadline).toMatchObject({ raw: "trong năm 2025", due: "2025-12-31", kind: "year" });
  });

  it("the three paragraphs of III. TỔ CHỨC THỰC HIỆN are duties", () => {
    const duties = of(QH).duties;
    expect(duties).toHaveLength(3);
    expect(duties[2]).toMatchObject({ agency: "Thường trực Ủy ban KH,CN&MT của Quốc hội" });
  });
});
