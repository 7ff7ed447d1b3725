// Answers are read the way people type them on a phone; anything else is
// refused with a reason instead of being guessed.
import { describe, expect, it } from "vitest";
import { isSkip, matchChoice, parseDate, parsePercent, vietnameseNumber } from "../../src/forms/parsers.js";
import { parseOneLine } from "../../src/features/progress/capnhat.js";
import { findStatus, parseStatus } from "../../src/features/progress/labels.js";

const NOW = new Date("2026-03-10T02:00:00.000Z"); // 10/03/2026 09:00 in Hà Nội

describe("percent", () => {
  it.each([
    ["80", 80], ["80%", 80], [" 80 % ", 80], ["80 phần trăm", 80], ["0", 0], ["100%", 100], ["72,6", 73],
    ["xong", 100], ["Hoàn thành", 100], ["ht", 100], ["HT", 100], ["tám mươi", 80], ["tam muoi lam", 85],
    ["mười", 10], ["một trăm", 100], ["nửa", 50], ["hai mươi tư", 24],
  ])("reads %j as %i", (text, value) => {
    expect(parsePercent(text)).toEqual({ ok: true, value });
  });

  it.each(["", "abc", "😀", "120%", "-5", "'; DROP TABLE users;--", "80%%", "1e3"])("refuses %j", (text) => {
    expect(parsePercent(text).ok).toBe(false);
  });

  it("reads Vietnamese number words", () => {
    expect(vietnameseNumber("chín mươi chín")).toBe(99);
    expect(vietnameseNumber("năm")).toBe(5);
    expect(vietnameseNumber("muoi muoi")).toBeNull();
  });
});

describe("dates", () => {
  const ok = (text: string, value: string, future = false) => expect(parseDate(text, NOW, { future })).toEqual({ ok: true, value });
  it("reads day/month with and without a year", () => {
    ok("15/12", "2026-12-15");
    ok("15/12/2026", "2026-12-15");
    ok("5-1-27", "2027-01-05");
    ok("2026-07-31", "2026-07-31");
    ok("ngày 1.4.2026", "2026-04-01");
    ok("1/2", "2027-02-01", true); // already past this year → next year
  });
  it("reads month, quarter and year ends", () => {
    ok("cuối tháng", "2026-03-31");
    ok("cuoi thang sau", "2026-04-30");
    ok("cuối tháng 9", "2026-09-30");
    ok("tháng 2/2027", "2027-02-28");
    ok("cuối quý", "2026-03-31");
    ok("quý III/2026", "2026-09-30");
    ok("cuối năm", "2026-12-31");
    // The same grammar as the plans' deadlines: halves, Arabic quarters, "năm" spelled out.
    ok("6 tháng đầu năm 2026", "2026-06-30");
    ok("quý 2", "2026-06-30");
    ok("tháng 9 năm 2027", "2027-09-30");
    ok("năm 2027", "2027-12-31");
    ok("quý I", "2026-03-31", true); // this quarter has not ended yet
    ok("tháng 2", "2027-02-28", true); // a month already past → next year's
  });
  it.each([
    ["31/02/2026", "Ngày 31/2/2026 không có thật."],
    ["29/02/2026", "Ngày 29/2/2026 không có thật."],
    ["12/13/2026", "Tháng 13 không có thật."],
    ["0/1/2026", "Ngày 0/1/2026 không có thật."],
    ["hôm kia", "Chưa hiểu ngày “hôm kia”."],
    ["'; DROP TABLE users;--", "Chưa hiểu ngày “'; DROP TABLE users;--”."],
  ])("refuses %j: %s", (text, error) => {
    expect(parseDate(text, NOW)).toEqual({ ok: false, error });
  });
  it("refuses a past date when a future one is asked", () => {
    expect(parseDate("01/01/2026", NOW, { future: true })).toEqual({ ok: false, error: "Ngày 01/01/2026 đã qua." });
  });
});

describe("choices and skips", () => {
  const choices = [
    { label: "Chưa triển khai", value: "Chưa triển khai" },
    { label: "✅ Lưu", value: "Lưu" },
    { label: "Gặp vướng mắc", value: "vm" },
  ];
  it("match by number, value, label with or without diacritics, and a unique prefix", () => {
    expect(matchChoice("1", choices)?.value).toBe("Chưa triển khai");
    expect(matchChoice("chua trien khai", choices)?.value).toBe("Chưa triển khai");
    expect(matchChoice("LƯU", choices)?.value).toBe("Lưu");
    expect(matchChoice("gap vuong", choices)?.value).toBe("vm");
    expect(matchChoice("4", choices)).toBeUndefined();
    expect(matchChoice("0", choices)).toBeUndefined();
    expect(matchChoice("", choices)).toBeUndefined();
  });
  it("skip words", () => {
    for (const s of ["-", "bỏ qua", "Bo qua", "không", "ko", "K"]) expect(isSkip(s)).toBe(true);
    for (const s of ["không có kinh phí", "0"]) expect(isSkip(s)).toBe(false);
  });
});

describe("status words", () => {
  it("whole answers", () => {
    expect(parseStatus("đang làm")).toBe("dang_thuc_hien");
    expect(parseStatus("DANG THUC HIEN")).toBe("dang_thuc_hien");
    expect(parseStatus("xong")).toBe("hoan_thanh");
    expect(parseStatus("chậm")).toBe("cham_tien_do");
    expect(parseStatus("vướng mắc")).toBe("vuong_mac");
    expect(parseStatus("chưa")).toBeUndefined();
  });
  it("inside a line", () => {
    expect(findStatus("80% đang thực hiện tốt".split(" "))).toEqual({ status: "dang_thuc_hien", index: 1, count: 3 });
  });
});

describe("one line", () => {
  it("splits percent, status and what was done", () => {
    expect(parseOneLine("80% đang thực hiện - đã trình dự thảo")).toEqual({
      status: "dang_thuc_hien", percent: 80, done: "đã trình dự thảo", obstacles: "", proposal: "",
    });
  });
  it("reads labelled obstacles and proposals, typed without diacritics too", () => {
    expect(parseOneLine("cham tien do 40 - da hop; vuong mac: thieu von. De xuat: bo tri von")).toEqual({
      status: "cham_tien_do", percent: 40, done: "da hop", obstacles: "thieu von", proposal: "bo tri von",
    });
  });
  it("leaves out what is missing", () => {
    expect(parseOneLine("đang làm")).toEqual({ status: "dang_thuc_hien", done: "", obstacles: "", proposal: "" });
    expect(parseOneLine("xong")).toEqual({ status: "hoan_thanh", done: "", obstacles: "", proposal: "" });
    expect(parseOneLine("150% đang làm")).toMatchObject({ status: "dang_thuc_hien", error: "Tỷ lệ phải từ 0 đến 100%." });
  });
  it("reads “hoàn thành 80%” as 80% done, not finished", () => {
    expect(parseOneLine("hoàn thành 80%")).toEqual({ percent: 80, done: "", obstacles: "", proposal: "" });
  });
});
