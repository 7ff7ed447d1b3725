// Load the knowledge base, ingesting first when the data is missing or stale.
// The index it returns carries the knowledge's version (the ingest's fingerprint
// of the files), so what is derived from it (the search index) is read from
// DATA_DIR instead of being rebuilt at every start.
//
// Start-up reads: when no plan file changed since the last load (same names,
// sizes and modification times, recorded in DATA_DIR/knowledge.stat.json), the
// fingerprint recorded then is taken as it is instead of hashing every plan again.
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ingest, knowledgeFingerprint, PARSER_VERSION, planFiles, type IngestOptions } from "./ingest.js";
import { KnowledgeIndex } from "./knowledge-index.js";
import type { KnowledgeBase } from "./types.js";

interface StatRecord {
  parser: number;
  fingerprint: string;
  /** File name → [size, mtimeMs]. */
  files: Record<string, [number, number]>;
}

const STAT_FILE = "knowledge.stat.json";

function statsOf(knowledgeDir: string): Record<string, [number, number]> | null {
  try {
    const out: Record<string, [number, number]> = {};
    const names = new Set([...planFiles(knowledgeDir), "plans.json", "agencies.json"]);
    for (const f of readdirSync(knowledgeDir)) {
      if (!names.has(f)) continue;
      const st = statSync(join(knowledgeDir, f));
      out[f] = [st.size, st.mtimeMs];
    }
    return out;
  } catch {
    return null;
  }
}

/** The fingerprint of the files: the recorded one when no file changed (`recorded`), else computed. */
function fingerprintOf(opts: IngestOptions, stats: Record<string, [number, number]> | null): { fingerprint: string; recorded?: string } {
  try {
    const rec = JSON.parse(readFileSync(join(opts.dataDir, STAT_FILE), "utf8")) as StatRecord;
    if (stats && rec.parser === PARSER_VERSION && JSON.stringify(rec.files) === JSON.stringify(stats)) return { fingerprint: rec.fingerprint, recorded: rec.fingerprint };
  } catch {
    /* no record: compute */
  }
  return { fingerprint: knowledgeFingerprint(opts.knowledgeDir) };
}

function remember(opts: IngestOptions, stats: Record<string, [number, number]> | null, fingerprint: string, recorded?: string): void {
  if (!stats || recorded === fingerprint) return;
  try {
    const path = join(opts.dataDir, STAT_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ parser: PARSER_VERSION, fingerprint, files: stats } satisfies StatRecord));
    renameSync(tmp, path);
  } catch {
    /* a read-only DATA_DIR: hash again next time */
  }
}

function readStoredKb(dataDir: string, fingerprint: string): KnowledgeBase | undefined {
  const path = join(dataDir, "knowledge.json");
  if (!existsSync(path)) return undefined;
  try {
    const text = readFileSync(path, "utf8");
    // ingest writes the fingerprint first: a stale file is told without parsing it
    if (!text.startsWith(`{"fingerprint":${JSON.stringify(fingerprint)}`)) {
      const stored = JSON.parse(text) as { fingerprint: string; kb: KnowledgeBase };
      return stored.fingerprint === fingerprint ? stored.kb : undefined;
    }
    return (JSON.parse(text) as { kb: KnowledgeBase }).kb;
  } catch {
    return undefined;
  }
}

export async function loadKnowledge(opts: IngestOptions): Promise<KnowledgeIndex> {
  const stats = statsOf(opts.knowledgeDir);
  const { fingerprint, recorded } = fingerprintOf(opts, stats);
  const kb = readStoredKb(opts.dataDir, fingerprint);
  if (kb) {
    remember(opts, stats, fingerprint, recorded);
    return new KnowledgeIndex(kb, fingerprint);
  }
  const r = await ingest(opts);
  remember(opts, stats, r.fingerprint);
  return new KnowledgeIndex(r.kb, r.fingerprint);
}
