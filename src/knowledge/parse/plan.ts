// One plan file → all its records. Every layout goes through the same steps;
// each step picks out only what it recognises, so a new plan in any of these
// layouts (or a mix) is read without a parser of its own.
import { fold, squash } from "../../text/vietnamese.js";
import type { AgencyDictionary } from "../agencies.js";
import type { IngestWarning, ParsedPlan, Plan } from "../types.js";
import type { PlanDocument } from "../document.js";
import { derivedAliases, localityOf, planFacts, type PlanFacts } from "../facts.js";
import { readText } from "../read/text.js";
import { MemoryKnowledgeState, planKey, type KnowledgeState } from "../state.js";
import { labelledTasks, startsWithLabel } from "./labelled.js";
import { narrativeRecords } from "./narrative.js";
import { placeOf, planOutline } from "./outline.js";
import { toParagraphs } from "./paragraphs.js";
import { IdAllocator, tableRecords } from "./table-records.js";
import { parseTables } from "./tables.js";

export interface PlanMeta {
  code?: string;
  shortName?: string;
  issuer?: string;
  locality?: string;
  aliases?: string[];
}


const CODE_OK = /^[A-Z]{2,5}$/;

/** Letters only, so a code never runs into the numbers after it ("CLTU-21" and "CLTU2-1" cannot both exist). */
function initials(s: string): string {
  return fold(s)
    .split(/[^a-z0-9]+/)
    .filter((w) => /^[a-z]/.test(w) && !/^(?:va|cua|cac|ve|o)$/.test(w))
    .map((w) => w[0]!.toUpperCase())
    .join("");
}

/** A new plan's code: its place's initials (Hồ Chí Minh → HCM), else its issuer's (Đảng đoàn Quốc hội → DDQH), else its file name's. */
export function deriveCode(facts: PlanFacts, file: string, used: ReadonlySet<string>): string {
  const fromFile = initials(file.replace(/\.[^.]+$/, "")).slice(0, 4);
  const place = facts.locality ? initials(facts.locality.replace(/^(?:phường|xã|huyện|quận|thị xã|đặc khu)\s+/i, "")) : "";
  const issuer = initials(facts.issuer);
  const base = ((place.length >= 2 ? place : issuer.length >= 2 ? issuer : fromFile) || "KH").slice(0, 5);
  // The kind of issuer tells two plans of one place apart: Tỉnh ủy TU, Đảng ủy DU, Thanh tra TT, Sở X S…
  const f = fold(facts.issuer);
  const kind = /\b(?:tinh uy|thanh uy)\b/.test(f) ? "TU" : /\bdang uy\b/.test(f) ? "DU" : /^thanh tra\b/.test(f) ? "TT" : /^so\s/.test(f) ? `S${initials(facts.issuer.replace(/^Sở\s+/i, "").replace(/\s+(?:tỉnh|thành phố)\b.*$/i, "")).slice(0, 2)}` : /^hoi dong nhan dan|^hdnd/.test(f) ? "HD" : "";
  const tries = [base, kind && `${kind}${base}`.slice(0, 5), kind && `${base}${kind}`.slice(0, 5), fromFile];
  for (const t of tries) if (t && CODE_OK.test(t) && !used.has(t)) return t;
  for (let c = 66; c <= 90; c++) {
    const t = `${base.slice(0, 4)}${String.fromCharCode(c)}`;
    if (!used.has(t)) return t;
  }
  return `${base.slice(0, 4)}X`;
}

/** Plan id from the file name; facts from the document, overridden by plans.json; code from plans.json, the registry, or derived once. */
export function planOf(file: string, facts: PlanFacts, meta: PlanMeta | undefined, state: KnowledgeState): Plan {
  const id = file.replace(/\.[^.]+$/, "");
  const issuer = meta?.issuer ?? facts.issuer;
  const key = planKey({ issuer: facts.issuer || issuer, number: facts.number }, file);
  let code = meta?.code ?? state.planCode(key);
  if (!code) {
    code = deriveCode(facts, file, state.usedPlanCodes());
  }
  state.assignPlanCode(key, code);
  const loc = meta?.locality ?? facts.locality;
  const shortName =
    meta?.shortName ??
    (squash([facts.number ? `KH ${facts.number}` : "", issuer].filter(Boolean).join(" — ")) || squash(facts.title).slice(0, 60) || id);
  const plan: Plan = {
    id,
    code,
    shortName,
    title: facts.title,
    issuer,
    locality: loc,
    number: facts.number,
    date: facts.date,
    file,
    aliases: (meta?.aliases ?? derivedAliases({ ...facts, issuer, locality: loc })).map((a) => fold(a)),
    key,
  };
  const level = facts.level ?? localityOf(issuer).level ?? (!loc ? null : /^(?:phường|xã|đặc khu|huyện|quận|thị xã)\s/i.test(loc) ? "commune" : "province");
  if (level) plan.level = level;
  return plan;
}

export function parsePlan(file: string, text: string, meta: PlanMeta | undefined, dict: AgencyDictionary, state: KnowledgeState = new MemoryKnowledgeState()): ParsedPlan {
  return parseDocument(readText(file, text, /\.md$/i.test(file) ? "md" : "txt"), meta, dict, state);
}

export function parseDocument(doc: PlanDocument, meta: PlanMeta | undefined, dict: AgencyDictionary, state: KnowledgeState): ParsedPlan {
  const file = doc.file;
  const warnings: IngestWarning[] = doc.warnings.map((w) => ({ file, line: w.line, message: w.page !== undefined ? `page ${w.page}: ${w.message}` : w.message }));
  const warn = (line: number, message: string) => warnings.push({ file, line, message });
  const facts = planFacts(doc.blocks);
  // An issuer the agency list knows is written as the list writes it ("Bộ Khoa học và Công nghệ").
  facts.issuer = dict.matchWhole(facts.issuer, "")?.canonical ?? facts.issuer;
  const plan = planOf(file, facts, meta, state);
  const ids = new IdAllocator();

  const tables = parseTables(doc.blocks, warn);
  const { tasks: tableTasks, indicators } = tableRecords(tables, plan, dict, ids, warn);
  // Labelled tasks read paragraphs whose labels each start their own; the running text
  // is what is left, paragraphs cut where a labelled task was.
  const fine = toParagraphs(doc.blocks, { startsOwnParagraph: startsWithLabel, numberedHeadingsClose: true });
  const { tasks: labelled, used } = labelledTasks(fine, plan, dict, ids, warn);
  const usedBlocks = new Set<number>();
  for (const i of used) for (let b = fine[i]!.block; b <= fine[i]!.lastBlock; b++) usedBlocks.add(b);
  const { tasks: narrative, duties, passages } = narrativeRecords(toParagraphs(doc.blocks, {}, usedBlocks), plan, dict, ids);
  const outline = planOutline({ doc, plan: plan.id, tables, taskBlocks: usedBlocks });
  // A passage sits where the outline says: its path is the headings around it, its section the innermost.
  const sectionLines = new Set(tables.flatMap((t) => t.items.flatMap((i) => (i.type === "section" ? [i.section.line] : []))));
  const tableRows = new Set(outline.headings.flatMap((h, i) => (sectionLines.has(h.source.line) ? [i] : [])));
  for (const p of passages) {
    const { heading, path } = placeOf(outline, p.source.line, tableRows);
    p.path = path;
    if (heading) p.section = { number: heading.number, title: heading.title };
  }

  const tasks = [...tableTasks, ...labelled, ...narrative];
  const layouts = new Set<string>();
  const tableLayout = (kind: string) => {
    const l = [...new Set(doc.blocks.flatMap((b) => (b.type === "table" && b.layout ? [b.layout] : [])))];
    return `${kind} table${l.length ? ` (${l.join(", ")})` : doc.format === "docx" ? " (Word)" : doc.format === "html" ? " (HTML)" : doc.format === "pdf" ? " (PDF)" : ""}`;
  };
  if (tableTasks.length) layouts.add(tableLayout("task"));
  if (indicators.length) layouts.add(tableLayout("indicator"));
  if (tableTasks.some((t) => t.flags.includes("sub-row"))) layouts.add("rows without TT as sub-tasks");
  if (labelled.length) layouts.add("labelled paragraphs");
  if (narrative.some((t) => t.parent)) layouts.add("headings naming an agency over bullets");
  if (narrative.some((t) => !t.parent)) layouts.add("assignment sentences");
  if (duties.length) layouts.add("duties in running text");
  if (tasks.length + indicators.length + duties.length === 0) {
    warn(1, "no task, indicator or duty recognised in this file; only its text is searchable");
  }
  return { plan, format: doc.format, layouts: [...layouts], tasks, indicators, duties, passages, outline, warnings };
}
