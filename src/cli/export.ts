// `npm run -s cli -- export --csv [--out FILE]`: the progress table as CSV
// (UTF-8 with BOM) on stdout, or into FILE.
import { writeFileSync } from "node:fs";
import { loadConfigFromProcess, type Config } from "../config.js";
import { exportCsv } from "../features/progress/index.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { loadKnowledge } from "../knowledge/load.js";
import { openStore, storePath, type Store } from "../store/index.js";

export interface ExportCliDeps {
  config?: Config;
  knowledge?: KnowledgeIndex;
  store?: Store;
  now?: Date;
  out?: (chunk: string) => void;
}

const USAGE = "Usage: export --csv [--out FILE]";

/** Returns the process exit code. */
export async function runExportCli(args: string[], deps: ExportCliDeps = {}): Promise<number> {
  if (!args.includes("--csv")) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  const outIdx = args.indexOf("--out");
  const file = outIdx >= 0 ? args[outIdx + 1] : undefined;
  if (outIdx >= 0 && !file) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  const config = deps.config ?? loadConfigFromProcess();
  const knowledge = deps.knowledge ?? (await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR }));
  const store = deps.store ?? openStore(storePath(config.DATA_DIR));
  try {
    const csv = exportCsv(store, knowledge, deps.now ?? new Date(), config.TIMEZONE);
    if (file) {
      writeFileSync(file, csv, "utf8");
      process.stderr.write(`Wrote ${csv.split("\r\n").length - 2} tasks to ${file}\n`);
    } else (deps.out ?? ((c: string) => process.stdout.write(c)))(csv);
    return 0;
  } finally {
    if (!deps.store) store.close();
  }
}
