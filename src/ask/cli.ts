// `ask "…"`, `ask --json "…"`, `ask --json --batch FILE` (one question per line
// in, one JSON object per line out, in order). Wired into src/cli.ts.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { loadConfigFromProcess, type Config } from "../config.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { createAskService } from "./service.js";

export interface AskCliDeps {
  config?: Config;
  knowledge?: KnowledgeIndex;
  out?: (line: string) => void;
  now?: Date;
}

const USAGE = 'Cách dùng: ask "câu hỏi" | ask --json "câu hỏi" | ask --json --batch TỆP';

async function loadKnowledgeIndex(config: Config): Promise<KnowledgeIndex> {
  // The loader belongs to the knowledge module; imported lazily so this file stays light.
  const mod = (await import("../knowledge/load.js")) as {
    loadKnowledge(o: { knowledgeDir: string; dataDir: string }): Promise<KnowledgeIndex>;
  };
  return mod.loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR });
}

/** Returns the process exit code. */
export async function runAskCli(args: string[], deps: AskCliDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => process.stdout.write(l + "\n"));
  let json = false;
  let batch: string | null = null;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--json") json = true;
    else if (a === "--batch") batch = args[++i] ?? null;
    else words.push(a);
  }
  if (batch === null && words.length === 0) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  const config = deps.config ?? loadConfigFromProcess();
  const knowledge = deps.knowledge ?? (await loadKnowledgeIndex(config));
  const service = await createAskService(knowledge, config);
  const opts = deps.now ? { now: deps.now } : {};
  if (batch !== null) {
    const rl = createInterface({ input: createReadStream(batch, "utf8"), crlfDelay: Infinity });
    for await (const line of rl) {
      const q = line.trim();
      if (!q) continue;
      const j = await service.askJson(q, opts);
      out(json ? JSON.stringify(j) : `? ${q}\n${j.answer}\n`);
    }
    return 0;
  }
  const j = await service.askJson(words.join(" "), opts);
  out(json ? JSON.stringify(j) : j.answer);
  return 0;
}
