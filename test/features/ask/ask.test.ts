// Behaviour of the ask service on the real plans: exact fields copied from the
// record, cited; same answers with or without diacritics and abbreviations;
// per-plan answers for a task that stands in two plans; a row split across a
// page break answered whole; hostile input never throws.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createAskService, type FullAskService } from "../../../src/features/ask/service.js";
import { loadConfig } from "../../../src/config.js";
import type { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import { loadKnowledge } from "../../../src/knowledge/load.js";

const NOW = new Date("2026-11-23T08:00:00Z");
let kb: KnowledgeIndex;
let ask: FullAskService;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ask-test-"));
  kb = await loadKnowledge({ knowledgeDir: "knowledge", dataDir });
  ask = await createAskService(kb, loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: "knowledge" }), { llm: null });
}, 60_000);

const top = async (q: string) => (await ask.askJson(q, { now: NOW })).matches[0]?.id;

describe("answers copy the record and cite it", () => {
  it("who leads and by when: agencies and deadline exactly as the record has them, with plan, appendix, TT and id", async () => {
    const j = await ask.askJson("Đề án đô thị thông minh tỉnh Bắc Ninh: ai chủ trì và hạn phê duyệt khi nào?", { now: NOW });
    const t = kb.task("BN-4.2")!;
    expect(j.notFound).toBe(false);
    expect(j.matches[0]!.id).toBe("BN-4.2");
    expect(j.matches[0]!.lead).toEqual(t.lead);
    expect(j.matches[0]!.deadline).toEqual({ raw: t.deadline.raw, due: t.deadline.due, kind: t.deadline.kind });
    for (const a of t.lead) expect(j.answer).toContain(a);
    expect(j.answer).toContain(t.deadline.raw);
    expect(j.answer).toContain(kb.plan(t.plan)!.shortName);
    expect(j.answer).toContain("Phụ lục II");
    expect(j.answer).toContain(`TT ${t.ordinal}`);
    expect(j.answer).toContain("BN-4.2");
  });

  it("'báo cáo … đến …' inside a task named at length is the task's name: 'giao ai' gets its lead, not 'no reporting duty'", async () => {
    const j = await ask.askJson("Hệ thống quản lý thông tin báo cáo Công an tỉnh Bắc Ninh đến công an phường — Đa Mai giao ai?", { now: NOW });
    expect(j.notFound).toBe(false);
    expect(j.answer).toContain("Chủ trì: UBND phường");
    expect(j.answer).toContain("mã DM-24");
  });

  it("a reporting duty shows each schedule the plan wrote once, even when one phrase sets several", async () => {
    const d = kb.duties.find((x) => x.id === "LC-D16")!;
    expect(new Set(d.schedule.map((x) => x.raw)).size).toBeLessThan(d.schedule.length);
    const j = await ask.askJson("LC-D16", { now: NOW });
    const line = j.answer.split("\n").find((l) => l.startsWith("Lịch báo cáo: "))!;
    expect(line).toBe(`Lịch báo cáo: ${[...new Set(d.schedule.map((x) => x.raw.trim()))].join("; ")}`);
  });

  it("an indicator's 2030 target is the record's target2030", async () => {
    const j = await ask.askJson("so vuon uom trung tam doi moi sang tao den 2030 la bao nhieu", { now: NOW });
    const i = kb.record("BN-CT-D21");
    expect(j.matches[0]!.id).toBe("BN-CT-D21");
    expect(i?.kind).toBe("indicator");
    if (i?.kind === "indicator") {
      expect(j.matches[0]!.target2030).toBe(i.target2030);
      expect(j.answer).toContain(i.target2030);
    }
  });

  it("a page-split row is answered whole: lead and name rejoined across the break", async () => {
    // BN-3.9 "Nghiên cứu hình thành Quỹ phát triển khoa học, công | nghệ …", lead "Sở Khoa học và | Công nghệ"
    const t = kb.task("BN-3.9")!;
    expect(t.source.endLine).toBeGreaterThan(t.source.line);
    const j = await ask.askJson("Ai chủ trì nghiên cứu hình thành Quỹ phát triển khoa học công nghệ và đổi mới sáng tạo ở tỉnh?", { now: NOW });
    expect(j.matches[0]!.id).toBe("BN-3.9");
    expect(j.answer).toContain("Chủ trì: Sở Khoa học và Công nghệ");
    expect(j.answer).toContain(t.name.slice(0, 60));
  });
});

describe("the same question, typed any way", () => {
  it("without diacritics", async () => {
    expect(await top("ai chu tri thanh lap hoi dong tu van phat trien khoa hoc cong nghe")).toBe("BN-1.3");
    expect(await top("Ai chủ trì thành lập Hội đồng tư vấn phát triển khoa học công nghệ")).toBe("BN-1.3");
  });

  it("with abbreviations (KH&CN, KHCN, CA tỉnh, VP UBND, Bộ CHQS, TTHC, DVCTT)", async () => {
    expect(await top("cong sang kien khcn dmst cds ai chu tri")).toBe("BN-5.10");
    expect(await top("Cổng sáng kiến khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số ai chủ trì")).toBe("BN-5.10");
    expect(await top("Bộ CHQS tỉnh chủ trì hoàn thiện hạ tầng CNTT quốc phòng hạn khi nào?")).toBe("BN-4.16");
    expect(await top("Ai chủ trì nâng tỷ lệ DVCTT toàn trình và cắt giảm TTHC?")).toBe("BN-7.8");
    const j = await ask.askJson("Sở KH&CN chủ trì những nhiệm vụ nào?", { now: NOW });
    expect(j.intent).toBe("list");
    expect(j.answer).toContain("Sở Khoa học và Công nghệ chủ trì");
    const j2 = await ask.askJson("so khcn chu tri nhung nhiem vu nao", { now: NOW });
    expect(j2.matches.map((m) => m.id)).toEqual(j.matches.map((m) => m.id));
  });
});

describe("per plan", () => {
  it("a task in two plans with different leads is answered per plan", async () => {
    const j = await ask.askJson("Ai chủ trì giám sát ô nhiễm môi trường không khí bằng IoT, AI, digital twin?", { now: NOW });
    const ids = j.matches.map((m) => m.id);
    expect(ids).toContain("BN-4.14");
    expect(ids).toContain("DM-19");
    expect(j.answer).toContain("Sở Nông nghiệp và Môi trường");
    expect(j.answer).toContain("UBND phường");
    expect(j.answer).toContain("KH UBND tỉnh Bắc Ninh 2026");
    expect(j.answer).toContain("KH Đảng ủy phường Đa Mai 2026");
  });

  it("naming the place narrows to that plan", async () => {
    expect(await top("Đa Mai: giám sát ô nhiễm không khí digital twin ai chủ trì")).toBe("DM-19");
    const j = await ask.askJson("Bắc Ninh: giám sát ô nhiễm không khí digital twin ai chủ trì", { now: NOW });
    expect(j.matches[0]!.id).toBe("BN-4.14");
    expect(j.answer).not.toContain("UBND phường");
  });
});

describe("lists", () => {
  it("tasks of an agency due in a period, and overdue as of today", async () => {
    const j = await ask.askJson("Công an tỉnh chủ trì nhiệm vụ nào hạn tháng 6/2026?", { now: NOW });
    expect(j.matches.map((m) => m.id)).toEqual(["BN-4.19"]);
    const o = await ask.askJson("Sở KH&CN có nhiệm vụ nào quá hạn?", { now: NOW });
    for (const m of o.matches) expect(m.deadline!.due! < "2026-11-23").toBe(true);
    expect(o.answer).toContain("quá hạn");
  });

  it("overdue counts in Vietnam's time zone: at 01:00 on 1 July a task due 30 June is overdue", async () => {
    const q = "Công an tỉnh có nhiệm vụ nào quá hạn?";
    const lastEvening = await ask.askJson(q, { now: new Date("2026-06-30T16:00:00Z") }); // 23:00 on 30/6 in Hà Nội
    expect(lastEvening.matches.map((m) => m.id)).not.toContain("BN-4.19");
    const nextNight = await ask.askJson(q, { now: new Date("2026-06-30T18:00:00Z") }); // 01:00 on 1/7, still 30/6 in UTC
    expect(nextNight.matches.map((m) => m.id)).toContain("BN-4.19");
    expect(nextNight.answer).toContain("tính đến 01/07/2026");
  });

  it("a task whose latest report says 'hoàn thành' is not listed as overdue", async () => {
    const q = "Sở KH&CN có nhiệm vụ nào quá hạn?";
    const before = await ask.askJson(q, { now: NOW });
    const done = before.matches[0]!.id;
    const total = Number(/(?:chủ trì|phối hợp) (\d+) /.exec(before.answer)![1]);
    const withReports = await createAskService(kb, loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: "knowledge" }), {
      llm: null,
      completedTasks: () => new Set([done]),
    });
    const after = await withReports.askJson(q, { now: NOW });
    expect(after.matches.map((m) => m.id)).not.toContain(done);
    expect(after.answer).toMatch(new RegExp(`(?:chủ trì|phối hợp) ${total - 1} `));
    expect(after.answer).toContain("đã quá hạn (tính đến 23/11/2026, theo thời hạn trong kế hoạch) và chưa báo cáo hoàn thành");
  });

  it("tasks due in a period whoever leads them, each line naming its lead, grouped by plan — every one of them in matches", async () => {
    const inJune = (due: string | null | undefined) => !!due && due >= "2026-06-01" && due <= "2026-06-30";
    const dueInJune = kb.tasks.filter((t) => t.deadline.milestones.some((m) => ["date", "month", "quarter", "half", "year"].includes(m.kind) && inJune(m.due)));
    const dutiesInJune = kb.duties.filter((d) => d.deadline?.milestones.some((m) => inJune(m.due)));
    expect(dueInJune.length).toBeGreaterThan(4);
    const j = await ask.askJson("Nhiệm vụ nào đến hạn tháng 6/2026?", { now: NOW });
    expect(j.intent).toBe("list");
    // every task and duty due in June, and rows whose own words set a June deadline; nothing else
    expect(j.matches.map((m) => m.id)).toEqual(expect.arrayContaining([...dueInJune, ...dutiesInJune].map((t) => t.id)));
    for (const m of j.matches) expect(kb.record(m.id)!.kind === "passage" || inJune(m.deadline?.due) || dueInJune.some((t) => t.id === m.id)).toBe(true);
    expect(j.total).toBe(j.matches.length);
    expect(j.answer.split("\n")[0]).toMatch(new RegExp(`^Có ${j.total} (?:nhiệm vụ|việc .*) có hạn trong tháng 6/2026:$`));
    const first = kb.task(j.matches[0]!.id)!;
    expect(j.answer).toContain(`${first.id} — `);
    expect(j.answer).toContain(`chủ trì: ${first.lead.join("; ")}; hạn: ${first.deadline.raw}`);
  });

  it("'tháng này' and 'tháng tới' count from today; a plan named narrows the list; overdue needs no agency", async () => {
    const dueIn = (month: string) => kb.tasks.filter((t) => t.deadline.due?.startsWith(month) && t.deadline.kind !== "recurring");
    expect(dueIn("2026-11")).toEqual([]); // nothing falls due in November 2026: say so and show what comes next
    const november = await ask.askJson("việc gì phải xong tháng này", { now: NOW });
    expect(november.notFound).toBe(true);
    expect(november.answer.split("\n")[0]).toBe("Không có nhiệm vụ nào có hạn trong tháng 11/2026.");
    const firstAfter = [...kb.tasks.map((t) => t.deadline), ...kb.duties.flatMap((d) => (d.deadline ? [d.deadline] : []))]
      .filter((d) => d.due && d.due > "2026-11-30" && d.kind !== "recurring")
      .map((d) => d.due!)
      .sort()[0]!;
    expect(november.matches.length).toBe(3);
    for (const m of november.matches) expect(m.deadline!.due).toBe(firstAfter);
    expect(november.choices?.map((c) => c.value)).toEqual(november.matches.map((m) => m.id));
    const december = await ask.askJson("việc gì phải xong tháng này", { now: new Date("2026-12-01T01:00:00Z") });
    expect(december.answer.split("\n")[0]).toMatch(new RegExp(`^Có ${december.total} (?:nhiệm vụ|việc .*) có hạn trong tháng 12/2026:$`));
    expect(december.total).toBeGreaterThanOrEqual(dueIn("2026-12").length);
    const next = await ask.askJson("nhiem vu nao den han thang toi", { now: new Date("2026-12-15T03:00:00Z") });
    expect(next.answer).toContain("tháng 1/2027");
    // "tháng sáu" is June, "tháng sau" the month after this one: they fold alike
    expect((await ask.askJson("Nhiệm vụ nào đến hạn tháng sáu năm 2026?", { now: NOW })).answer).toContain("có hạn trong tháng 6/2026");
    expect((await ask.askJson("Nhiệm vụ nào đến hạn tháng sau?", { now: NOW })).answer).toContain("có hạn trong tháng 12/2026");
    const bn = await ask.askJson("Bắc Ninh có nhiệm vụ nào hạn quý IV/2026", { now: NOW });
    expect(bn.matches.length).toBeGreaterThan(0);
    for (const m of bn.matches) {
      expect(m.plan).toBe("bac-ninh-ubnd-2026");
      const r = kb.record(m.id)!;
      const milestones = r.kind === "task" ? r.deadline.milestones : r.kind === "duty" ? (r.deadline?.milestones ?? []) : [];
      expect(milestones.some((x) => !!x.due && x.due >= "2026-10-01" && x.due <= "2026-12-31")).toBe(true);
    }
    const late = await ask.askJson("nhiem vu nao qua han", { now: NOW });
    expect(late.answer).toMatch(/^Có \d+ (?:nhiệm vụ|việc .*) đã quá hạn \(tính đến 23\/11\/2026/);
    for (const m of late.matches) expect(m.deadline!.due! < "2026-11-23").toBe(true);
  });

  it("a question about one task that mentions 'quá hạn' is still about that task", async () => {
    const j = await ask.askJson("Hệ thống giám sát chất lượng giải quyết TTHC theo thời gian thực, cảnh báo hồ sơ quá hạn do ai chủ trì?", { now: NOW });
    expect(j.intent).toBe("who");
    expect(j.matches[0]!.id).toBe("BN-7.9");
  });

  it("a list narrowed to a plan says which plan, found or not", async () => {
    const dm = await ask.askJson("Đa Mai: UBND phường chủ trì những nhiệm vụ nào", { now: NOW });
    expect(dm.answer.split("\n")[0]).toMatch(/^UBND phường chủ trì \d+ (?:nhiệm vụ|việc \(.*\)) trong KH Đảng ủy phường Đa Mai 2026:$/);
    for (const m of dm.matches) expect(m.plan).toBe("da-mai-dang-uy-2026");
    const bg = await ask.askJson("Bắc Giang giao Sở Nội vụ việc gì", { now: NOW });
    expect(bg.notFound).toBe(true);
    expect(bg.answer.split("\n")[0]).toBe(`Không tìm thấy nhiệm vụ, chỉ tiêu nào có Sở Nội vụ chủ trì hoặc phối hợp trong ${kb.plans.find((p) => p.id === "bac-giang-ubnd-2025")!.shortName}.`);
  });

  it("long lists show a page of 8 with a count and how to see more; matches hold every row; “tiếp” and “trang 2” page it", async () => {
    const j = await ask.askJson("Sở Khoa học và Công nghệ chủ trì những nhiệm vụ nào?", { now: NOW, conversation: "c1" });
    const n = kb.tasksOfAgency("so-khoa-hoc-va-cong-nghe", "lead").length;
    expect(n).toBeGreaterThan(8);
    expect(j.matches.filter((m) => m.kind === "task").length).toBe(n);
    expect(j.total).toBe(j.matches.length);
    expect(j.answer).toContain(`(${n} nhiệm vụ`);
    expect(j.answer.split("\n").filter((l) => l.startsWith("• ")).length).toBe(8);
    expect(j.answer).toContain("trang 2");
    const shown = (a: string) => a.split("\n").filter((l) => l.startsWith("• ")).map((l) => l.slice(2, l.indexOf(" — ")));
    const p2 = await ask.askJson("Sở Khoa học và Công nghệ chủ trì những nhiệm vụ nào? trang 2", { now: NOW });
    const more = await ask.askJson("tiếp", { now: NOW, conversation: "c1" });
    expect(p2.page).toBe(2);
    expect(shown(p2.answer)).toEqual(j.matches.slice(8, 16).map((m) => m.id));
    expect(shown(more.answer)).toEqual(shown(p2.answer));
  });
});

describe("not found", () => {
  it("says so plainly and offers the closest tasks as choices", async () => {
    const j = await ask.askJson("Ai chủ trì xây dựng sân bay Long Thành?", { now: NOW });
    expect(j.notFound).toBe(true);
    expect(j.answer).toContain("Không tìm thấy");
    expect(j.choices!.length).toBeGreaterThanOrEqual(2);
    expect(j.choices!.length).toBeLessThanOrEqual(3);
    for (const c of j.choices!) expect(kb.record(c.value)).toBeDefined();
  });
});

describe("hostile input never throws", () => {
  const inputs = ["", "   ", "x".repeat(10_000), "🤖🔥💯 ai chủ trì 🚀", "\uD800", "abc\uD800def\uDFFF", "'; DROP TABLE tasks; --", "SELECT * FROM users WHERE 1=1", "\u0000\u0007\u001b[31m", "<script>alert(1)</script>", "?".repeat(500), "trang 99999 sở y tế chủ trì nhiệm vụ nào"];
  for (const q of inputs) {
    it(`survives ${JSON.stringify(q.slice(0, 30))}`, async () => {
      const j = await ask.askJson(q, { now: NOW });
      expect(typeof j.answer).toBe("string");
      expect(j.answer.length).toBeGreaterThan(0);
      const a = await ask.ask(q, { now: NOW });
      expect(a.answer).toBe(j.answer);
    });
  }
  it("empty input is a not-found with an example", async () => {
    const j = await ask.askJson("", { now: NOW });
    expect(j.notFound).toBe(true);
    expect(j.answer).toContain("Không tìm thấy");
  });
});
