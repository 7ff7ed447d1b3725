// Long running text in an answer is shown from the clause the question is about,
// so the agency or date asked for is not cut off.
import { describe, expect, it } from "vitest";
import { excerpt } from "../../../src/features/ask/compose.js";

const TEXT =
  "Trên đây là Kế hoạch của UBND tỉnh triển khai thực hiện Kế hoạch số 13-KH/TU ngày 08/01/2026 của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW. Trong quá trình tổ chức thực hiện, nếu cần sửa đổi, bổ sung những nội dung cụ thể thuộc Kế hoạch này, các cơ quan, đơn vị, địa phương chủ động đề xuất gửi Sở Khoa học và Công nghệ để tổng hợp và báo cáo UBND tỉnh xem xét, quyết định.";

describe("excerpt", () => {
  it("starts at the clause holding most of the question's words", () => {
    const e = excerpt(TEXT, 160, "neu can sua doi bo sung thi cac don vi de xuat gui");
    expect(e.startsWith("…")).toBe(true);
    expect(e).toContain("đề xuất gửi Sở Khoa học và Công nghệ");
    expect(e.length).toBeLessThanOrEqual(160);
  });
  it("keeps the start when the words are there, and short text whole", () => {
    expect(excerpt(TEXT, 160, "ke hoach 13-KH/TU").startsWith("Trên đây là")).toBe(true);
    expect(excerpt("Sở Tài chính chủ trì.", 160, "so noi vu")).toBe("Sở Tài chính chủ trì.");
  });
  it("without words, cuts from the start", () => {
    expect(excerpt(TEXT, 100, undefined).startsWith("Trên đây là")).toBe(true);
  });
});
