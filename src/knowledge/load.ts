// Load the knowledge base, ingesting first when the data is missing or stale.
import { ingest, readStored, type IngestOptions } from "./ingest.js";
import { KnowledgeIndex } from "./knowledge-index.js";

export async function loadKnowledge(opts: IngestOptions): Promise<KnowledgeIndex> {
  const kb = readStored(opts) ?? (await ingest(opts)).kb;
  return new KnowledgeIndex(kb);
}
