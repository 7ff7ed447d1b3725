// Table rows → Task and Indicator records.
import { squash } from "../../text/vietnamese.js";
import { splitAgencies, type AgencyDictionary } from "../agencies.js";
import { parseDeadline } from "../deadline.js";
import { cleanMarkup, joinCellLines } from "../markup.js";
import type { Indicator, Plan, Section, Task } from "../types.js";
import type { ParsedTable, TableRow } from "./tables.js";

const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };

/** "VII" → "7"; a letter or number stays as it is. */
export function sectionKey(number: string): string {
  if (!/^[IVXL]+$/.test(number)) return number;
  let total = 0;
  for (let i = 0; i < number.length; i++) {
    const v = ROMAN_VALUES[number[i]!]!;
    const next = ROMAN_VALUES[number[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return String(total);
}

/** Gives each id once: a repeat gets "b", "c", … so section + TT may repeat without merging records. */
export class IdAllocator {
  private readonly used = new Set<string>();
  take(base: string): { id: string; repeated: boolean } {
    if (!this.used.has(base.toUpperCase())) {
      this.used.add(base.toUpperCase());
      return { id: base, repeated: false };
    }
    for (let c = 98; ; c++) {
      const id = `${base}${String.fromCharCode(c)}`;
      if (!this.used.has(id.toUpperCase())) {
        this.used.add(id.toUpperCase());
        return { id, repeated: true };
      }
    }
  }
}

const text = (raw: string | undefined) => squash(cleanMarkup(joinCellLines(raw ?? "")));

export interface TaskFields {
  /** Columns beyond the known ones, by header; "Kết quả" and "Nguồn kinh phí" too. */
  result?: string;
  funding?: string;
  extra?: Record<string, string>;
  page?: number;
  pageLine?: number;
  parent?: string;
  plan: Plan;
  section: Section;
  ordinal: string;
  name: string;
  leadCell: string;
  coordinatorsCell: string;
  deadlineText: string;
  basis: string;
  file: string;
  line: number;
  endLine: number;
}

/** Build a Task from its fields; flags say what a reader should know (no lead, non-agency lead, …). */
export function makeTask(f: TaskFields, id: string, dict: AgencyDictionary, extraFlags: string[] = []): Task {
  const leadAgencies = splitAgencies(f.leadCell, dict, f.plan.id);
  const coordinatorAgencies = splitAgencies(f.coordinatorsCell, dict, f.plan.id);
  const flags = [...extraFlags];
  if (leadAgencies.length === 0) flags.push("no-lead");
  if (leadAgencies.some((a) => !a.isAgency)) flags.push("lead-not-agency");
  const task: Task = {
    kind: "task",
    id,
    plan: f.plan.id,
    section: f.section,
    ordinal: f.ordinal,
    name: f.name,
    lead: leadAgencies.map((a) => a.text),
    coordinators: coordinatorAgencies.map((a) => a.text),
    leadAgencies,
    coordinatorAgencies,
    leadRaw: text(f.leadCell),
    coordinatorsRaw: text(f.coordinatorsCell),
    deadline: parseDeadline(text(f.deadlineText)),
    basis: f.basis,
    source: { file: f.file, line: f.line, endLine: f.endLine },
    flags,
  };
  if (f.page !== undefined) task.source.page = f.page;
  if (f.pageLine !== undefined) task.source.pageLine = f.pageLine;
  if (f.parent) task.parent = f.parent;
  if (f.result) task.result = f.result;
  if (f.funding) task.funding = f.funding;
  if (f.extra && Object.keys(f.extra).length) task.extra = f.extra;
  return task;
}

export function tableRecords(
  tables: ParsedTable[],
  plan: Plan,
  dict: AgencyDictionary,
  ids: IdAllocator,
  warn: (line: number, message: string) => void,
): { tasks: Task[]; indicators: Indicator[] } {
  const tasks: Task[] = [];
  const indicators: Indicator[] = [];
  for (const table of tables) {
    let section: Section = { number: "", title: "" };
    for (const item of table.items) {
      if (item.type === "section") {
        section = { number: item.section.number, title: item.section.title };
        continue;
      }
      const row: TableRow = item.row;
      // "5." and "5)" are TT 5: no trailing dot in ids.
      const ordinal = text(row.cells.tt).replace(/[.)]+$/, "");
      if (table.kind === "tasks") {
        const base = `${plan.code}-${section.number ? sectionKey(section.number) + "." : ""}${ordinal}`;
        const { id, repeated } = ids.take(base);
        const extra = Object.fromEntries(Object.entries(row.extra).map(([k, v]) => [k, text(v)]));
        const task = makeTask(
          {
            plan,
            section,
            ordinal,
            name: text(row.cells.name),
            leadCell: row.cells.lead ?? "",
            coordinatorsCell: row.cells.coordinators ?? "",
            deadlineText: row.cells.deadline ?? "",
            basis: text(row.cells.note),
            file: plan.file,
            line: row.line,
            endLine: row.endLine,
            result: text(row.cells.result),
            funding: text(row.cells.funding),
            extra,
            ...(row.page !== undefined ? { page: row.page } : {}),
            ...(row.pageLine !== undefined ? { pageLine: row.pageLine } : {}),
            ...(row.parent ? { parent: text(row.parent.cells.name) } : {}),
          },
          id,
          dict,
          row.parent ? ["sub-row"] : repeated ? ["repeated-ordinal"] : [],
        );
        if (task.flags.includes("no-lead")) warn(row.line, `task ${id} has no lead agency`);
        if (task.flags.includes("lead-not-agency")) warn(row.line, `task ${id}: lead "${task.leadRaw}" is not an agency; kept as written`);
        if (task.deadline.kind === "unknown") warn(row.line, `task ${id}: deadline "${task.deadline.raw}" not understood`);
        tasks.push(task);
      } else {
        const { id } = ids.take(`${plan.code}-CT-${section.number}${ordinal}`);
        if (!ordinal) warn(row.line, `indicator ${id} has no TT`);
        const leadAgencies = splitAgencies(row.cells.lead ?? "", dict, plan.id);
        indicators.push({
          kind: "indicator",
          id,
          plan: plan.id,
          group: section,
          ordinal,
          name: text(row.cells.name),
          unit: text(row.cells.unit),
          lead: leadAgencies.map((a) => a.text),
          leadAgencies,
          target2026: text(row.cells.target2026),
          target2030: text(row.cells.target2030),
          note: text(row.cells.note),
          source: { file: plan.file, line: row.line, endLine: row.endLine, ...(row.page !== undefined ? { page: row.page } : {}), ...(row.pageLine !== undefined ? { pageLine: row.pageLine } : {}) },
          ...(Object.keys(row.extra).length ? { extra: Object.fromEntries(Object.entries(row.extra).map(([k, v]) => [k, text(v)])) } : {}),
        });
      }
    }
  }
  return { tasks, indicators };
}
