// Accuracy of the ask service on test/ask/questions.jsonl, beside a generic RAG
// baseline (LangChain RecursiveCharacterTextSplitter default 1,000-character
// chunks + plain BM25, top 4). Run alone: `npx tsx test/ask/accuracy.ts [--json] [--verbose]`.
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createAskService, type AskJson } from "../../../src/features/ask/service.js";
import { loadConfig } from "../../../src/config.js";
import type { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import { loadKnowledge } from "../../../src/knowledge/load.js";
import { Bm25 } from "../../../src/retrieval/bm25.js";
import { splitDefault } from "../../../src/retrieval/langchain.js";
import { words } from "../../../src/text/vietnamese.js";

export interface Question {
  q: string;
  expect: string | null;
  intent?: string;
}

export interface AccuracyReport {
  questions: number;
  answerable: number;
  unanswerable: number;
  top1: number;
  top1Rate: number;
  unanswerableNotFound: number;
  unanswerableRate: number;
  noDiacritics: number;
  noDiacriticsTop1Rate: number;
  baselineTop1: number;
  baselineTop1Rate: number;
  baselineTop4Rate: number;
  baselineUnanswerableRate: number;
  failures: { q: string; expect: string | null; got: string | null; notFound: boolean }[];
}

export const QUESTIONS_FILE = new URL("./questions.jsonl", import.meta.url);
export const NOW = new Date("2026-11-23T08:00:00Z");

/** Typed without any diacritic (or other non-ASCII character). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

export function readQuestions(): Question[] {
  return readFileSync(QUESTIONS_FILE, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Question);
}

interface Chunk {
  file: string;
  line: number;
  endLine: number;
}

/** The baseline: each plan file split by LangChain's default splitter, plain BM25 over folded words, top 4. */
async function baseline(kb: KnowledgeIndex, knowledgeDir: string) {
  const chunks: Chunk[] = [];
  const bm = new Bm25(1.2, 0.75);
  for (const p of kb.plans) {
    const text = readFileSync(join(knowledgeDir, p.file), "utf8");
    const parts = await splitDefault(text);
    let cursor = 0;
    for (const part of parts) {
      let at = text.indexOf(part, Math.max(0, cursor - 400));
      if (at < 0) at = text.indexOf(part);
      if (at < 0) continue;
      cursor = at + part.length;
      const line = text.slice(0, at).split("\n").length;
      const endLine = line + part.split("\n").length - 1;
      chunks.push({ file: p.file, line, endLine });
      bm.add(words(part));
    }
  }
  return {
    chunks: chunks.length,
    search(q: string): Chunk[] {
      return bm.search(words(q), { limit: 4 }).map((h) => chunks[h.doc]!);
    },
  };
}

export async function runAccuracy(opts: { knowledgeDir?: string; dataDir?: string; vectorWeight?: number } = {}): Promise<AccuracyReport> {
  const knowledgeDir = opts.knowledgeDir ?? "knowledge";
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "ask-acc-"));
  const kb = await loadKnowledge({ knowledgeDir, dataDir });
  const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir });
  const service = await createAskService(kb, config, { llm: null, vectorWeight: opts.vectorWeight });
  const base = await baseline(kb, knowledgeDir);
  const qs = readQuestions();
  const failures: AccuracyReport["failures"] = [];
  let top1 = 0;
  let un = 0;
  let unOk = 0;
  let nd = 0;
  let ndOk = 0;
  let bTop1 = 0;
  let bTop4 = 0;
  let bUn = 0;
  for (const q of qs) {
    const j: AskJson = await service.askJson(q.q, { now: NOW });
    const got = j.matches[0]?.id ?? null;
    const plain = isAscii(q.q);
    if (q.expect === null) {
      un++;
      const ok = j.notFound && j.answer.includes("Không tìm thấy");
      if (ok) unOk++;
      else failures.push({ q: q.q, expect: null, got, notFound: j.notFound });
      if (base.search(q.q).length === 0) bUn++;
      continue;
    }
    const ok = !j.notFound && got === q.expect;
    if (ok) top1++;
    else failures.push({ q: q.q, expect: q.expect, got, notFound: j.notFound });
    if (plain) {
      nd++;
      if (ok) ndOk++;
    }
    const rec = kb.record(q.expect);
    if (rec) {
      const hits = base.search(q.q);
      const holds = (c: Chunk) => c.file === rec.source.file && c.line <= rec.source.line && c.endLine >= rec.source.endLine;
      if (hits[0] && holds(hits[0])) bTop1++;
      if (hits.some(holds)) bTop4++;
    }
  }
  const answerable = qs.length - un;
  return {
    questions: qs.length,
    answerable,
    unanswerable: un,
    top1,
    top1Rate: top1 / Math.max(1, answerable),
    unanswerableNotFound: unOk,
    unanswerableRate: unOk / Math.max(1, un),
    noDiacritics: nd,
    noDiacriticsTop1Rate: ndOk / Math.max(1, nd),
    baselineTop1: bTop1,
    baselineTop1Rate: bTop1 / Math.max(1, answerable),
    baselineTop4Rate: bTop4 / Math.max(1, answerable),
    baselineUnanswerableRate: bUn / Math.max(1, un),
    failures,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const w = process.argv.find((a) => a.startsWith("--vector-weight="));
  const r = await runAccuracy(w ? { vectorWeight: Number(w.split("=")[1]) } : {});
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(r));
  } else {
    console.log(`questions: ${r.questions} (answerable ${r.answerable}, unanswerable ${r.unanswerable}, no diacritics ${r.noDiacritics})`);
    console.log(`                         ours     baseline (1,000-char chunks + BM25)`);
    console.log(`top-1 record correct     ${pct(r.top1Rate).padEnd(8)} ${pct(r.baselineTop1Rate)}`);
    console.log(`right record in top 4    —        ${pct(r.baselineTop4Rate)}`);
    console.log(`unanswerable → not found ${pct(r.unanswerableRate).padEnd(8)} ${pct(r.baselineUnanswerableRate)}`);
    console.log(`no-diacritics top-1      ${pct(r.noDiacriticsTop1Rate)}`);
    if (process.argv.includes("--verbose") || r.failures.length <= 20) {
      for (const f of r.failures) console.log(`  ✗ ${f.q} → expected ${f.expect ?? "not found"}, got ${f.got ?? "—"}${f.notFound ? " (not found)" : ""}`);
    }
  }
}
