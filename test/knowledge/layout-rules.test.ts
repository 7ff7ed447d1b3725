// Layout and language rules the ingester learnt from plans in layouts it was not built for (the
// held-out corpus of test/knowledge/heldout measures them; these fixtures are written here, for the
// rule, and are not taken from it). Each block names the rule it pins.
import { describe, expect, it } from "vitest";
import { AgencyDictionary } from "../../src/knowledge/agencies.js";
import { parsePlan } from "../../src/knowledge/parse/plan.js";
import { KNOWLEDGE_DIR } from "./helpers.js";

const dict = AgencyDictionary.load(KNOWLEDGE_DIR);
const parse = (file: string, lines: string[]) => parsePlan(file, lines.join("\n"), undefined, dict);

describe("assignments in numbered items of the body are tasks", () => {
  const p = parse("tay-son-ubnd-7.md", [
    "UBND TỈNH TÂY SƠN",
    "",
    "**KẾ HOẠCH**",
    "",
    "**I. MỤC ĐÍCH, YÊU CẦU**",
    "",
    "1. Sở Nội vụ là cơ quan tham mưu về tổ chức bộ máy.",
    "",
    "**II. NHIỆM VỤ TRỌNG TÂM**",
    "",
    "**1. Về thể chế**",
    "",
    "1. Giao Sở Tư pháp chủ trì, phối hợp với Sở Tài chính rà soát các văn bản quy phạm pháp luật, hoàn thành trong Quý III năm 2026.",
    "2. Sở Y tế có trách nhiệm triển khai bệnh án điện tử tại các bệnh viện công lập.",
    "3. Công an tỉnh chủ trì, phối hợp với Sở Khoa học và Công nghệ bảo đảm an ninh mạng.",
    "4. Sở Công Thương là cơ quan đầu mối về thương mại điện tử.",
    "5. Tăng cường đầu tư hạ tầng số trên địa bàn tỉnh.",
    "",
    "**III. TỔ CHỨC THỰC HIỆN**",
    "",
    "1. Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc thực hiện Kế hoạch.",
  ]);
  it("'Giao X chủ trì', 'X có trách nhiệm', 'X chủ trì, phối hợp với Y' make tasks of X, with coordinators and the deadline of the sentence", () => {
    expect(p.tasks.map((t) => [t.ordinal, t.lead, t.coordinators, t.deadline.due])).toEqual([
      ["1", ["Sở Tư pháp"], ["Sở Tài chính"], "2026-09-30"],
      ["2", ["Sở Y tế"], [], null],
      ["3", ["Công an tỉnh"], ["Sở Khoa học và Công nghệ"], null],
    ]);
  });
  it("a sentence that only describes an agency, an item without an agency, and TỔ CHỨC THỰC HIỆN give no task", () => {
    expect(p.tasks.map((t) => t.name)).not.toContainEqual(expect.stringMatching(/đầu mối|Tăng cường|theo dõi|tham mưu về/));
    expect(p.duties.map((d) => d.agency)).toEqual(["Sở Khoa học và Công nghệ"]);
  });
});

describe("the closing paragraph ('Trên đây là Kế hoạch …') is read, and ends the body", () => {
  const p = parse("tay-son-ubnd-8.md", [
    "UBND TỈNH TÂY SƠN",
    "",
    "**KẾ HOẠCH**",
    "",
    "**I. TỔ CHỨC THỰC HIỆN**",
    "",
    "1. Sở Nội vụ chủ trì theo dõi việc thực hiện Kế hoạch này.",
    "",
    "Trên đây là Kế hoạch của UBND tỉnh. Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan, đơn vị phản ánh về Sở Khoa học và Công nghệ để tổng hợp, báo cáo UBND tỉnh.",
    "",
    "**Nơi nhận:**",
    "- Như trên;",
  ]);
  it("is a passage that cites its line, and no duty; what follows is not read", () => {
    const closing = p.passages.filter((x) => x.text.startsWith("Trên đây là"));
    expect(closing.map((x) => x.source.line)).toEqual([9]);
    expect(closing[0]!.text).toContain("phản ánh về Sở Khoa học và Công nghệ");
    expect(p.duties.some((d) => d.action.includes("Trên đây là"))).toBe(false);
    expect(p.passages.some((x) => x.text.includes("Như trên"))).toBe(false);
  });
});
