// The work set (questions about an official's own work: lists, periods, duties,
// counts, several plans, follow-ups, overviews), written before the parser was
// changed, must be answered right 95% of the time. The other sets are reported
// beside it (`npx tsx test/features/ask/question-sets.ts`), never asserted: one
// was looked at while the parser changed, the fresh one never.
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import { readSet, realAsker, scoreSet, summarize, type Asker } from "./question-sets.js";

let ask: Asker;
let kb: KnowledgeIndex;

beforeAll(async () => {
  ({ ask, kb } = await realAsker());
}, 120_000);

describe("questions about an official's work", () => {
  it("the set is what the issue asks for: ≥ 150 questions, a third without diacritics, rows by source line", () => {
    const qs = readSet("work");
    expect(qs.length).toBeGreaterThanOrEqual(150);
    expect(qs.filter((q) => [q.q, ...q.context].every((s) => [...s].every((c) => c.charCodeAt(0) < 128))).length).toBeGreaterThanOrEqual(qs.length / 3);
    for (const q of qs) if (q.kind !== "unanswerable") expect(q.expect.length, q.id).toBeGreaterThan(0);
  });

  it("≥ 95% right", async () => {
    const vs = await scoreSet("work", ask, kb);
    const s = summarize(vs);
    const wrong = vs.filter((v) => !v.ok).map((v) => `${v.id} [${v.kind}] ${v.why.join("; ")}`);
    expect(s.rate, wrong.join("\n")).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
});
