// splitText keeps every piece within the platform limit, loses nothing but the
// whitespace it cut at, prefers paragraph > line > word boundaries, and never
// breaks a surrogate pair or an emoji.
import { describe, expect, it } from "vitest";
import { splitText } from "../../src/channels/split-text.js";

/** Every piece fits, none is empty, and between pieces only whitespace was dropped. */
function expectFaithful(text: string, pieces: string[], limit: number): void {
  let pos = 0;
  for (const piece of pieces) {
    expect(piece.length).toBeGreaterThan(0);
    expect(piece.length).toBeLessThanOrEqual(limit);
    const at = text.indexOf(piece, pos);
    expect(at).toBeGreaterThanOrEqual(pos);
    expect(text.slice(pos, at).trim()).toBe("");
    pos = at + piece.length;
  }
  expect(text.slice(pos).trim()).toBe("");
}

const isLoneSurrogate = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) return !(s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff);
  if (c >= 0xdc00 && c <= 0xdfff) return !(s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff);
  return false;
};

describe("splitText", () => {
  it("returns short text whole, and nothing for blank text", () => {
    expect(splitText("Xin chào", 2000)).toEqual(["Xin chào"]);
    expect(splitText("a".repeat(2000), 2000)).toEqual(["a".repeat(2000)]);
    expect(splitText(" \n\n ", 2000)).toEqual([]);
  });

  it("cuts at a paragraph break before a line break or a space", () => {
    const para1 = "Nhiệm vụ một.\nDòng hai của đoạn một.";
    const para2 = "Đoạn hai có nhiều chữ hơn một chút.";
    const pieces = splitText(`${para1}\n\n${para2}`, para1.length + 10);
    expect(pieces).toEqual([para1, para2]);
  });

  it("cuts at a line break when no paragraph fits", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `Dòng số ${i + 1} của kế hoạch`);
    const text = lines.join("\n");
    const pieces = splitText(text, 100);
    expectFaithful(text, pieces, 100);
    for (const p of pieces) expect(lines).toContain(p.split("\n").at(-1));
  });

  it("cuts between words when a line is too long", () => {
    const text = Array.from({ length: 200 }, (_, i) => `từ${i}`).join(" ");
    const pieces = splitText(text, 50);
    expectFaithful(text, pieces, 50);
    for (const p of pieces) expect(text.split(" ")).toContain(p.split(" ").at(-1));
  });

  it("cuts a word longer than the limit without breaking surrogate pairs or emoji", () => {
    const text = "😀".repeat(1000) + "👨‍👩‍👧".repeat(100) + "🇻🇳".repeat(100);
    for (const limit of [2, 3, 7, 99, 2000]) {
      const pieces = splitText(text, limit);
      expect(pieces.join("")).toBe(text);
      for (const p of pieces) {
        expect(p.length).toBeLessThanOrEqual(limit);
        for (let i = 0; i < p.length; i++) expect(isLoneSurrogate(p, i)).toBe(false);
      }
    }
    // With room for whole graphemes, family emoji (8 code units) and flags stay whole.
    for (const p of splitText(text, 100)) expect(p).toMatch(/^(😀|👨‍👩‍👧|🇻🇳)+$/u);
  });

  it("keeps Vietnamese NFD combining marks with their letter", () => {
    const text = "Việt".normalize("NFD").repeat(500);
    for (const p of splitText(text, 37)) expect(p.normalize("NFD")).toMatch(/^\P{M}/u);
  });

  it("handles a huge mixed input quickly", () => {
    const block = "Đoạn văn về nhiệm vụ chuyển đổi số 🚀 của UBND tỉnh.\nDòng tiếp theo.\n\n";
    const text = block.repeat(60_000) + "x".repeat(10_000); // ~4.6 million characters
    const started = performance.now();
    const pieces = splitText(text, 4096);
    expect(performance.now() - started).toBeLessThan(5000);
    expectFaithful(text, pieces, 4096);
    // Pieces are reasonably full: no flood of tiny messages.
    expect(pieces.length).toBeLessThan(Math.ceil(text.length / 4096) * 1.5);
  });

  it("rejects a nonsensical limit", () => {
    expect(() => splitText("abc", 0)).toThrow(RangeError);
    expect(() => splitText("abc", 1.5)).toThrow(RangeError);
  });
});
