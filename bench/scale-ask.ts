// The ask half of the scale benchmark, in a process of its own so its peak RSS is
// a bot's: the knowledge and the search index read from DATA_DIR (as `npm start`
// does), the background warm-up awaited (timed), then ~700 questions (the three question sets in test/, the no-diacritics
// twin of the accuracy set, and the place questions below), timed one by one.
//
// Place check: every question of the accuracy and work sets that names a place is
// asked twice — as written (it must get the original plan's row) and rewritten for
// one copy of the corpus (its place, codes and expected rows renamed; it must get
// that copy's row). A question counts only where it is right at ×1.
//
// Run by bench/scale.ts: `npx tsx bench/scale-ask.ts KNOWLEDGE_DIR DATA_DIR MANIFEST`.
import { readFileSync } from "node:fs";
import { loadConfig } from "../src/config.js";
import { createAskService, type AskJson } from "../src/features/ask/index.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import { fold } from "../src/text/vietnamese.js";
import { NOW, readQuestions } from "../test/features/ask/accuracy.js";
import { judge, readSet, SET_NOW, type SetQuestion } from "../test/features/ask/question-sets.js";
import { rewriteQuestion, type Copy } from "./corpus.js";

export interface AskFigures {
  load_knowledge_ms: number;
  open_ask_ms: number;
  /** The background warm-up after start (agencies and deadlines of every record). */
  warm_ms: number;
  questions: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  /** The same over CPU time of this process (steadier than wall time on a shared machine). */
  cpu_p50_ms: number;
  cpu_p95_ms: number;
  cpu_max_ms: number;
  slowest: string;
  /** The slowest questions, "ms question". */
  slowest_list: string[];
  peak_rss_mb: number;
  heap_used_mb: number;
  /** Place questions right as written (original plan), and rewritten for a copy (that copy's rows). */
  place_questions: number;
  place_right_original: number;
  place_right_copy: number;
  place_failures: string[];
  accuracy_top1: number;
  work_right: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const PLACE = /bac ninh|bac giang|lai chau|da mai|ho chi minh|hcm/;

export async function runAsk(knowledgeDir: string, dataDir: string, copies: Copy[]): Promise<AskFigures> {
  let t0 = performance.now();
  const kb = await loadKnowledge({ knowledgeDir, dataDir });
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  const service = await createAskService(kb, loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir }), { llm: null });
  const openMs = performance.now() - t0;
  // what questions read from every record is worked out in the background after start; time it, then ask
  t0 = performance.now();
  await service.warmed;
  const warmMs = performance.now() - t0;

  const lat: { ms: number; cpu: number; q: string }[] = [];
  const ask = async (q: string, now: Date, conversation?: string, limit?: number): Promise<AskJson> => {
    const c = process.cpuUsage();
    const s = performance.now();
    const j = await service.askJson(q, { now, conversation, limit });
    const ms = performance.now() - s;
    const d = process.cpuUsage(c);
    lat.push({ ms, cpu: (d.user + d.system) / 1000, q });
    return j;
  };
  const others = copies.filter((c) => c.k > 0);
  const copyFor = (i: number) => others[(i * 37) % Math.max(1, others.length)] ?? copies[0]!;
  const filesOf = (c: Copy) => (f: string) => c.files[f] ?? f;

  // warm-up (not timed): the JIT, and the first reads of the index
  for (const q of readQuestions().slice(0, 10)) await service.askJson(q.q, { now: NOW });

  let top1 = 0;
  let placeN = 0;
  let placeOrig = 0;
  let placeCopy = 0;
  const failures: string[] = [];
  const accuracy = readQuestions();
  for (const [i, q] of accuracy.entries()) {
    const j = await ask(q.q, NOW);
    const right = q.expect === null ? j.notFound : !j.notFound && j.matches[0]?.id === q.expect;
    if (right) top1++;
    if (q.expect && PLACE.test(fold(q.q))) {
      placeN++;
      if (!right) continue;
      placeOrig++;
      const c = copyFor(i);
      const qq = rewriteQuestion(q.q, c);
      const want = rewriteQuestion(q.expect, c);
      const jj = await ask(qq, NOW);
      if (!jj.notFound && jj.matches[0]?.id === want) placeCopy++;
      else failures.push(`${qq} → ${jj.matches[0]?.id ?? "not found"} (want ${want})`);
    }
  }
  for (const q of accuracy) await ask(fold(q.q), NOW);

  const askSet = async (q: SetQuestion, conversation: string) => {
    for (const c of q.context) await ask(c, SET_NOW, conversation, 30);
    return ask(q.q, SET_NOW, conversation, 30);
  };
  let workRight = 0;
  for (const [i, q] of readSet("work").entries()) {
    const v = judge(q, await askSet(q, `w:${q.id}`), kb);
    if (v.ok) workRight++;
    if (!q.plans.length || !PLACE.test(fold([q.q, ...q.context].join(" ")))) continue;
    placeN++;
    if (!v.ok) continue;
    placeOrig++;
    const c = copyFor(i);
    const f = filesOf(c);
    const qc: SetQuestion = {
      ...q,
      q: rewriteQuestion(q.q, c),
      context: q.context.map((x) => rewriteQuestion(x, c)),
      plans: q.plans.map(f),
      expect: q.expect.map((e) => ({ ...e, file: f(e.file) })),
      answer_facts: q.answer_facts.map((x) => rewriteQuestion(x, c)),
    };
    const vc = judge(qc, await askSet(qc, `c:${q.id}`), kb);
    if (vc.ok) placeCopy++;
    else failures.push(`${q.id} ${qc.q} → ${vc.why.join("; ")}`);
  }
  for (const q of readSet("heldout")) await askSet(q, `h:${q.id}`);

  const sorted = lat.map((x) => x.ms).sort((a, b) => a - b);
  const cpu = lat.map((x) => x.cpu).sort((a, b) => a - b);
  const slowest = lat.reduce((a, b) => (b.ms > a.ms ? b : a), lat[0]!);
  return {
    load_knowledge_ms: Math.round(loadMs),
    open_ask_ms: Math.round(openMs),
    warm_ms: Math.round(warmMs),
    questions: lat.length,
    p50_ms: Number(percentile(sorted, 50).toFixed(2)),
    p95_ms: Number(percentile(sorted, 95).toFixed(2)),
    max_ms: Number(sorted[sorted.length - 1]!.toFixed(1)),
    cpu_p50_ms: Number(percentile(cpu, 50).toFixed(2)),
    cpu_p95_ms: Number(percentile(cpu, 95).toFixed(2)),
    cpu_max_ms: Number(cpu[cpu.length - 1]!.toFixed(1)),
    slowest: slowest.q.slice(0, 80),
    slowest_list: [...lat].sort((a, b) => b.ms - a.ms).slice(0, 15).map((x) => `${x.ms.toFixed(1)} ${x.q.slice(0, 100)}`),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    heap_used_mb: Math.round(process.memoryUsage().heapUsed / 1048576),
    place_questions: placeN,
    place_right_original: placeOrig,
    place_right_copy: placeCopy,
    place_failures: failures.slice(0, 12),
    accuracy_top1: top1,
    work_right: workRight,
  };
}

if (process.argv[1] && /scale-ask\.ts$/.test(process.argv[1])) {
  const [knowledgeDir, dataDir, manifest] = process.argv.slice(2);
  const copies = JSON.parse(readFileSync(manifest!, "utf8")) as Copy[];
  const r = await runAsk(knowledgeDir!, dataDir!, copies);
  process.stdout.write(JSON.stringify(r) + "\n");
}
