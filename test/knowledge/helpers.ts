// Shared by the knowledge tests: the real plans of knowledge/, ingested once into a temp DATA_DIR
// (at import, so the tests can read them synchronously).
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingest } from "../../src/knowledge/ingest.js";
import { KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import type { KnowledgeBase, Task } from "../../src/knowledge/types.js";

export const KNOWLEDGE_DIR = join(import.meta.dirname, "../../knowledge");
export const FIXTURES = join(import.meta.dirname, "fixtures");

const loaded = new KnowledgeIndex((await ingest({ knowledgeDir: KNOWLEDGE_DIR, dataDir: mkdtempSync(join(tmpdir(), "kb-")) })).kb);

export function realKnowledge(): KnowledgeIndex {
  return loaded;
}

export function task(id: string): Task {
  const t = realKnowledge().task(id);
  if (!t) throw new Error(`no task ${id}`);
  return t;
}

/** The Bắc Ninh plan, whose Word file and PDF are in fixtures/ (made from its markdown the way offices make them). */
export const BAC_NINH = "bac-ninh-ubnd-2026";

const asFormat = new Map<string, Promise<KnowledgeBase>>();

/** The Bắc Ninh plan alone, ingested from its markdown, its Word file or its PDF (once per test file). */
export function ingestAs(ext: "md" | "docx" | "pdf"): Promise<KnowledgeBase> {
  let kb = asFormat.get(ext);
  if (!kb) {
    kb = (async () => {
      const root = mkdtempSync(join(tmpdir(), `fmt-${ext}-`));
      const k = join(root, "knowledge");
      cpSync(KNOWLEDGE_DIR, k, { recursive: true, filter: (src) => !/\.(md|txt|docx|pdf|html)$/.test(src) || src.endsWith(`${BAC_NINH}.md`) });
      if (ext !== "md") {
        rmSync(join(k, `${BAC_NINH}.md`));
        cpSync(join(FIXTURES, `${BAC_NINH}.${ext}`), join(k, `${BAC_NINH}.${ext}`));
      }
      return (await ingest({ knowledgeDir: k, dataDir: join(root, "data") })).kb;
    })();
    asFormat.set(ext, kb);
  }
  return kb;
}
