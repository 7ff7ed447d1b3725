// The search index: the same BM25 scores and order as the plain scorer (with filters, and through
// MaxScore), coverage as the units' own words say, saved once and read back, and only a changed
// plan analysed again.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import type { KnowledgeBase } from "../../src/knowledge/types.js";
import { analyze } from "../../src/retrieval/analyzer.js";
import { Bm25 } from "../../src/retrieval/bm25.js";
import { KIND_CODE, Retriever } from "../../src/retrieval/retriever.js";
import { TermIndex } from "../../src/retrieval/term-index.js";
import { readQuestions } from "../features/ask/accuracy.js";
import { realKnowledge } from "../knowledge/helpers.js";

const kb = realKnowledge();
const questions = readQuestions().map((q) => q.q);
let retriever: Retriever;

beforeAll(async () => {
  retriever = await Retriever.open(kb);
});

let bm: Bm25 | undefined;

/** The plain scorer over the same units, with the filter as a closure (what the retriever did before). */
function plain(filter: (u: number) => boolean) {
  if (!bm) {
    bm = new Bm25();
    for (const u of retriever.units) bm.add(u.terms);
  }
  const scorer = bm;
  return (q: string) => scorer.search(analyze(q).terms, { filter }).slice(0, 200).map((h) => ({ unit: h.doc, score: h.score }));
}

describe("BM25 over the typed-array index", () => {
  const plans = kb.plans.map((p) => p.id);
  it("gives the plain scorer's scores and order, over every plan", () => {
    const ref = plain(() => true);
    for (const q of questions) expect(retriever.bm25.search(analyze(q).terms, {}, 200)).toEqual(ref(q));
  });

  it("… and through MaxScore (exact: the same top 200, the same sums)", () => {
    const ref = plain(() => true);
    const before = TermIndex.maxScoreFrom;
    TermIndex.maxScoreFrom = 0;
    try {
      for (const q of questions) expect(retriever.bm25.search(analyze(q).terms, {}, 200)).toEqual(ref(q));
      for (const q of questions.slice(0, 40)) expect(retriever.bm25.search(analyze(q).terms, {}, 5)).toEqual(ref(q).slice(0, 5));
    } finally {
      TermIndex.maxScoreFrom = before;
    }
  });

  it("with a plan filter and a kind filter applied before scoring", () => {
    const fields = { task: 1, indicator: 1, duty: 1, passage: 0 } as const;
    for (const [i, q] of questions.slice(0, 60).entries()) {
      const plan = plans[i % plans.length]!;
      const ord = plans.indexOf(plan);
      const ref = plain((u) => retriever.units[u]!.plan === plan && fields[retriever.units[u]!.kind] === 1);
      const mask = (1 << KIND_CODE.task) | (1 << KIND_CODE.indicator) | (1 << KIND_CODE.duty);
      expect(retriever.bm25.search(analyze(q).terms, { plans: [ord], kindMask: mask }, 200)).toEqual(ref(q));
    }
  });
});

describe("coverage", () => {
  it("is what the units' own words and pairs give", async () => {
    for (const q of questions.slice(0, 40)) {
      const terms = analyze(q);
      for (const c of await retriever.search(q, {}, 12)) {
        const u = c.unit;
        const idf = (t: string) => (retriever.bm25.has(t) ? retriever.bm25.idf(t) : retriever.bm25.maxIdf);
        const words = [...new Set(terms.unigrams)].filter((w) => !/^\d+$/.test(w));
        const pairs = [...new Set(terms.terms)].filter((t) => t.includes("_") && !/\d/.test(t));
        const share = (ts: string[], has: (t: string) => boolean) => {
          const total = ts.reduce((n, t) => n + idf(t), 0);
          return total === 0 ? null : ts.filter(has).reduce((n, t) => n + idf(t), 0) / total;
        };
        const w = share(words, (t) => u.vocab.has(t)) ?? 0;
        const p = share(pairs, (t) => u.pairs.has(t)) ?? w;
        expect(c.wordCoverage).toBeCloseTo(w, 12);
        expect(c.pairCoverage).toBeCloseTo(p, 12);
      }
    }
  });
});

describe("the index in DATA_DIR", () => {
  let dataDir: string;

  it("is built and saved once, then read back with the same answers", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ask-index-"));
    const versioned = new KnowledgeIndex(kb.kb, "test-version-1");
    const built = await Retriever.open(versioned, { dataDir });
    expect(built.stats.loadedFromDisk).toBe(false);
    expect(built.stats.plansAnalysed).toBe(kb.plans.length);
    const read = await Retriever.open(versioned, { dataDir });
    expect(read.stats.loadedFromDisk).toBe(true);
    expect(read.stats.plansAnalysed).toBe(0);
    for (const q of questions.slice(0, 30)) {
      const a = (await built.search(q, {}, 12)).map((c) => [c.unit.id, c.score, c.coverage]);
      const b = (await read.search(q, {}, 12)).map((c) => [c.unit.id, c.score, c.coverage]);
      expect(b).toEqual(a);
    }
  });

  it("analyses only the plan that changed, and keeps one version", async () => {
    const changed: KnowledgeBase = structuredClone(kb.kb);
    const t = changed.tasks.find((x) => x.plan === "lai-chau-tinh-uy-2026")!;
    t.name = `${t.name} (sửa đổi)`;
    const r = await Retriever.open(new KnowledgeIndex(changed, "test-version-2"), { dataDir });
    expect(r.stats.loadedFromDisk).toBe(false);
    expect(r.stats.plansAnalysed).toBe(1);
    expect(r.stats.plansReused).toBe(kb.plans.length - 1);
    const files = readdirSync(join(dataDir, "ask-index"));
    expect(files.filter((f) => f.endsWith(".khpk"))).toHaveLength(1);
    expect(readdirSync(join(dataDir, "ask-index", "plans"))).toHaveLength(kb.plans.length);
    expect((await r.search("sửa đổi", { plans: ["lai-chau-tinh-uy-2026"] }, 3))[0]?.unit.id).toBe(t.id);
  });
});
