// The one Vietnamese date vocabulary (src/text/date-grammar.ts): every form a
// plan writes a deadline in, folded so "Quý", "Quí", "QUY" are one word.
import { describe, expect, it } from "vitest";
import { findPeriods, lastDayOfMonth, parsePeriod, romanNumeral } from "../../src/text/date-grammar.js";
import { deadlineInSentence, parseDeadline } from "../../src/knowledge/deadline.js";

describe("parsePeriod", () => {
  it.each([
    ["30/6/2026", "date", "2026-06-30", "2026-06-30"],
    ["ngày 01 tháng 12 năm 2025", "date", "2025-12-01", "2025-12-01"],
    ["tháng 9/2026", "month", "2026-09-01", "2026-09-30"],
    ["Tháng 02 năm 2024", "month", "2024-02-01", "2024-02-29"],
    ["6/2025", "month", "2025-06-01", "2025-06-30"],
    ["Quý II/2026", "quarter", "2026-04-01", "2026-06-30"],
    ["Quí IV-2025", "quarter", "2025-10-01", "2025-12-31"],
    ["quý 3 năm 2026", "quarter", "2026-07-01", "2026-09-30"],
    ["6 tháng đầu năm 2026", "half", "2026-01-01", "2026-06-30"],
    ["6 tháng cuối năm 2026", "half", "2026-07-01", "2026-12-31"],
    ["năm 2026", "year", "2026-01-01", "2026-12-31"],
    ["2026", "year", "2026-01-01", "2026-12-31"],
    ["2025 - 2026", "year", "2025-01-01", "2026-12-31"],
    ["giai đoạn 2026 – 2030", "year", "2026-01-01", "2030-12-31"],
  ])("%s → %s %s…%s", (text, kind, start, end) => {
    expect(parsePeriod(text)).toMatchObject({ kind, start, end });
  });
  it("uses a default year only when given one", () => {
    expect(parsePeriod("quý II")).toBeUndefined();
    expect(parsePeriod("quý II", { defaultYear: 2026 })).toMatchObject({ end: "2026-06-30" });
    expect(parsePeriod("30/6", { defaultYear: 2026 })).toMatchObject({ kind: "date", end: "2026-06-30" });
  });
  it("is not fooled by a sentence or a document number", () => {
    expect(parsePeriod("Sở Tài chính chủ trì")).toBeUndefined();
    expect(findPeriods("theo Nghị định số 13/2023/NĐ-CP")).toEqual([]);
  });
});

describe("findPeriods", () => {
  it("gives a year to a period written without it from the next one ('Quý I và Quý II/2026')", () => {
    expect(findPeriods("Quý I và Quý II/2026").map((p) => p.end)).toEqual(["2026-03-31", "2026-06-30"]);
    // "hoặc" joins them too, and the year written after wins over a default year.
    expect(findPeriods("hạn quý I hoặc quý II năm 2030", { defaultYear: 2026 }).map((p) => p.end)).toEqual(["2030-03-31", "2030-06-30"]);
  });
  it("marks open ends", () => {
    expect(findPeriods("2025 và những năm tiếp theo")[0]).toMatchObject({ end: "2025-12-31", ongoing: true });
    expect(findPeriods("từ năm 2026")[0]).toMatchObject({ ongoing: true });
  });
  it("Roman numerals and month ends", () => {
    expect([romanNumeral("IV"), romanNumeral("xii"), romanNumeral("3"), romanNumeral("abc")]).toEqual([4, 12, 3, undefined]);
    expect(lastDayOfMonth(2028, 2)).toBe("2028-02-29");
  });
});

describe("deadlines", () => {
  it("a deadline cell keeps the start of a range and says when the work goes on", () => {
    expect(parseDeadline("Năm 2025 - 2026")).toMatchObject({ due: "2026-12-31", start: "2025-01-01", kind: "year" });
    expect(parseDeadline("2025 và những năm tiếp theo")).toMatchObject({ due: "2025-12-31", ongoing: true });
    expect(parseDeadline("Khi có phát sinh.")).toMatchObject({ due: null, kind: "elsewhere" });
    expect(parseDeadline("Hằng năm")).toMatchObject({ due: null, kind: "recurring" });
  });
  it("inside a sentence, only after a deadline phrase", () => {
    expect(deadlineInSentence("Sở X hoàn thành trong Quý II năm 2026 việc rà soát")).toMatchObject({ raw: "trong Quý II năm 2026", due: "2026-06-30" });
    expect(deadlineInSentence("báo cáo trong tháng 02 năm 2025")).toMatchObject({ due: "2025-02-28", kind: "month" });
    expect(deadlineInSentence("gửi trước ngày 30/01/2026.")).toMatchObject({ raw: "trước ngày 30/01/2026", due: "2026-01-30" });
    expect(deadlineInSentence("theo Quyết định 06/QĐ-TTg ngày 02/01/2025 của Thủ tướng")).toBeNull();
  });
});
