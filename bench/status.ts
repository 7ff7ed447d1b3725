// Status benchmark: confirmed updates per second through the dialogue core
// into a SQLite file (WAL, synchronous=FULL unless noted) in a temp dir.
//   npx tsx bench/status.ts [--json] [--n N]
// Figures:
//   one_line_updates_per_s       "/capnhat <id> 80% đang thực hiện - …": one turn, saved at once
//   form_updates_per_s           step by step: 7 turns (command, status, percent, 3 texts, confirm)
//   form_turns_per_s             the same, counted in turns
//   one_line_sync_normal_per_s   one line with synchronous=NORMAL (safe against a process crash, not a power cut)
//   one_line_p50_ms / p99_ms     latency of one confirmed one-line update (FULL)
//   tasks                        tasks in the real knowledge base the updates were spread over
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBot, prepareStore } from "../src/bot.js";
import { loadConfig } from "../src/config.js";
import type { Turn } from "../src/core/types.js";
import type { AskService } from "../src/features/ask/index.js";
import type { KnowledgeIndex } from "../src/knowledge/knowledge-index.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import type { Task } from "../src/knowledge/types.js";
import { silentLogger } from "../src/log.js";
import { openStore, type Store } from "../src/store/index.js";

type Figures = Record<string, number>;

const noAsk: AskService = {
  async ask(question) {
    return { question, intent: "none", answer: "", notFound: true, ids: [] };
  },
};

function setup(knowledge: KnowledgeIndex, path: string, synchronous: "FULL" | "NORMAL") {
  const store = openStore(path, { synchronous });
  prepareStore(store, knowledge, new Date());
  const core = createBot({ config: loadConfig({ ADMINS: "telegram:1" }), log: silentLogger(), store, knowledge, ask: noAsk }).dialogue;
  let n = 0;
  const say = (text: string): Promise<{ text: string }[]> =>
    core.handle({ channel: "telegram", chatId: "1", chatType: "private", userId: "1", userName: "Bench", messageId: String(++n), updateId: `b${n}`, text } satisfies Turn);
  return { store, core, say };
}

function check(out: { text: string }[]): void {
  if (!out[0]?.text.startsWith("✅ Đã lưu")) throw new Error(`not saved: ${out[0]?.text}`);
}

async function oneLine(say: (t: string) => Promise<{ text: string }[]>, tasks: Task[], n: number, lat?: number[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    check(await say(`/capnhat ${tasks[i % tasks.length]!.id} ${i % 101}% đang thực hiện - đã làm bước ${i}`));
    lat?.push(performance.now() - s);
  }
  return n / ((performance.now() - t0) / 1000);
}

async function form(say: (t: string) => Promise<{ text: string }[]>, tasks: Task[], n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await say(`/capnhat ${tasks[i % tasks.length]!.id}`);
    for (const t of ["2", `${i % 101}%`, `bước ${i}`, "-", "-"]) await say(t);
    check(await say("1"));
  }
  return n / ((performance.now() - t0) / 1000);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

export async function benchStatus(opts: { n?: number } = {}): Promise<Figures> {
  const n = opts.n ?? 2000;
  const dir = mkdtempSync(join(tmpdir(), "bench-status-"));
  const stores: Store[] = [];
  try {
    const knowledge = await loadKnowledge({ knowledgeDir: "knowledge", dataDir: join(dir, "data") });
    const tasks = knowledge.tasks;
    if (tasks.length === 0) throw new Error("no tasks in knowledge/");

    const full = setup(knowledge, join(dir, "full.sqlite"), "FULL");
    stores.push(full.store);
    await oneLine(full.say, tasks, 50); // warm-up
    const lat: number[] = [];
    const oneLinePerS = await oneLine(full.say, tasks, n, lat);
    const formPerS = await form(full.say, tasks, Math.max(1, Math.floor(n / 4)));

    const normal = setup(knowledge, join(dir, "normal.sqlite"), "NORMAL");
    stores.push(normal.store);
    await oneLine(normal.say, tasks, 50);
    const normalPerS = await oneLine(normal.say, tasks, n);

    return {
      one_line_updates_per_s: Math.round(oneLinePerS),
      form_updates_per_s: Math.round(formPerS),
      form_turns_per_s: Math.round(formPerS * 7),
      one_line_sync_normal_per_s: Math.round(normalPerS),
      one_line_p50_ms: Number(pct(lat, 50).toFixed(3)),
      one_line_p99_ms: Number(pct(lat, 99).toFixed(3)),
      rows_written: full.store.updates.count() + normal.store.updates.count(),
      tasks: tasks.length,
    };
  } finally {
    for (const s of stores) s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const nArg = args.indexOf("--n") >= 0 ? Number(args[args.indexOf("--n") + 1]) : undefined;
  const figures = await benchStatus({ n: nArg });
  if (args.includes("--json")) console.log(JSON.stringify(figures, null, 2));
  else {
    console.log("status (through the core into SQLite, file in a temp dir)");
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(30)} ${v.toLocaleString("en-US")}`);
  }
}
