// Records → search units. Each task, indicator, duty and passage is one unit
// carrying its context (plan short name, section title), so a row is always
// found whole — never a chunk that a page break cut in two.
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import type { Duty, Indicator, KnowledgeRecord, Passage, Plan, Task } from "../knowledge/types.js";
import { analyze, syllables } from "./analyzer.js";

export type UnitKind = KnowledgeRecord["kind"];

export interface Unit {
  idx: number;
  kind: UnitKind;
  id: string;
  plan: string;
  record: KnowledgeRecord;
  /** The record's own words (task name, indicator name, duty action, passage text). */
  name: string;
  /** Section/group title and plan short name. */
  context: string;
  /** Agencies as written (lead first). */
  agencies: string;
  /** Lead / coordinator agency ids (AgencyRef.id). */
  leadIds: string[];
  coordinatorIds: string[];
  /** Text given to the embeddings. */
  text: string;
  /** BM25 terms (name weighted twice). */
  terms: string[];
  /** Distinct content syllables of name + context (for coverage). */
  vocab: Set<string>;
  /** Syllable-pair terms ("khoa_hoc") of name, context and fields (for coverage). */
  pairs: Set<string>;
  /** Distinct syllable pairs of the name (for near-duplicate detection). */
  nameBigrams: Set<string>;
}

function recordParts(r: KnowledgeRecord, plan: Plan | undefined): { name: string; context: string; agencies: string; lead: string[]; coord: string[]; extra: string } {
  const planName = plan ? `${plan.shortName} ${plan.issuer}` : r.plan;
  switch (r.kind) {
    case "task": {
      const t = r as Task;
      return {
        name: t.name,
        context: `${t.section.title} ${planName}`,
        agencies: [...t.lead, ...t.coordinators].join("; "),
        lead: t.leadAgencies.map((a) => a.id),
        coord: t.coordinatorAgencies.map((a) => a.id),
        extra: t.deadline.raw,
      };
    }
    case "indicator": {
      const i = r as Indicator;
      return {
        name: i.name,
        context: `chỉ tiêu ${i.group.title} ${planName}`,
        agencies: i.lead.join("; "),
        lead: i.leadAgencies.map((a) => a.id),
        coord: [],
        extra: `${i.unit} ${i.target2026} ${i.target2030}`,
      };
    }
    case "duty": {
      const d = r as Duty;
      return {
        name: d.action,
        context: `${d.section.title} ${d.schedule.length ? "báo cáo định kỳ" : ""} ${planName}`,
        agencies: [d.agency, ...d.coordinators, d.reportTo].filter(Boolean).join("; "),
        lead: d.agencies.map((a) => a.id),
        coord: [],
        extra: d.deadline?.raw ?? "",
      };
    }
    case "passage": {
      const p = r as Passage;
      return { name: p.text, context: `${p.path.join(" ")} ${planName}`, agencies: "", lead: [], coord: [], extra: "" };
    }
  }
}

export function buildUnits(kb: KnowledgeIndex): Unit[] {
  const records: KnowledgeRecord[] = [...kb.tasks, ...kb.indicators, ...kb.duties, ...kb.kb.passages];
  return records.map((r, idx) => {
    const p = recordParts(r, kb.plan(r.plan));
    const nameTerms = analyze(p.name, { lenient: true }).terms;
    const ctxTerms = analyze(p.context, { lenient: true }).terms;
    const agTerms = analyze(p.agencies, { lenient: true }).unigrams;
    const nameSyl = syllables(p.name, { lenient: true });
    const nameBigrams = new Set<string>();
    for (let i = 0; i + 1 < nameSyl.length; i++) nameBigrams.add(nameSyl[i]! + " " + nameSyl[i + 1]!);
    return {
      idx,
      kind: r.kind,
      id: r.id,
      plan: r.plan,
      record: r,
      name: p.name,
      context: p.context,
      agencies: p.agencies,
      leadIds: p.lead,
      coordinatorIds: p.coord,
      text: `${p.name}\n${p.context}\n${p.agencies}\n${p.extra}`,
      terms: [...nameTerms, ...nameTerms, ...ctxTerms, ...agTerms],
      vocab: new Set([...analyze(p.name, { lenient: true }).unigrams, ...analyze(p.context, { lenient: true }).unigrams, ...analyze(p.extra, { lenient: true }).unigrams]),
      nameBigrams,
      pairs: new Set([...nameTerms, ...ctxTerms, ...analyze(p.extra, { lenient: true }).terms].filter((t) => t.includes("_"))),
    };
  });
}
