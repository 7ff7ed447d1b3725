// Loading at start: the stored knowledge is read (no plan hashed again when none changed), it
// carries its version for what is derived from it, and any changed file is noticed.
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { KNOWLEDGE_DIR } from "./helpers.js";

const PLAN = (what: string) => `## KẾ HOẠCH

### Thực hiện Nghị quyết số 57-NQ/TW trên địa bàn xã Thử Nghiệm năm 2026

**I- Nhiệm vụ trọng tâm**

1. ${what}

*Cơ quan chủ trì:* Văn phòng HĐND và UBND xã.

*Thời gian hoàn thành:* Quý II năm 2026.
`;

describe("loadKnowledge", () => {
  it("reads what it stored, with the same version, and notices a file edited in place", async () => {
    const root = mkdtempSync(join(tmpdir(), "load-"));
    const ws = { knowledgeDir: join(root, "knowledge"), dataDir: join(root, "data") };
    cpSync(KNOWLEDGE_DIR, ws.knowledgeDir, { recursive: true });
    writeFileSync(join(ws.knowledgeDir, "xa-thu-nghiem-2026.md"), PLAN("Số hóa toàn bộ hồ sơ một cửa của xã."));
    const a = await loadKnowledge(ws);
    expect(a.version).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(ws.dataDir)).toEqual(expect.arrayContaining(["knowledge.json", "knowledge.stat.json"]));
    const b = await loadKnowledge(ws);
    expect(b.version).toBe(a.version);
    expect(b.tasks.length).toBe(a.tasks.length);
    // same name, another text (and size): a new version, read from the file
    writeFileSync(join(ws.knowledgeDir, "xa-thu-nghiem-2026.md"), PLAN("Số hóa toàn bộ hồ sơ một cửa và hồ sơ đất đai của xã."));
    const c = await loadKnowledge(ws);
    expect(c.version).not.toBe(a.version);
    expect(c.tasks.find((t) => t.plan === "xa-thu-nghiem-2026")?.name).toContain("đất đai");
  });
});
