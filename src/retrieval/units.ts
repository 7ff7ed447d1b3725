// Records → search units. Each task, indicator, duty and passage is one unit
// carrying its context (plan short name, section title), so a row is always
// found whole — never a chunk that a page break cut in two.
//
// A unit is cheap to make: its words are read from the record when first asked
// for (the search reads the analysis from the index on disk, not from here), so
// opening the retriever over a hundred plans does not analyse every record again.
import type { KnowledgeIndex } from "../knowledge/knowledge-index.js";
import type { Duty, Indicator, KnowledgeRecord, Passage, Plan, Task } from "../knowledge/types.js";
import { expand, syllables, termsOf, tokenize, type Terms, type Token } from "./analyzer.js";

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

interface Parts {
  name: string;
  context: string;
  agencies: string;
  lead: string[];
  coord: string[];
  extra: string;
}

function recordParts(r: KnowledgeRecord, plan: Plan | undefined): Parts {
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

/** What the search keeps of one unit: its BM25 terms with their counts, and the words coverage looks for. */
export interface UnitAnalysis {
  /** Distinct BM25 terms, in first-seen order, with their counts. */
  tf: Map<string, number>;
  /** Number of BM25 terms (the document length). */
  length: number;
  /** Distinct coverage words: content syllables (vocab) and syllable pairs (pairs). */
  words: Set<string>;
  /** The syllables of the unit's whole text (what the embeddings read): `syllables(unit.text, { lenient: true })`. */
  syllables: string[];
}

interface Analysed {
  terms: string[];
  vocab: Set<string>;
  pairs: Set<string>;
}

/**
 * Tokens of the texts a build analyses, each text once: a hundred plans repeat the same
 * names, titles and agencies. Tokens never cross a line, so the tokens of the lines of a
 * text, joined, are the tokens of the text.
 */
export class TokenMemo {
  private readonly memo = new Map<string, Token[]>();
  private readonly pairs = new Map<string, Map<string, string>>();
  tokens(text: string): Token[] {
    let t = this.memo.get(text);
    if (!t) this.memo.set(text, (t = tokenize(text)));
    return t;
  }
  /** termsOf (analyzer.ts), each pair's string made once. */
  termsOf(sylls: string[]): Terms {
    return termsOf(sylls, this.pair);
  }
  private readonly pair = (a: string, b: string): string => {
    let m = this.pairs.get(a);
    if (!m) this.pairs.set(a, (m = new Map()));
    let p = m.get(b);
    if (p === undefined) m.set(b, (p = a + "_" + b));
    return p;
  };
}

function analyseParts(p: Parts, memo = new TokenMemo()): Analysed & { syllables: string[] } {
  const nameT = memo.tokens(p.name);
  const ctxT = memo.tokens(p.context);
  const agT = memo.tokens(p.agencies);
  const exT = memo.tokens(p.extra);
  const name = memo.termsOf(expand(nameT, true));
  const ctx = memo.termsOf(expand(ctxT, true));
  const extra = memo.termsOf(expand(exT, true));
  const agUnigrams = memo.termsOf(expand(agT, true)).unigrams;
  return {
    terms: [...name.terms, ...name.terms, ...ctx.terms, ...agUnigrams],
    vocab: new Set([...name.unigrams, ...ctx.unigrams, ...extra.unigrams]),
    pairs: new Set([...name.terms, ...ctx.terms, ...extra.terms].filter((t) => t.includes("_"))),
    // unit.text is name, context, agencies and extra, one a line
    syllables: expand([...nameT, ...ctxT, ...agT, ...exT], true),
  };
}

class LazyUnit implements Unit {
  private p?: Parts;
  private a?: Analysed;
  private bigrams?: Set<string>;

  constructor(
    readonly idx: number,
    readonly record: KnowledgeRecord,
    private readonly planOf: (id: string) => Plan | undefined,
  ) {}

  get kind(): UnitKind {
    return this.record.kind;
  }
  get id(): string {
    return this.record.id;
  }
  get plan(): string {
    return this.record.plan;
  }
  private get parts(): Parts {
    return (this.p ??= recordParts(this.record, this.planOf(this.record.plan)));
  }
  get name(): string {
    return this.parts.name;
  }
  get context(): string {
    return this.parts.context;
  }
  get agencies(): string {
    return this.parts.agencies;
  }
  get leadIds(): string[] {
    return this.parts.lead;
  }
  get coordinatorIds(): string[] {
    return this.parts.coord;
  }
  get text(): string {
    const p = this.parts;
    return `${p.name}\n${p.context}\n${p.agencies}\n${p.extra}`;
  }
  private get analysed(): Analysed {
    return (this.a ??= analyseParts(this.parts));
  }
  /** The analysis with shared tokens (index builds), not kept. */
  analyse(memo: TokenMemo): Analysed & { syllables: string[] } {
    return analyseParts(this.parts, memo);
  }
  get terms(): string[] {
    return this.analysed.terms;
  }
  get vocab(): Set<string> {
    return this.analysed.vocab;
  }
  get pairs(): Set<string> {
    return this.analysed.pairs;
  }
  get nameBigrams(): Set<string> {
    if (!this.bigrams) {
      const s = syllables(this.name, { lenient: true });
      this.bigrams = new Set<string>();
      for (let i = 0; i + 1 < s.length; i++) this.bigrams.add(s[i]! + " " + s[i + 1]!);
    }
    return this.bigrams;
  }
}

/** The records, in unit order: tasks, indicators, duties, passages. */
export function unitRecords(kb: KnowledgeIndex): KnowledgeRecord[] {
  return [...kb.tasks, ...kb.indicators, ...kb.duties, ...kb.kb.passages];
}

export function buildUnits(kb: KnowledgeIndex): Unit[] {
  const planOf = (id: string) => kb.plan(id);
  return unitRecords(kb).map((r, idx) => new LazyUnit(idx, r, planOf));
}

/** A unit's analysis for the index. */
export function analyseUnit(u: Unit, memo = new TokenMemo()): UnitAnalysis {
  const a = u instanceof LazyUnit ? u.analyse(memo) : { terms: u.terms, vocab: u.vocab, pairs: u.pairs, syllables: syllables(u.text, { lenient: true }) };
  const tf = new Map<string, number>();
  for (const t of a.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return { tf, length: a.terms.length, words: new Set<string>([...a.vocab, ...a.pairs]), syllables: a.syllables };
}
