// Command line: `npm run -s cli -- <command> [options]`. Output is for
// operators and scripts: JSON Lines with --json, readable text otherwise.
import { loadConfigOrExplain } from "../config.js";
import { ingest, type IngestResult } from "../knowledge/ingest.js";
import { loadKnowledge } from "../knowledge/load.js";
import { ingestReport } from "../knowledge/report.js";

const HELP = `Usage: npm run -s cli -- <command> [options]

  ingest                         read knowledge/, write DATA_DIR (only changed files are re-processed)
  plans --json                   plans, one JSON object per line
  tasks --json [--plan ID]       tasks
  indicators --json [--plan ID]  indicators
  duties --json [--plan ID]      duties from running text, with reporting schedules
  agencies --json                agencies with canonical names and aliases
  ask [--json] "question"        answer a question; ask --json --batch FILE for one question per line
  export --csv                   status of every task as CSV (UTF-8 with BOM)
  reminders --at ISO [--dry-run] [--json]   compute (and send) the reminders due at that time
  dashboard-link --user CHANNEL:ID          a one-time link into the progress dashboard for that person`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function printIngestSummary(r: IngestResult, out: (line: string) => void): void {
  for (const line of ingestReport(r)) out(line);
}

function jsonLines(records: object[]): void {
  process.stdout.write(records.map((r) => JSON.stringify(r)).join("\n") + (records.length ? "\n" : ""));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(HELP);
    return command ? 0 : 1;
  }
  const config = loadConfigOrExplain();
  if (!config) return 1;
  const dirs = { knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR };
  const plan = option(args, "--plan");
  const byPlan = <T extends { plan: string }>(xs: T[]) => (plan ? xs.filter((x) => x.plan === plan) : xs);
  switch (command) {
    case "ingest":
      printIngestSummary(await ingest(dirs), (l) => console.log(l));
      return 0;
    case "plans":
      jsonLines((await loadKnowledge(dirs)).plans);
      return 0;
    case "tasks":
      jsonLines(byPlan((await loadKnowledge(dirs)).tasks));
      return 0;
    case "indicators":
      jsonLines(byPlan((await loadKnowledge(dirs)).indicators));
      return 0;
    case "duties":
      jsonLines(byPlan((await loadKnowledge(dirs)).duties));
      return 0;
    case "agencies":
      jsonLines((await loadKnowledge(dirs)).agencies);
      return 0;
    case "ask": {
      const { runAskCli } = await import("./ask.js");
      return runAskCli(args, { config });
    }
    case "export": {
      const { runExportCli } = await import("./export.js");
      return runExportCli(args, { config });
    }
    case "reminders": {
      const { runRemindersCli } = await import("./reminders.js");
      return runRemindersCli(args, { config });
    }
    case "dashboard-link": {
      const { runDashboardLinkCli } = await import("./dashboard-link.js");
      return runDashboardLinkCli(args, { config });
    }
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
