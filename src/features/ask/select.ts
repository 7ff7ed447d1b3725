// Running a Query over the records: every record in scope that fits the
// agencies and role, the kinds, the period or state and the part of the plan —
// complete, in a stable order. Retrieval only ranks (and narrows by) the topic.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import { DATED_KINDS, type AgencyRef, type Duty, type Indicator, type KnowledgeRecord, type Milestone, type Passage, type Task } from "../../knowledge/types.js";
import { phraseKey } from "../../retrieval/analyzer.js";
import { agencyMatcher } from "../../retrieval/matchers.js";
import { findPeriods, romanNumeral } from "../../text/date-grammar.js";
import { dateOfDay, dayNumber } from "../../text/dates.js";
import { fold } from "../../text/vietnamese.js";
import type { Query, RecordKind } from "./query.js";

/** A record a list may hold: a row with fields, or running text that sets a deadline. */
export type FieldRecord = Task | Indicator | Duty | Passage;

export interface SelectContext {
  kb: KnowledgeIndex;
  /** Today, local ISO date. */
  today: string;
  /** Tasks whose latest report says "hoàn thành". */
  completed: ReadonlySet<string>;
  /** Tasks with at least one report. */
  reported: ReadonlySet<string>;
  /** Whether the store's reports were given (else "done" and "overdue" read only the plan). */
  reportsKnown: boolean;
  /** "Phụ lục II" (or null) of a source line. */
  appendixOf(file: string, line: number): string | null;
  /** Ids the previous answer of this conversation gave. */
  previous?: readonly string[];
}

const components = new WeakMap<KnowledgeIndex, Map<string, string[]>>();

/**
 * The agencies a collective names one by one: "Các sở, ban, ngành, UBND cấp huyện" holds
 * "UBND cấp huyện" (a named member), never every "sở" (the generic part names nobody).
 */
function memberIds(kb: KnowledgeIndex, a: AgencyRef): string[] {
  if (!a.isGroup) return [a.id];
  let known = components.get(kb);
  if (!known) components.set(kb, (known = new Map()));
  let ids = known.get(a.text);
  if (!ids) {
    const parts = a.text.split(/\s*(?:,|;|\bvà\b)\s*/).map((p) => p.trim()).filter((p) => p.split(" ").length >= 2);
    ids = [a.id, ...parts.map((p) => kb.agency(p)).filter((x) => x && !x.isGroup).map((x) => x!.id)];
    known.set(a.text, ids);
  }
  return ids;
}

// Every question reads the same records: what a record's fields say is worked out once.

const idsOf = new WeakMap<KnowledgeIndex, WeakMap<FieldRecord, { lead?: string[]; coordinator?: string[] }>>();

/** Agency ids of a record in a role (a collective also counts for the members it names). Duties name their subject agencies (and coordinators as written). */
export function agencyIds(kb: KnowledgeIndex, r: FieldRecord, role: "lead" | "coordinator"): string[] {
  let byRecord = idsOf.get(kb);
  if (!byRecord) idsOf.set(kb, (byRecord = new WeakMap()));
  let e = byRecord.get(r);
  if (!e) byRecord.set(r, (e = {}));
  return (e[role] ??= recordAgencyIds(kb, r, role));
}

function recordAgencyIds(kb: KnowledgeIndex, r: FieldRecord, role: "lead" | "coordinator"): string[] {
  switch (r.kind) {
    case "task":
      return (role === "lead" ? r.leadAgencies : r.coordinatorAgencies).flatMap((a) => memberIds(kb, a));
    case "indicator":
      return role === "lead" ? r.leadAgencies.flatMap((a) => memberIds(kb, a)) : [];
    case "duty": {
      const d = dutyRoles(kb, r);
      return role === "lead" ? d.lead : d.coordinator;
    }
    case "passage":
      return role === "lead" && !shadowed(kb, r) ? subjectsOf(kb, r) : [];
  }
}

/**
 * A collective that takes in the agency: "các sở, ban, ngành" a Sở or a Ban, "UBND cấp xã / các xã, phường" a
 * commune's People's Committee, "các cơ quan, đơn vị" anyone. Used when an agency has no duty of its own.
 */
export function collectiveCovers(group: AgencyRef, agency: { canonical: string }): boolean {
  if (!group.isGroup) return false;
  const g = fold(group.text);
  const a = fold(agency.canonical);
  if (/^so\b/.test(a)) return /\bso\b/.test(g);
  if (/^ban\b/.test(a)) return /\bban\b/.test(g) && /\bnganh\b/.test(g);
  if (/^(?:ubnd|uy ban nhan dan) (?:xa|phuong|cap xa)/.test(a)) return /\b(?:xa|phuong|cap xa)\b/.test(g) && /\b(?:ubnd|uy ban|dia phuong)\b/.test(g);
  return /\b(?:cac co quan|cac don vi|co quan, don vi)\b/.test(g);
}

const dutyRoleCache = new WeakMap<Duty, { lead: string[]; coordinator: string[] }>();

/** Who leads and who coordinates a duty, read once per duty. */
function dutyRoles(kb: KnowledgeIndex, r: Duty): { lead: string[]; coordinator: string[] } {
  let roles = dutyRoleCache.get(r);
  if (!roles) {
    // A sentence whose subject "phối hợp" (and leads nothing) makes its subject a coordinator.
    const subject = r.agencies.flatMap((a) => memberIds(kb, a));
    const action = fold(r.action);
    const coordinates = /\bphoi hop\b/.test(action) && !/\bchu tri\b/.test(action);
    const partners = r.coordinators.map((c) => kb.agency(c)?.id).filter((x): x is string => !!x);
    roles = { lead: coordinates ? [] : subject, coordinator: [...(coordinates ? subject : []), ...partners] };
    dutyRoleCache.set(r, roles);
  }
  return roles;
}

const matchers = new WeakMap<KnowledgeIndex, ReturnType<typeof agencyMatcher>["matcher"]>();
const subjects = new WeakMap<Passage, string[]>();

/**
 * The agencies running text opens with ("2.2. Ủy ban Mặt trận Tổ quốc và tổ chức chính trị - xã hội … tham gia
 * tuyên truyền"): the paragraph gives them work, as a task row would.
 */
export function subjectsOf(kb: KnowledgeIndex, p: Passage): string[] {
  let ids = subjects.get(p);
  if (!ids) {
    let m = matchers.get(kb);
    if (!m) matchers.set(kb, (m = agencyMatcher(kb).matcher));
    const text = p.text.replace(/^(?:\d+(?:\.\d+)*[.)]?|[-–+•*]|[a-zđ]\))\s*/, "").slice(0, 240);
    ids = [];
    // Most paragraphs open with a word no agency's name opens with: read no further.
    const first = phraseKey(text.slice(0, 24)).split(" ")[0] ?? "";
    const sylls = m.opens(first) ? phraseKey(text).split(" ") : [];
    let at = 0;
    for (const x of m.match(sylls, { prefix: true })) {
      if (x.start !== at) break;
      ids.push(x.id);
      at = x.end;
    }
    subjects.set(p, ids);
  }
  return ids;
}

const shadows = new WeakMap<KnowledgeIndex, Set<string>>();

/** Running text that is also a task or duty (the same lines): the record speaks for it. */
const isShadowed = new WeakMap<Passage, boolean>();
export function shadowed(kb: KnowledgeIndex, p: Passage): boolean {
  const known = isShadowed.get(p);
  if (known !== undefined) return known;
  let lines = shadows.get(kb);
  if (!lines) {
    lines = new Set<string>();
    for (const r of [...kb.tasks, ...kb.duties]) for (let l = r.source.line; l <= r.source.endLine; l++) lines.add(`${r.source.file}:${l}`);
    shadows.set(kb, lines);
  }
  const is = lines.has(`${p.source.file}:${p.source.line}`);
  isShadowed.set(p, is);
  return is;
}

/**
 * The duty another refers to for its reports ("phối hợp báo cáo định kỳ theo tinh thần tại mục 2, phần V nêu trên"):
 * item n of the same part, as the plan numbered it.
 */
export function referencedDuty(kb: KnowledgeIndex, d: Duty): Duty | undefined {
  const m = /\btheo tinh than (?:tai |cua )?(?:muc|diem|khoan) (\d+)\b/.exec(fold(d.action));
  if (!m) return undefined;
  const item = kb.passages.find((p) => p.plan === d.plan && p.section.number === d.section.number && p.text.startsWith(`${m[1]}.`));
  return item ? kb.duties.find((x) => x !== d && x.plan === d.plan && x.source.line === item.source.line) : undefined;
}

const textDeadlines = new WeakMap<object, Milestone[]>();

/**
 * Deadlines running text sets ("Ban hành Danh mục … trong Quý I/2026", "hoàn thành trước ngày 30/6/2026",
 * "Hết năm 2025, 100% cán bộ …"), read once per record.
 */
function deadlinesInText(r: Passage | Task, text: string): Milestone[] {
  let ms = textDeadlines.get(r);
  if (!ms) {
    ms = findPeriods(text)
      .filter((x) => /(?:trong|truoc|hoan thanh|xong|cham nhat|han|het|dat|vao)\s*(?:ngay|thang|nam|quy|qui)?\s*$/i.test(fold(text.slice(Math.max(0, x.index - 24), x.index))))
      .map((x) => ({ raw: text.slice(x.index, x.index + x.length), due: x.end, kind: x.kind }));
    textDeadlines.set(r, ms);
  }
  return ms;
}

/** The dated milestones of a record (a duty's one-off deadline; a periodic report has none here). */
export function milestonesOf(r: FieldRecord): Milestone[] {
  if (r.kind === "passage") return deadlinesInText(r, r.text);
  if (r.kind === "task") {
    const ms = (r.deadline.milestones.length ? r.deadline.milestones : [r.deadline]).filter((m) => m.due && DATED_KINDS.includes(m.kind));
    // A row with no deadline of its own may set one in its words ("… trong năm 2025").
    return ms.length || r.deadline.kind !== "none" ? ms : deadlinesInText(r, r.name);
  }
  if (r.kind === "duty" && r.deadline) return (r.deadline.milestones.length ? r.deadline.milestones : [r.deadline]).filter((m) => m.due && DATED_KINDS.includes(m.kind));
  return [];
}

export function dueOf(r: FieldRecord): string | null {
  return milestonesOf(r)[0]?.due ?? null;
}

/** A periodic report falls in the period: a yearly date inside it, or any shorter period's report. */
function reportsWithin(d: Duty, from: string, to: string): boolean {
  return d.schedule.some((s) => {
    if (s.period !== "year" || !s.month) return true;
    const mm = String(s.month).padStart(2, "0");
    const dd = String(s.day ?? 28).padStart(2, "0");
    for (let y = Number(from.slice(0, 4)); y <= Math.min(Number(to.slice(0, 4)), Number(from.slice(0, 4)) + 10); y++) {
      const at = `${y}-${mm}-${dd}`;
      if (at >= from && at <= to) return true;
    }
    return false;
  });
}

const RECURRING_WORDS = /\b(?:dinh ky|hang nam|hang quy|hang thang|thuong xuyen|moi nam|moi quy|moi thang)\b/;

function isRecurring(r: FieldRecord): boolean {
  if (r.kind === "task") return r.deadline.kind === "recurring" || r.deadline.milestones.some((m) => m.kind === "recurring") || RECURRING_WORDS.test(fold(r.name));
  if (r.kind === "duty") return r.schedule.length > 0 || r.deadline?.kind === "recurring" || RECURRING_WORDS.test(fold(r.action));
  return false;
}

const arabic = (s: string) => String(romanNumeral(s) ?? s.toLowerCase()).replace(/^0+(?=\d)/, "");

/** "VIII" = "8", "2.2" = "II.2.2"'s tail, "18" = the TT 18 and its lettered parts. */
function inSection(r: FieldRecord, section: string): boolean {
  const want = section.split(".").map(arabic).join(".");
  const number = r.kind === "indicator" ? r.group.number : r.section.number;
  const have = number.split(/[.\s()]+/).filter(Boolean).map(arabic).join(".");
  if (have === want || have.endsWith(`.${want}`) || have.startsWith(`${want}.`)) return true;
  const ordinal = r.kind === "duty" || r.kind === "passage" ? "" : r.ordinal;
  return ordinal !== "" && (ordinal === section || new RegExp(`^${section}[a-zđ]*$`).test(ordinal));
}

function inAppendix(ctx: SelectContext, r: FieldRecord, appendix: string): boolean {
  const a = ctx.appendixOf(ctx.kb.plan(r.plan)?.file ?? r.source.file, r.source.line);
  if (!a) return false;
  if (appendix === "*") return true;
  const n = /(\S+)$/.exec(a)?.[1] ?? "";
  return arabic(n) === arabic(appendix);
}

/** The kinds a question means when it names none. */
export function defaultKinds(q: Query): RecordKind[] {
  if (q.ask === "duties") return ["duty"];
  const named = new Set(q.kinds);
  if (q.ask === "count") return named.size ? [...named] : ["task"];
  // "chỉ tiêu nào" alone asks for targets; an agency's "nhiệm vụ" are everything it is given: tasks, targets, duties.
  if (named.has("indicator") && !named.has("task")) return ["indicator"];
  if (q.agencies.length) return ["task", "indicator", "duty"];
  if (named.has("indicator")) return ["task", "indicator"];
  return ["task", "duty"];
}

type Holders = Record<"lead" | "coordinator", Map<string, Set<FieldRecord>>>;
const holdersOf = new WeakMap<KnowledgeIndex, Holders>();

/** For each agency, the records it holds in each role (as agencyIds says), worked out once. */
function holders(kb: KnowledgeIndex): Holders {
  let h = holdersOf.get(kb);
  if (h) return h;
  h = { lead: new Map(), coordinator: new Map() };
  for (const r of [...kb.tasks, ...kb.indicators, ...kb.duties, ...kb.passages]) {
    for (const role of ["lead", "coordinator"] as const) {
      for (const id of agencyIds(kb, r, role)) {
        let set = h[role].get(id);
        if (!set) h[role].set(id, (set = new Set()));
        set.add(r);
      }
    }
  }
  holdersOf.set(kb, h);
  return h;
}

/**
 * Work out, a slice at a time (the event loop keeps answering in between), what questions read
 * from every record: each record's agencies and the deadlines running text sets. With a hundred
 * plans the first question needing them would otherwise wait a second or more.
 */
export async function warmSelect(kb: KnowledgeIndex, pause: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<void> {
  const records: FieldRecord[] = [...kb.tasks, ...kb.indicators, ...kb.duties];
  for (let i = 0; i < records.length; i += 500) {
    for (const r of records.slice(i, i + 500)) {
      agencyIds(kb, r, "lead");
      agencyIds(kb, r, "coordinator");
      milestonesOf(r);
      if (r.kind === "duty") foldedAction(r);
      if (r.kind === "duty" || r.kind === "task") foldedSaid(r);
    }
    await pause();
  }
  for (let i = 0; i < kb.passages.length; i += 200) {
    for (const p of kb.passages.slice(i, i + 200)) {
      deadlinesInText(p, p.text);
      subjectsOf(kb, p);
      shadowed(kb, p);
    }
    await pause();
  }
  // (after the passages: a paragraph's agencies are then known)
  holders(kb);
  recordsByPlan(kb);
}

interface PlanRecords {
  task: Task[];
  indicator: Indicator[];
  duty: Duty[];
  passage: Passage[];
}
const planRecords = new WeakMap<KnowledgeIndex, { order: Record<keyof PlanRecords, string[]>; plans: Map<string, PlanRecords> } | null>();

/**
 * Each plan's records by kind, and for each kind the order its plans come in, when each kind's list
 * holds a plan's records together (as ingest writes them); else null.
 */
function recordsByPlan(kb: KnowledgeIndex): { order: Record<keyof PlanRecords, string[]>; plans: Map<string, PlanRecords> } | null {
  if (planRecords.has(kb)) return planRecords.get(kb)!;
  const plans = new Map<string, PlanRecords>();
  const order: Record<keyof PlanRecords, string[]> = { task: [], indicator: [], duty: [], passage: [] };
  let grouped = true;
  const lists = { task: kb.tasks, indicator: kb.indicators, duty: kb.duties, passage: kb.passages } as const;
  for (const k of Object.keys(lists) as (keyof PlanRecords)[]) {
    const done = new Set<string>();
    let last: string | undefined;
    for (const r of lists[k] as FieldRecord[]) {
      if (r.plan !== last) {
        if (done.has(r.plan)) grouped = false;
        done.add(r.plan);
        order[k].push(r.plan);
        last = r.plan;
      }
      let g = plans.get(r.plan);
      if (!g) plans.set(r.plan, (g = { task: [], indicator: [], duty: [], passage: [] }));
      (g[k] as FieldRecord[]).push(r);
    }
  }
  const out = grouped ? { order, plans } : null;
  planRecords.set(kb, out);
  return out;
}

const agencyMaps = new WeakMap<KnowledgeIndex, Map<string, KnowledgeIndex["agencies"][number]>>();
function agencyById(kb: KnowledgeIndex): Map<string, KnowledgeIndex["agencies"][number]> {
  let m = agencyMaps.get(kb);
  if (!m) {
    agencyMaps.set(kb, (m = new Map()));
    for (const a of kb.agencies) if (!m.has(a.id)) m.set(a.id, a);
  }
  return m;
}

const gatherPatterns = new WeakMap<KnowledgeIndex, Map<string, RegExp | null>>();

/** "gửi (về) <agency> … tổng hợp" for any of the agency's names, one pattern per agency, made once. */
function gatherPattern(kb: KnowledgeIndex, id: string): RegExp | null {
  let m = gatherPatterns.get(kb);
  if (!m) gatherPatterns.set(kb, (m = new Map()));
  let re = m.get(id);
  if (re === undefined) {
    const a = agencyById(kb).get(id);
    const names = a ? [a.canonical, ...a.aliases].map((n) => fold(n)).filter((n) => n.length > 3) : [];
    re = names.length ? new RegExp(`\\b(?:gui|ve|gui ve|cho)\\s+(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b[^.;]{0,80}\\btong hop\\b`) : null;
    m.set(id, re);
  }
  return re;
}

const actions = new WeakMap<Duty, string>();
/** A duty's action folded, remembered with the duty. */
function foldedAction(d: Duty): string {
  let f = actions.get(d);
  if (f === undefined) actions.set(d, (f = fold(d.action)));
  return f;
}

const saids = new WeakMap<FieldRecord, string>();
/** What a duty or task row says about reports, folded: the duty's recipients and action, the task's name and deadline. */
function foldedSaid(r: FieldRecord): string {
  let f = saids.get(r);
  if (f === undefined) saids.set(r, (f = fold(r.kind === "duty" ? `${r.reportTo} ${r.action}` : r.kind === "task" ? `${r.name} ${r.deadline.raw}` : "")));
  return f;
}

const ordinals = new WeakMap<KnowledgeIndex, Map<FieldRecord, number>>();

/**
 * The records any of the query's agencies holds in its roles, plus every duty where one may gather
 * reports, in the order selectRecords reads them (tasks, indicators, duties, then running text).
 */
function heldBy(kb: KnowledgeIndex, q: Query): FieldRecord[] {
  let ord = ordinals.get(kb);
  if (!ord) {
    ord = new Map();
    for (const r of [...kb.tasks, ...kb.indicators, ...kb.duties, ...kb.passages]) ord.set(r, ord.size);
    ordinals.set(kb, ord);
  }
  const h = holders(kb);
  const roles: ("lead" | "coordinator")[] = q.role === "either" ? ["lead", "coordinator"] : [q.role];
  const out = new Set<FieldRecord>();
  for (const a of q.agencies) for (const role of roles) for (const r of h[role].get(a.id) ?? []) out.add(r);
  if (q.role !== "coordinator" && !q.period && !q.state) for (const d of kb.duties) out.add(d);
  return [...out].sort((x, y) => ord.get(x)! - ord.get(y)!);
}

/** Every record the query's filters let through (topic aside), in document order; `only` fixes the kinds read. */
export function selectRecords(ctx: SelectContext, q: Query, only?: RecordKind[]): FieldRecord[] {
  const { kb } = ctx;
  const kinds = only ?? defaultKinds(q);
  // A list over time also reads running text that sets a deadline ("… trong Quý I/2026").
  const datedText = !only && (q.period || q.state === "overdue" || q.state === "due-soon") && !q.agencies.length && kinds.includes("task");
  // An agency's work also sits in paragraphs that open with its name (tasks written as prose).
  const subjectText = !only && q.agencies.length > 0 && q.role !== "coordinator" && kinds.includes("task");
  const byPlan = q.plans.length ? recordsByPlan(kb) : null;
  const wanted = new Set(q.plans);
  // With plans named, the plans' own records (in document order), not every plan's records filtered.
  const lists = { task: kb.tasks, indicator: kb.indicators, duty: kb.duties, passage: kb.passages };
  const of = <K extends keyof PlanRecords>(k: K): PlanRecords[K] =>
    byPlan ? (byPlan.order[k].filter((id) => wanted.has(id)).flatMap((id): FieldRecord[] => byPlan.plans.get(id)![k]) as PlanRecords[K]) : (lists[k] as PlanRecords[K]);
  // With agencies named and no plan, the records they hold (and, for "tổng hợp", every duty), not every record.
  const held = q.agencies.length && !byPlan && q.agencyMode !== "all" ? heldBy(kb, q) : null;
  let pool: FieldRecord[] = held ? held.filter((r) => (r.kind === "passage" ? subjectText : kinds.includes(r.kind))) : [
    ...(kinds.includes("task") ? of("task") : []),
    ...(kinds.includes("indicator") ? of("indicator") : []),
    ...(kinds.includes("duty") ? of("duty") : []),
    ...(datedText ? of("passage").filter((p) => !shadowed(kb, p) && deadlinesInText(p, p.text).length > 0) : []),
    ...(subjectText ? of("passage").filter((p) => subjectsOf(kb, p).length > 0 && !shadowed(kb, p)) : []),
  ];
  if (q.plans.length && !byPlan) pool = pool.filter((r) => wanted.has(r.plan));
  if (q.withinPrevious && ctx.previous?.length) {
    const prev = new Set(ctx.previous);
    pool = pool.filter((r) => prev.has(r.id));
  }
  if (q.agencies.length) {
    const roles: ("lead" | "coordinator")[] = q.role === "either" ? ["lead", "coordinator"] : [q.role];
    // An agency is also given the reports sent to it "để tổng hợp" (it must gather them).
    const gathers = (r: FieldRecord, id: string) => {
      // (The deadline of such a duty is the senders', not the gatherer's: not in a list over time.)
      if (r.kind !== "duty" || q.role === "coordinator" || q.period || q.state) return false;
      const re = gatherPattern(kb, id);
      return !!re && re.test(foldedAction(r));
    };
    const held = holders(kb);
    const holds = (r: FieldRecord, id: string) => roles.some((role) => held[role].get(id)?.has(r) ?? false) || gathers(r, id);
    pool = pool.filter((r) => (q.agencyMode === "all" ? q.agencies.every((a) => holds(r, a.id)) : q.agencies.some((a) => holds(r, a.id))));
  }
  if (q.recipients.length) {
    // Reports that go to the agency named: its name (or an alias) in the duty's "gửi …".
    const names = q.recipients.flatMap((a) => {
      const ag = kb.agencies.find((x) => x.id === a.id);
      return [a.name, ...(ag?.aliases ?? [])].map((n) => fold(n)).filter((n) => n.length > 3);
    });
    const to = pool.filter((r) => {
      const said = foldedSaid(r);
      return /\bbao cao\b/.test(said) && names.some((n) => said.includes(n));
    });
    if (to.length) pool = to;
  }
  if (q.section) pool = pool.filter((r) => inSection(r, q.section!));
  if (q.appendix) pool = pool.filter((r) => inAppendix(ctx, r, q.appendix!));
  if (q.period) {
    const p = q.period;
    // A report due every period is not "due in" one: only one-off deadlines count, unless reports are asked for.
    // A span ("2025 - 2030") falls in a period only whole; any other deadline by its last day.
    const within = (m: Milestone) => (p.exact ? m.kind === "date" && m.due === p.to : m.due! >= p.from && m.due! <= p.to && (!m.start || m.start >= p.from));
    pool = pool.filter(
      (r) =>
        milestonesOf(r).some(within) ||
        (q.reports && r.kind === "duty" && reportsWithin(r, p.from, p.to)),
    );
  }
  if (q.state === "overdue") pool = pool.filter((r) => r.kind !== "indicator" && (dueOf(r) ?? "9999") < ctx.today && !ctx.completed.has(r.id));
  if (q.state === "due-soon") {
    // "sắp đến hạn trong năm nay": from today to the period's end; alone, the next 30 days.
    const until = q.period ? q.period.to : dateOfDay(dayNumber(ctx.today) + 30);
    pool = pool.filter((r) => milestonesOf(r).some((m) => m.due! >= ctx.today && m.due! <= until) && !ctx.completed.has(r.id));
  }
  if (q.state === "recurring") pool = pool.filter(isRecurring);
  if (q.state === "dated") pool = pool.filter((r) => milestonesOf(r).length > 0);
  if (q.state === "done") pool = pool.filter((r) => ctx.completed.has(r.id));
  if (q.state === "not-reported") pool = pool.filter((r) => r.kind === "task" && !ctx.reported.has(r.id));
  return pool;
}

const planOrder = (kb: KnowledgeIndex) => new Map(kb.plans.map((p, i) => [p.id, i]));

/** Deadline first when the question is about time; otherwise the plan's own order. */
export function sortRecords(kb: KnowledgeIndex, records: FieldRecord[], byDeadline: boolean): FieldRecord[] {
  const order = planOrder(kb);
  const kindRank: Record<FieldRecord["kind"], number> = { task: 0, indicator: 1, duty: 2, passage: 3 };
  return [...records].sort((a, b) => {
    if (byDeadline) {
      const d = (dueOf(a) ?? "9999").localeCompare(dueOf(b) ?? "9999");
      if (d) return d;
    }
    return (
      (order.get(a.plan) ?? 0) - (order.get(b.plan) ?? 0) ||
      kindRank[a.kind] - kindRank[b.kind] ||
      a.source.line - b.source.line ||
      a.id.localeCompare(b.id, "en", { numeric: true })
    );
  });
}

export const isFieldRecord = (r: KnowledgeRecord): r is FieldRecord => r.kind !== "passage" || deadlinesInText(r, r.text).length > 0;
