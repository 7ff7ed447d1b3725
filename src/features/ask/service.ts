// The ask service: question → intent → retrieval → answer from record fields.
// Never throws for user input; "Không tìm thấy …" with the closest tasks when
// nothing matches well enough, instead of a guess.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../../config.js";
import type { AskAnswer, AskService } from "./types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import { DATED_KINDS, type KnowledgeRecord, type Task } from "../../knowledge/types.js";
import { analyze } from "../../retrieval/analyzer.js";
import { Retriever, type Candidate, type SearchSignals } from "../../retrieval/retriever.js";
import type { UnitKind } from "../../retrieval/units.js";
import { formatDate, localDate } from "../../text/dates.js";
import { cleanText } from "../../text/clean.js";
import { truncate } from "../../text/vietnamese.js";
import { appendixFinder, createFormatter, type Formatter } from "./answer.js";
import { createIntentParser, type Intent } from "./intent.js";
import { createLlmPhraser, type LlmPhraser } from "./llm.js";

export interface AskMatch {
  kind: UnitKind;
  id: string;
  plan: string;
  name: string;
  lead: string[];
  coordinators: string[];
  deadline: { raw: string; due: string | null; kind: string } | null;
  target2026: string | null;
  target2030: string | null;
  source: { file: string; line: number; endLine: number };
  score: number;
}

export interface AskJson {
  question: string;
  intent: string;
  answer: string;
  notFound: boolean;
  matches: AskMatch[];
  choices?: { label: string; value: string }[];
  /** "template" or "llm": who phrased the answer. */
  via?: "template" | "llm";
}

export interface FullAskService extends AskService {
  askJson(question: string, opts?: { now?: Date; limit?: number }): Promise<AskJson>;
  readonly retriever: Retriever;
}

/** Minimum idf-weighted share of the question's topic words a record must hold to be an answer. */
export const MIN_COVERAGE = 0.5;
const LIST_PAGE = 8;
const MAX_QUESTION = 2000;

export interface AskServiceOptions {
  /** Plan files by name, for appendix labels in citations (read from KNOWLEDGE_DIR when omitted). */
  files?: Map<string, string>;
  llm?: LlmPhraser | null;
  /** Weight of vector similarity in the fusion (default 0.3; 0 = BM25 only, 1 = vectors only). */
  vectorWeight?: number;
  /** Ids of the tasks whose latest status update is "hoàn thành" (from the store): not overdue. */
  completedTasks?: () => ReadonlySet<string>;
}

async function readPlanFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  try {
    for (const f of await readdir(dir)) {
      if (/\.(md|txt)$/i.test(f)) out.set(f, await readFile(join(dir, f), "utf8"));
    }
  } catch {
    /* no knowledge dir: citations go without the appendix label */
  }
  return out;
}

function toMatch(c: { unit: { record: KnowledgeRecord }; score: number }): AskMatch {
  const r = c.unit.record;
  const base = { kind: r.kind, id: r.id, plan: r.plan, source: { file: r.source.file, line: r.source.line, endLine: r.source.endLine }, score: Math.round(c.score * 10000) / 10000 };
  switch (r.kind) {
    case "task":
      return { ...base, name: r.name, lead: r.lead, coordinators: r.coordinators, deadline: { raw: r.deadline.raw, due: r.deadline.due, kind: r.deadline.kind }, target2026: null, target2030: null };
    case "indicator":
      return { ...base, name: r.name, lead: r.lead, coordinators: [], deadline: null, target2026: r.target2026, target2030: r.target2030 };
    case "duty":
      return { ...base, name: r.action, lead: r.agency ? [r.agency] : [], coordinators: r.coordinators, deadline: r.deadline ? { raw: r.deadline.raw, due: r.deadline.due, kind: r.deadline.kind } : null, target2026: null, target2030: null };
    case "passage":
      return { ...base, name: truncate(r.text, 300), lead: [], coordinators: [], deadline: null, target2026: null, target2030: null };
  }
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n / (a.size + b.size - n);
}

function pageSizeOf(limit: number): number {
  return Math.max(1, Math.min(limit, 30));
}

/**
 * Tasks offered to pick from: the heading goes into the text, the tasks travel as choices
 * (each channel renders them: buttons on Telegram, numbered lines on Zalo, the console and the CLI).
 */
function offer(lines: string[], heading: string, items: { id: string; name: string; note?: string }[]): { label: string; value: string }[] {
  const choices = items.map((t) => ({ label: `${t.id} — ${truncate(t.name, 70)}${t.note ?? ""}`, value: t.id }));
  if (choices.length) lines.push("", heading);
  return choices;
}

function isDue(t: Task): boolean {
  return t.deadline.due !== null && DATED_KINDS.includes(t.deadline.kind);
}

export async function createAskService(knowledge: KnowledgeIndex, config: Config, options: AskServiceOptions = {}): Promise<FullAskService> {
  const retriever = await Retriever.open(knowledge, { dataDir: config.DATA_DIR, embeddings: config, vectorWeight: options.vectorWeight });
  const files = options.files ?? (await readPlanFiles(config.KNOWLEDGE_DIR));
  const fmt: Formatter = createFormatter(knowledge, appendixFinder(files));
  const parser = createIntentParser(knowledge, config.TIMEZONE);
  const llm = options.llm !== undefined ? options.llm : createLlmPhraser(config);
  const unitById = new Map(retriever.units.map((u) => [u.id, u]));

  function signalsFor(intent: Intent): SearchSignals {
    const s: SearchSignals = { agencies: intent.agencies };
    if (intent.plans.length) {
      if (intent.planStrict) s.plans = intent.plans;
      else s.preferPlans = intent.plans;
    }
    if (intent.kind === "target") s.preferKinds = ["indicator"];
    if (intent.kind === "duties") s.preferKinds = ["duty"];
    if (intent.kind === "lead" || intent.kind === "coordinators" || intent.kind === "lead_deadline" || intent.kind === "deadline") {
      s.preferKinds = intent.strongTarget ? ["task", "indicator", "duty"] : ["task", "duty"];
      // running text cannot say who or by when better than the record that holds the row
      s.kinds = ["task", "indicator", "duty"];
    }
    if (intent.kind === "target") s.kinds = ["indicator", "task", "duty"];
    if (intent.kind === "deadline" || intent.kind === "lead_deadline") s.wantsDeadline = true;
    if (intent.targetYear && intent.kind === "target") s.targetYear = intent.targetYear;
    return s;
  }

  function notFoundAnswer(question: string, intent: Intent, text: string, near: Candidate[]): AskJson {
    const lines = [text];
    const offered = near.filter((c) => c.unit.kind !== "passage").slice(0, 3).map((c) => c.unit);
    const choices = offer(lines, "Có phải bạn hỏi một trong các nhiệm vụ sau? Gõ mã để xem:", offered);
    return { question, intent: intent.kind, answer: lines.join("\n"), notFound: true, matches: near.slice(0, 3).map(toMatch), choices };
  }

  function recordAnswer(question: string, intent: Intent, r: KnowledgeRecord): AskJson {
    const u = unitById.get(r.id);
    const body = fmt.block(r, intent.kind, { targetYear: intent.targetYear });
    return { question, intent: intent.kind, answer: body, notFound: false, matches: u ? [toMatch({ unit: u, score: 1 })] : [] };
  }

  /**
   * A list of tasks: of one agency (as lead or coordinator), or — with no agency named — of
   * every agency, by deadline ("nhiệm vụ nào đến hạn tháng 6/2026", "quá hạn"); narrowed by a
   * named plan, a period or overdue, and by topic words.
   */
  async function taskList(question: string, intent: Intent, now: Date, limit: number): Promise<AskJson> {
    const agency = intent.agencies[0];
    const role = !agency || agency.role === "any" ? "lead" : agency.role;
    let tasks = agency ? knowledge.tasksOfAgency(agency.id, role) : knowledge.tasks.slice();
    if (intent.plans.length && (intent.planStrict || !agency)) tasks = tasks.filter((t) => intent.plans.includes(t.plan));
    const today = localDate(now, config.TIMEZONE);
    const unfiltered = tasks;
    let scope = "";
    if (intent.overdue) {
      const completed = options.completedTasks?.() ?? new Set<string>();
      tasks = tasks.filter((t) => isDue(t) && t.deadline.due! < today && !completed.has(t.id));
      const reported = options.completedTasks ? " và chưa báo cáo hoàn thành" : "";
      scope = ` đã quá hạn${reported} (tính đến ${formatDate(today)}, theo thời hạn trong kế hoạch)`;
    } else if (intent.period) {
      const p = intent.period;
      tasks = tasks.filter((t) => isDue(t) && t.deadline.due! >= p.from && t.deadline.due! <= p.to);
      scope = ` có hạn trong ${p.label}`;
    }
    // topic words narrow and order the list
    const topicTerms = analyze(intent.topic).unigrams.filter((w) => !/^\d+$/.test(w));
    let ordered: { t: Task; score: number }[] = tasks.map((t) => ({ t, score: 0 }));
    if (topicTerms.length) {
      const cands = await retriever.search(topicTerms.join(" "), { kinds: ["task"] }, 400);
      const byId = new Map(cands.map((c) => [c.unit.id, c]));
      ordered = tasks
        .map((t) => ({ t, score: byId.get(t.id)?.score ?? 0, cov: byId.get(t.id)?.coverage ?? 0 }))
        .filter((x) => x.cov >= MIN_COVERAGE)
        .sort((a, b) => b.score - a.score);
    } else if (intent.overdue || intent.period) {
      ordered.sort((a, b) => (a.t.deadline.due ?? "").localeCompare(b.t.deadline.due ?? "") || a.t.id.localeCompare(b.t.id, "en", { numeric: true }));
    }
    const roleWord = role === "coordinator" ? "phối hợp" : "chủ trì";
    const who = agency?.name ?? "";
    if (agency && ordered.length === 0 && !intent.overdue && !intent.period && role === "lead") {
      // no task rows: the agency may still have duties in the running text
      let duties = knowledge.duties.filter((d) => d.agencies.some((a) => a.id === agency.id));
      if (intent.plans.length && intent.planStrict) duties = duties.filter((d) => intent.plans.includes(d.plan));
      if (duties.length) {
        const lines = [`${who} không chủ trì nhiệm vụ nào trong các bảng nhiệm vụ; kế hoạch giao ${duties.length} việc:`];
        for (const d of duties.slice(0, pageSizeOf(limit))) lines.push(fmt.block(d, "duties", { compact: true }), "");
        if (duties.length > pageSizeOf(limit)) lines.push(`… còn ${duties.length - pageSizeOf(limit)} việc nữa.`);
        const matches = duties.slice(0, pageSizeOf(limit)).map((d) => toMatch({ unit: unitById.get(d.id)!, score: 1 }));
        return { question, intent: intent.kind, answer: lines.join("\n").trim(), notFound: false, matches };
      }
    }
    const inPlans = intent.plans.length && (!agency || intent.planStrict) ? ` trong ${intent.plans.map((p) => fmt.planName(p)).join(", ")}` : "";
    if (ordered.length === 0 && intent.period && !topicTerms.length) {
      // nothing due in that period: say so, and show what falls due next
      const after = unfiltered.filter((t) => isDue(t) && t.deadline.due! > intent.period!.to).sort((a, b) => a.deadline.due!.localeCompare(b.deadline.due!));
      const lines = [agency ? `${who} không ${roleWord} nhiệm vụ nào${inPlans}${scope}.` : `Không có nhiệm vụ nào${inPlans}${scope}.`];
      const next = after.slice(0, 3);
      const matches = next.map((t) => toMatch({ unit: unitById.get(t.id)!, score: 0 }));
      const choices = offer(lines, "Các nhiệm vụ có hạn gần nhất sau đó — gõ mã để xem:", next.map((t) => ({ id: t.id, name: t.name, note: ` (hạn ${formatDate(t.deadline.due)})` })));
      return { question, intent: intent.kind, answer: lines.join("\n"), notFound: true, matches, ...(choices.length ? { choices } : {}) };
    }
    if (ordered.length === 0) {
      const near = await retriever.search(intent.topic || who || "nhiệm vụ", { kinds: ["task"], agencies: intent.agencies }, 3);
      const about = topicTerms.length ? " về nội dung này" : "";
      const text = agency ? `Không tìm thấy nhiệm vụ nào do ${who} ${roleWord}${inPlans}${scope}${about}.` : `Không có nhiệm vụ nào${inPlans}${scope}${about}.`;
      return notFoundAnswer(question, intent, text, near);
    }
    const total = ordered.length;
    const pageSize = pageSizeOf(limit);
    const start = (intent.page - 1) * pageSize;
    const page = ordered.slice(start, start + pageSize);
    const lines = [agency ? `${who} ${roleWord} ${total} nhiệm vụ${inPlans}${scope}:` : `Có ${total} nhiệm vụ${inPlans}${scope}:`];
    const byPlan = new Map<string, Task[]>();
    for (const { t } of page) byPlan.set(t.plan, [...(byPlan.get(t.plan) ?? []), t]);
    for (const [plan, ts] of byPlan) {
      if (byPlan.size > 1 || !intent.plans.length) lines.push(`${fmt.planName(plan)}:`);
      for (const t of ts) lines.push(fmt.listLine(t, { withLead: !agency }));
    }
    const rest = total - start - page.length;
    if (rest > 0) lines.push(`… còn ${rest} nhiệm vụ nữa — gõ lại câu hỏi kèm “trang ${intent.page + 1}” để xem tiếp.`);
    else if (page.length === 0) lines.push(`(Trang ${intent.page} không còn nhiệm vụ nào.)`);
    if (agency && role === "lead" && !intent.overdue && !intent.period) {
      const co = knowledge.tasksOfAgency(agency.id, "coordinator").length;
      if (co) lines.push(`Ngoài ra ${who} phối hợp ${co} nhiệm vụ — hỏi “${who} phối hợp những nhiệm vụ nào”.`);
    }
    lines.push("Gõ mã nhiệm vụ (vd: " + (page[0]?.t.id ?? ordered[0]!.t.id) + ") để xem chi tiết và nguồn.");
    const matches = page.map(({ t, score }) => toMatch({ unit: unitById.get(t.id)!, score: score || 1 }));
    return { question, intent: intent.kind, answer: lines.join("\n"), notFound: false, matches };
  }

  async function searchAnswer(question: string, intent: Intent): Promise<AskJson> {
    const signals = signalsFor(intent);
    const topic = intent.topic;
    const content = analyze(topic).unigrams.filter((w) => !/^\d+$/.test(w));
    if (content.length === 0) {
      const near = intent.agencies.length ? await retriever.search(intent.agencies[0]!.name, { kinds: ["task"], agencies: intent.agencies }, 3) : [];
      return notFoundAnswer(question, intent, "Không tìm thấy nội dung cần tra trong câu hỏi. Hãy nêu tên nhiệm vụ hoặc chỉ tiêu, ví dụ: “Ai chủ trì xây dựng Đề án thành lập Trung tâm đổi mới sáng tạo?”", near);
    }
    let cands = await retriever.search(topic, signals, 12);
    if (signals.kinds && (!cands[0] || cands[0].coverage < MIN_COVERAGE)) {
      // nothing in the records with fields: the running text may still say it
      const wider = await retriever.search(topic, { ...signals, kinds: undefined }, 12);
      if (wider[0] && wider[0].coverage > (cands[0]?.coverage ?? 0)) cands = wider;
    }
    if (intent.kind === "duties") {
      // a reporting question is answered by a duty when one matches
      const duty = cands.find((c) => c.unit.kind === "duty" && c.coverage >= 0.3);
      if (duty && duty !== cands[0]) cands = [duty, ...cands.filter((c) => c !== duty)];
    }
    const top = cands[0];
    if (intent.foreignPlace) {
      return notFoundAnswer(question, intent, `Không tìm thấy kế hoạch nào của ${intent.foreignPlace.replace(/\b\w/g, (c) => c.toUpperCase())} trong dữ liệu. Các kế hoạch hiện có: ${knowledge.plans.map((p) => p.shortName).join("; ")}.`, cands);
    }
    const minCov = intent.kind === "duties" && top?.unit.kind === "duty" ? 0.3 : MIN_COVERAGE;
    if (!top || top.coverage < minCov) {
      return notFoundAnswer(question, intent, "Không tìm thấy nhiệm vụ, chỉ tiêu hay nội dung nào khớp đủ với câu hỏi trong các kế hoạch.", cands);
    }
    // the same task in several plans: answer per plan
    const twins: Candidate[] = [];
    if (!(intent.plans.length && intent.planStrict) && top.unit.kind !== "passage") {
      for (const c of cands.slice(1)) {
        if (c.unit.plan === top.unit.plan || c.unit.kind !== top.unit.kind) continue;
        if (twins.some((t) => t.unit.plan === c.unit.plan)) continue;
        if (c.score >= 0.6 * top.score && c.coverage >= MIN_COVERAGE && jaccard(top.unit.nameBigrams, c.unit.nameBigrams) >= 0.45) twins.push(c);
      }
    }
    let answer: string;
    if (twins.length) {
      const parts = [`Nhiệm vụ này có trong ${twins.length + 1} kế hoạch:`];
      for (const c of [top, ...twins]) parts.push("", `【${fmt.planName(c.unit.plan)}】`, fmt.block(c.unit.record, intent.kind, { compact: true, targetYear: intent.targetYear }));
      parts.push("", `Nhiệm vụ: ${truncate(top.unit.name, 160)}`);
      answer = parts.join("\n");
    } else if (intent.kind === "duties" && top.unit.kind === "duty") {
      const more = cands.filter((c) => c !== top && c.unit.kind === "duty" && c.coverage >= 0.3 && (!intent.plans.length || !intent.planStrict ? true : intent.plans.includes(c.unit.plan))).slice(0, 2);
      answer = [fmt.block(top.unit.record, intent.kind), ...more.map((c) => "\n" + fmt.block(c.unit.record, intent.kind, { compact: true }))].join("\n");
    } else {
      answer = fmt.block(top.unit.record, intent.kind, { targetYear: intent.targetYear });
    }
    const ordered = [top, ...twins, ...cands.slice(1).filter((c) => !twins.includes(c))];
    const out: AskJson = { question, intent: intent.kind, answer, notFound: false, matches: ordered.slice(0, 5).map(toMatch), via: "template" };
    if (llm && (intent.kind === "topic" || top.unit.kind === "passage")) {
      const records = ordered.slice(0, 4).map((c) => c.unit.record);
      const phrased = await llm.phrase(question, records).catch(() => null);
      if (phrased) {
        out.answer = `${phrased}\n${fmt.citation(top.unit.record)}`;
        out.via = "llm";
      }
    }
    return out;
  }

  async function askJson(question: string, opts: { now?: Date; limit?: number } = {}): Promise<AskJson> {
    const q = cleanText(String(question ?? "")).replace(/\s+/g, " ").slice(0, MAX_QUESTION).trim();
    const now = opts.now ?? new Date();
    const limit = opts.limit ?? LIST_PAGE;
    try {
      const intent = parser.parse(q, now);
      if (intent.kind === "empty") {
        return { question: q, intent: "empty", answer: "Không tìm thấy câu hỏi. Hãy gõ câu hỏi về kế hoạch, ví dụ: “Ai chủ trì diễn tập an ninh mạng?” hoặc “Chỉ tiêu phủ sóng 5G năm 2026?”", notFound: true, matches: [] };
      }
      if (intent.recordId && intent.kind !== "agency_tasks") {
        const r = knowledge.record(intent.recordId);
        if (r) return recordAnswer(q, intent, r);
      }
      if ((intent.kind === "agency_tasks" && intent.agencies.length) || intent.kind === "due_tasks") return await taskList(q, intent, now, limit);
      if (intent.unknownAgency) {
        const near = await retriever.search(intent.topic, { kinds: ["task"] }, 3);
        const name = intent.unknownAgency.replace(/^\w/, (c) => c.toUpperCase());
        return notFoundAnswer(q, intent, `Không tìm thấy cơ quan “${name}” trong các kế hoạch, nên không có nhiệm vụ nào giao cho cơ quan này.`, near);
      }
      return await searchAnswer(q, intent);
    } catch (err) {
      return {
        question: q,
        intent: "error",
        answer: "Không tìm thấy câu trả lời do lỗi khi tra cứu. Vui lòng thử lại với câu hỏi ngắn hơn.",
        notFound: true,
        matches: [],
        ...(err instanceof Error ? {} : {}),
      };
    }
  }

  return {
    retriever,
    askJson,
    async ask(question, opts): Promise<AskAnswer> {
      const j = await askJson(question, opts);
      return { question: j.question, intent: j.intent, answer: j.answer, notFound: j.notFound, ids: j.matches.map((m) => m.id), choices: j.choices };
    },
  };
}
