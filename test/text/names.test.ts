// Rule protected: a name is cleaned once where it enters — no bidi, control or
// invisible characters, no invisible-only names, bounded length — and is quoted
// whenever the bot shows it, so it cannot pass for the bot's own words.
import { describe, expect, it } from "vitest";
import { checkName, cleanName, NAME_MAX, quoteName } from "../../src/text/names.js";

describe("cleanName", () => {
  it("removes bidi marks, overrides and isolates, and control characters", () => {
    expect(cleanName("Nguyễn\u202E Văn An\u0007")).toBe("Nguyễn Văn An");
    expect(cleanName("\u200FLê\u061C Thị\u200E Cúc\u2066\u2069")).toBe("Lê Thị Cúc");
    expect(cleanName("Trần\nThị\tBình\r\n")).toBe("Trần Thị Bình");
    expect(cleanName("Phạm\u200B\uFEFFVăn\u00ADDũng")).toBe("PhạmVănDũng");
  });

  it("keeps Vietnamese as written (NFC) and collapses spaces", () => {
    expect(cleanName("  Nguye\u0302\u0303n   Thị  Lan ")).toBe("Nguyễn Thị Lan");
    expect(cleanName("Nguyễn\u00A0Thị\u3000Lan")).toBe("Nguyễn Thị Lan");
  });

  it("gives nothing for a name with nothing visible in it", () => {
    expect(cleanName("\u3164\u3164\u3164")).toBe("");
    expect(cleanName("\u2800 \u115F\u1160 \uFFA0")).toBe("");
    expect(cleanName("\u202E\u200F\u0007")).toBe("");
  });

  it("bounds stacked combining marks and the length", () => {
    expect(cleanName("Za\u0301\u0302\u0303\u0304\u0305lgo")).toBe("Zá\u0302\u0303lgo".normalize("NFC"));
    expect([...cleanName("Ă".repeat(200))]).toHaveLength(NAME_MAX);
  });
});

describe("checkName and quoteName", () => {
  it("refuses invisible-only and too-short names with a clear sentence", () => {
    expect(checkName("\u3164\u3164\u3164")).toEqual({ ok: false, error: "Nội dung cần có chữ hoặc số." });
    expect(checkName("😀😀")).toEqual({ ok: false, error: "Nội dung cần có chữ hoặc số." });
    expect(checkName("A\u200F")).toEqual({ ok: false, error: "Cần ít nhất 2 ký tự." });
    expect(checkName("Lan\u202E")).toEqual({ ok: true, name: "Lan" });
  });

  it("quotes a name so it reads as a name, its own quotes defused", () => {
    expect(quoteName("✅ Đã duyệt #1 Quản trị viên")).toBe("“✅ Đã duyệt #1 Quản trị viên”");
    expect(quoteName("An” — Sở Tài chính. “x")).toBe("“An' — Sở Tài chính. 'x”");
  });
});
