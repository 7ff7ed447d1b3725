// What the channel suites share: the services behind the dialogue (the real
// knowledge base and the real ask service), the suite's own test commands, and
// a wait helper.
import { createBot } from "../../src/bot.js";
import { loadConfig } from "../../src/config.js";
import { createDialogue, type Dialogue } from "../../src/core/dialogue.js";
import type { Command } from "../../src/core/feature.js";
import { createSeenUpdates } from "../../src/core/seen-updates.js";
import { createAskCommand } from "../../src/features/ask/command.js";
import { createAskService, type AskService } from "../../src/features/ask/index.js";
import type { KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../src/log.js";
import { openStore, type Store } from "../../src/store/index.js";

export const LONG_ANSWER = Array.from({ length: 120 }, (_, i) => `Dòng ${i + 1}: Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành triển khai nhiệm vụ chuyển đổi số.`).join("\n");

/** Commands only the suite uses: a very long answer, and a handler that throws. */
export const suiteCommands: Command[] = [
  { name: "baocaodai", summary: "Báo cáo dài (thử)", help: "/baocaodai", run: () => [{ text: LONG_ANSWER }] },
  {
    name: "loi",
    summary: "Lệnh lỗi (thử)",
    help: "/loi",
    run: () => {
      throw new Error("handler exploded on purpose");
    },
  },
];

export interface SuiteWorld {
  dialogue: Dialogue;
  commands: readonly Command[];
  knowledge: KnowledgeIndex;
  ask: AskService;
  /** A private question about a real task, and the lead agency the answer must name. */
  question: string;
  expectedLead: string;
  /** The world's in-memory store (status updates, users). */
  store: Store;
  /** An invite code of BN-7.22's lead agency, so the suite's user can report on it. */
  inviteCode: string;
}

let shared: Promise<{ knowledge: KnowledgeIndex; ask: AskService }> | undefined;

/** The real knowledge base and ask service, built once per test file (index files in a temp dir). */
function realKnowledge() {
  shared ??= (async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kehoach-channels-"));
    const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: "knowledge" });
    const knowledge = await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir });
    return { knowledge, ask: await createAskService(knowledge, config) };
  })();
  return shared;
}

/** A fresh core (its own seen-updates) with /hoi over the shared ask service and the given commands. */
export function dialogueFor(world: Pick<SuiteWorld, "ask">, commands: Command[] = []): Dialogue {
  return createDialogue({ commands: [createAskCommand(world.ask), ...commands], seen: createSeenUpdates(), log: silentLogger() });
}

export const SUITE_INVITE = "SUITE2026";

export async function buildWorld(): Promise<SuiteWorld> {
  const { knowledge, ask } = await realKnowledge();
  const task = knowledge.task("BN-7.22");
  if (!task) throw new Error("The suite asks about BN-7.22; the Bắc Ninh plan no longer has it.");
  const store = openStore(":memory:");
  const config = loadConfig({ INVITE_CODES: `${task.leadAgencies[0]!.id}:${SUITE_INVITE}` });
  const bot = createBot({ config, log: silentLogger(), store, knowledge, ask, extra: [{ name: "suite", commands: suiteCommands }] });
  return {
    store,
    inviteCode: SUITE_INVITE,
    dialogue: bot.dialogue,
    commands: bot.dialogue.commands,
    knowledge,
    ask,
    question: "Nhiệm vụ BN-7.22 do cơ quan nào chủ trì?",
    expectedLead: task.leadAgencies[0]!.canonical,
  };
}

/** Poll until `check` returns a value (not undefined), or fail after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** POST a webhook body to the bot's HTTP server, with the secret header when given; resolves to the HTTP status. */
export async function postWebhook(url: string, body: unknown, secretHeader: string, secret: string | undefined): Promise<number> {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== undefined ? { [secretHeader]: secret } : {}) },
    body: JSON.stringify(body),
  });
  await r.text();
  return r.status;
}
