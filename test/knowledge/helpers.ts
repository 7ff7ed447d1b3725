// Shared by the knowledge tests: the real plans of knowledge/, ingested once into a temp DATA_DIR
// (at import, so the tests can read them synchronously).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingest } from "../../src/knowledge/ingest.js";
import { KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import type { Task } from "../../src/knowledge/types.js";

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
