// The search index on disk, in DATA_DIR/ask-index/:
//   <key>.khpk            the whole index for one knowledge version and embeddings
//                         (postings, coverage words, vectors): read at start, nothing rebuilt;
//   plans/<key>.khpk      one plan's analysis (BM25 terms and counts, coverage words, and its
//                         rows' embedding features or vectors), keyed by the plan's own texts:
//                         when the knowledge changes, only the plans whose texts changed are
//                         analysed again, and the index is assembled from the saved ones.
// Files of other versions are removed once a new index is saved. Without a DATA_DIR
// everything is built in memory.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Config } from "../config.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { hashedSyllables, LocalHashEmbeddings } from "./langchain.js";
import { readPack, writePack, type PackArray } from "./pack.js";
import { TermIndex, type UnitTerms } from "./term-index.js";
import { analyseUnit, TokenMemo, type Unit, type UnitKind } from "./units.js";
import { FlatVectors } from "./vectors.js";

/** Bump when the index layout or what goes into it changes. */
const INDEX_VERSION = 6;
/** Bump when a plan's analysis changes (the analyzer, the units' words, the embedding features). */
const ANALYSIS_VERSION = 2;

const KIND_CODE: Record<UnitKind, number> = { task: 0, indicator: 1, duty: 2, passage: 3 };

type EmbeddingsConfig = Pick<Config, "EMBEDDINGS_PROVIDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "EMBEDDINGS_API_KEY">;

export interface OpenedIndex {
  index: TermIndex;
  vectors: FlatVectors | null;
  /** Our embeddings' fitted state (their idf), when they are ours. */
  localState: { dims: number; idf: number[] } | null;
  /** Plan id → ordinal (the index numbers its documents plan by plan). */
  planOrd: Map<string, number>;
  key: string;
  loaded: boolean;
  plansAnalysed: number;
  plansReused: number;
}

interface IndexMeta {
  v: number;
  units: number;
  plans: string[];
  terms: string[];
  avgLen: number;
  dims: number;
  local: { dims: number; idf: number[] } | null;
}

interface PlanMeta {
  v: number;
  ids: string[];
  terms: string[];
  dims: number;
}

const sha = () => createHash("sha256");

/** Plans in the knowledge's order (plus any a record names that the plan list lacks). */
function planOrder(kb: KnowledgeIndex, units: Unit[]): string[] {
  const plans = kb.plans.map((p) => p.id);
  const seen = new Set(plans);
  for (const u of units) {
    if (seen.has(u.plan)) continue;
    seen.add(u.plan);
    plans.push(u.plan);
  }
  return plans;
}

function embeddingsId(cfg: EmbeddingsConfig, e: EmbeddingsInterface): string {
  const dims = e instanceof LocalHashEmbeddings ? e.dims : "";
  return `${cfg.EMBEDDINGS_PROVIDER}|${cfg.EMBEDDINGS_MODEL ?? ""}|${cfg.EMBEDDINGS_BASE_URL ?? ""}|${dims}`;
}

/** One plan's analysis, as saved. */
interface PlanAnalysis {
  meta: PlanMeta;
  tfOff: Int32Array;
  tfTerm: Int32Array;
  tfCount: Uint16Array;
  len: Int32Array;
  wOff: Int32Array;
  wTerm: Int32Array;
  /** Our embeddings: bucket features per row. */
  fOff?: Int32Array;
  fBucket?: Uint16Array | Int32Array;
  fRaw?: Float32Array;
  /** Other embeddings: the rows' vectors. */
  vec?: Float32Array;
}

async function analysePlan(units: Unit[], embeddings: EmbeddingsInterface, memo: TokenMemo): Promise<PlanAnalysis> {
  const terms: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (t: string) => {
    let id = ids.get(t);
    if (id === undefined) ids.set(t, (id = terms.push(t) - 1));
    return id;
  };
  const tfT: number[] = [];
  const tfC: number[] = [];
  const wT: number[] = [];
  const tfOff = new Int32Array(units.length + 1);
  const wOff = new Int32Array(units.length + 1);
  const len = new Int32Array(units.length);
  const sylls: string[][] = [];
  units.forEach((u, i) => {
    const a = analyseUnit(u, memo);
    sylls.push(a.syllables);
    for (const [t, n] of a.tf) {
      tfT.push(idOf(t));
      tfC.push(n);
    }
    for (const w of a.words) wT.push(idOf(w));
    len[i] = a.length;
    tfOff[i + 1] = tfT.length;
    wOff[i + 1] = wT.length;
  });
  const out: PlanAnalysis = {
    meta: { v: ANALYSIS_VERSION, ids: units.map((u) => u.id), terms, dims: 0 },
    tfOff,
    tfTerm: Int32Array.from(tfT),
    tfCount: Uint16Array.from(tfC, (c) => Math.min(c, 0x7fff)),
    len,
    wOff,
    wTerm: Int32Array.from(wT),
  };
  if (embeddings instanceof LocalHashEmbeddings) {
    const fs = sylls.map((s) => hashedSyllables(s, embeddings.dims));
    const fOff = new Int32Array(units.length + 1);
    fs.forEach((f, i) => (fOff[i + 1] = fOff[i]! + f.buckets.length));
    const fBucket = embeddings.dims <= 0x10000 ? new Uint16Array(fOff[units.length]!) : new Int32Array(fOff[units.length]!);
    const fRaw = new Float32Array(fOff[units.length]!);
    fs.forEach((f, i) => {
      fBucket.set(f.buckets, fOff[i]!);
      fRaw.set(f.raw, fOff[i]!);
    });
    Object.assign(out, { fOff, fBucket, fRaw });
    out.meta.dims = embeddings.dims;
  } else if (units.length) {
    const rows = await embeddings.embedDocuments(units.map((u) => u.text));
    const dims = rows[0]?.length ?? 0;
    const vec = new Float32Array(units.length * dims);
    rows.forEach((r, i) => vec.set(r.slice(0, dims), i * dims));
    out.vec = vec;
    out.meta.dims = dims;
  }
  return out;
}

function savePlan(path: string, a: PlanAnalysis): void {
  const { meta, ...arrays } = a;
  writePack(path, meta, arrays as Record<string, PackArray>);
}

function loadPlan(path: string, units: Unit[]): PlanAnalysis | null {
  const p = readPack<PlanMeta>(path);
  if (!p || p.meta.v !== ANALYSIS_VERSION || p.meta.ids.length !== units.length || p.meta.ids.some((id, i) => id !== units[i]!.id)) return null;
  return { meta: p.meta, ...(p.arrays as Omit<PlanAnalysis, "meta">) };
}

/** Open the index for these units: read it from DATA_DIR when saved, else assemble it (reusing saved plan analyses) and save it. */
export async function openIndex(kb: KnowledgeIndex, units: Unit[], embeddings: EmbeddingsInterface, cfg: EmbeddingsConfig, dataDir?: string): Promise<OpenedIndex> {
  const plans = planOrder(kb, units);
  const planOrd = new Map(plans.map((p, i) => [p, i]));
  const embId = embeddingsId(cfg, embeddings);
  // The index key: the knowledge version when known (no text needs reading), else every unit's text.
  const h = sha().update(`v${INDEX_VERSION}|${embId}\n${plans.join("\n")}\n`);
  if (kb.version) {
    h.update(kb.version);
    for (const u of units) h.update(`${u.id}\u0000${u.plan}\u0001`);
  } else {
    for (const u of units) h.update(`${u.id}\u0000${u.text}\u0001`);
  }
  const key = h.digest("hex").slice(0, 16);
  const root = dataDir ? join(dataDir, "ask-index") : null;
  const indexPath = root ? join(root, `${key}.khpk`) : null;

  if (indexPath && existsSync(indexPath)) {
    const p = readPack<IndexMeta>(indexPath);
    if (p && p.meta.v === INDEX_VERSION && p.meta.units === units.length && p.meta.plans.join("\n") === plans.join("\n")) {
      const a = p.arrays;
      const index = new TermIndex({
        terms: p.meta.terms,
        postOff: a.postOff as Int32Array,
        postDoc: a.postDoc as Int32Array,
        postTf: a.postTf as Uint16Array,
        df: a.df as Int32Array,
        docNorm: a.docNorm as Float64Array,
        maxFactor: a.maxFactor as Float64Array,
        docUnit: a.docUnit as Int32Array,
        unitDoc: a.unitDoc as Int32Array,
        docKind: a.docKind as Uint8Array,
        planStart: a.planStart as Int32Array,
        avgLen: p.meta.avgLen,
      });
      const vectors = p.meta.dims && a.vectors ? new FlatVectors(p.meta.dims, a.vectors as Float32Array) : null;
      return { index, vectors, localState: p.meta.local, planOrd, key, loaded: true, plansAnalysed: 0, plansReused: 0 };
    }
  }

  // Assemble: each plan's analysis, saved or made now.
  const byPlan = new Map<number, Unit[]>();
  for (const u of units) {
    const o = planOrd.get(u.plan)!;
    const list = byPlan.get(o) ?? [];
    list.push(u);
    byPlan.set(o, list);
  }
  const planDir = root ? join(root, "plans") : null;
  if (planDir) mkdirSync(planDir, { recursive: true });
  const keep = new Set<string>();
  const analyses: { units: Unit[]; a: PlanAnalysis }[] = [];
  let analysed = 0;
  let reused = 0;
  const memo = new TokenMemo();
  for (let o = 0; o < plans.length; o++) {
    const us = byPlan.get(o) ?? [];
    if (!us.length) continue;
    const ph = sha().update(`a${ANALYSIS_VERSION}|${embId}|${plans[o]}\n`);
    for (const u of us) ph.update(`${u.id}\u0000${u.kind}\u0000${u.text}\u0001`);
    const file = `${ph.digest("hex").slice(0, 24)}.khpk`;
    keep.add(file);
    let a = planDir ? loadPlan(join(planDir, file), us) : null;
    if (a) reused++;
    else {
      a = await analysePlan(us, embeddings, memo);
      analysed++;
      if (planDir) savePlan(join(planDir, file), a);
    }
    analyses.push({ units: us, a });
  }

  // Global term ids, unit by unit in unit order.
  const n = units.length;
  const terms: string[] = [];
  const ids = new Map<string, number>();
  const perUnit: UnitTerms[] = new Array(n);
  const localMaps = analyses.map(({ a }) =>
    Int32Array.from(a.meta.terms, (t) => {
      let id = ids.get(t);
      if (id === undefined) ids.set(t, (id = terms.push(t) - 1));
      return id;
    }),
  );
  analyses.forEach(({ units: us, a }, s) => {
    const map = localMaps[s]!;
    us.forEach((u, i) => {
      const t = a.tfTerm.subarray(a.tfOff[i]!, a.tfOff[i + 1]!).map((x) => map[x]!);
      const f = Int32Array.from(a.tfCount.subarray(a.tfOff[i]!, a.tfOff[i + 1]!));
      const w = a.wTerm.subarray(a.wOff[i]!, a.wOff[i + 1]!).map((x) => map[x]!);
      perUnit[u.idx] = { terms: t, counts: f, length: a.len[i]!, words: w };
    });
  });
  const unitPlan = Int32Array.from(units, (u) => planOrd.get(u.plan)!);
  const unitKind = Uint8Array.from(units, (u) => KIND_CODE[u.kind]);
  const index = TermIndex.fromUnits(terms, perUnit, unitPlan, unitKind, plans.length);

  // Vectors: ours from the saved features (their idf learnt from the whole corpus), others as embedded.
  let vectors: FlatVectors | null = null;
  let localState: OpenedIndex["localState"] = null;
  if (n > 0 && embeddings instanceof LocalHashEmbeddings) {
    const feats: { buckets: Int32Array; raw: Float64Array }[] = new Array(n);
    for (const { units: us, a } of analyses) {
      us.forEach((u, i) => {
        const lo = a.fOff![i]!;
        const hi = a.fOff![i + 1]!;
        feats[u.idx] = { buckets: Int32Array.from(a.fBucket!.subarray(lo, hi)), raw: Float64Array.from(a.fRaw!.subarray(lo, hi)) };
      });
    }
    const local = new LocalHashEmbeddings(embeddings.dims);
    local.fitFeatures(feats);
    const data = new Float32Array(n * local.dims);
    feats.forEach((f, u) => data.set(local.fromFeatures(f), u * local.dims));
    vectors = new FlatVectors(local.dims, data);
    localState = local.state();
  } else if (n > 0) {
    const dims = analyses.find((x) => x.a.meta.dims)?.a.meta.dims ?? 0;
    if (dims) {
      const rows: Float32Array[] = new Array(n);
      for (const { units: us, a } of analyses) us.forEach((u, i) => (rows[u.idx] = a.vec!.subarray(i * dims, (i + 1) * dims)));
      vectors = FlatVectors.fromRows(rows, dims);
    }
  }

  if (root && indexPath) {
    const d = index.data;
    const meta: IndexMeta = { v: INDEX_VERSION, units: n, plans, terms: d.terms, avgLen: d.avgLen, dims: vectors?.dims ?? 0, local: localState };
    writePack(indexPath, meta, {
      postOff: d.postOff,
      postDoc: d.postDoc,
      postTf: d.postTf,
      df: d.df,
      docNorm: d.docNorm,
      maxFactor: d.maxFactor,
      docUnit: d.docUnit,
      unitDoc: d.unitDoc,
      docKind: d.docKind,
      planStart: d.planStart,
      ...(vectors ? { vectors: vectors.data } : {}),
    });
    // keep only this version (and the plan analyses it was made of)
    for (const f of readdirSync(root)) if (f !== `${key}.khpk` && f !== "plans") rmSync(join(root, f), { recursive: true, force: true });
    if (planDir) for (const f of readdirSync(planDir)) if (!keep.has(f)) rmSync(join(planDir, f), { force: true });
  }
  return { index, vectors, localState, planOrd, key, loaded: false, plansAnalysed: analysed, plansReused: reused };
}
