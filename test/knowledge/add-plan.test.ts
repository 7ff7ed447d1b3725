// The rules of a plan sent in chat, and of plan codes: a file is checked by
// content and size before it reaches knowledge/; a newer version of the same
// plan replaces the older one and keeps its code and the ids of unchanged rows;
// a row gone is archived, never lost; a removed plan's records are archived;
// a plan's code is assigned once, whatever plans arrive later.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addPlan, removePlan, renderPlanSummary, safeFileName } from "../../src/knowledge/add-plan.js";
import { ingest } from "../../src/knowledge/ingest.js";
import { MemoryKnowledgeState, planKey } from "../../src/knowledge/state.js";
import { FIXTURES, KNOWLEDGE_DIR } from "./helpers.js";

function workspace(withReal = false) {
  const root = mkdtempSync(join(tmpdir(), "addplan-"));
  const knowledgeDir = join(root, "knowledge");
  if (withReal) cpSync(KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
  else {
    mkdirSync(knowledgeDir);
    cpSync(join(KNOWLEDGE_DIR, "agencies.json"), join(knowledgeDir, "agencies.json"));
  }
  return { knowledgeDir, dataDir: join(root, "data"), state: new MemoryKnowledgeState() };
}

const fixture = (f: string) => new Uint8Array(readFileSync(join(FIXTURES, "layouts", f)));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("addPlan", () => {
  it("stores a plan under a safe name, ingests it and summarises what it read", async () => {
    const ws = workspace();
    const r = await addPlan("KH 45 Tây Sơn (bản cuối).txt", fixture("tay-son-labelled.txt"), ws);
    if (!r.ok) throw new Error(r.message);
    expect(readdirSync(ws.knowledgeDir)).toContain("kh-45-tay-son-ban-cuoi.txt");
    expect(r.summary).toMatchObject({
      plan: { code: "TS", number: "45/KH-UBND", locality: "Tây Sơn", level: "province" },
      counts: { tasks: 7, indicators: 0, duties: 3 },
      layouts: expect.arrayContaining(["labelled paragraphs"]),
    });
    expect(r.summary.samples).toHaveLength(3);
    expect(r.summary.warnings).toContainEqual({ line: 52, message: 'task TS-7: deadline "Đợt 1" not understood' });
    expect(r.knowledge.task("TS-1")?.lead).toEqual(["Sở Khoa học và Công nghệ"]);
  });

  it("renders the summary in short Vietnamese, warnings with their line", async () => {
    const r = await addPlan("ts.txt", fixture("tay-son-labelled.txt"), workspace());
    if (!r.ok) throw new Error(r.message);
    const text = renderPlanSummary(r.summary);
    expect(text).toMatch(/^Đã thêm kế hoạch: KH 45\/KH-UBND — Ủy ban nhân dân tỉnh Tây Sơn\n/);
    expect(text).toContain("Mã: TS · Số 45/KH-UBND · ngày 05/03/2026 · cấp tỉnh, thành phố (Tây Sơn)");
    expect(text).toContain("Đọc được: 7 nhiệm vụ, 3 việc tổ chức thực hiện.");
    expect(text).toContain('dòng 52: TS-7: chưa hiểu thời hạn "Đợt 1"');
    expect(text).toContain('Hỏi thử: "TS-1 do ai chủ trì?"');
    expect(text.split("\n").length).toBeLessThanOrEqual(14);
    expect(text.split("\n").every((l) => l.length <= 160)).toBe(true);
  });

  it("refuses by content, not by name: a picture called .docx, an old .doc, a scanned PDF, an empty file, more than 20 MB", async () => {
    const ws = workspace();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await addPlan("ke-hoach.docx", png, ws)).toMatchObject({ ok: false, reason: "unsupported" });
    expect(await addPlan("kh.doc", new Uint8Array(readFileSync(join(FIXTURES, "unreadable", "old-word.doc"))), ws)).toMatchObject({ ok: false, reason: "unsupported", message: expect.stringContaining(".docx") });
    expect(await addPlan("scan.pdf", new Uint8Array(readFileSync(join(FIXTURES, "unreadable", "scanned.pdf"))), ws)).toMatchObject({ ok: false, reason: "scanned", message: expect.stringContaining("ảnh quét") });
    expect(await addPlan("x.md", new Uint8Array(0), ws)).toMatchObject({ ok: false, reason: "empty" });
    expect(await addPlan("big.txt", new Uint8Array(20 * 1024 * 1024 + 1), ws)).toMatchObject({ ok: false, reason: "too-large" });
    expect(readdirSync(ws.knowledgeDir)).toEqual(["agencies.json"]);
  });

  it("a newer version of the same plan (same issuer and number) replaces the older one: code and ids kept, removed rows archived", async () => {
    const ws = workspace();
    const first = await addPlan("tay-son.txt", fixture("tay-son-labelled.txt"), ws);
    if (!first.ok) throw new Error(first.message);
    // The newer version, under another name: task 7 dropped, task 2 reworded.
    const newer = readFileSync(join(FIXTURES, "layouts", "tay-son-labelled.txt"), "utf8")
      .replace(/7\. Nhiệm vụ 7[\s\S]*?Đợt 1\.\n/, "")
      .replace("Số hóa hồ sơ, tài liệu lưu trữ", "Số hóa toàn bộ hồ sơ, tài liệu lưu trữ");
    const second = await addPlan("KH45 sửa đổi.txt", utf8(newer), ws);
    if (!second.ok) throw new Error(second.message);
    expect(second.summary.replaced).toBe("tay-son.txt");
    expect(second.summary.file).toBe("tay-son.txt");
    expect(second.summary.plan.code).toBe("TS");
    expect(second.knowledge.tasks.map((t) => t.id)).toEqual(["TS-1", "TS-2", "TS-3", "TS-4", "TS-5", "TS-6"]);
    expect(ws.state.archived.map((a) => a.record.id)).toEqual(["TS-2", "TS-7"]);
    expect(renderPlanSummary(second.summary)).toMatch(/^Đã cập nhật kế hoạch/);
    expect(readdirSync(ws.knowledgeDir).sort()).toEqual(["agencies.json", "tay-son.txt"]);
  });

  it("the same plan in another format replaces the file, keeping the plan's id", async () => {
    const ws = workspace();
    await addPlan("binh-an.html", fixture("binh-an-html.html"), ws);
    const r = await addPlan("Binh An.docx", fixture("binh-an-word.docx"), ws);
    if (!r.ok) throw new Error(r.message);
    expect(r.summary.file).toBe("binh-an.docx");
    expect(r.summary.plan.id).toBe("binh-an");
    expect(readdirSync(ws.knowledgeDir).sort()).toEqual(["agencies.json", "binh-an.docx"]);
    expect(ws.state.archived).toEqual([]);
  });

  it("removePlan takes the file away and archives its records", async () => {
    const ws = workspace();
    await addPlan("tay-son.txt", fixture("tay-son-labelled.txt"), ws);
    const r = await removePlan("ts", ws);
    if (!r.ok) throw new Error(r.message);
    expect(r.archived).toBe(10);
    expect(existsSync(join(ws.knowledgeDir, "tay-son.txt"))).toBe(false);
    expect(r.knowledge.plans).toEqual([]);
    expect(await removePlan("nope", ws)).toMatchObject({ ok: false });
  });

  it("safeFileName folds diacritics and keeps the format", () => {
    expect(safeFileName("Kế hoạch số 617/KH-UBND (Đợt 2).PDF", "pdf")).toBe("ke-hoach-so-617-kh-ubnd-dot-2.pdf");
  });
});

describe("plan codes", () => {
  it("the five plans keep the codes plans.json sets; new ones get codes from their facts", async () => {
    const ws = workspace(true);
    const r = await ingest(ws);
    expect(Object.fromEntries(r.kb.plans.map((p) => [p.id, p.code]))).toEqual({
      "bac-giang-ubnd-2025": "BG",
      "bac-ninh-thanh-tra-2026": "TTBN",
      "bac-ninh-ubnd-2026": "BN",
      "da-mai-dang-uy-2026": "DM",
      "hcm-ubnd-2820-2025": "HCM",
      "lai-chau-tinh-uy-2026": "LC",
      "quochoi-ddqh-3260-2025": "DDQH",
    });
  });

  it("a code once assigned is kept when another plan that would want it arrives first in order", async () => {
    const ws = workspace();
    cpSync(join(FIXTURES, "layouts", "tay-son-labelled.txt"), join(ws.knowledgeDir, "tay-son-labelled.txt"));
    await ingest(ws);
    expect(ws.state.planCode(planKey({ issuer: "Ủy ban nhân dân tỉnh Tây Sơn", number: "45/KH-UBND" }, "x"))).toBe("TS");
    // A plan of the same province whose file sorts first: it does not take TS.
    cpSync(join(FIXTURES, "layouts", "dang-uy-groups.md"), join(ws.knowledgeDir, "a-dang-uy.md"));
    const r = await ingest(ws);
    expect(Object.fromEntries(r.kb.plans.map((p) => [p.id, p.code]))).toEqual({ "a-dang-uy": "TUTS", "tay-son-labelled": "TS" });
  });

  it("without a durable store, codes still hold from one run to the next (seeded from the last ingest)", async () => {
    const ws = workspace();
    cpSync(join(FIXTURES, "layouts", "tay-son-labelled.txt"), join(ws.knowledgeDir, "tay-son-labelled.txt"));
    await ingest({ knowledgeDir: ws.knowledgeDir, dataDir: ws.dataDir });
    cpSync(join(FIXTURES, "layouts", "dang-uy-groups.md"), join(ws.knowledgeDir, "a-dang-uy.md"));
    const r = await ingest({ knowledgeDir: ws.knowledgeDir, dataDir: ws.dataDir });
    expect(r.kb.plans.find((p) => p.id === "tay-son-labelled")?.code).toBe("TS");
  });

  it("the same plan's identity is its issuer and number, else its file name", () => {
    expect(planKey({ issuer: "UBND tỉnh Bắc Ninh", number: "617/KH-UBND" }, "a.md")).toBe(planKey({ issuer: "UBND TỈNH BẮC NINH", number: "617/KH-UBND" }, "b.pdf"));
    expect(planKey({ issuer: "UBND tỉnh Bắc Ninh", number: "/KH-UBND" }, "bac-ninh.md")).toBe("file:bac-ninh");
  });
});

describe("renderPlanList", () => {
  it("lists each plan by code, name and counts", async () => {
    const { renderPlanList } = await import("../../src/knowledge/add-plan.js");
    const ws = workspace(true);
    const r = await ingest(ws);
    const text = renderPlanList(r.kb);
    expect(text.split("\n")[0]).toBe("Các kế hoạch (7):");
    expect(text).toContain("• BN — KH UBND tỉnh Bắc Ninh 2026 (162 nhiệm vụ, 58 chỉ tiêu)");
    expect(text).toContain("• HCM — KH 2820/QĐ-UBND — Ủy ban nhân dân Thành phố Hồ Chí Minh (28 nhiệm vụ)");
  });
});
