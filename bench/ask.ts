// Ask benchmark: index build time for the five plans (cold: vectors built and
// saved; warm: loaded from DATA_DIR), per-question latency p50/p95 over a few
// hundred questions without an LLM, peak RSS.
// Run alone: `npx tsx bench/ask.ts [--json]`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createAskService } from "../src/features/ask/service.js";
import { loadConfig } from "../src/config.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import { fold } from "../src/text/vietnamese.js";

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchAsk(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-ask-"));
  let peakRss = process.memoryUsage().rss;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
  const timer = setInterval(sample, 5);
  try {
    const kb = await loadKnowledge({ knowledgeDir: "knowledge", dataDir });
    const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: "knowledge" });
    let t0 = performance.now();
    const cold = await createAskService(kb, config, { llm: null });
    const buildMs = performance.now() - t0;
    t0 = performance.now();
    await createAskService(kb, config, { llm: null });
    const warmMs = performance.now() - t0;

    const base = readFileSync(new URL("../test/features/ask/questions.jsonl", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { q: string }).q);
    // a few hundred: the set, its no-diacritics twin, and a typed-in-a-hurry variant
    const questions = [...base, ...base.map((q) => fold(q)), ...base.map((q) => q.toUpperCase().replace(/\?$/, ""))];
    const now = new Date("2026-11-23T08:00:00Z");
    for (const q of base.slice(0, 20)) await cold.askJson(q, { now }); // warm-up
    const lat: number[] = [];
    for (const q of questions) {
      const s = performance.now();
      await cold.askJson(q, { now });
      lat.push(performance.now() - s);
      sample();
    }
    lat.sort((a, b) => a - b);
    return {
      units: cold.retriever.stats.units,
      indexBuildMs: Math.round(buildMs),
      indexLoadMs: Math.round(warmMs),
      questions: questions.length,
      p50Ms: Number(percentile(lat, 50).toFixed(2)),
      p95Ms: Number(percentile(lat, 95).toFixed(2)),
      maxMs: Number(lat[lat.length - 1]!.toFixed(2)),
      peakRssMb: Math.round(peakRss / 1048576),
    };
  } finally {
    clearInterval(timer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchAsk();
  if (process.argv.includes("--json")) console.log(JSON.stringify(r));
  else {
    console.log("ask benchmark (no LLM, local embeddings)");
    for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(14)} ${v}`);
    console.log(`  targets: p95 ≤ 20 ms ${r.p95Ms! <= 20 ? "✓" : "✗"}, build ≤ 5000 ms ${r.indexBuildMs! <= 5000 ? "✓" : "✗"}`);
  }
}
