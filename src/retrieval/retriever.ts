// Hybrid retrieval over record units: BM25 (ours) + vectors (hnswlib through
// LangChain), fused, then re-ranked with field-aware signals. The vector index
// lives in DATA_DIR and is rebuilt when the records (or the embeddings) change.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { analyze, type Terms } from "./analyzer.js";
import { Bm25 } from "./bm25.js";
import { createEmbeddings, VectorIndex } from "./langchain.js";
import { buildUnits, type Unit, type UnitKind } from "./units.js";

const INDEX_VERSION = 3;

export interface SearchSignals {
  /** Only these plans (hard narrowing). */
  plans?: string[];
  /** Plans named loosely: boost, don't filter. */
  preferPlans?: string[];
  kinds?: UnitKind[];
  /** Kinds that fit the question best (boost). */
  preferKinds?: UnitKind[];
  /** Agencies named in the question and the role asked about. */
  agencies?: { id: string; role: "lead" | "coordinator" | "any" }[];
  /** The question asks about a deadline: prefer records that have one. */
  wantsDeadline?: boolean;
  /** A target year named (2026, 2030): prefer indicators. */
  targetYear?: number;
}

export interface Candidate {
  unit: Unit;
  score: number;
  bm25: number;
  vector: number;
  /** How much of the question the record holds: mean of idf-weighted word and word-pair shares. */
  coverage: number;
  wordCoverage: number;
  pairCoverage: number;
}

export interface RetrieverOptions {
  dataDir?: string;
  embeddings?: Pick<Config, "EMBEDDINGS_PROVIDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">;
  /** Weight of the vector score in the fusion (0–1). */
  vectorWeight?: number;
}

export interface BuildStats {
  units: number;
  builtMs: number;
  loadedFromDisk: boolean;
  hash: string;
}

export class Retriever {
  readonly bm25 = new Bm25();
  stats: BuildStats = { units: 0, builtMs: 0, loadedFromDisk: false, hash: "" };

  private constructor(
    readonly units: Unit[],
    private readonly vectors: VectorIndex | null,
    private readonly vectorWeight: number,
  ) {
    for (const u of units) this.bm25.add(u.terms);
  }

  static async open(kb: KnowledgeIndex, opts: RetrieverOptions = {}): Promise<Retriever> {
    const t0 = performance.now();
    const units = buildUnits(kb);
    const embCfg = opts.embeddings ?? { EMBEDDINGS_PROVIDER: "local" as const, EMBEDDINGS_BASE_URL: undefined, EMBEDDINGS_MODEL: undefined, EMBEDDINGS_API_KEY: undefined };
    const h = createHash("sha256");
    h.update(`v${INDEX_VERSION}|${embCfg.EMBEDDINGS_PROVIDER}|${embCfg.EMBEDDINGS_MODEL ?? ""}|${embCfg.EMBEDDINGS_BASE_URL ?? ""}\n`);
    for (const u of units) h.update(`${u.id}\u0000${u.text}\u0001`);
    const hash = h.digest("hex").slice(0, 16);
    const embeddings = createEmbeddings(embCfg);
    let vectors: VectorIndex | null = null;
    let loaded = false;
    if (units.length > 0) {
      const root = opts.dataDir ? join(opts.dataDir, "ask-index") : null;
      const dir = root ? join(root, hash) : null;
      if (dir && existsSync(join(dir, "hnswlib.index"))) {
        try {
          vectors = await VectorIndex.load(dir, embeddings);
          loaded = vectors.size === units.length;
          if (!loaded) vectors = null;
        } catch {
          vectors = null;
        }
      }
      if (!vectors) {
        vectors = await VectorIndex.build(
          units.map((u) => ({ unit: u.idx, text: u.text })),
          embeddings,
        );
        if (root && dir) {
          await mkdir(root, { recursive: true });
          // keep only the current index
          for (const old of await readdir(root).catch(() => [] as string[])) {
            if (old !== hash) await rm(join(root, old), { recursive: true, force: true });
          }
          await vectors.save(dir);
        }
      }
    }
    const r = new Retriever(units, vectors, opts.vectorWeight ?? 0.3);
    r.stats = { units: units.length, builtMs: performance.now() - t0, loadedFromDisk: loaded, hash };
    return r;
  }

  /** idf-weighted share of the question's content words present in a unit; unknown words weigh the most. */
  coverage(q: Terms, u: Unit): { coverage: number; wordCoverage: number; pairCoverage: number } {
    let total = 0;
    let hit = 0;
    for (const w of new Set(q.unigrams)) {
      if (/^\d+$/.test(w)) continue; // numbers (years, TT) are signals, not topic words
      const idf = this.bm25.has(w) ? this.bm25.idf(w) : this.bm25.maxIdf;
      total += idf;
      if (u.vocab.has(w)) hit += idf;
    }
    const wordCoverage = total === 0 ? 0 : hit / total;
    let pTotal = 0;
    let pHit = 0;
    for (const t of new Set(q.terms)) {
      if (!t.includes("_") || /\d/.test(t)) continue;
      const idf = this.bm25.has(t) ? this.bm25.idf(t) : this.bm25.maxIdf;
      pTotal += idf;
      if (u.pairs.has(t)) pHit += idf;
    }
    const pairCoverage = pTotal === 0 ? wordCoverage : pHit / pTotal;
    return { coverage: 0.5 * wordCoverage + 0.5 * pairCoverage, wordCoverage, pairCoverage };
  }

  async search(query: string, signals: SearchSignals = {}, limit = 10): Promise<Candidate[]> {
    const q = analyze(query);
    const allowed = (u: Unit) => (!signals.plans?.length || signals.plans.includes(u.plan)) && (!signals.kinds?.length || signals.kinds.includes(u.kind));
    const bm = this.bm25.search(q.terms, { filter: (d) => allowed(this.units[d]!) });
    const maxBm = bm[0]?.score ?? 0;
    const pool = new Map<number, { bm25: number; vector: number }>();
    for (const h of bm.slice(0, 200)) pool.set(h.doc, { bm25: maxBm > 0 ? h.score / maxBm : 0, vector: 0 });
    if (this.vectors && q.unigrams.length > 0) {
      const hits = await this.vectors.search(query, 80);
      for (const h of hits) {
        const u = this.units[h.unit];
        if (!u || !allowed(u)) continue;
        const e = pool.get(h.unit) ?? { bm25: 0, vector: 0 };
        e.vector = Math.max(0, h.similarity);
        pool.set(h.unit, e);
      }
    }
    const maxVec = Math.max(1e-9, ...[...pool.values()].map((e) => e.vector));
    const w = this.vectors ? this.vectorWeight : 0;
    const out: Candidate[] = [];
    for (const [idx, e] of pool) {
      const u = this.units[idx]!;
      let score = (1 - w) * e.bm25 + w * (e.vector / maxVec);
      score *= this.boost(u, signals);
      out.push({ unit: u, score, bm25: e.bm25, vector: e.vector, ...this.coverage(q, u) });
    }
    // coverage breaks near-ties: a record holding every asked word beats one that repeats a few
    for (const c of out) c.score *= 0.75 + 0.25 * c.coverage;
    out.sort((a, b) => b.score - a.score || a.unit.idx - b.unit.idx);
    return out.slice(0, limit);
  }

  private boost(u: Unit, s: SearchSignals): number {
    let b = 1;
    if (s.preferPlans?.length && s.preferPlans.includes(u.plan)) b *= 1.25;
    if (s.preferKinds?.length) b *= s.preferKinds.includes(u.kind) ? 1.15 : 0.9;
    if (u.kind === "passage") b *= 0.85; // records with fields answer better than running text
    for (const a of s.agencies ?? []) {
      const lead = u.leadIds.includes(a.id);
      const coord = u.coordinatorIds.includes(a.id);
      if (a.role === "lead") b *= lead ? 1.35 : coord ? 1.05 : 0.9;
      else if (a.role === "coordinator") b *= coord ? 1.35 : lead ? 1.05 : 0.9;
      else b *= lead || coord ? 1.3 : 0.9;
    }
    if (s.wantsDeadline) {
      const hasDeadline = u.record.kind === "task" ? u.record.deadline.kind !== "none" : u.record.kind === "duty" ? !!u.record.deadline || u.record.schedule.length > 0 : false;
      if (hasDeadline) b *= 1.05;
    }
    if (s.targetYear) b *= u.kind === "indicator" ? 1.2 : u.kind === "task" && /20\d\d/.test(u.name) ? 1 : 0.95;
    return b;
  }
}
