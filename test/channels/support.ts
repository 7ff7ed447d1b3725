// What the channel suites share: the services behind the dialogue (the real
// knowledge and ask service when present, a small stand-in otherwise), the
// suite's own test commands, and a wait helper.
import { loadConfig } from "../../src/config.js";
import type { AskAnswer, AskService, Command, Services } from "../../src/core/commands.js";
import { createDialogue } from "../../src/core/dialogue.js";
import { allCommands } from "../../src/core/registry.js";
import { createSeenUpdates } from "../../src/core/seen-updates.js";
import type { DialogueCore } from "../../src/core/types.js";
import { KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import type { KnowledgeBase, Task } from "../../src/knowledge/types.js";
import { silentLogger } from "../../src/log.js";

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

function agency(canonical: string, id: string) {
  return { text: canonical, canonical, id, isAgency: true, isGroup: false };
}

/** One real task of the Bắc Ninh plan, as the stand-in knowledge. */
const TASK: Task = {
  kind: "task",
  id: "BN-7.22",
  plan: "bac-ninh-ubnd-2026",
  section: { number: "7", title: "Chuyển đổi số" },
  ordinal: "22",
  name: "Xây dựng các giải pháp để thúc đẩy việc chuyển giao tri thức, đào tạo nhân lực",
  lead: ["Sở Tài chính"],
  coordinators: ["Các sở, ngành"],
  leadAgencies: [agency("Sở Tài chính", "so-tai-chinh")],
  coordinatorAgencies: [],
  leadRaw: "Sở Tài chính",
  coordinatorsRaw: "Các sở, ngành,",
  deadline: { raw: "15/12/2026", due: "2026-12-15", kind: "date", milestones: [] },
  basis: "Kế hoạch 13-KH/TU",
  source: { file: "bac-ninh-ubnd-2026.md", line: 568, endLine: 568 },
  flags: [],
};

/** Answers "who leads <id>" from the index: the stand-in until src/ask/ lands. */
class IndexAsk implements AskService {
  constructor(private readonly knowledge: KnowledgeIndex) {}
  async ask(question: string): Promise<AskAnswer> {
    const id = /[A-Za-z]{1,4}-[\dA-Za-z.]+/.exec(question)?.[0];
    const task = id ? this.knowledge.task(id) : undefined;
    if (!task) return { question, intent: "lookup", answer: "Không tìm thấy.", notFound: true, ids: [] };
    const lead = task.leadAgencies.map((a) => a.canonical).join(", ");
    return { question, intent: "lead", answer: `Nhiệm vụ ${task.id} do ${lead} chủ trì.`, notFound: false, ids: [task.id] };
  }
}

export interface SuiteWorld {
  dialogue: DialogueCore;
  commands: Command[];
  knowledge: KnowledgeIndex;
  /** A private question about a real task, and the lead agency the answer must name. */
  question: string;
  expectedLead: string;
}

/** Services for a dialogue over `knowledge` (the suite's ask service unless another is given). */
export function servicesFor(knowledge: KnowledgeIndex, ask: AskService = new IndexAsk(knowledge)): Services {
  return { config: loadConfig({}), knowledge, ask, clock: () => new Date(), seen: createSeenUpdates() };
}

export async function buildWorld(): Promise<SuiteWorld> {
  const kb: KnowledgeBase = { version: 1, plans: [], tasks: [TASK], indicators: [], duties: [], passages: [], agencies: [], warnings: [] };
  const knowledge = new KnowledgeIndex(kb);
  const task = knowledge.task("BN-7.22")!;
  const commands = allCommands(suiteCommands);
  return {
    dialogue: createDialogue(servicesFor(knowledge), commands, { log: silentLogger() }),
    commands,
    knowledge,
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
