// Scale benchmark: the plans of knowledge/ ×1, ×10, ×100 (bench/corpus.ts: copies
// with their places renamed, in a temp dir, never committed), and for each size:
//   ingest        a cold ingest into an empty DATA_DIR, in a child process;
//   start_empty   `npm start` with an empty DATA_DIR: src/main.ts (console mode, no
//                 token, stdin closed) spawned as npm's `tsx src/main.ts` runs it, from
//                 spawn until it prints the console greeting — steps 1–11 done, the ask
//                 service ready (it then sees stdin closed and stops);
//   start_disk    the same with DATA_DIR as the first start left it (index on disk);
//                 best of `--starts` runs;
//   ask           bench/scale-ask.ts in its own process: p50/p95/max over ~700
//                 questions, peak RSS of that process, and the place check;
//   disk          DATA_DIR's size and its parts.
// `npm run bench -- --only scale [--sizes 1,10,100] [--starts 2] [--keep] [--against DIR]`,
// or alone: `npx tsx bench/scale.ts --sizes 1,10 [--json]`.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateCorpus } from "./corpus.js";
import type { AskFigures } from "./scale-ask.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

export type ScaleFigures = Record<string, number | string>;

interface RunResult {
  ms: number;
  readyMs: number | null;
  stdout: string;
  stderr: string;
  code: number | null;
  /** CPU seconds (user + system) and peak RSS of the child, from /usr/bin/time where there is one. */
  cpuMs: number | null;
  maxRssMb: number | null;
}

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** A TypeScript entry point in a child process (node --import tsx, as `npm start`'s tsx runs it). */
function run(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; readyText?: string }): Promise<RunResult> {
  return new Promise((done, fail) => {
    const timeFile = join(tmpdir(), `bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const argv = [process.execPath, "--import", TSX, ...args];
    const t0 = performance.now();
    const child = TIME
      ? spawn(TIME, ["-f", "%U %S %M", "-o", timeFile, ...argv], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let readyMs: number | null = null;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
      if (readyMs === null && opts.readyText && stdout.includes(opts.readyText)) readyMs = performance.now() - t0;
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", fail);
    child.on("exit", (code) => {
      let cpuMs: number | null = null;
      let maxRssMb: number | null = null;
      if (TIME && existsSync(timeFile)) {
        const [u, sy, m] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
        cpuMs = Math.round(((u ?? 0) + (sy ?? 0)) * 1000);
        maxRssMb = Math.round((m ?? 0) / 1024);
        rmSync(timeFile, { force: true });
      }
      done({ ms: performance.now() - t0, readyMs, stdout, stderr, code, cpuMs, maxRssMb });
    });
  });
}

function du(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, f) => n + du(join(path, f)), 0);
}

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

/** The console greeting main.ts prints once every step before the chat is done. */
const READY = "Chưa cấu hình kênh nào";

async function startOnce(repo: string, knowledgeDir: string, dataDir: string): Promise<RunResult & { readyMs: number }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, PORT: "0", LOG_LEVEL: "warn" };
  const r = await run([join(repo, "src", "main.ts")], { cwd: dataDir, env, readyText: READY });
  if (r.readyMs === null) throw new Error(`npm start did not get ready (exit ${r.code}): ${r.stderr.slice(0, 400)}`);
  return r as RunResult & { readyMs: number };
}

export async function benchScaleSize(scale: number, opts: { starts?: number; keep?: boolean; repos?: [string, string][] } = {}): Promise<ScaleFigures> {
  const root = mkdtempSync(join(tmpdir(), `bench-scale-x${scale}-`));
  const knowledgeDir = join(root, "knowledge");
  try {
    const corpus = generateCorpus(scale, knowledgeDir, join(ROOT, "knowledge"));
    const manifest = join(root, "copies.json");
    writeFileSync(manifest, JSON.stringify(corpus.copies));
    const out: ScaleFigures = { plans: corpus.files, corpus_mb: mb(corpus.bytes) };
    // each checkout of the code measured on the same corpus, one after the other
    for (const [name, repo] of opts.repos ?? [["", ROOT]]) {
      const f = await measure(repo, join(root, `data${name ? `-${name}` : ""}`), knowledgeDir, manifest, opts.starts ?? 2);
      for (const [k, v] of Object.entries(f)) out[name ? `${name}_${k}` : k] = v;
    }
    return out;
  } finally {
    if (!opts.keep) rmSync(root, { recursive: true, force: true });
    else console.error(`kept ${root}`);
  }
}

/** One checkout of the code (`repo`: its src/main.ts, src/cli and bench/scale-ask.ts) on one corpus. */
async function measure(repo: string, dataDir: string, knowledgeDir: string, manifest: string, starts: number): Promise<ScaleFigures> {
  const ingestDir = `${dataDir}-ingest`;
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };

  // ingest alone (cold), as `npm run ingest` would: parse every plan
  const ing = await run([join(repo, "src", "cli", "index.ts"), "ingest"], { cwd: repo, env: { ...env, DATA_DIR: ingestDir, KNOWLEDGE_DIR: knowledgeDir } });
  if (ing.code !== 0) throw new Error(`ingest failed: ${ing.stderr.slice(0, 400)}`);
  rmSync(ingestDir, { recursive: true, force: true });

  mkdirSync(dataDir, { recursive: true });
  const startEmpty = await startOnce(repo, knowledgeDir, dataDir);
  const disk: (RunResult & { readyMs: number })[] = [];
  for (let i = 0; i < starts; i++) disk.push(await startOnce(repo, knowledgeDir, dataDir));
  const best = disk.reduce((a, b) => (b.readyMs < a.readyMs ? b : a));

  const askRun = await run([join(repo, "bench", "scale-ask.ts"), knowledgeDir, dataDir, manifest], { cwd: repo, env: { ...env, NODE_OPTIONS: "" } });
  if (askRun.code !== 0) throw new Error(`ask run failed: ${askRun.stderr.slice(-800)}`);
  const ask = JSON.parse(askRun.stdout.trim().split("\n").pop()!) as AskFigures;

  const parts: ScaleFigures = {};
  for (const f of readdirSync(dataDir)) parts[`disk_${f.replace(/[^a-z0-9]+/gi, "_")}_mb`] = mb(du(join(dataDir, f)));
  return {
    ingest_cold_ms: Math.round(ing.ms),
    ingest_cold_cpu_ms: ing.cpuMs ?? "",
    start_empty_ms: Math.round(startEmpty.readyMs),
    start_empty_cpu_ms: startEmpty.cpuMs ?? "",
    start_empty_rss_mb: startEmpty.maxRssMb ?? "",
    start_disk_ms: Math.round(best.readyMs),
    start_disk_cpu_ms: best.cpuMs ?? "",
    start_disk_rss_mb: best.maxRssMb ?? "",
    start_disk_runs_ms: disk.map((d) => Math.round(d.readyMs)).join(" / "),
    load_knowledge_ms: ask.load_knowledge_ms,
    open_ask_ms: ask.open_ask_ms,
    questions: ask.questions,
    p50_ms: ask.p50_ms,
    p95_ms: ask.p95_ms,
    max_ms: ask.max_ms,
    cpu_p50_ms: ask.cpu_p50_ms,
    cpu_p95_ms: ask.cpu_p95_ms,
    cpu_max_ms: ask.cpu_max_ms,
    slowest: ask.slowest,
    peak_rss_mb: ask.peak_rss_mb,
    accuracy_top1: `${ask.accuracy_top1}/167`,
    work_set: `${ask.work_right}/194`,
    place_check: `${ask.place_right_copy}/${ask.place_right_original} right on a copy (of ${ask.place_questions} place questions; ${ask.place_right_original} right as written)`,
    ...(ask.place_failures.length ? { place_failures: ask.place_failures.join("\n    ") } : {}),
    disk_mb: mb(du(dataDir)),
    ...parts,
  };
}

export async function benchScale(args: string[] = process.argv.slice(2)): Promise<Record<string, number | string>> {
  const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const sizes = (arg("--sizes") ?? "1,10,100").split(",").map(Number);
  const starts = Number(arg("--starts") ?? 2);
  // --against DIR: another checkout (e.g. the code before a change) measured on the same corpora, first
  const against = arg("--against");
  const repos: [string, string][] | undefined = against ? [["before", resolve(against)], ["after", ROOT]] : undefined;
  const out: Record<string, number | string> = {};
  for (const s of sizes) {
    const f = await benchScaleSize(s, { starts, keep: args.includes("--keep"), repos });
    for (const [k, v] of Object.entries(f)) out[`x${s}_${k}`] = v;
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchScale();
  if (process.argv.includes("--json")) console.log(JSON.stringify(r, null, 1));
  else for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(34)} ${v}`);
}
