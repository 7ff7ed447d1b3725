// Durable knowledge state: the plan-code registry (a plan's code is assigned
// once and kept, never derived again when other plans arrive) and the archive
// of records that a newer version of a plan no longer has (their status
// history stays attached to their ids). Production keeps it in the SQLite
// store; tests and the CLI fall back to memory (seeded from the last ingest,
// so codes still hold from one CLI run to the next).
//
// What identifies "the same plan" when a newer version arrives (planKey):
// the issuer and number written in the document ("UBND TỈNH BẮC NINH" +
// "617/KH-UBND"), so a corrected file under another name or format replaces
// it; a plan whose number is blank or missing is identified by its file name
// (without extension).
import { fold } from "../text/vietnamese.js";
import type { KnowledgeRecord } from "./types.js";

export interface ArchivedRecord {
  record: KnowledgeRecord;
  /** ISO instant the record was archived. */
  at: string;
}

export interface KnowledgeState {
  /** The code assigned to a plan key, if any. */
  planCode(key: string): string | undefined;
  /** Record a plan's code; called once per new plan. */
  assignPlanCode(key: string, code: string): void;
  /** Every code assigned so far (to any plan, present or removed). */
  usedPlanCodes(): ReadonlySet<string>;
  /** Keep records that are gone from their plan (a row removed, a plan removed). */
  archive(records: KnowledgeRecord[], at: Date): void;
}

export class MemoryKnowledgeState implements KnowledgeState {
  private readonly codes = new Map<string, string>();
  readonly archived: ArchivedRecord[] = [];

  planCode(key: string): string | undefined {
    return this.codes.get(key);
  }
  assignPlanCode(key: string, code: string): void {
    if (!this.codes.has(key)) this.codes.set(key, code);
  }
  usedPlanCodes(): ReadonlySet<string> {
    return new Set(this.codes.values());
  }
  archive(records: KnowledgeRecord[], at: Date): void {
    for (const record of records) this.archived.push({ record, at: at.toISOString() });
  }
}

/** The identity of a plan across versions: issuer + number when the document has both, else the file name. */
export function planKey(facts: { issuer: string; number: string | null }, file: string): string {
  const num = facts.number && /\d/.test(facts.number) ? fold(facts.number).replace(/\s+/g, "") : "";
  const issuer = fold(facts.issuer).replace(/[^a-z0-9]+/g, " ").trim();
  if (num && issuer) return `${issuer}|${num}`;
  return `file:${fold(file.replace(/\.[^.]+$/, "")).replace(/[^a-z0-9]+/g, "-")}`;
}
