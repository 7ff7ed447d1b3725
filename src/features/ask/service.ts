// The ask service: question → typed query (with the conversation's previous
// one for follow-ups) → records (complete lists by filters, retrieval for the
// topic and for single rows) → one composed answer, cited. Never throws for
// user input; "Không tìm thấy …" with what does exist instead of a guess.
import type { Config } from "../../config.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { KnowledgeRecord, PlanOutline } from "../../knowledge/types.js";
import { analyze } from "../../retrieval/analyzer.js";
import { Retriever, type Candidate, type SearchSignals } from "../../retrieval/retriever.js";
import type { UnitKind } from "../../retrieval/units.js";
import { cleanText } from "../../text/clean.js";
import { dateOfDay, dayNumber, localDate } from "../../text/dates.js";
import { fold, truncate } from "../../text/vietnamese.js";
import { appendixFinder, createFormatter, type Formatter } from "./compose.js";
import { CONTEXT_TTL_MS, mergeFollowUp, memoryConversations, pageRequest, type ConversationStore } from "./context.js";
import { createLlmPhraser, type LlmPhraser } from "./llm.js";
import { headingChildren, headingOf, outlineFacets, planOverview, planWords, type Cited, type OutlineComposed } from "./outline.js";
import { dutiesAnswer, groupCountAnswer, listAnswer, overviewAnswer, statusAnswer, type Composed, type ProgressReader } from "./answers.js";
import { createQueryParser } from "./parse-query.js";
import type { Query } from "./query.js";
import { dueOf, isFieldRecord, collectiveCovers, milestonesOf, referencedDuty, selectRecords, sortRecords, warmSelect, type FieldRecord, type SelectContext } from "./select.js";
import type { AskAnswer, AskService } from "./types.js";

export interface AskMatch {
  /** A record's kind, or "heading" for a line of the plan's outline (title, part, signer). */
  kind: UnitKind | "heading";
  id: string;
  plan: string;
  name: string;
  lead: string[];
  coordinators: string[];
  deadline: { raw: string; due: string | null; kind: string } | null;
  target2026: string | null;
  target2030: string | null;
  source: { file: string; line: number; endLine: number; page?: number };
  score: number;
}

export interface AskJson {
  question: string;
  /** What was asked (the query's kind). */
  intent: string;
  answer: string;
  notFound: boolean;
  /** Every record the answer is about, best or first first — for a list, all of its rows. */
  matches: AskMatch[];
  /** For a list: how many rows it has (all of them are in `matches`). */
  total?: number;
  page?: number;
  pages?: number;
  choices?: { label: string; value: string }[];
  /** "template" or "llm": who phrased the answer. */
  via?: "template" | "llm";
  /** The typed query the answer came from. */
  query?: Query;
}

export interface AskOptions {
  now?: Date;
  /** Rows per page of a list in the chat (default 8). */
  limit?: number;
  /** The chat and user the question comes from ("telegram:123:456"): follow-ups lean on the last question. */
  conversation?: string;
}

export interface FullAskService extends AskService {
  askJson(question: string, opts?: AskOptions): Promise<AskJson>;
  readonly retriever: Retriever;
  /** Settles once what every question reads from the records is worked out (in the background, after start). */
  readonly warmed: Promise<void>;
}

/** Minimum idf-weighted share of the question's topic words a record must hold to be an answer. */
export const MIN_COVERAGE = 0.5;
const LIST_PAGE = 8;
const MAX_QUESTION = 2000;

export interface AskServiceOptions {
  llm?: LlmPhraser | null;
  /** Weight of vector similarity in the fusion (default 0.3; 0 = BM25 only, 1 = vectors only). */
  vectorWeight?: number;
  /** Ids of the tasks whose latest status update is "hoàn thành" (from the store): not overdue. */
  completedTasks?: () => ReadonlySet<string>;
  /** The store's saved statuses, for "tiến độ …" questions (the CLI and the chat read the same store). */
  progress?: ProgressReader;
  /** Where follow-ups find the last question (the store's; in memory when absent). */
  conversations?: ConversationStore;
}


export function toMatch(r: KnowledgeRecord, score = 1): AskMatch {
  // Running text (and a row with no deadline cell) may set a deadline in its words: the JSON carries it too.
  const inText = r.kind === "passage" || (r.kind === "task" && r.deadline.kind === "none") ? milestonesOf(r)[0] : undefined;
  const textDeadline = inText ? { raw: inText.raw, due: inText.due, kind: inText.kind } : null;
  const base = { kind: r.kind, id: r.id, plan: r.plan, source: { file: r.source.file, line: r.source.line, endLine: r.source.endLine, ...(r.source.page ? { page: r.source.page } : {}) }, score: Math.round(score * 10000) / 10000 };
  switch (r.kind) {
    case "task":
      return { ...base, name: r.name, lead: r.lead, coordinators: r.coordinators, deadline: textDeadline ?? { raw: r.deadline.raw, due: r.deadline.due, kind: r.deadline.kind }, target2026: null, target2030: null };
    case "indicator":
      return { ...base, name: r.name, lead: r.lead, coordinators: [], deadline: null, target2026: r.target2026, target2030: r.target2030 };
    case "duty":
      return { ...base, name: r.action, lead: r.agency ? [r.agency] : [], coordinators: r.coordinators, deadline: r.deadline ? { raw: r.deadline.raw, due: r.deadline.due, kind: r.deadline.kind } : null, target2026: null, target2030: null };
    case "passage":
      return { ...base, name: truncate(r.text, 300), lead: [], coordinators: [], deadline: textDeadline, target2026: null, target2030: null };
  }
}

function citedMatch(c: Cited): AskMatch {
  const { file, line, endLine, page } = c.source;
  return { kind: "heading", id: c.id, plan: c.plan, name: c.name, lead: [], coordinators: [], deadline: null, target2026: null, target2030: null, source: { file, line, endLine, ...(page ? { page } : {}) }, score: 1 };
}

const nextDay = (iso: string) => dateOfDay(dayNumber(iso) + 1);

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n / (a.size + b.size - n);
}

/** What a duty or a task row says about reports: a task's deadline cell may hold the period ("Hằng năm", "định kỳ hằng quý báo cáo về …"). */
const reportTexts = new WeakMap<FieldRecord, string>();
function reportText(r: FieldRecord): string {
  let t = reportTexts.get(r);
  if (t === undefined) reportTexts.set(r, (t = r.kind === "duty" ? fold(r.action) : r.kind === "task" ? fold(`${r.name} ${r.deadline.raw}`) : ""));
  return t;
}

/** A task row about reporting: it names a report and a period or a date to send it by. */
function aboutReports(r: FieldRecord): boolean {
  if (r.kind !== "task") return false;
  const text = reportText(r);
  return /\bbao cao\b/.test(text) && (/\b(?:dinh ky|hang (?:nam|quy|thang)|6 thang|sau thang|truoc ngay)\b/.test(text) || r.deadline.kind === "recurring");
}

export async function createAskService(knowledge: KnowledgeIndex, config: Config, options: AskServiceOptions = {}): Promise<FullAskService> {
  const retriever = await Retriever.open(knowledge, { dataDir: config.DATA_DIR, embeddings: config, vectorWeight: options.vectorWeight });
  const appendixOf = appendixFinder(knowledge);
  const fmt: Formatter = createFormatter(knowledge, appendixOf);
  const parser = createQueryParser(knowledge, config.TIMEZONE);
  const llm = options.llm !== undefined ? options.llm : createLlmPhraser(config);
  const conversations = options.conversations ?? memoryConversations();
  const warmed = warmSelect(knowledge).catch(() => undefined);

  function signalsFor(q: Query): SearchSignals {
    const s: SearchSignals = { agencies: q.agencies.map((a) => ({ id: a.id, role: q.role === "either" ? "any" : q.role })) };
    if (q.plans.length) s.plans = q.plans;
    if (q.ask === "target") {
      s.preferKinds = ["indicator"];
      s.kinds = ["indicator", "task", "duty"];
    }
    if (q.ask === "duties") s.preferKinds = ["duty"];
    if (["who", "coordinators", "when", "who_when"].includes(q.ask)) {
      s.preferKinds = q.kinds.includes("indicator") ? ["indicator", "task", "duty"] : ["task", "duty"];
      // running text cannot say who or by when better than the record that holds the row
      s.kinds = ["task", "indicator", "duty"];
    }
    if (q.ask === "when" || q.ask === "who_when") s.wantsDeadline = true;
    if (q.targetYear && q.ask === "target") s.targetYear = q.targetYear;
    return s;
  }

  /** Records ranked by how well they hold the topic, those holding at least `min` of it. */
  async function byTopic(topic: string, records: FieldRecord[], min = MIN_COVERAGE): Promise<{ r: FieldRecord; score: number; coverage: number }[]> {
    const terms = analyze(topic).unigrams.filter((w) => !/^\d+$/.test(w));
    if (!terms.length) return records.map((r) => ({ r, score: 0, coverage: 0 }));
    const ids = new Set(records.map((r) => r.id));
    const plans = [...new Set(records.map((r) => r.plan))];
    const cands = await retriever.search(terms.join(" "), { plans }, 2000);
    return cands.filter((c) => ids.has(c.unit.id) && c.coverage >= min).map((c) => ({ r: c.unit.record as FieldRecord, score: c.score, coverage: c.coverage }));
  }

  /** "6 tháng", "hằng quý", "hằng tháng", "hằng năm" in a question about reports → the duty reports so. */
  function scheduleFits(question: string, r: FieldRecord): boolean {
    if (r.kind !== "duty" && !aboutReports(r)) return false;
    const f = fold(question);
    const text = reportText(r);
    const schedule = r.kind === "duty" ? r.schedule : [];
    const periods = new Set(schedule.map((s) => s.period));
    if (/\b(?:6|sau) thang\b/.test(f)) return periods.has("half") || /\b(?:6|06|sau) thang\b/.test(text) || schedule.filter((s) => s.period === "year" && s.day).length >= 2;
    if (/\b(?:hang|moi) quy\b|\bquy\b/.test(f)) return periods.has("quarter") || /\bhang quy\b/.test(text);
    if (/\b(?:hang|moi) thang\b/.test(f)) return periods.has("month") || /\bhang thang\b/.test(text);
    if (/\b(?:hang|moi|cuoi) nam\b|\bbao cao nam\b/.test(f)) return periods.has("year") || /\bhang nam\b/.test(text);
    return false;
  }

  function notFound(question: string, q: Query, text: string, near: Candidate[] = []): AskJson {
    const offered = near.filter((c) => c.unit.kind !== "passage").slice(0, 3).map((c) => c.unit);
    const choices = offered.map((u) => ({ label: `${u.id} — ${truncate(u.name, 70)}`, value: u.id }));
    const lines = [text];
    if (choices.length) lines.push("", "Có phải bạn hỏi một trong các nhiệm vụ sau? Gõ mã để xem:");
    return { question, intent: q.ask, answer: lines.join("\n"), notFound: true, matches: near.slice(0, 3).map((c) => toMatch(c.unit.record, c.score)), ...(choices.length ? { choices } : {}), query: q };
  }

  function fromComposed(question: string, q: Query, c: Composed): AskJson {
    return {
      question,
      intent: q.ask,
      answer: c.text,
      notFound: c.notFound ?? false,
      matches: c.records.map((r) => toMatch(r)),
      ...(c.total !== undefined ? { total: c.total, page: c.page, pages: c.pages } : {}),
      ...(c.choices?.length ? { choices: c.choices } : {}),
      via: "template",
      query: q,
    };
  }

  /** Plans that do have rows for the query, when its own scope has none. */
  function plansWith(q: Query, ctx: SelectContext): string[] {
    const wider = selectRecords(ctx, { ...q, plans: [], scoped: false });
    return [...new Set(wider.map((r) => fmt.planName(r.plan)))];
  }

  async function listOrCount(question: string, q: Query, ctx: SelectContext, limit: number): Promise<AskJson> {
    const groups = q.ask === "count" && q.countOf !== "rows" ? outlineCount(question, q) : undefined;
    if (groups) return groups;
    let rows = selectRecords(ctx, q);
    // A plan that sets its targets as bullets, not an indicator table: its "chỉ tiêu" are those rows.
    if (!rows.length && q.kinds.length === 1 && q.kinds[0] === "indicator") {
      const plans = q.plans.length ? q.plans : knowledge.plans.map((p) => p.id);
      if (plans.every((p) => !knowledge.indicators.some((i) => i.plan === p))) rows = selectRecords(ctx, { ...q, kinds: ["task"] }, ["task"]);
    }
    // "mục 2.2", "Phụ lục II" narrow a list; when the plan does not number its rows so, they say nothing.
    if (!rows.length && (q.section || q.appendix)) {
      const wider = selectRecords(ctx, { ...q, section: undefined, appendix: undefined });
      if (wider.length && (q.agencies.length || q.period || q.state)) rows = wider;
    }
    let narrowed = false;
    // A part of the plan named ("nhóm III (xây dựng CSDL …)") already says what the rows are about.
    if (q.topic && !q.section && !q.appendix) {
      const ranked = await byTopic(q.topic, rows, 0.5);
      if (ranked.length) {
        rows = ranked.map((x) => x.r);
        narrowed = true;
      } else if (q.topic.split(" ").length >= 2 || q.agencies.length === 0) {
        rows = [];
      }
    }
    if (!narrowed) rows = sortRecords(knowledge, rows, !!q.period || !!q.state || q.agencies.length === 0);
    const opts = { pageSize: limit, today: ctx.today, reportsKnown: ctx.reportsKnown };
    if (rows.length === 0) {
      const elsewhere = q.scoped ? plansWith(q, ctx).filter((p) => !q.plans.map((x) => fmt.planName(x)).includes(p)) : [];
      // Nothing due in that period: what falls due next, to pick from.
      const next = q.period && !q.topic ? sortRecords(knowledge, selectRecords(ctx, { ...q, period: { from: q.period.to > ctx.today ? nextDay(q.period.to) : ctx.today, to: "9999-12-31", label: "", exact: false } }), true) : [];
      const firstDue = next[0] ? dueOf(next[0]) : null;
      const c = listAnswer(fmt, q, [], { ...opts, elsewhere, next: next.filter((r) => dueOf(r) === firstDue).slice(0, 3) });
      return fromComposed(question, q, c);
    }
    if (q.ask === "count" && q.countOf !== "rows") return fromComposed(question, q, groupCountAnswer(fmt, q, rows));
    return fromComposed(question, q, listAnswer(fmt, q, rows, opts));
  }

  function fromOutline(question: string, q: Query, c: OutlineComposed): AskJson {
    return { question, intent: q.ask, answer: c.text, notFound: c.notFound ?? false, matches: c.cited.map(citedMatch), via: "template", query: q };
  }

  /** What a plan is (number, date, issuer, basis, parts, appendices, signers), from its outline where the ingest read one. */
  function overview(question: string, q: Query, ctx: SelectContext): AskJson {
    const plans = q.plans.length ? q.plans : knowledge.plans.map((p) => p.id);
    const outlines = plans.slice(0, 3).map((p) => knowledge.outline(p)).filter((o): o is PlanOutline => !!o);
    if (!outlines.length) return fromComposed(question, q, overviewAnswer(fmt, knowledge, q, ctx));
    const facets = outlineFacets(question);
    const parts = outlines.map((o) => planOverview(fmt, knowledge, o, facets, question, q));
    const more = plans.length > 3 ? [`… và ${plans.length - 3} kế hoạch khác: hãy nêu tên kế hoạch.`] : [];
    return fromOutline(question, q, { text: [...parts.map((c) => c.text), ...more].join("\n\n"), cited: parts.flatMap((c) => c.cited) });
  }

  /**
   * "có mấy phụ lục, mỗi phụ lục gồm gì", "những nội dung thực hiện chính nào": a list or count question about
   * one plan that asks for its appendices, or for what a heading it names holds, is about the document.
   */
  function aboutTheDocument(question: string, q: Query): boolean {
    if ((q.ask !== "list" && q.ask !== "count") || q.plans.length !== 1 || q.agencies.length || q.period || q.state || q.recordId) return false;
    const o = knowledge.outline(q.plans[0]!);
    if (!o) return false;
    const facets = outlineFacets(question);
    if (facets.includes("appendices") && !q.appendix) return true;
    return q.ask === "list" && facets.includes("parts") && !q.section && !q.appendix && headingOf(o, q, question, planWords(knowledge, o.plan)) >= 0;
  }

  /** "mục II có mấy nhóm", "phụ lục chia thành mấy nhóm": the headings under the one named. */
  function outlineCount(question: string, q: Query): AskJson | undefined {
    if (q.plans.length !== 1) return undefined;
    const o = knowledge.outline(q.plans[0]!);
    if (!o) return undefined;
    const i = headingOf(o, q, question, planWords(knowledge, o.plan));
    return i >= 0 ? fromOutline(question, q, headingChildren(fmt, knowledge, o, i, true)) : undefined;
  }

  async function duties(question: string, q: Query, ctx: SelectContext): Promise<AskJson> {
    // Duties, and the task rows that are about reporting ("báo cáo … hằng quý", "định kỳ báo cáo UBTVQH").
    let rows = [...selectRecords(ctx, { ...q, ask: "duties" }), ...selectRecords(ctx, { ...q, ask: "list", kinds: ["task"] }).filter(aboutReports)];
    // "em ở sở nông nghiệp, báo cáo gửi về đâu": an agency with no duty of its own reports under the collective
    // rules that take it in ("các sở, ban, ngành … định kỳ 6 tháng báo cáo …").
    let shared: string[] = [];
    if (!rows.length && q.agencies.length) {
      const members = q.agencies.map((a) => knowledge.agencies.find((x) => x.id === a.id) ?? { canonical: a.name });
      rows = selectRecords(ctx, { ...q, ask: "duties", agencies: [] }).filter((r) => r.kind === "duty" && r.agencies.some((g) => members.some((m) => collectiveCovers(g, m))));
      if (rows.length) shared = q.agencies.map((a) => a.name);
    }
    const f = fold(question);
    // "định kỳ", "bao lâu một lần", "mốc nào", "trước ngày nào", "mấy lần": the periodic reports answer.
    const asksWhen = /\b(?:dinh ky|bao lau|may lan|moc|truoc ngay|ngay nao|khi nao|han)\b/.test(f);
    const periodic = (r: FieldRecord) => (r.kind === "duty" && r.schedule.length > 0) || aboutReports(r);
    const fits = (r: FieldRecord) => scheduleFits(question, r) || (asksWhen && periodic(r));
    if (q.topic) {
      const ranked = (await byTopic(q.topic, rows, 0))
        .map((x) => ({ ...x, score: x.score * (fits(x.r) ? 1.6 : 1) }))
        .filter((x) => x.coverage >= 0.3 || fits(x.r))
        .sort((a, b) => b.score - a.score);
      // Rows the topic's words miss still answer when their schedule fits ("so sánh chế độ báo cáo định kỳ").
      if (ranked.length) rows = [...ranked.map((x) => x.r), ...rows.filter((r) => fits(r) && !ranked.some((x) => x.r === r))];
    } else if (asksWhen && rows.some(periodic) && !q.agencies.length) {
      rows = rows.filter(periodic);
    }
    // A report period asked for ("hằng quý", "6 tháng") that no duty in scope has: the plan does not set it.
    if (/\b(?:hang|moi) quy\b|\b(?:6|sau) thang\b|\b(?:hang|moi) thang\b/.test(f) && q.scoped && !selectRecords(ctx, { ...q, ask: "duties", agencies: [], recipients: [] }).some((r) => scheduleFits(question, r))) {
      const what = /quy/.test(f) ? "hằng quý" : /6|sau/.test(f) ? "6 tháng" : "hằng tháng";
      return notFound(question, q, `Không tìm thấy quy định báo cáo ${what} nào trong ${q.plans.map((p) => fmt.planName(p)).join(", ")}.`);
    }
    // A duty that reports "theo tinh thần tại mục 2": that item says how, so it comes along.
    rows = rows.flatMap((r) => {
      const ref = r.kind === "duty" ? referencedDuty(knowledge, r) : undefined;
      return ref && !rows.includes(ref) ? [r, ref] : [r];
    });
    // Only the duties that speak of reports, when some do.
    const reporting = rows.filter((r) => aboutReports(r) || (r.kind === "duty" && (r.schedule.length || r.reportTo || /\bbao cao\b/.test(fold(r.action)))));
    if (reporting.length) rows = reporting;
    if (rows.length === 0) {
      const near = await retriever.search(q.topic || "báo cáo", signalsFor(q), 3);
      return notFound(question, q, q.agencies.length ? `Không tìm thấy việc báo cáo nào giao cho ${q.agencies.map((a) => a.name).join(", ")}${q.plans.length ? ` trong ${q.plans.map((p) => fmt.planName(p)).join(", ")}` : ""}.` : "Không tìm thấy quy định báo cáo nào khớp câu hỏi.", near);
    }
    const c = dutiesAnswer(fmt, q, rows);
    if (shared.length) c.text = `${shared.join(", ")} không có quy định báo cáo riêng; các quy định chung áp dụng:\n${c.text}`;
    return fromComposed(question, q, c);
  }

  async function search(question: string, q: Query): Promise<AskJson> {
    const signals = signalsFor(q);
    const content = analyze(q.topic).unigrams.filter((w) => !/^\d+$/.test(w));
    if (content.length === 0) {
      const near = q.agencies.length ? await retriever.search(q.agencies[0]!.name, { kinds: ["task"], agencies: signals.agencies, plans: signals.plans }, 3) : [];
      return notFound(question, q, "Không tìm thấy nội dung cần tra trong câu hỏi. Hãy nêu tên nhiệm vụ hoặc chỉ tiêu, ví dụ: “Ai chủ trì xây dựng Đề án thành lập Trung tâm đổi mới sáng tạo?”", near);
    }
    let cands = await retriever.search(q.topic, signals, 12);
    if (signals.kinds && (!cands[0] || cands[0].coverage < MIN_COVERAGE)) {
      // nothing in the records with fields: the running text may still say it
      const wider = await retriever.search(q.topic, { ...signals, kinds: undefined }, 12);
      if (wider[0] && wider[0].coverage > (cands[0]?.coverage ?? 0)) cands = wider;
    }
    const top = cands[0];
    // A row says when if it sets a date, a schedule, or a rhythm in its words ("hằng năm", "tối thiểu một lần/năm").
    const rhythm = (text: string) => /\b(?:hang|moi) (?:nam|quy|thang|tuan)\b|\bdinh ky\b|\b(?:mot|1) lan ?\/? ?(?:nam|quy|thang)\b|\bthuong xuyen\b/.test(fold(text));
    const undated = (r: KnowledgeRecord) =>
      r.kind === "task"
        ? r.deadline.kind === "none" && !milestonesOf(r).length && !rhythm(r.name)
        : r.kind === "duty"
          ? !r.deadline && !r.schedule.length && !rhythm(r.action)
          : r.kind === "passage"
            ? !milestonesOf(r).length && !rhythm(r.text)
            : true;
    if (top && (q.ask === "when" || q.ask === "who_when") && undated(top.unit.record) && top.coverage < 0.8) {
      // A "when" question answered by a row that sets no time is a guess: say so, offer the rows.
      return notFound(question, q, "Không tìm thấy thời hạn nào trong các kế hoạch khớp với câu hỏi.", cands);
    }
    if (!top || top.coverage < MIN_COVERAGE) {
      const scopeNote = q.plans.length ? ` trong ${q.plans.map((p) => fmt.planName(p)).join(", ")}` : " trong các kế hoạch";
      return notFound(question, q, `Không tìm thấy nhiệm vụ, chỉ tiêu hay nội dung nào khớp đủ với câu hỏi${scopeNote}.`, cands);
    }
    // the same task in several plans: answer per plan, each with its own citation
    const twins: Candidate[] = [];
    if (!q.scoped && top.unit.kind !== "passage") {
      for (const c of cands.slice(1)) {
        if (c.unit.plan === top.unit.plan || c.unit.kind !== top.unit.kind) continue;
        if (twins.some((t) => t.unit.plan === c.unit.plan)) continue;
        if (c.score >= 0.6 * top.score && c.coverage >= MIN_COVERAGE && jaccard(top.unit.nameBigrams, c.unit.nameBigrams) >= 0.45) twins.push(c);
      }
    }
    // Several plans named ("ở Bắc Ninh, phường Đa Mai và Lai Châu"): the best row of each, each cited.
    if (q.scoped && q.plans.length >= 2 && top.unit.kind !== "passage") {
      for (const plan of q.plans) {
        if (plan === top.unit.plan || twins.some((t) => t.unit.plan === plan)) continue;
        // A row with fields first; where the plan only says it in running text, that paragraph.
        const found = (await retriever.search(q.topic, { ...signals, kinds: undefined, plans: [plan] }, 5)).filter((c) => c.coverage >= MIN_COVERAGE);
        // (A row of a task table is not paired with prose; a duty, itself prose, may be.)
        const best = found.find((c) => c.unit.kind !== "passage") ?? (top.unit.kind === "duty" ? found[0] : undefined);
        if (best) twins.push(best);
      }
    }
    let answer: string;
    if (twins.length) {
      const parts = [`Nội dung này có trong ${twins.length + 1} kế hoạch:`];
      for (const c of [top, ...twins]) parts.push("", `【${fmt.planName(c.unit.plan)}】`, fmt.block(c.unit.record, q.ask, { compact: true, targetYear: q.targetYear as 2026 | 2030 | undefined, around: q.topic }));
      answer = parts.join("\n");
    } else {
      answer = fmt.block(top.unit.record, q.ask, { targetYear: q.targetYear as 2026 | 2030 | undefined, around: q.topic });
    }
    const ordered = [top, ...twins, ...cands.slice(1).filter((c) => !twins.includes(c))];
    const out: AskJson = { question, intent: q.ask, answer, notFound: false, matches: ordered.slice(0, 5).map((c) => toMatch(c.unit.record, c.score)), via: "template", query: q };
    if (llm && (q.ask === "topic" || top.unit.kind === "passage")) {
      const records = ordered.slice(0, 4).map((c) => c.unit.record);
      const phrased = await llm.phrase(question, records).catch(() => null);
      if (phrased) {
        out.answer = `${phrased}\n${fmt.citation(top.unit.record)}`;
        out.via = "llm";
      }
    }
    return out;
  }

  function recordAnswer(question: string, q: Query, r: KnowledgeRecord): AskJson {
    if (q.ask === "status" && r.kind === "task") return fromComposed(question, q, statusAnswer(fmt, r, options.progress));
    return { question, intent: q.ask, answer: fmt.block(r, q.ask, { targetYear: q.targetYear as 2026 | 2030 | undefined }), notFound: false, matches: [toMatch(r)], via: "template", query: q };
  }

  async function answer(question: string, q: Query, ctx: SelectContext, limit: number): Promise<AskJson> {
    if (q.foreignPlace && !q.scoped) {
      const name = q.foreignPlace.replace(/\b\w/g, (c) => c.toUpperCase());
      return notFound(question, q, `Không tìm thấy kế hoạch nào của ${name} trong dữ liệu. Các kế hoạch hiện có: ${knowledge.plans.map((p) => p.shortName).join("; ")}.`);
    }
    if (q.recordId && !["list", "count", "duties", "overview"].includes(q.ask)) {
      const r = knowledge.record(q.recordId);
      if (r) return recordAnswer(question, q, r);
    }
    if (q.unknownAgency && q.agencies.length === 0) {
      const name = q.unknownAgency.replace(/^\w/, (c) => c.toUpperCase());
      return notFound(question, q, `Không tìm thấy cơ quan “${name}” trong ${q.plans.length ? q.plans.map((p) => fmt.planName(p)).join(", ") : "các kế hoạch"}, nên không có nhiệm vụ nào giao cho cơ quan này.`);
    }
    if (aboutTheDocument(question, q)) return overview(question, { ...q, ask: "overview" }, ctx);
    switch (q.ask) {
      case "list":
      case "count":
        return listOrCount(question, q, ctx, limit);
      case "duties":
        return duties(question, q, ctx);
      case "overview":
        return overview(question, q, ctx);
      case "status": {
        const cands = await retriever.search(q.topic, { kinds: ["task"], plans: q.plans.length ? q.plans : undefined }, 3);
        const top = cands[0];
        if (top && top.coverage >= MIN_COVERAGE && top.unit.record.kind === "task") return fromComposed(question, q, statusAnswer(fmt, top.unit.record, options.progress));
        return notFound(question, q, "Không tìm thấy nhiệm vụ cần xem tiến độ. Hãy gõ mã nhiệm vụ, ví dụ “tiến độ BN-1.1”.", cands);
      }
      default:
        return search(question, q);
    }
  }

  async function askJson(question: string, opts: AskOptions = {}): Promise<AskJson> {
    const text = cleanText(String(question ?? "")).replace(/\s+/g, " ").slice(0, MAX_QUESTION).trim();
    const now = opts.now ?? new Date();
    const limit = Math.max(1, Math.min(opts.limit ?? LIST_PAGE, 30));
    const key = opts.conversation;
    try {
      const stored = key ? conversations.get(key) : undefined;
      const prev = stored && now.getTime() - Date.parse(stored.at) <= CONTEXT_TTL_MS ? stored : undefined;
      const ctx: SelectContext = {
        kb: knowledge,
        today: localDate(now, config.TIMEZONE),
        completed: options.completedTasks?.() ?? new Set<string>(),
        reportsKnown: !!options.completedTasks,
        reported: options.progress?.reported() ?? new Set<string>(),
        appendixOf,
        previous: prev?.ids,
      };
      let q: Query;
      const page = prev ? pageRequest(fold(text), prev.query.page) : undefined;
      if (prev && page !== undefined) q = { ...prev.query, page };
      else {
        q = parser.parse(text, now);
        if (q.ask === "topic" && !q.topic && !q.recordId && !q.followUp) {
          return { question: text, intent: "empty", answer: "Không tìm thấy câu hỏi. Hãy gõ câu hỏi về kế hoạch, ví dụ: “Ai chủ trì diễn tập an ninh mạng?” hoặc “Chỉ tiêu phủ sóng 5G năm 2026?”", notFound: true, matches: [] };
        }
        if (prev && (q.followUp || !q.standalone)) {
          q = mergeFollowUp(prev.query, q, { roleWords: /\b(?:phoi hop|chu tri|tham gia)\b/.test(fold(text)) });
          // "ủy ban đó còn được giao gì": the agency the previous answer named, as lead of its first row.
          if (q.previousAgency && !q.agencies.length) {
            const first = prev.ids.map((id) => knowledge.record(id)).find((r) => r && r.kind !== "passage");
            const leads = first?.kind === "task" || first?.kind === "indicator" ? first.leadAgencies : first?.kind === "duty" ? first.agencies : [];
            q = { ...q, agencies: leads.filter((a) => a.isAgency).map((a) => ({ id: a.id, name: a.canonical })), ask: "list", topic: "", withinPrevious: false };
          }
        }
      }
      const out = await answer(text, q, ctx, limit);
      // "Sở LĐ-TB&XH" asked for: the plans now give that work to Sở Nội vụ — say so first.
      for (const r of q.renamed ?? []) out.answer = `(${r.from} nay là ${r.to}: các việc dưới đây ghi theo tên ${r.to}.)\n${out.answer}`;
      if (key && !out.notFound) conversations.put(key, { query: q, ids: out.matches.map((m) => m.id), at: now.toISOString() });
      return out;
    } catch {
      return { question: text, intent: "error", answer: "Không tìm thấy câu trả lời do lỗi khi tra cứu. Vui lòng thử lại với câu hỏi ngắn hơn.", notFound: true, matches: [] };
    }
  }

  return {
    retriever,
    warmed,
    askJson,
    async ask(question, opts): Promise<AskAnswer> {
      const j = await askJson(question, opts);
      return { question: j.question, intent: j.intent, answer: j.answer, notFound: j.notFound, ids: j.matches.map((m) => m.id), choices: j.choices };
    },
  };
}

export { isFieldRecord };
