// Small rules the records rely on: deadline text → due date, agency cells → agencies, ids as typed.
import { describe, expect, it } from "vitest";
import { AgencyDictionary, splitAgencies } from "../../src/knowledge/agencies.js";
import { parseDeadline } from "../../src/knowledge/deadline.js";
import { idKey, KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import type { Task } from "../../src/knowledge/types.js";
import { cleanMarkup } from "../../src/knowledge/markup.js";
import { KNOWLEDGE_DIR } from "./helpers.js";

describe("parseDeadline", () => {
  it.each([
    ["15/12/2026", "2026-12-15", "date"],
    ["Trước ngày 30/6/2026.", "2026-06-30", "date"],
    ["Tháng 12/2026", "2026-12-31", "month"],
    ["tháng 02 năm 2025", "2025-02-28", "month"],
    ["Quý I/2026", "2026-03-31", "quarter"],
    ["Quý II năm 2026", "2026-06-30", "quarter"],
    ["Quý IV/2026", "2026-12-31", "quarter"],
    ["Năm 2026 (cụ thể theo yêu cầu rà soát quy hoạch của tỉnh)", "2026-12-31", "year"],
    ["Trong năm 2026.", "2026-12-31", "year"],
    ["Thường xuyên (theo lộ trình Trung ương)", null, "recurring"],
    ["Theo Kế hoạch của UBND tỉnh", null, "elsewhere"],
    ["", null, "none"],
    ["31/02/2026", null, "unknown"],
    ["'; DROP TABLE tasks;--", null, "unknown"],
  ])("%s → %s (%s)", (raw, due, kind) => {
    expect(parseDeadline(raw)).toMatchObject({ due, kind });
  });
});

describe("splitAgencies", () => {
  const dict = AgencyDictionary.load(KNOWLEDGE_DIR);
  const names = (cell: string) => splitAgencies(cell, dict, "bac-ninh-ubnd-2026").map((a) => a.canonical);
  it("does not split inside a known name that has a comma", () => {
    expect(names("Sở Văn hóa, Thể thao và Du lịch")).toEqual(["Sở Văn hóa, Thể thao và Du lịch"]);
    expect(names("Các Sở, ban, ngành; địa phương")).toEqual(["Các sở, ngành, địa phương"]);
  });
  it("splits on <br>, ';' and commas before a new agency", () => {
    expect(names("Sở Tài chính,<br>Sở Nông nghiệp và Môi trường,<br>Ban Quản lý các KCN tỉnh, UBND cấp xã")).toEqual([
      "Sở Tài chính",
      "Sở Nông nghiệp và Môi trường",
      "Ban Quản lý các khu công nghiệp tỉnh",
      "UBND cấp xã",
    ]);
  });
  it("drops scope notes and qualifiers", () => {
    expect(names("Sở Khoa học và Công nghệ (phần mềm dùng chung);<br>sở, ngành, địa phương (phần mềm đặc thù)")).toEqual([
      "Sở Khoa học và Công nghệ",
      "Các sở, ngành, địa phương",
    ]);
    expect(names("Đảng ủy UBND tỉnh lãnh đạo UBND tỉnh chỉ đạo thực hiện.")).toEqual(["Đảng ủy UBND tỉnh"]);
  });
  it("returns nothing for an empty cell", () => {
    expect(splitAgencies("   ", dict, "x")).toEqual([]);
  });
});

describe("ids as officials type them", () => {
  it("ignores case, diacritics, spaces and dashes, and accepts ',' for '.'", () => {
    expect(idKey("bn 7.22")).toBe(idKey("BN-7.22"));
    expect(idKey("Bn_7,22")).toBe(idKey("BN-7.22"));
    expect(idKey("BN-7.22")).not.toBe(idKey("BN-72.2"));
  });
  it("reads đ after a number as dd, as the ids write it: DM-18đ, DM-18dd, dm-18Đ are one id, DM-18d another", () => {
    expect(idKey("DM-18đ")).toBe(idKey("DM-18dd"));
    expect(idKey("dm-18Đ")).toBe(idKey("DM-18dd"));
    expect(idKey("DM-18d")).not.toBe(idKey("DM-18dd"));
    expect(idKey("ĐĐQH-2.2.a1")).toBe(idKey("DDQH-2.2.a1"));
  });
  it("never gives two ids one key when they differ by a hyphen or a digit boundary", () => {
    expect(idKey("BN-7.22")).not.toBe(idKey("BN7-22"));
    expect(idKey("CLTU-21")).not.toBe(idKey("CLTU2-1"));
  });
});

describe("cleanMarkup", () => {
  it("turns HTML and LaTeX-ish math into plain text", () => {
    expect(cleanMarkup("<p>$\\geq 45\\%$</p>")).toBe("≥ 45%");
    expect(cleanMarkup("<b><i>Phát triển</i></b> <sup>4</sup>")).toBe("Phát triển");
  });
});

describe("KnowledgeIndex.record", () => {
  const kb = (ids: string[]) =>
    new KnowledgeIndex({ version: 1, plans: [], tasks: ids.map((id) => ({ kind: "task", id }) as Task), indicators: [], duties: [], passages: [], agencies: [], warnings: [] });
  it("finds an id typed without its hyphen when only one record fits", () => {
    expect(kb(["BN-7.22", "BN-7.2"]).record("bn7.22")?.id).toBe("BN-7.22");
  });
  it("does not guess between two ids that share the loose key", () => {
    const k = kb(["CLTU-21", "CLTU2-1"]);
    expect(k.record("CLTU-21")?.id).toBe("CLTU-21");
    expect(k.record("cltu2 1")?.id).toBe("CLTU2-1");
    expect(k.record("CLTU21")).toBeUndefined();
  });
});
