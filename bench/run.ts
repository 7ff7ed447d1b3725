// `npm run bench [-- --json] [-- --only ingest,ask,channels,status,reminders,dashboard,scale] [-- --sizes 1,10,100]`
// One run measures every part on this machine, so ratios compare fairly even
// when the machine is noisy. Figures, not pass/fail: the notes quote them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingest } from "../src/knowledge/ingest.js";

type Figures = Record<string, number | string>;

async function benchIngest(): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-ingest-"));
  try {
    const cold = await ingest({ knowledgeDir: "knowledge", dataDir });
    const warm = await ingest({ knowledgeDir: "knowledge", dataDir });
    return {
      cold_ms: Math.round(cold.ms),
      unchanged_ms: Math.round(warm.ms),
      plans: cold.kb.plans.length,
      tasks: cold.kb.tasks.length,
      indicators: cold.kb.indicators.length,
      duties: cold.kb.duties.length,
      passages: cold.kb.passages.length,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const suites: Record<string, () => Promise<Figures>> = {
  ingest: benchIngest,
  formats: async () => (await import("./ingest.js")).benchIngestFormats(),
  ask: async () => (await import("./ask.js")).benchAsk(),
  channels: async () => (await import("./channels.js")).benchChannels(),
  status: async () => (await import("./status.js")).benchStatus(),
  reminders: async () => (await import("./reminders.js")).benchReminders(),
  dashboard: async () => (await import("./dashboard.js")).benchDashboard(),
  // not in the default run (minutes at ×100): `--only scale [--sizes 1,10,100] [--starts 2]`
  scale: async () => (await import("./scale.js")).benchScale(process.argv.slice(2)),
};
const DEFAULT = ["ingest", "ask", "channels", "status", "reminders", "dashboard"];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const onlyArg = args[args.indexOf("--only") + 1];
  const only = args.includes("--only") && onlyArg ? onlyArg.split(",") : DEFAULT;
  const results: Record<string, Figures | { error: string }> = {};
  for (const name of only) {
    const run = suites[name];
    if (!run) {
      results[name] = { error: "unknown suite" };
      continue;
    }
    try {
      results[name] = await run();
    } catch (err) {
      results[name] = { error: (err as Error).message };
    }
  }
  const env = { node: process.version, cpus: (await import("node:os")).cpus().length, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
  if (json) {
    console.log(JSON.stringify({ env, results }, null, 2));
    return;
  }
  console.log(`node ${env.node}, ${env.cpus} cores, peak RSS of the whole run ${env.peak_rss_mb} MB\n`);
  for (const [name, figures] of Object.entries(results)) {
    console.log(name);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(34)} ${typeof v === "number" ? v.toLocaleString("en-US") : v}`);
  }
}

await main();
