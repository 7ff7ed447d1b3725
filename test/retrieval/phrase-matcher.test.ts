// The agency phrase dictionary: longest match first, "và" between syllables skipped, the first id
// registered for a phrase kept, and the prefix walk that reads which agencies a paragraph opens with.
import { describe, expect, it } from "vitest";
import { phraseKey } from "../../src/retrieval/analyzer.js";
import { PhraseMatcher } from "../../src/retrieval/matchers.js";

const m = new PhraseMatcher();
m.add("Sở Khoa học và Công nghệ", "khcn");
m.add("Sở Khoa học", "short");
m.add("Sở Tài chính", "tc");
m.add("Sở Tài chính", "other"); // a second id for the same phrase is ignored
const sylls = (t: string) => phraseKey(t).split(" ");

describe("PhraseMatcher", () => {
  it("takes the longest phrase at each place, left to right, with positions in the original syllables", () => {
    const found = m.match(sylls("Sở Khoa học và Công nghệ chủ trì, Sở Tài chính phối hợp"));
    expect(found.map((x) => x.id)).toEqual(["khcn", "tc"]);
    expect(found[0]).toMatchObject({ start: 0, text: "so khoa hoc cong nghe" });
  });
  it("with prefix, only the mentions that follow one another from the start", () => {
    expect(m.match(sylls("Sở Tài chính, Sở Khoa học và Công nghệ chủ trì"), { prefix: true }).map((x) => x.id)).toEqual(["tc", "khcn"]);
    expect(m.match(sylls("Giao Sở Tài chính chủ trì"), { prefix: true })).toEqual([]);
    expect(m.match(sylls("Giao Sở Tài chính chủ trì")).map((x) => x.id)).toEqual(["tc"]);
  });
  it("says which syllables open a phrase", () => {
    expect(m.opens("so")).toBe(true);
    expect(m.opens("giao")).toBe(false);
  });
});
