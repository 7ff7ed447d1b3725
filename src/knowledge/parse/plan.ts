// One plan file → all its records. Every layout goes through the same steps;
// each step picks out only what it recognises, so a new plan in any of these
// layouts (or a mix) is read without a parser of its own.
import { fold, squash } from "../../text/vietnamese.js";
import type { AgencyDictionary } from "../agencies.js";
import { cleanMarkup } from "../markup.js";
import type { IngestWarning, ParsedPlan, Plan } from "../types.js";
import type { PlanDocument } from "../document.js";
import { planLines, readText } from "../read/text.js";
import { labelledTasks, startsWithLabel } from "./labelled.js";
import { narrativeRecords } from "./narrative.js";
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


function titleOf(lines: string[]): string {
  const start = lines.findIndex((l) => /^k[eế] ho[aạ]ch$/i.test(squash(cleanMarkup(l.replace(/^#+\s*/, "")))));
  if (start < 0) return "";
  const parts: string[] = [];
  for (const l of lines.slice(start + 1)) {
    const t = squash(cleanMarkup(l.replace(/^#+\s*/, "")));
    if (!t) continue;
    if (/^[-–_]{3,}$/.test(t) || /^căn cứ/i.test(t) || (parts.length > 0 && /^thực hiện/i.test(t)) || parts.length >= 4) break;
    parts.push(t);
  }
  return squash(`Kế hoạch ${parts.join(" ")}`);
}

function numberAndDate(lines: string[]): { number: string | null; date: string | null } {
  const head = lines.slice(0, 40).map((l) => cleanMarkup(l)).join("\n");
  const num = /Số:?\s*(\d+[-/][A-ZĐa-z/-]+)/.exec(head);
  const dateWords = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/.exec(head);
  const annex = /Kèm theo Kế hoạch số[^\n]*?ngày\s*(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/.exec(lines.map((l) => cleanMarkup(l)).join("\n"));
  const d = dateWords ?? annex;
  const date = d ? `${d[3]}-${d[2]!.padStart(2, "0")}-${d[1]!.padStart(2, "0")}` : null;
  return { number: num ? num[1]! : null, date };
}

/** Plan id from the file name; code from metadata or the file name's initials. */
export function planOf(file: string, lines: string[], meta: PlanMeta | undefined, usedCodes: Set<string>): Plan {
  const id = file.replace(/\.[^.]+$/, "");
  let code = meta?.code ?? id.split(/[-_\s]+/).filter((w) => /^[a-z]/i.test(w)).map((w) => w[0]!.toUpperCase()).join("").slice(0, 4) ?? "KH";
  if (!code) code = "KH";
  if (!meta?.code) for (let n = 2; usedCodes.has(code); n++) code = `${code.replace(/\d+$/, "")}${n}`;
  usedCodes.add(code);
  const title = titleOf(lines);
  const { number, date } = numberAndDate(lines);
  return {
    id,
    code,
    shortName: meta?.shortName ?? (squash(title).slice(0, 60) || id),
    title,
    issuer: meta?.issuer ?? "",
    locality: meta?.locality ?? "",
    number,
    date,
    file,
    aliases: (meta?.aliases ?? []).map((a) => fold(a)),
  };
}

export function parsePlan(file: string, text: string, meta: PlanMeta | undefined, dict: AgencyDictionary, usedCodes: Set<string>): ParsedPlan {
  const lines = planLines(text);
  const doc = readText(file, text, /\.md$/i.test(file) ? "md" : "txt");
  return parseDocument(doc, lines, meta, dict, usedCodes);
}

export function parseDocument(doc: PlanDocument, lines: string[], meta: PlanMeta | undefined, dict: AgencyDictionary, usedCodes: Set<string>): ParsedPlan {
  const file = doc.file;
  const warnings: IngestWarning[] = [];
  const warn = (line: number, message: string) => warnings.push({ file, line, message });
  const plan = planOf(file, lines, meta, usedCodes);
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

  const tasks = [...tableTasks, ...labelled, ...narrative];
  if (tasks.length + indicators.length + duties.length === 0) {
    warn(1, "no task, indicator or duty recognised in this file; only its text is searchable");
  }
  return { plan, tasks, indicators, duties, passages, warnings };
}
