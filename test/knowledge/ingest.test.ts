// Ingestion picks up new plans, re-processes only what changed, and never lets
// one unreadable file stop the others from loading.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingest } from "../../src/knowledge/ingest.js";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { KNOWLEDGE_DIR } from "./helpers.js";

function workspace() {
  const root = mkdtempSync(join(tmpdir(), "ingest-"));
  const knowledgeDir = join(root, "knowledge");
  cpSync(KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
  return { knowledgeDir, dataDir: join(root, "data") };
}

const NEW_PLAN = `## KẾ HOẠCH

### Thực hiện Nghị quyết số 57-NQ/TW trên địa bàn xã Thử Nghiệm năm 2026

**I- Nhiệm vụ trọng tâm**

1. Số hóa toàn bộ hồ sơ một cửa của xã.

*Cơ quan chủ trì:* Văn phòng HĐND và UBND xã.

*Thời gian hoàn thành:* Quý II năm 2026.
`;

describe("ingest", () => {
  it("picks up a new plan file on the next ingest, with a derived code", async () => {
    const ws = workspace();
    await ingest(ws);
    writeFileSync(join(ws.knowledgeDir, "xa-thu-nghiem-2026.md"), NEW_PLAN);
    const r = await ingest(ws);
    const t = r.kb.tasks.find((x) => x.plan === "xa-thu-nghiem-2026");
    expect(t).toMatchObject({
      id: "XTN-1",
      name: "Số hóa toàn bộ hồ sơ một cửa của xã.",
      lead: ["Văn phòng HĐND và UBND xã"],
      deadline: { raw: "Quý II năm 2026", due: "2026-06-30", kind: "quarter" },
      source: { file: "xa-thu-nghiem-2026.md", line: 7, endLine: 11 },
    });
  });

  it("re-processes only the file that changed", async () => {
    const ws = workspace();
    const first = await ingest(ws);
    expect(first.files.every((f) => !f.cached)).toBe(true);
    appendFileSync(join(ws.knowledgeDir, "bac-giang-ubnd-2025.txt"), "\n");
    const second = await ingest(ws);
    expect(second.files.filter((f) => !f.cached).map((f) => f.file)).toEqual(["bac-giang-ubnd-2025.txt"]);
    expect(second.kb.tasks.length).toBe(first.kb.tasks.length);
  });

  it("warns with file and line about a file it cannot understand, and loads the others", async () => {
    const ws = workspace();
    writeFileSync(join(ws.knowledgeDir, "rac.txt"), "\u0000\u0001 %PDF-1.7 ����\n| a | b |\n\n<<binary>>\n");
    writeFileSync(join(ws.knowledgeDir, "empty.md"), "");
    const r = await ingest(ws);
    expect(r.kb.warnings).toEqual(
      expect.arrayContaining([
        { file: "rac.txt", line: 0, message: expect.stringContaining("could not be read: binary content") },
        { file: "empty.md", line: 1, message: expect.stringContaining("no task, indicator or duty") },
      ]),
    );
    expect(r.kb.tasks.filter((t) => t.plan === "bac-ninh-ubnd-2026")).toHaveLength(162);
  });

  it("loads the stored knowledge base when nothing changed, and re-ingests when a file changed", async () => {
    const ws = workspace();
    const a = await loadKnowledge(ws);
    expect(readdirSync(ws.dataDir)).toContain("knowledge.json");
    writeFileSync(join(ws.knowledgeDir, "xa-thu-nghiem-2026.md"), NEW_PLAN);
    const b = await loadKnowledge(ws);
    expect(b.tasks.length).toBe(a.tasks.length + 1);
  });
});

describe("CLI contract", () => {
  it("prints tasks as JSON Lines with camelCase fields, ingesting first when the data is missing", () => {
    const ws = workspace();
    const out = execFileSync("npx", ["tsx", "src/cli/index.ts", "tasks", "--json", "--plan", "bac-ninh-ubnd-2026"], {
      cwd: join(import.meta.dirname, "../.."),
      env: { ...process.env, DATA_DIR: ws.dataDir, KNOWLEDGE_DIR: ws.knowledgeDir },
      encoding: "utf8",
    });
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(162);
    const t = lines.find((x) => x.id === "BN-3.9");
    expect(t).toMatchObject({
      plan: "bac-ninh-ubnd-2026",
      lead: ["Sở Khoa học và Công nghệ"],
      deadline: { raw: "15/12/2026", due: "2026-12-15", kind: "date" },
      source: { file: "bac-ninh-ubnd-2026.md", line: 391, endLine: 395 },
    });
  }, 60_000);
});
