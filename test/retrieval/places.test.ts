// With the plans copied under other places (bench/corpus.ts, ×3 here; the scale benchmark runs
// ×100), a question that names a place still gets that place's row — on a copy as on the original.
// Only questions the parser scopes to a plan count. A place inside the agency asked about ("Thanh
// tra tỉnh Bắc Ninh nói gì về …") scopes the question to that place's plans.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateCorpus, rewriteQuestion, type Copy } from "../../bench/corpus.js";
import { loadConfig } from "../../src/config.js";
import { createAskService, type FullAskService } from "../../src/features/ask/index.js";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { fold } from "../../src/text/vietnamese.js";
import { NOW, readQuestions } from "../features/ask/accuracy.js";

const PLACE = /bac ninh|bac giang|lai chau|da mai|ho chi minh|hcm/;
let ask: FullAskService;
let copies: Copy[];

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "kb-x3-"));
  const corpus = generateCorpus(3, join(root, "knowledge"));
  copies = corpus.copies;
  const config = loadConfig({ DATA_DIR: join(root, "data"), KNOWLEDGE_DIR: join(root, "knowledge") });
  const kb = await loadKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, dataDir: config.DATA_DIR });
  expect(kb.plans.length).toBe(7 + 2 * 6); // the national plan exists once
  ask = await createAskService(kb, config, { llm: null });
  await ask.warmed;
}, 120_000);

describe("questions that name a place, with every plan copied under other places", () => {
  const named = readQuestions().filter((q) => q.expect && PLACE.test(fold(q.q)));
  it("get the original place's row as written", async () => {
    for (const q of named.slice(0, 40)) expect([q.q, (await ask.askJson(q.q, { now: NOW })).matches[0]?.id]).toEqual([q.q, q.expect]);
  });
  it("get the copy's row when asked about the copy's place", async () => {
    let asked = 0;
    for (const [i, q] of named.slice(0, 40).entries()) {
      if (!(await ask.askJson(q.q, { now: NOW })).query?.plans.length) continue;
      asked++;
      const c = copies[1 + (i % 2)]!;
      const text = rewriteQuestion(q.q, c);
      expect(text).not.toBe(q.q);
      expect([text, (await ask.askJson(text, { now: NOW })).matches[0]?.id]).toEqual([text, rewriteQuestion(q.expect!, c)]);
    }
    expect(asked).toBeGreaterThan(20);
  });
});

describe("kinds of issuer beside a place, with every plan copied under other places", () => {
  it("each narrows the place apart: the place's plans of either kind, no other place's", async () => {
    const j = await ask.askJson("Thanh tra tỉnh Bắc Ninh được giao việc gì trong kế hoạch của UBND tỉnh, và trong kế hoạch riêng của Thanh tra tỉnh thì ai chủ trì?", { now: NOW });
    expect([...(j.query?.plans ?? [])].sort()).toEqual(["bac-ninh-thanh-tra-2026", "bac-ninh-ubnd-2026"]);
  });
  it("a place inside the agency asked about scopes the question to that place, on a copy too", async () => {
    const q = "Thanh tra tỉnh Bắc Ninh nói gì về Chỉ thị 14/CT-TTg an toàn an ninh mạng?";
    expect((await ask.askJson(q, { now: NOW })).matches[0]?.id).toBe("TTBN-P26");
    const c = copies[1]!;
    const j = await ask.askJson(rewriteQuestion(q, c), { now: NOW });
    expect(j.matches[0]?.id).toBe(rewriteQuestion("TTBN-P26", c));
    expect(j.query?.plans.every((p) => !p.startsWith("bac-ninh"))).toBe(true);
  });
  it("a kind of issuer without a place takes the place of a plan named outright", async () => {
    const j = await ask.askJson("em ở Thanh tra tỉnh Bắc Ninh, bên em có phải báo cáo hằng tháng kết quả thực hiện KH của UBND tỉnh không", { now: NOW });
    expect([...(j.query?.plans ?? [])].sort()).toEqual(["bac-ninh-thanh-tra-2026", "bac-ninh-ubnd-2026"]);
  });
  it("a kind of issuer named without a place still names all plans of that kind", async () => {
    const j = await ask.askJson("kế hoạch của Thanh tra tỉnh gồm những phần nào", { now: NOW });
    expect(j.query?.plans.length).toBe(3); // the original and its two copies
  });
});
