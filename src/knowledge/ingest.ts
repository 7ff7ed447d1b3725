// knowledge/ → DATA_DIR/knowledge.json. Each plan file (.md, .txt, .html,
// .docx, .pdf — the reader picked by content) is parsed on its own and cached
// by the hash of its content (and of the parser, its metadata, its code and
// the agency list), so changing one file re-processes only that file. A file
// that cannot be read (scanned, encrypted, broken, another type) yields a
// warning naming the file, and the other plans still load.
//
// Codes and archived records go through a KnowledgeState (the store in
// production): a plan's code is assigned once; a row a newer version no longer
// has is archived, never silently dropped.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgencyDictionary, collectAgencies, splitAgencies } from "./agencies.js";
import { DocumentReadError, type PlanDocument } from "./document.js";
import { parseDocument, type PlanMeta } from "./parse/plan.js";
import { readDocument } from "./read/index.js";
import { MemoryKnowledgeState, type KnowledgeState } from "./state.js";
import type { IngestWarning, KnowledgeBase, KnowledgeRecord, ParsedPlan } from "./types.js";

/** Bump when parsing changes, so every cached file is re-processed. */
export const PARSER_VERSION = 16;

export interface IngestOptions {
  knowledgeDir: string;
  dataDir: string;
  /** Durable codes and archive; an in-memory one (seeded from the last ingest) when absent. */
  state?: KnowledgeState;
  /** The clock, for archive times. */
  now?: Date;
  /** Documents already read (by file name), so a file sent in chat is not read twice. */
  documents?: ReadonlyMap<string, PlanDocument>;
}

export interface FileReport {
  file: string;
  plan: string;
  code: string;
  format: string;
  /** The layouts recognised: "pipe table", "one-cell-per-line table", "labelled paragraphs", "lead headings", … */
  layouts: string[];
  cached: boolean;
  tasks: number;
  indicators: number;
  duties: number;
  passages: number;
  warnings: number;
  /** Deadlines written but not understood. */
  unknownDeadlines: number;
}

export interface IngestResult {
  kb: KnowledgeBase;
  files: FileReport[];
  /** Files that gave no plan at all, with why. */
  failed: { file: string; message: string }[];
  /** Records archived by this ingest (rows gone from a newer version, plans removed). */
  archived: KnowledgeRecord[];
  fingerprint: string;
  ms: number;
}

const sha = (s: string | Buffer | Uint8Array) => createHash("sha256").update(s).digest("hex");

/** Files of knowledge/ that are plans (or claim to be): everything but metadata, READMEs and hidden files. */
export function planFiles(knowledgeDir: string): string[] {
  return readdirSync(knowledgeDir)
    .filter((f) => !f.startsWith(".") && !/\.json$/i.test(f) && !/^readme(\.|$)/i.test(f) && !/\.(tmp|part)$/i.test(f))
    .filter((f) => {
      try {
        return statSync(join(knowledgeDir, f)).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

function readJson<T>(path: string, fallback: T): T {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : fallback;
  } catch {
    return fallback;
  }
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

function storedKb(dataDir: string): KnowledgeBase | undefined {
  return readJson<{ kb?: KnowledgeBase } | undefined>(join(dataDir, "knowledge.json"), undefined)?.kb;
}

const recordsOf = (p: { tasks: KnowledgeRecord[]; indicators: KnowledgeRecord[]; duties: KnowledgeRecord[] }) => [...p.tasks, ...p.indicators, ...p.duties];
const nameOf = (r: KnowledgeRecord) => (r.kind === "duty" ? r.action : r.kind === "passage" ? r.text : r.name).replace(/\s+/g, " ").trim().toLowerCase();

function layoutsOf(p: ParsedPlan): string[] {
  return p.layouts ?? [];
}

export async function ingest(opts: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const cacheDir = join(opts.dataDir, "ingest");
  mkdirSync(cacheDir, { recursive: true });
  const dict = AgencyDictionary.load(opts.knowledgeDir);
  const metaAll = readJson<Record<string, PlanMeta>>(join(opts.knowledgeDir, "plans.json"), {});
  const depsHash = sha(`v${PARSER_VERSION}\n${readFileSync(join(opts.knowledgeDir, "agencies.json"), "utf8")}`).slice(0, 16);
  const previous = storedKb(opts.dataDir);
  const state = opts.state ?? new MemoryKnowledgeState();
  if (!opts.state && previous) for (const p of previous.plans) if (p.key) state.assignPlanCode(p.key, p.code);
  // Codes set in plans.json are taken, whatever plans exist.
  const reserved = new Set(Object.values(metaAll).flatMap((m) => (m && typeof m === "object" && m.code ? [m.code] : [])));
  const guarded: KnowledgeState = {
    planCode: (k) => state.planCode(k),
    assignPlanCode: (k, c) => state.assignPlanCode(k, c),
    usedPlanCodes: () => new Set([...state.usedPlanCodes(), ...reserved]),
    archive: (r, at) => state.archive(r, at),
  };

  const parsed: ParsedPlan[] = [];
  const files: FileReport[] = [];
  const failed: IngestResult["failed"] = [];
  const warnings: IngestWarning[] = [];
  const byKey = new Map<string, string>();
  for (const file of planFiles(opts.knowledgeDir)) {
    const bytes = readFileSync(join(opts.knowledgeDir, file));
    // plans.json names a file; the same plan exported to another format (same base name) shares the entry.
    const base = file.replace(/\.[^.]+$/, "");
    const meta = metaAll[file] ?? Object.entries(metaAll).find(([k, v]) => typeof v === "object" && k.replace(/\.[^.]+$/, "") === base)?.[1];
    const key = sha(`${depsHash}\n${JSON.stringify(meta ?? null)}\n${sha(bytes)}`).slice(0, 24);
    const cachePath = join(cacheDir, `${file}.${key}.json`);
    let result: ParsedPlan | undefined;
    let cached = false;
    try {
      if (existsSync(cachePath)) {
        const c = readJson<ParsedPlan | undefined>(cachePath, undefined);
        // A cached parse holds only while the registry still gives its plan the same code.
        if (c && (!c.plan.key || (state.planCode(c.plan.key) ?? c.plan.code) === c.plan.code)) {
          result = c;
          cached = true;
          if (c.plan.key) state.assignPlanCode(c.plan.key, c.plan.code);
        }
      }
      if (!result) {
        const doc = opts.documents?.get(file) ?? (await readDocument(file, bytes));
        result = parseDocument(doc, meta, dict, guarded);
        writeAtomic(cachePath, JSON.stringify(result));
      }
    } catch (err) {
      const message =
        err instanceof DocumentReadError ? `could not be read: ${err.message.replace(`${file}: `, "")}; the other plans are loaded` : `could not be read (${(err as Error).message}); the other plans are loaded`;
      warnings.push({ file, line: 0, message });
      failed.push({ file, message });
      continue;
    }
    const same = result.plan.key ? byKey.get(result.plan.key) : undefined;
    if (same) {
      const message = `is the same plan as ${same} (same issuer and number); not loaded — keep one of the two files`;
      warnings.push({ file, line: 0, message });
      failed.push({ file, message });
      continue;
    }
    if (result.plan.key) byKey.set(result.plan.key, file);
    parsed.push(result);
    warnings.push(...result.warnings);
    files.push({
      file,
      plan: result.plan.id,
      code: result.plan.code,
      format: result.format ?? "",
      layouts: layoutsOf(result),
      cached,
      tasks: result.tasks.length,
      indicators: result.indicators.length,
      duties: result.duties.length,
      passages: result.passages.length,
      warnings: result.warnings.length,
      unknownDeadlines: result.tasks.filter((t) => t.deadline.kind === "unknown").length,
    });
  }

  // Rows a newer version no longer has, and plans removed: archived with their ids.
  const archived: KnowledgeRecord[] = [];
  if (previous) {
    const now = new Map(parsed.map((p) => [p.plan.id, new Map(recordsOf(p).map((r) => [r.id, r]))]));
    const planOfKey = new Map(parsed.flatMap((p) => (p.plan.key ? [[p.plan.key, p.plan.id] as const] : [])));
    for (const old of recordsOf(previous)) {
      const oldPlan = previous.plans.find((p) => p.id === old.plan);
      const planId = (oldPlan?.key && planOfKey.get(oldPlan.key)) ?? old.plan;
      const current = now.get(planId)?.get(old.id);
      if (!current) archived.push(old);
      else if (nameOf(current) !== nameOf(old) && current.kind !== "duty") {
        archived.push(old);
        warnings.push({ file: current.source.file, line: current.source.line, message: `${old.id} now reads differently; its former text is archived with its history` });
      }
    }
    if (archived.length) state.archive(archived, opts.now ?? new Date());
  }

  const refs = parsed.flatMap((p) => [
    ...p.tasks.flatMap((t) => [...t.leadAgencies, ...t.coordinatorAgencies]),
    ...p.indicators.flatMap((i) => i.leadAgencies),
    ...p.duties.flatMap((d) => d.agencies),
    // Agencies a duty only names as its partners ("phối hợp với Bộ Tư lệnh Thành phố") are agencies a question may name.
    ...p.duties.flatMap((d) => d.coordinators.flatMap((c) => splitAgencies(c, dict, p.plan.id))),
  ]);
  const kb: KnowledgeBase = {
    version: PARSER_VERSION,
    plans: parsed.map((p) => p.plan),
    tasks: parsed.flatMap((p) => p.tasks),
    indicators: parsed.flatMap((p) => p.indicators),
    duties: parsed.flatMap((p) => p.duties),
    passages: parsed.flatMap((p) => p.passages),
    outlines: parsed.map((p) => p.outline),
    agencies: collectAgencies(dict, refs),
    warnings,
  };
  const fingerprint = knowledgeFingerprint(opts.knowledgeDir);
  writeAtomic(join(opts.dataDir, "knowledge.json"), JSON.stringify({ fingerprint, kb }));
  return { kb, files, failed, archived, fingerprint, ms: performance.now() - started };
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
