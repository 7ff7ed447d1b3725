// Hybrid retrieval over record units: BM25 (term-index.ts) + vectors
// (vectors.ts, our hashed embeddings or any LangChain embeddings), fused, then
// re-ranked with field-aware signals.
//
// What is derived from the records is saved in DATA_DIR/ask-index once per
// knowledge version and read back at start (index-store.ts): one file for the
// whole index, and one per plan with that plan's analysis, so a new version
// re-analyses only the plans that changed.
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Config } from "../config.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { analyze, type Terms } from "./analyzer.js";
import { openIndex, type OpenedIndex } from "./index-store.js";
import { createEmbeddings, hashedFeatures, LocalHashEmbeddings } from "./langchain.js";
import type { TermFilter, TermIndex } from "./term-index.js";
import { buildUnits, type Unit, type UnitKind } from "./units.js";
import { normalised, type FlatVectors } from "./vectors.js";

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

/**
 * How the vector side takes part: "filtered" — the nearest rows among those the filters let
 * through (exact, over that plan's rows when a plan is named); "global" — the nearest rows of the
 * whole corpus, then filtered; "pool" — only re-scores what BM25 found; "off" — BM25 alone.
 */
export type VectorMode = "filtered" | "global" | "pool" | "off";

export interface RetrieverOptions {
  dataDir?: string;
  embeddings?: Pick<Config, "EMBEDDINGS_PROVIDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">;
  /** Weight of the vector score in the fusion (0–1). */
  vectorWeight?: number;
  /** Dimensions of our own embeddings (default LOCAL_DIMS). */
  dims?: number;
  vectorMode?: VectorMode;
}

export interface BuildStats {
  units: number;
  builtMs: number;
  loadedFromDisk: boolean;
  hash: string;
  /** Plans analysed by this open, and plans whose saved analysis was reused. */
  plansAnalysed: number;
  plansReused: number;
}

/** BM25 candidates kept for fusion, nearest vectors looked at. */
const BM25_POOL = 200;
const VECTOR_K = 80;
/** Above this many allowed rows, the vector side re-scores BM25's candidates instead of scanning every row. */
const SCAN_LIMIT = 20_000;

export const KIND_CODE: Record<UnitKind, number> = { task: 0, indicator: 1, duty: 2, passage: 3 };

export class Retriever {
  stats: BuildStats = { units: 0, builtMs: 0, loadedFromDisk: false, hash: "", plansAnalysed: 0, plansReused: 0 };

  private constructor(
    readonly units: Unit[],
    /** The word index (BM25 postings, idf, coverage words). */
    readonly bm25: TermIndex,
    private readonly vectors: FlatVectors | null,
    private readonly embedQuery: ((q: string) => Promise<Float32Array>) | null,
    private readonly vectorWeight: number,
    private readonly planOrd: Map<string, number>,
    private readonly mode: VectorMode,
  ) {}

  static async open(kb: KnowledgeIndex, opts: RetrieverOptions = {}): Promise<Retriever> {
    const t0 = performance.now();
    const units = buildUnits(kb);
    const embCfg = opts.embeddings ?? { EMBEDDINGS_PROVIDER: "local" as const, EMBEDDINGS_BASE_URL: undefined, EMBEDDINGS_MODEL: undefined, EMBEDDINGS_API_KEY: undefined };
    const embeddings = createEmbeddings(embCfg, opts.dims);
    const opened: OpenedIndex = await openIndex(kb, units, embeddings, embCfg, opts.dataDir);
    let embedQuery: ((q: string) => Promise<Float32Array>) | null = null;
    if (opened.vectors) {
      if (embeddings instanceof LocalHashEmbeddings) {
        const local = LocalHashEmbeddings.fromState(opened.localState!);
        embedQuery = async (q) => local.fromFeatures(hashedFeatures(q, local.dims));
      } else {
        const e: EmbeddingsInterface = embeddings;
        embedQuery = async (q) => normalised(await e.embedQuery(q));
      }
    }
    const r = new Retriever(units, opened.index, opened.vectors, embedQuery, opts.vectorWeight ?? 0.3, opened.planOrd, opts.vectorMode ?? "filtered");
    r.stats = { units: units.length, builtMs: performance.now() - t0, loadedFromDisk: opened.loaded, hash: opened.key, plansAnalysed: opened.plansAnalysed, plansReused: opened.plansReused };
    return r;
  }

  /** idf-weighted share of the question's content words present in a unit; unknown words weigh the most. */
  coverage(q: Terms, u: Unit): { coverage: number; wordCoverage: number; pairCoverage: number } {
    return this.coverageOf(this.prepare(q), u.idx);
  }

  private prepare(q: Terms): { words: [number, number][]; pairs: [number, number][] } {
    const ix = this.bm25;
    const weigh = (t: string): [number, number] => {
      const id = ix.termId(t);
      const known = id !== undefined && ix.df(id) > 0;
      return [id ?? -1, known ? ix.idf(t) : ix.maxIdf];
    };
    const words: [number, number][] = [];
    for (const w of new Set(q.unigrams)) {
      if (/^\d+$/.test(w)) continue; // numbers (years, TT) are signals, not topic words
      words.push(weigh(w));
    }
    const pairs: [number, number][] = [];
    for (const t of new Set(q.terms)) {
      if (!t.includes("_") || /\d/.test(t)) continue;
      pairs.push(weigh(t));
    }
    return { words, pairs };
  }

  private coverageOf(p: { words: [number, number][]; pairs: [number, number][] }, u: number): { coverage: number; wordCoverage: number; pairCoverage: number } {
    let total = 0;
    let hit = 0;
    for (const [id, idf] of p.words) {
      total += idf;
      if (id >= 0 && this.bm25.holds(u, id)) hit += idf;
    }
    const wordCoverage = total === 0 ? 0 : hit / total;
    let pTotal = 0;
    let pHit = 0;
    for (const [id, idf] of p.pairs) {
      pTotal += idf;
      if (id >= 0 && this.bm25.holds(u, id)) pHit += idf;
    }
    const pairCoverage = pTotal === 0 ? wordCoverage : pHit / pTotal;
    return { coverage: 0.5 * wordCoverage + 0.5 * pairCoverage, wordCoverage, pairCoverage };
  }

  private filterOf(signals: SearchSignals): TermFilter | null {
    const f: TermFilter = {};
    if (signals.plans?.length) {
      f.plans = [...new Set(signals.plans.flatMap((p) => (this.planOrd.has(p) ? [this.planOrd.get(p)!] : [])))];
      if (!f.plans.length) return null; // only plans that do not exist: nothing is allowed
    }
    if (signals.kinds?.length) f.kindMask = signals.kinds.reduce((m, k) => m | (1 << KIND_CODE[k]), 0);
    return f;
  }

  private allowed(f: TermFilter, u: Unit): boolean {
    return (!f.plans || f.plans.includes(this.planOrd.get(u.plan) ?? -1)) && (f.kindMask === undefined || (f.kindMask & (1 << KIND_CODE[u.kind])) !== 0);
  }

  async search(query: string, signals: SearchSignals = {}, limit = 10): Promise<Candidate[]> {
    const q = analyze(query);
    const filter = this.filterOf(signals);
    if (!filter) return [];
    const bm = this.bm25.search(q.terms, filter, BM25_POOL);
    const maxBm = bm[0]?.score ?? 0;
    const pool = new Map<number, { bm25: number; vector: number }>();
    for (const h of bm) pool.set(h.unit, { bm25: maxBm > 0 ? h.score / maxBm : 0, vector: 0 });
    const vectors = this.mode === "off" ? null : this.vectors;
    if (vectors && this.embedQuery && q.unigrams.length > 0) {
      const qv = await this.embedQuery(query);
      const add = (unit: number, similarity: number) => {
        const e = pool.get(unit) ?? { bm25: 0, vector: 0 };
        e.vector = Math.max(0, similarity);
        pool.set(unit, e);
      };
      const narrow = filter.plans !== undefined && this.bm25.countOf({ plans: filter.plans }) <= SCAN_LIMIT;
      if (this.mode === "global" && vectors.size <= SCAN_LIMIT) {
        for (const h of vectors.top(qv, VECTOR_K)) if (this.allowed(filter, this.units[h.unit]!)) add(h.unit, h.similarity);
      } else if (this.mode === "filtered" && (narrow || vectors.size <= SCAN_LIMIT)) {
        for (const h of vectors.top(qv, VECTOR_K, this.bm25.unitsOf(filter))) add(h.unit, h.similarity);
      } else {
        // too many rows to compare one by one: the vectors re-rank what the words found
        for (const u of pool.keys()) add(u, vectors.similarity(qv, u));
      }
    }
    let maxVec = 1e-9;
    for (const e of pool.values()) if (e.vector > maxVec) maxVec = e.vector;
    const w = vectors ? this.vectorWeight : 0;
    const prepared = this.prepare(q);
    const out: Candidate[] = [];
    for (const [idx, e] of pool) {
      const u = this.units[idx]!;
      let score = (1 - w) * e.bm25 + w * (e.vector / maxVec);
      score *= this.boost(u, signals);
      out.push({ unit: u, score, bm25: e.bm25, vector: e.vector, ...this.coverageOf(prepared, idx) });
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
