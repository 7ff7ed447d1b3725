// Measures how well the plan ingester reads plans it was never tuned on: each file of plans/
// (and the two real plans of knowledge/ that expected/ also describes) is ingested on its own
// into a temp knowledge dir (with knowledge/agencies.json, no plans.json: a new file has no
// metadata), and the records are compared with expected/<name>.expected.json as README.md
// ("Suggested comparison") says. This is a measurement: nothing here tunes the ingester.
//
//   npx tsx test/knowledge/heldout/score.ts [--verbose]
//
// plans/, expected/ and README.md are copied from the corpus as built; its generators (src/) and
// build-tmp/ are not in the repository (README.md's rebuild instructions refer to them).
//
// Matching: an expected record is paired with an ingested one by its `where` — .md/.txt: the
// record's first line (±1; or a record whose line span holds that line and whose name starts
// like name_starts), .html/.docx: the first words (a prefix of the name, else contained in it),
// .pdf: the same page and the first words. Comparisons ignore case, NFC differences, runs of
// whitespace and a trailing full stop (where-texts ignore whitespace altogether). Optional
// records (`required: false`) neither count for nor against: when one is matched, its ingested
// record is not an extra.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ingest } from "../../../src/knowledge/ingest.js";
import type { AgencyRef, Duty, Indicator, KnowledgeBase, ScheduleRule, Task } from "../../../src/knowledge/types.js";

const HERE = import.meta.dirname;
const PLANS_DIR = join(HERE, "plans");
const EXPECTED_DIR = join(HERE, "expected");
const KNOWLEDGE_DIR = join(HERE, "../../../knowledge");
/** The real plans the corpus has expectations for; read from knowledge/ (same bytes as /work/shared/plans). */
export const REAL_PLANS = ["hcm-ubnd-2820-2025.md", "quochoi-ddqh-3260-2025.md"];

// ---------------------------------------------------------------- expectations

interface Where {
  line?: number;
  page?: number;
  text?: string;
}
interface ExpTask {
  where: Where;
  ordinal: string | null;
  name_starts: string;
  lead: string[];
  coordinators: string[];
  deadline_raw: string | null;
  due: string | null;
  required?: boolean;
  deadline_optional?: boolean;
  alternative?: string;
}
interface ExpIndicator {
  where: Where;
  ordinal?: string;
  name_starts: string;
  unit?: string;
  targets: Record<string, string>;
  lead: string[];
  required?: boolean;
}
interface ExpPart {
  period: "monthly" | "quarterly" | "semiannual" | "annual";
  by: string | null;
}
interface ExpDuty {
  where: Where;
  kind: "report" | "assignment";
  agency: string;
  reportTo: string | null;
  schedule: string | null;
  due: string | null;
  parts?: ExpPart[];
  required?: boolean;
  also_task_ok?: boolean;
}
interface Expectation {
  file: string;
  format: string;
  plan: { issuer: string; issuer_header: string; number: string; date: string; level: string } | null;
  tasks: ExpTask[];
  indicators: ExpIndicator[];
  duties: ExpDuty[];
  expect?: "warning";
}

// ---------------------------------------------------------------- normalising

const nfc = (s: string) => s.normalize("NFC");
/** Whitespace, NFC, case and a trailing full stop ignored. */
export function norm(s: string | null | undefined): string {
  return nfc(s ?? "")
    .replace(/[\s\u00A0]+/g, " ")
    .trim()
    .replace(/[.。]+$/, "")
    .trim()
    .toLowerCase();
}
/** Also without diacritics (đ → d): how agency names are folded (as knowledge/agencies.json says matching does). */
export function fold(s: string | null | undefined): string {
  return norm(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
}
const noSpace = (s: string) => norm(s).replace(/\s+/g, "");
/** A leading list marker of an ingested text ("1.", "a)", "-", "*", "II."). */
const stripMarker = (s: string) => nfc(s).replace(/^\s*(?:[-–+•*]|\(?(?:\d+(?:\.\d+)*|[a-zđ]|[IVXL]+)[.)])\s+/i, "");

// ---------------------------------------------------------------- agencies

interface AgencyJson {
  agencies: { canonical: string; aliases: string[]; plans?: string[] }[];
}
/** folded alias or canonical → folded canonical (aliases scoped to some plans are left out). */
function aliasTable(): Map<string, string> {
  const raw = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, "agencies.json"), "utf8")) as AgencyJson;
  const m = new Map<string, string>();
  for (const e of raw.agencies) {
    if (e.plans) continue;
    for (const a of [e.canonical, ...e.aliases]) if (!m.has(fold(a))) m.set(fold(a), fold(e.canonical));
  }
  return m;
}
const ALIASES = aliasTable();

/** The expected name, and the same without a trailing parenthesis ("… (VNPT, Viettel, MobiFone)"), folded. */
function expectedForms(name: string): string[] {
  const f = fold(name);
  const bare = fold(name.replace(/\s*\([^)]*\)\s*$/, ""));
  return bare && bare !== f ? [f, bare] : [f];
}
function sameAgency(expected: string, got: AgencyRef): boolean {
  const gotForms = [fold(got.text), fold(got.canonical)];
  return expectedForms(expected).some((e) => gotForms.includes(e) || ALIASES.get(e) === fold(got.canonical));
}
const joins = (parts: string[]) => [", ", "; "].map((sep) => fold(parts.join(sep)));
/** A piece of a split collective must itself name a collective or agency ("Các sở", not "ngành"). */
const agencyPiece = (s: string) => /^(?:\p{Lu}|các\s|ubnd\s)/u.test(s.trim()) && s.trim().split(/\s+/).length >= 2;

/**
 * Expected and ingested agency lists compared as sets. A collective written with commas may be
 * kept whole (one ingested item = consecutive expected items joined by ", " or "; ", the first a
 * collective) or split into collective parts (consecutive ingested items, each a name of two
 * words or more, joined = one expected item), never cut at every comma. Firms named inside an
 * expected name's parenthesis may also be listed.
 */
export function sameAgencies(expected: string[], got: AgencyRef[]): boolean {
  const e = expected.filter((x) => norm(x));
  const usedE = new Set<number>();
  const usedG = new Set<number>();
  // one to one
  e.forEach((x, i) => {
    const j = got.findIndex((g, k) => !usedG.has(k) && sameAgency(x, g));
    if (j >= 0) {
      usedE.add(i);
      usedG.add(j);
    }
  });
  // kept whole: one ingested item for several consecutive expected ones
  got.forEach((g, k) => {
    if (usedG.has(k)) return;
    for (let i = 0; i < e.length; i++)
      for (let n = e.length - i; n >= 2; n--) {
        const run = e.slice(i, i + n);
        if (run.some((_, d) => usedE.has(i + d))) continue;
        if (!(g.isGroup || /^cac\b/.test(fold(run[0]!)))) continue;
        if (joins(run).includes(fold(g.text))) {
          run.forEach((_, d) => usedE.add(i + d));
          usedG.add(k);
          return;
        }
      }
  });
  // split into collective parts: several consecutive ingested items for one expected
  e.forEach((x, i) => {
    if (usedE.has(i)) return;
    for (let k = 0; k < got.length; k++)
      for (let n = got.length - k; n >= 2; n--) {
        const run = got.slice(k, k + n);
        if (run.some((_, d) => usedG.has(k + d)) || !run.every((g) => agencyPiece(g.text))) continue;
        if (joins(run.map((g) => g.text)).some((j) => expectedForms(x).includes(j))) {
          run.forEach((_, d) => usedG.add(k + d));
          usedE.add(i);
          return;
        }
      }
  });
  // names inside an expected parenthesis
  const inParens = e.flatMap((x) => [...x.matchAll(/\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(/[,;]/).map(fold)));
  got.forEach((g, k) => {
    if (!usedG.has(k) && inParens.includes(fold(g.text))) usedG.add(k);
  });
  return usedE.size === e.length && usedG.size === got.length;
}

// ---------------------------------------------------------------- deadlines, targets, schedules

const tokens = (s: string | null | undefined) => norm(s).match(/[\p{L}\p{N}]+|[/\-–]/gu) ?? [];
const digits = (s: string | null | undefined) => norm(s).match(/\d+/g) ?? [];
function containsRun(long: string[], short: string[]): boolean {
  for (let i = 0; i + short.length <= long.length; i++) if (short.every((t, d) => long[i + d] === t)) return true;
  return false;
}
/** "hoàn thành trong Quý II năm 2026" and "Quý II năm 2026" hold the same deadline; "2025" and "2025 - 2026" do not. */
export function sameDeadlineRaw(expected: string | null, got: string | null | undefined): boolean {
  const e = tokens(expected);
  const g = tokens(got);
  if (!e.length || !g.length) return e.length === g.length;
  const [long, short] = e.length >= g.length ? [e, g] : [g, e];
  return containsRun(long, short) && digits(expected).join(" ") === digits(got).join(" ");
}

function gotTarget(ind: Indicator, year: string): string {
  const own = year === "2026" ? ind.target2026 : year === "2030" ? ind.target2030 : "";
  if (norm(own)) return own;
  const hit = Object.entries(ind.extra ?? {}).find(([k]) => k.includes(year));
  return hit?.[1] ?? "";
}

type Rule = { period: ScheduleRule["period"]; day: number | null; month: number | null };
/** The rules an expected part may be written as (ScheduleRule, src/knowledge/types.ts). */
function partRules(p: ExpPart): Rule[] {
  const by = p.by ? nfc(p.by) : "";
  const dm = /(\d{1,2})\/(\d{1,2})/.exec(by);
  const day = dm ? Number(dm[1]) : /\d{1,2}/.test(by) ? Number(/\d{1,2}/.exec(by)![0]) : null;
  const month = dm ? Number(dm[2]) : null;
  switch (p.period) {
    case "monthly":
      return [{ period: "month", day, month: null }];
    case "quarterly":
      return [{ period: "quarter", day, month: day === null ? null : /cuối quý/i.test(by) ? 3 : month }];
    case "semiannual":
      // a 6-month report due on a date: a half-year rule (month inside the half) or a yearly rule on that date
      return month === null ? [{ period: "half", day, month: null }] : [{ period: "half", day, month: ((month - 1) % 6) + 1 }, { period: "year", day, month }];
    case "annual":
      return [{ period: "year", day, month }];
  }
}
export function sameSchedule(parts: ExpPart[] | undefined, got: ScheduleRule[]): boolean {
  const want = parts ?? [];
  if (want.length !== got.length) return false;
  const used = new Set<number>();
  return want.every((p) => {
    const k = got.findIndex((g, i) => !used.has(i) && partRules(p).some((r) => r.period === g.period && r.day === g.day && r.month === g.month));
    if (k < 0) return false;
    used.add(k);
    return true;
  });
}
const showRules = (rules: ScheduleRule[]) => (rules.length ? rules.map((r) => `${r.period}${r.day !== null ? ` d${r.day}` : ""}${r.month !== null ? ` m${r.month}` : ""}`).join(", ") : "(none)");
const showParts = (parts: ExpPart[] | undefined) => (parts?.length ? parts.map((p) => `${p.period}${p.by ? ` by ${p.by}` : ""}`).join(", ") : "(none)");
const normReportTo = (s: string | null | undefined) => norm(s).replace(/[(),;:]/g, " ").replace(/\s+/g, " ").trim();

// ---------------------------------------------------------------- matching

interface Located {
  source: { line: number; endLine: number; page?: number };
}
function whereOf(w: Where): string {
  return w.line !== undefined ? `line ${w.line}` : `${w.page !== undefined ? `p.${w.page} ` : ""}"${w.text ?? ""}"`;
}

/** How well an ingested record sits where the expected one says (0 = not there). */
function placeScore(w: Where, got: Located, text: string, nameStarts: string | undefined, byContains: boolean): number {
  if (w.line !== undefined) {
    const d = Math.abs(got.source.line - w.line);
    const named = !!nameStarts && noSpace(stripMarker(text)).startsWith(noSpace(nameStarts).slice(0, 12));
    if (d <= 1) return 4 - d + (named ? 0.5 : 0);
    if (w.line >= got.source.line && w.line <= got.source.endLine && named) return 1;
    return 0;
  }
  if (w.page !== undefined && got.source.page !== w.page) return 0;
  const t = noSpace(stripMarker(text));
  const want = noSpace(w.text ?? "");
  if (!want) return 0;
  if (t.startsWith(want)) return 3;
  if (byContains && noSpace(text).includes(want)) return 2;
  return 0;
}

/** One-to-one pairs, best placed first. */
function pair<E extends { where: Where }, G extends Located>(exp: E[], got: G[], text: (g: G) => string, nameStarts: (e: E) => string | undefined, byContains = true): Map<number, number> {
  const cands: { i: number; k: number; s: number }[] = [];
  exp.forEach((e, i) =>
    got.forEach((g, k) => {
      const s = placeScore(e.where, g, text(g), nameStarts(e), byContains);
      if (s > 0) cands.push({ i, k, s });
    }),
  );
  cands.sort((a, b) => b.s - a.s || a.i - b.i || a.k - b.k);
  const out = new Map<number, number>();
  const usedG = new Set<number>();
  for (const c of cands) {
    if (out.has(c.i) || usedG.has(c.k)) continue;
    out.set(c.i, c.k);
    usedG.add(c.k);
  }
  return out;
}

// ---------------------------------------------------------------- scoring

export interface Tally {
  right: number;
  of: number;
}
const tally = (): Tally => ({ right: 0, of: 0 });
function count(t: Tally, ok: boolean): boolean {
  t.of++;
  if (ok) t.right++;
  return ok;
}

export interface Miss {
  file: string;
  kind: string;
  where: string;
  expected: string;
  got: string;
}

export interface PlanScore {
  file: string;
  format: string;
  /** The ingest threw (a crash of ingest() itself, not a file it refused). */
  crashed?: string;
  /** Broken inputs: the ingest warned about the file, and gave it no plan and no record. */
  broken?: { warned: boolean; records: number; message: string };
  facts: Tally;
  tasks: { expected: number; found: number; ingested: number; extra: number; lead: Tally; coordinators: Tally; deadlineRaw: Tally; due: Tally };
  indicators: { expected: number; found: number; ingested: number; targets: Tally; lead: Tally };
  duties: { expected: number; found: number; ingested: number; reportTo: Tally; schedule: Tally; due: Tally };
  misses: Miss[];
}

function emptyScore(file: string, format: string): PlanScore {
  return {
    file,
    format,
    facts: tally(),
    tasks: { expected: 0, found: 0, ingested: 0, extra: 0, lead: tally(), coordinators: tally(), deadlineRaw: tally(), due: tally() },
    indicators: { expected: 0, found: 0, ingested: 0, targets: tally(), lead: tally() },
    duties: { expected: 0, found: 0, ingested: 0, reportTo: tally(), schedule: tally(), due: tally() },
    misses: [],
  };
}

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "(none)" : Array.isArray(v) ? (v.length ? v.map((x) => `"${String(x)}"`).join(" | ") : "(none)") : `"${String(v)}"`);
const showRefs = (refs: AgencyRef[]) => (refs.length ? refs.map((r) => (fold(r.text) === fold(r.canonical) ? `"${r.text}"` : `"${r.text}" (${r.canonical})`)).join(" | ") : "(none)");
const refsOr = (refs: AgencyRef[], raw: string[]): AgencyRef[] => (refs.length || !raw.length ? refs : raw.map((t) => ({ text: t, canonical: t, id: "", isAgency: true, isGroup: /^cac\b/.test(fold(t)) })));

const expand = (s: string) =>
  fold(s)
    .replace(/\bubnd\b/g, "uy ban nhan dan")
    .replace(/\bhdnd\b/g, "hoi dong nhan dan")
    .replace(/\btp\b\.?/g, "thanh pho")
    .replace(/\s+/g, " ")
    .trim();
const normNumber = (s: string | null | undefined) => fold(s).replace(/^so\s*:?\s*/, "").replace(/\s+/g, "");
/** The project names the ward/commune level "commune" (Plan.level); the corpus says "ward". */
const LEVELS: Record<string, string> = { ward: "commune", commune: "commune", province: "province", national: "national" };

function scorePlan(file: string, exp: Expectation, kb: KnowledgeBase, s: PlanScore): void {
  const miss = (kind: string, where: string, expected: unknown, got: string) => s.misses.push({ file, kind, where, expected: typeof expected === "string" && expected.startsWith("(") ? expected : show(expected), got });
  const plan = kb.plans.find((p) => p.file === file);
  const tasks = kb.tasks.filter((t) => t.source.file === file);
  const indicators = kb.indicators.filter((t) => t.source.file === file);
  const duties = kb.duties.filter((t) => t.source.file === file);
  s.tasks.ingested = tasks.length;
  s.indicators.ingested = indicators.length;
  s.duties.ingested = duties.length;

  if (exp.expect === "warning" || !exp.plan) {
    const w = kb.warnings.filter((x) => x.file === file);
    s.broken = { warned: w.length > 0, records: tasks.length + indicators.length + duties.length + (plan ? 1 : 0), message: w.map((x) => x.message).join(" / ") };
    if (!s.broken.warned) miss("broken: no warning", "file", "a warning", "(none)");
    if (s.broken.records) miss("broken: records", "file", "no plan, no record", `${plan ? "a plan, " : ""}${tasks.length} tasks, ${indicators.length} indicators, ${duties.length} duties`);
    return;
  }

  // plan facts
  const e = exp.plan;
  const header = e.issuer_header.split("/").pop() ?? "";
  if (!count(s.facts, !!plan && [expand(e.issuer), expand(header)].includes(expand(plan.issuer)))) miss("plan: issuer", "plan", e.issuer, show(plan?.issuer));
  if (!count(s.facts, !!plan && normNumber(plan.number) === normNumber(e.number))) miss("plan: number", "plan", e.number, show(plan?.number));
  if (!count(s.facts, !!plan && plan.date === e.date)) miss("plan: date", "plan", e.date, show(plan?.date));
  if (!count(s.facts, !!plan && LEVELS[e.level] === plan.level)) miss("plan: level", "plan", e.level, show(plan?.level));

  // tasks
  const pt = pair(exp.tasks, tasks, (t) => t.name, (x) => x.name_starts);
  const alsoTasks = exp.duties.filter((d) => d.also_task_ok);
  const matchedTasks = new Set(pt.values());
  // Tasks an also_task_ok duty may be counted as, and the second task of a row the expectation allows to split.
  const leftover = tasks.map((t, k) => ({ t, k })).filter((x) => !matchedTasks.has(x.k));
  const asDuty = pair(alsoTasks, leftover.map((x) => x.t), (t) => t.name, () => undefined);
  const dutyAsTask = new Map<ExpDuty, Task>();
  for (const [i, j] of asDuty) {
    matchedTasks.add(leftover[j]!.k);
    dutyAsTask.set(alsoTasks[i]!, leftover[j]!.t);
  }
  exp.tasks.forEach((x, i) => {
    if (!x.alternative || !pt.has(i)) return;
    const at = tasks[pt.get(i)!]!.source.line;
    tasks.forEach((t, k) => {
      if (!matchedTasks.has(k) && Math.abs(t.source.line - at) <= 2) matchedTasks.add(k);
    });
  });
  s.tasks.extra = tasks.length - matchedTasks.size;
  tasks.forEach((t, k) => {
    if (!matchedTasks.has(k)) miss("task: extra", t.source.page ? `p.${t.source.page} line ${t.source.line}` : `line ${t.source.line}`, "(no task here)", `"${t.ordinal ? `${t.ordinal}. ` : ""}${t.name.slice(0, 90)}"`);
  });
  exp.tasks.forEach((x, i) => {
    if (x.required === false) return;
    s.tasks.expected++;
    const at = `${whereOf(x.where)} [${x.ordinal ?? "-"}]`;
    const k = pt.get(i);
    if (k === undefined) {
      miss("task: not found", at, x.name_starts, "(none)");
      return;
    }
    s.tasks.found++;
    const t = tasks[k]!;
    const lead = refsOr(t.leadAgencies, t.lead);
    const coord = refsOr(t.coordinatorAgencies, t.coordinators);
    const alt = (want: string[], got: AgencyRef[]) => !!x.alternative && got.length > 0 && got.every((g) => want.some((w) => sameAgency(w, g) || expectedForms(w).some((f) => fold(g.text).includes(f) || f.includes(fold(g.text)))));
    if (!count(s.tasks.lead, sameAgencies(x.lead, lead) || alt(x.lead, lead))) miss("task: lead", at, x.lead, showRefs(lead));
    if (!count(s.tasks.coordinators, sameAgencies(x.coordinators, coord) || alt(x.coordinators, coord))) miss("task: coordinators", at, x.coordinators, showRefs(coord));
    const raw = t.deadline?.raw ?? "";
    const due = t.deadline?.due ?? null;
    const loose = !!x.deadline_optional && (!norm(raw) || x.deadline_raw === null);
    if (!count(s.tasks.deadlineRaw, loose || sameDeadlineRaw(x.deadline_raw, raw))) miss("task: deadline raw", at, x.deadline_raw, show(raw));
    if (!count(s.tasks.due, (!!x.deadline_optional && (due === null || x.due === null)) || due === x.due)) miss("task: due", at, x.due, `${show(due)} (raw ${show(raw)}, ${t.deadline?.kind ?? "-"})`);
  });

  // indicators
  const pi = pair(exp.indicators, indicators, (t) => t.name, (x) => x.name_starts);
  exp.indicators.forEach((x, i) => {
    if (x.required === false) return;
    s.indicators.expected++;
    const at = `${whereOf(x.where)} [${x.ordinal ?? "-"}]`;
    const k = pi.get(i);
    if (k === undefined) {
      miss("indicator: not found", at, x.name_starts, "(none)");
      return;
    }
    s.indicators.found++;
    const ind = indicators[k]!;
    const wrong = Object.entries(x.targets).filter(([y, v]) => noSpace(v) !== noSpace(gotTarget(ind, y)));
    if (!count(s.indicators.targets, wrong.length === 0)) miss("indicator: targets", at, wrong.map(([y, v]) => `${y}: ${v}`).join("; "), wrong.map(([y]) => `${y}: ${show(gotTarget(ind, y))}`).join("; "));
    const lead = refsOr(ind.leadAgencies, ind.lead);
    if (!count(s.indicators.lead, sameAgencies(x.lead, lead))) miss("indicator: lead", at, x.lead, showRefs(lead));
  });
  indicators.forEach((ind, k) => {
    if (![...pi.values()].includes(k)) miss("indicator: extra", `line ${ind.source.line}`, "(no indicator here)", `"${ind.name.slice(0, 90)}"`);
  });

  // duties
  const pd = pair(exp.duties, duties, (d) => d.action, () => undefined);
  exp.duties.forEach((x, i) => {
    if (x.required === false) return;
    s.duties.expected++;
    const at = `${whereOf(x.where)} (${x.kind})`;
    const k = pd.get(i);
    if (k === undefined) {
      if (dutyAsTask.has(x)) {
        s.duties.found++; // counted as a task, which the expectation allows; its duty fields are not scored
        return;
      }
      miss("duty: not found", at, x.agency, "(none)");
      return;
    }
    s.duties.found++;
    const d: Duty = duties[k]!;
    if (!count(s.duties.reportTo, normReportTo(x.reportTo) === normReportTo(d.reportTo))) miss("duty: reportTo", at, x.reportTo, show(d.reportTo));
    if (!count(s.duties.schedule, sameSchedule(x.parts, d.schedule))) miss("duty: schedule", at, `(${showParts(x.parts)}) ← "${x.schedule ?? ""}"`, showRules(d.schedule));
    const due = d.deadline?.due ?? null;
    if (!count(s.duties.due, due === x.due)) miss("duty: due", at, x.due, `${show(due)} (raw ${show(d.deadline?.raw)})`);
  });
}

export interface HeldoutScore {
  plans: PlanScore[];
  ms: number;
}

/** Ingest every held-out plan (each alone) and score it against its expectation. */
export async function scoreHeldout(): Promise<HeldoutScore> {
  const started = performance.now();
  const inputs = [...readdirSync(PLANS_DIR).sort().map((f) => ({ file: f, path: join(PLANS_DIR, f) })), ...REAL_PLANS.map((f) => ({ file: f, path: join(KNOWLEDGE_DIR, f) }))];
  const root = mkdtempSync(join(tmpdir(), "heldout-"));
  const plans: PlanScore[] = [];
  try {
    for (const { file, path } of inputs) {
      const expPath = join(EXPECTED_DIR, `${file.replace(/\.[^.]+$/, "")}.expected.json`);
      if (!existsSync(expPath)) throw new Error(`${file}: no expectation ${basename(expPath)}`);
      const exp = JSON.parse(readFileSync(expPath, "utf8")) as Expectation;
      const s = emptyScore(file, exp.format);
      const knowledgeDir = join(root, file, "knowledge");
      mkdirSync(knowledgeDir, { recursive: true });
      cpSync(join(KNOWLEDGE_DIR, "agencies.json"), join(knowledgeDir, "agencies.json"));
      cpSync(path, join(knowledgeDir, file));
      let kb: KnowledgeBase;
      try {
        kb = (await ingest({ knowledgeDir, dataDir: join(root, file, "data") })).kb;
      } catch (err) {
        s.crashed = (err as Error).stack ?? String(err);
        s.misses.push({ file, kind: "ingest crashed", where: "file", expected: "no crash", got: (err as Error).message });
        plans.push(s);
        continue;
      }
      scorePlan(file, exp, kb, s);
      plans.push(s);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { plans, ms: performance.now() - started };
}

// ---------------------------------------------------------------- totals and printing

export interface Totals {
  plans: number;
  facts: Tally;
  tasksExpected: number;
  tasksFound: number;
  tasksExtra: number;
  lead: Tally;
  coordinators: Tally;
  deadlineRaw: Tally;
  due: Tally;
  indicatorsExpected: number;
  indicatorsFound: number;
  targets: Tally;
  indicatorLead: Tally;
  dutiesExpected: number;
  dutiesFound: number;
  reportTo: Tally;
  schedule: Tally;
  dutyDue: Tally;
}
const add = (a: Tally, b: Tally) => {
  a.right += b.right;
  a.of += b.of;
};
export function totals(plans: PlanScore[]): Totals {
  const t: Totals = {
    plans: 0,
    facts: tally(),
    tasksExpected: 0,
    tasksFound: 0,
    tasksExtra: 0,
    lead: tally(),
    coordinators: tally(),
    deadlineRaw: tally(),
    due: tally(),
    indicatorsExpected: 0,
    indicatorsFound: 0,
    targets: tally(),
    indicatorLead: tally(),
    dutiesExpected: 0,
    dutiesFound: 0,
    reportTo: tally(),
    schedule: tally(),
    dutyDue: tally(),
  };
  for (const p of plans) {
    if (p.broken) continue;
    t.plans++;
    add(t.facts, p.facts);
    t.tasksExpected += p.tasks.expected;
    t.tasksFound += p.tasks.found;
    t.tasksExtra += p.tasks.extra;
    add(t.lead, p.tasks.lead);
    add(t.coordinators, p.tasks.coordinators);
    add(t.deadlineRaw, p.tasks.deadlineRaw);
    add(t.due, p.tasks.due);
    t.indicatorsExpected += p.indicators.expected;
    t.indicatorsFound += p.indicators.found;
    add(t.targets, p.indicators.targets);
    add(t.indicatorLead, p.indicators.lead);
    t.dutiesExpected += p.duties.expected;
    t.dutiesFound += p.duties.found;
    add(t.reportTo, p.duties.reportTo);
    add(t.schedule, p.duties.schedule);
    add(t.dutyDue, p.duties.due);
  }
  return t;
}

/** Percentages of the totals (0–100, one decimal); the figures the regression floor is set on. */
export function percentages(t: Totals): Record<string, number> {
  const pc = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 100);
  return {
    facts: pc(t.facts.right, t.facts.of),
    taskRecall: pc(t.tasksFound, t.tasksExpected),
    taskPrecision: pc(t.tasksFound, t.tasksFound + t.tasksExtra),
    lead: pc(t.lead.right, t.lead.of),
    coordinators: pc(t.coordinators.right, t.coordinators.of),
    deadlineRaw: pc(t.deadlineRaw.right, t.deadlineRaw.of),
    due: pc(t.due.right, t.due.of),
    indicatorRecall: pc(t.indicatorsFound, t.indicatorsExpected),
    targets: pc(t.targets.right, t.targets.of),
    indicatorLead: pc(t.indicatorLead.right, t.indicatorLead.of),
    dutyRecall: pc(t.dutiesFound, t.dutiesExpected),
    reportTo: pc(t.reportTo.right, t.reportTo.of),
    schedule: pc(t.schedule.right, t.schedule.of),
    dutyDue: pc(t.dutyDue.right, t.dutyDue.of),
  };
}

const fr = (t: Tally) => (t.of ? `${t.right}/${t.of}` : "-");
const HEAD = ["plan", "facts", "tasks", "extra", "lead", "coord", "dl raw", "due", "ind", "targets", "ind lead", "duties", "reportTo", "sched", "d due"];
function row(name: string, t: Totals): string[] {
  return [
    name,
    fr(t.facts),
    `${t.tasksFound}/${t.tasksExpected}`,
    String(t.tasksExtra),
    fr(t.lead),
    fr(t.coordinators),
    fr(t.deadlineRaw),
    fr(t.due),
    t.indicatorsExpected ? `${t.indicatorsFound}/${t.indicatorsExpected}` : "-",
    fr(t.targets),
    fr(t.indicatorLead),
    `${t.dutiesFound}/${t.dutiesExpected}`,
    fr(t.reportTo),
    fr(t.schedule),
    fr(t.dutyDue),
  ];
}

export function report(score: HeldoutScore, verbose: boolean): string {
  const lines: string[] = [];
  const rows = [HEAD];
  const ok = score.plans.filter((p) => !p.broken && !p.crashed);
  for (const p of score.plans) {
    if (p.broken) continue;
    rows.push(p.crashed ? [p.file, "CRASHED"] : row(p.file.replace(/\.[^.]+$/, ""), totals([p])));
  }
  const real = (p: PlanScore) => REAL_PLANS.includes(p.file);
  rows.push(row("TOTAL new 8", totals(ok.filter((p) => !real(p)))));
  rows.push(row("TOTAL real 2", totals(ok.filter(real))));
  rows.push(row("TOTAL all 10", totals(ok)));
  const widths = HEAD.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  for (const [n, r] of rows.entries()) {
    lines.push(r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  "));
    if (n === 0 || n === rows.length - 4) lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  }
  const pcLine = (name: string, ps: PlanScore[]) => `${name}, %: ${Object.entries(percentages(totals(ps))).map(([k, v]) => `${k} ${v}`).join(", ")}`;
  lines.push("", pcLine("new 8", ok.filter((p) => !real(p))), pcLine("all 10", ok));
  lines.push("", "broken inputs:");
  for (const p of score.plans.filter((x) => x.broken))
    lines.push(`  ${p.file}: ${p.broken!.warned && !p.broken!.records ? "OK" : "WRONG"} — ${p.broken!.warned ? `warned: ${p.broken!.message}` : "no warning"}; ${p.broken!.records} records`);
  const crashed = score.plans.filter((p) => p.crashed);
  if (crashed.length) lines.push("", "CRASHES:", ...crashed.map((p) => `  ${p.file}: ${p.crashed}`));
  const kinds = new Map<string, number>();
  for (const p of score.plans) for (const m of p.misses) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
  lines.push("", "misses by kind:", ...[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`));
  if (verbose) {
    for (const p of score.plans) {
      if (!p.misses.length) continue;
      lines.push("", `== ${p.file}`);
      for (const m of p.misses) lines.push(`  ${m.kind} @ ${m.where}`, `      expected: ${m.expected}`, `      got:      ${m.got}`);
    }
  }
  lines.push("", `(${(score.ms / 1000).toFixed(1)} s)`);
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const score = await scoreHeldout();
  console.log(report(score, process.argv.includes("--verbose")));
}
