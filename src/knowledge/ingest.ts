// knowledge/ → DATA_DIR/knowledge.json. Each plan file is parsed on its own and
// cached by the hash of its content (and of the parser and agency list), so
// changing one file re-processes only that file; a file the parsers cannot
// read yields a warning naming the file, and the other plans still load.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgencyDictionary, collectAgencies } from "./agencies.js";
import { parsePlan, type PlanMeta } from "./parse/plan.js";
import type { KnowledgeBase, ParsedPlan } from "./types.js";

/** Bump when parsing changes, so every cached file is re-processed. */
export const PARSER_VERSION = 8;

export interface IngestOptions {
  knowledgeDir: string;
  dataDir: string;
}

export interface FileReport {
  file: string;
  plan: string;
  cached: boolean;
  tasks: number;
  indicators: number;
  duties: number;
  passages: number;
  warnings: number;
}

export interface IngestResult {
  kb: KnowledgeBase;
  files: FileReport[];
  fingerprint: string;
  ms: number;
}

const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

export function planFiles(knowledgeDir: string): string[] {
  return readdirSync(knowledgeDir)
    .filter((f) => /\.(md|txt)$/i.test(f) && !/^readme\./i.test(f))
    .sort();
}

function readJson<T>(path: string, fallback: T): T {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : fallback;
}

/** A hash of everything the knowledge base is derived from: plan files, metadata, agency list, parser version. */
export function knowledgeFingerprint(knowledgeDir: string): string {
  const parts = [`v${PARSER_VERSION}`];
  for (const f of [...planFiles(knowledgeDir), "plans.json", "agencies.json"]) {
    const p = join(knowledgeDir, f);
    parts.push(`${f}:${existsSync(p) ? sha(readFileSync(p)) : "-"}`);
  }
  return sha(parts.join("\n"));
}

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function ingest(opts: IngestOptions): IngestResult {
  const started = performance.now();
  const cacheDir = join(opts.dataDir, "ingest");
  mkdirSync(cacheDir, { recursive: true });
  const dict = AgencyDictionary.load(opts.knowledgeDir);
  const metaAll = readJson<Record<string, PlanMeta>>(join(opts.knowledgeDir, "plans.json"), {});
  const depsHash = sha(`v${PARSER_VERSION}\n${readFileSync(join(opts.knowledgeDir, "agencies.json"), "utf8")}`).slice(0, 16);
  const usedCodes = new Set(Object.values(metaAll).flatMap((m) => (m && typeof m === "object" && m.code ? [m.code] : [])));

  const parsed: ParsedPlan[] = [];
  const files: FileReport[] = [];
  const warnings: KnowledgeBase["warnings"] = [];
  for (const file of planFiles(opts.knowledgeDir)) {
    const text = readFileSync(join(opts.knowledgeDir, file), "utf8");
    const meta = metaAll[file];
    const key = sha(`${depsHash}\n${JSON.stringify(meta ?? null)}\n${text}`).slice(0, 24);
    const cachePath = join(cacheDir, `${file}.${key}.json`);
    let result: ParsedPlan;
    let cached = false;
    try {
      if (existsSync(cachePath)) {
        result = JSON.parse(readFileSync(cachePath, "utf8")) as ParsedPlan;
        cached = true;
        usedCodes.add(result.plan.code);
      } else {
        result = parsePlan(file, text, meta, dict, usedCodes);
        writeAtomic(cachePath, JSON.stringify(result));
      }
    } catch (err) {
      warnings.push({ file, line: 0, message: `could not be read (${(err as Error).message}); the other plans are loaded` });
      continue;
    }
    parsed.push(result);
    warnings.push(...result.warnings);
    files.push({
      file,
      plan: result.plan.id,
      cached,
      tasks: result.tasks.length,
      indicators: result.indicators.length,
      duties: result.duties.length,
      passages: result.passages.length,
      warnings: result.warnings.length,
    });
  }
  const refs = parsed.flatMap((p) => [
    ...p.tasks.flatMap((t) => [...t.leadAgencies, ...t.coordinatorAgencies]),
    ...p.indicators.flatMap((i) => i.leadAgencies),
    ...p.duties.flatMap((d) => d.agencies),
  ]);
  const kb: KnowledgeBase = {
    version: PARSER_VERSION,
    plans: parsed.map((p) => p.plan),
    tasks: parsed.flatMap((p) => p.tasks),
    indicators: parsed.flatMap((p) => p.indicators),
    duties: parsed.flatMap((p) => p.duties),
    passages: parsed.flatMap((p) => p.passages),
    agencies: collectAgencies(dict, refs),
    warnings,
  };
  const fingerprint = knowledgeFingerprint(opts.knowledgeDir);
  writeAtomic(join(opts.dataDir, "knowledge.json"), JSON.stringify({ fingerprint, kb }));
  return { kb, files, fingerprint, ms: performance.now() - started };
}

/** The stored knowledge base when it matches the files; otherwise undefined. */
export function readStored(opts: IngestOptions): KnowledgeBase | undefined {
  const path = join(opts.dataDir, "knowledge.json");
  if (!existsSync(path)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(path, "utf8")) as { fingerprint: string; kb: KnowledgeBase };
    return stored.fingerprint === knowledgeFingerprint(opts.knowledgeDir) ? stored.kb : undefined;
  } catch {
    return undefined;
  }
}
