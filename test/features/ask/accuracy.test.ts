// The rule: on questions written from the plans, the record the answer is about
// is the right one at least 95% of the time, and every question no plan answers
// gets a plain "Không tìm thấy" instead of a guess.
import { describe, expect, it } from "vitest";
import { isAscii, readQuestions, runAccuracy } from "./accuracy.js";

describe("ask accuracy on test/ask/questions.jsonl", () => {
  it("the question set covers what the issue asks for", () => {
    const qs = readQuestions();
    expect(qs.length).toBeGreaterThanOrEqual(120);
    expect(qs.filter((q) => q.expect === null).length).toBeGreaterThanOrEqual(12);
    expect(qs.filter((q) => isAscii(q.q)).length).toBeGreaterThanOrEqual(qs.length / 3);
  });

  it("top-1 ≥ 95%, every unanswerable → not found, and beats the chunk baseline", async () => {
    const r = await runAccuracy();
    if (r.failures.length) console.log(r.failures);
    expect(r.top1Rate).toBeGreaterThanOrEqual(0.95);
    expect(r.unanswerableNotFound).toBe(r.unanswerable);
    expect(r.top1Rate).toBeGreaterThan(r.baselineTop1Rate);
  }, 120_000);
});
