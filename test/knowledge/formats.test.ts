// The rule: a plan gives the same records whatever format it arrives in. The
// Bắc Ninh plan as Word (and PDF) — made the way offices make them, markdown →
// HTML → LibreOffice → .docx → .pdf, tables cut at page breaks with the header
// repeated — gives the same tasks and indicators as its markdown, field by
// field (whitespace and LibreOffice's "…" for "..." aside).
import { describe, expect, it } from "vitest";
import type { KnowledgeBase, Task } from "../../src/knowledge/types.js";
import { BAC_NINH as PLAN, ingestAs } from "./helpers.js";

const norm = (s: string) => s.replace(/…/g, "...").replace(/\s+/g, " ").trim();
const taskFields = (t: Task) => ({
  id: t.id,
  name: norm(t.name),
  lead: t.lead.map(norm),
  coordinators: t.coordinators.map(norm),
  deadline: { raw: norm(t.deadline.raw), due: t.deadline.due, kind: t.deadline.kind },
  section: t.section.number,
  basis: norm(t.basis),
});

/**
 * Rows whose cells are empty in the Word file itself (LibreOffice dropped the
 * "<p>…</p>" cells of markdown rows 515–520 when it made the .docx): no reader
 * can give their text. They are still one record each, with the same ids.
 */
const EMPTY_IN_WORD = ["BN-6.20", "BN-6.21", "BN-6.22"];

describe("Bắc Ninh as .docx gives the records of its markdown", async () => {
  const md = await ingestAs("md");
  const docx = await ingestAs("docx");
  const mine = (kb: KnowledgeBase) => kb.tasks.filter((t) => t.plan === PLAN);

  it("162 tasks and 58 indicators, the same ids in the same order", () => {
    expect(mine(docx).map((t) => t.id)).toEqual(mine(md).map((t) => t.id));
    expect(mine(docx)).toHaveLength(162);
    expect(docx.indicators.map((i) => i.id)).toEqual(md.indicators.map((i) => i.id));
    expect(docx.indicators).toHaveLength(58);
  });

  it("every task field by field: name, lead, coordinators, deadline raw and due, section, basis", () => {
    const byId = new Map(mine(docx).map((t) => [t.id, t]));
    for (const t of mine(md)) {
      if (EMPTY_IN_WORD.includes(t.id)) continue;
      expect(taskFields(byId.get(t.id)!)).toEqual(taskFields(t));
    }
  });

  it("every indicator field by field", () => {
    const f = (i: KnowledgeBase["indicators"][number]) => ({ id: i.id, name: norm(i.name), unit: i.unit, lead: i.lead, t26: i.target2026, t30: i.target2030, note: i.note });
    expect(docx.indicators.map(f)).toEqual(md.indicators.map(f));
  });

  it("the duties of the running text too (list numbers written out from Word's numbering)", () => {
    const f = (d: KnowledgeBase["duties"][number]) => ({ id: d.id, agency: d.agency, schedule: d.schedule.map((s) => [s.period, s.day, s.month]) });
    expect(docx.duties.map(f)).toEqual(md.duties.map(f));
  });

  it("the rows Word lost are still there, and only those differ", () => {
    const byId = new Map(mine(docx).map((t) => [t.id, t]));
    const differ = mine(md).filter((t) => JSON.stringify(taskFields(byId.get(t.id)!)) !== JSON.stringify(taskFields(t))).map((t) => t.id);
    expect(differ).toEqual(EMPTY_IN_WORD);
  });
});

describe("Bắc Ninh as .pdf (67 pages, tables cut at page breaks)", async () => {
  const md = await ingestAs("md");
  const pdf = await ingestAs("pdf");
  const mine = (kb: KnowledgeBase) => kb.tasks.filter((t) => t.plan === PLAN);

  it("reads the text layer: every task id of the markdown is there, and its 58 indicators and 5 duties", () => {
    const ids = new Set(mine(pdf).map((t) => t.id));
    expect(mine(md).filter((t) => !ids.has(t.id)).map((t) => t.id)).toEqual([]);
    expect(pdf.indicators.map((i) => i.id)).toEqual(md.indicators.map((i) => i.id));
    expect(pdf.duties.map((d) => [d.id, d.agency])).toEqual(md.duties.map((d) => [d.id, d.agency]));
  });

  it("cites the page of each record", () => {
    expect(mine(pdf).every((t) => typeof t.source.page === "number" && t.source.page >= 1 && t.source.page <= 67)).toBe(true);
  });

  // The PDF's lines put spaces where a glyph run breaks ("15/12 /2026", "CQT TBCĐ"): the fields are
  // compared whitespace aside, as the rule says.
  const bare = (s: string) => s.replace(/…/g, "...").replace(/\s+/g, "");
  const pdfFields = (t: Task) => ({
    id: t.id,
    name: bare(t.name),
    lead: t.lead.map(bare),
    coordinators: t.coordinators.map(bare),
    deadline: { raw: bare(t.deadline.raw), due: t.deadline.due, kind: t.deadline.kind },
    section: t.section.number,
    basis: bare(t.basis),
  });

  it("162 tasks, every task field by field as in the markdown (lead, coordinators, deadline raw and due)", () => {
    expect(mine(pdf).map((t) => t.id)).toEqual(mine(md).map((t) => t.id));
    const byId = new Map(mine(pdf).map((t) => [t.id, t]));
    for (const t of mine(md)) {
      if (EMPTY_IN_WORD.includes(t.id)) continue; // the PDF was made from the Word file, which lost them
      expect(pdfFields(byId.get(t.id)!)).toEqual(pdfFields(t));
    }
  });

  it("every indicator field by field", () => {
    const f = (i: KnowledgeBase["indicators"][number]) => ({ id: i.id, name: bare(i.name), unit: bare(i.unit), lead: i.lead.map(bare), t26: bare(i.target2026), t30: bare(i.target2030), note: bare(i.note) });
    expect(pdf.indicators.map(f)).toEqual(md.indicators.map(f));
  });
});
