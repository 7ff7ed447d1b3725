// Read-side of the knowledge base: look records up by id (as officials type
// them), agencies by any alias, tasks of an agency.
import { fold, nfc } from "../text/vietnamese.js";
import type { Agency, Duty, Indicator, KnowledgeBase, Passage, Plan, PlanOutline, Task } from "./types.js";

export type RecordById = Task | Indicator | Duty | Passage;

/**
 * The key ids are matched by: "bn 7.22", "BN-7,22", "Bn_7.22" → "BN-7.22";
 * "DM-18đ", "dm-18Đ", "DM-18dd" → "DM-18DD" (a letter đ after a number is "dd",
 * as in the ids; "ĐĐQH" stays "DDQH"). Separators are kept as one "-", so ids
 * that differ by a hyphen or a digit boundary ("BN-7.22" / "BN7-22",
 * "CLTU-21" / "CLTU2-1") never share a key.
 */
export function idKey(input: string): string {
  return nfc(input)
    .replace(/(?<=[0-9.])[đĐ]/g, "dd")
    .replace(/^(.*)$/s, (m) => fold(m))
    .toUpperCase()
    .replace(/,/g, ".")
    .replace(/[\s_\-–—]+/g, "-")
    .replace(/[^A-Z0-9.-]/g, "")
    .replace(/^-+|-+$/g, "");
}

/** An id that idKey leaves as it is: upper-case letters and digits in parts joined by single "-" or ".". */
const CANONICAL_ID = /^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/;

/** A looser key, used only when it names one record: separators dropped ("BN7.22" finds "BN-7.22"). */
export function looseIdKey(input: string): string {
  return idKey(input).replace(/-/g, "");
}

export class KnowledgeIndex {
  private readonly byId = new Map<string, RecordById>();
  /** Loose key → the record, or null when two records share it. */
  private readonly byLoose = new Map<string, RecordById | null>();
  private readonly plansById = new Map<string, Plan>();
  private readonly agencyByKey = new Map<string, Agency>();

  /**
   * `version`: what the knowledge was derived from (the ingest's fingerprint and the records' ids),
   * when known — derived data (the search index) is saved once per version.
   */
  constructor(
    readonly kb: KnowledgeBase,
    readonly version?: string,
  ) {
    for (const p of kb.plans) this.plansById.set(p.id, p);
    for (const r of [...kb.tasks, ...kb.indicators, ...kb.duties, ...kb.passages]) {
      // ids as the parser writes them ("BN-7.22", "DM-CT-E14") are their own key: no folding needed
      const key = CANONICAL_ID.test(r.id) ? r.id : idKey(r.id);
      this.byId.set(key, r);
      const loose = key.replace(/-/g, "");
      this.byLoose.set(loose, this.byLoose.has(loose) && this.byLoose.get(loose) !== r ? null : r);
    }
    for (const a of kb.agencies) {
      for (const name of [a.canonical, ...a.aliases, ...(a.formerly ?? [])]) {
        const k = fold(name).replace(/[^a-z0-9]+/g, " ").trim();
        if (k && !this.agencyByKey.has(k)) this.agencyByKey.set(k, a);
      }
    }
  }

  get plans(): Plan[] {
    return this.kb.plans;
  }
  get tasks(): Task[] {
    return this.kb.tasks;
  }
  get indicators(): Indicator[] {
    return this.kb.indicators;
  }
  get duties(): Duty[] {
    return this.kb.duties;
  }
  get passages(): Passage[] {
    return this.kb.passages;
  }
  get agencies(): Agency[] {
    return this.kb.agencies;
  }

  plan(id: string): Plan | undefined {
    return this.plansById.get(id);
  }

  /** The plan's title, basis, headings and signers, where the ingest read them. */
  outline(planId: string): PlanOutline | undefined {
    this.outlinesById ??= new Map((this.kb.outlines ?? []).map((o) => [o.plan, o]));
    return this.outlinesById.get(planId);
  }
  private outlinesById?: Map<string, PlanOutline>;

  /** A record by its id as a user typed it (any case, with or without diacritics, "-" or spaces). */
  record(input: string): RecordById | undefined {
    return this.byId.get(idKey(input)) ?? this.byLoose.get(looseIdKey(input)) ?? undefined;
  }

  task(input: string): Task | undefined {
    const r = this.record(input);
    return r?.kind === "task" ? r : undefined;
  }

  /** An agency by its canonical name or any alias, folded ("so khcn", "KH&CN", "Sở KH&CN"). */
  agency(input: string): Agency | undefined {
    return this.agencyByKey.get(fold(input).replace(/[^a-z0-9]+/g, " ").trim());
  }

  /** Tasks where the agency leads, coordinates, or either. */
  tasksOfAgency(agencyId: string, role: "lead" | "coordinator" | "any" = "any"): Task[] {
    return this.kb.tasks.filter(
      (t) =>
        (role !== "coordinator" && t.leadAgencies.some((a) => a.id === agencyId)) ||
        (role !== "lead" && t.coordinatorAgencies.some((a) => a.id === agencyId)),
    );
  }
}
