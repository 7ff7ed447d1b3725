// `ask "…"`, `ask --json "…"`, `ask --json --batch FILE` (one question per line
// in, one JSON object per line out, in order). The answer reads as in the chat:
// offered choices as numbered lines. Statuses come from the same store the bot uses.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { choicesAsLines } from "../channels/runtime.js";
import { loadConfigFromProcess, type Config } from "../config.js";
import { createAskService, type AskJson, type FullAskService } from "../features/ask/index.js";
import { statusReader } from "../features/progress/index.js";
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import { loadKnowledge } from "../knowledge/load.js";
import { openStore, storePath, type Store } from "../store/index.js";

export interface AskCliDeps {
  config?: Config;
  knowledge?: KnowledgeIndex;
  store?: Store;
  out?: (line: string) => void;
  now?: Date;
}

const USAGE = 'Cách dùng: ask "câu hỏi" | ask --json "câu hỏi" | ask --json --batch TỆP';

/** The answer as the chat shows it, choices as numbered lines. */
export function answerText(j: AskJson): string {
  return choicesAsLines(j.answer, j.choices, (n) => (n === 1 ? "Gõ 1 để chọn." : `Gõ số (1–${n}) để chọn.`));
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
  const knowledge = deps.knowledge ?? (await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR }));
  const store = deps.store ?? openStore(storePath(config.DATA_DIR));
  try {
    const status = statusReader(store);
    const service = await createAskService(knowledge, config, { completedTasks: status.completed, progress: status });
    return await answerAll(service, batch, words, json, out, deps.now);
  } finally {
    if (!deps.store) store.close();
  }
}

/** Each line of a batch is a question of its own (no follow-ups between lines). */
async function answerAll(service: FullAskService, batch: string | null, words: string[], json: boolean, out: (line: string) => void, now?: Date): Promise<number> {
  const opts = now ? { now } : {};
  if (batch !== null) {
    const rl = createInterface({ input: createReadStream(batch, "utf8"), crlfDelay: Infinity });
    for await (const line of rl) {
      const q = line.trim();
      if (!q) continue;
      const j = await service.askJson(q, opts);
      out(json ? JSON.stringify(j) : `? ${q}\n${answerText(j)}\n`);
    }
    return 0;
  }
  const j = await service.askJson(words.join(" "), opts);
  out(json ? JSON.stringify(j) : answerText(j));
  return 0;
}
