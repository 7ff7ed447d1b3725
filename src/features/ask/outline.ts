// Questions about a plan as a document rather than its rows: who issued and
// signed it, what it implements, which parts and appendices it has, how many
// groups a part holds. Answered from the plan's outline (knowledge/types.ts
// PlanOutline), every line cited.
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { OutlineHeading, PlanOutline, SourceRef } from "../../knowledge/types.js";
import { analyze } from "../../retrieval/analyzer.js";
import { formatDate } from "../../text/dates.js";
import { fold, truncate } from "../../text/vietnamese.js";
import type { Formatter } from "./compose.js";
import type { Query } from "./query.js";

/** What a question about the document asks for. */
export type OutlineFacet = "issued" | "basis" | "parts" | "appendices" | "signers";

/** A line of the document an answer rests on (a heading, the title, a signer). */
export interface Cited {
  id: string;
  plan: string;
  name: string;
  source: SourceRef;
}

export interface OutlineComposed {
  text: string;
  cited: Cited[];
  notFound?: boolean;
}

const FACET_WORDS: [OutlineFacet, RegExp][] = [
  ["signers", / (?:ai ky|nguoi ky|do ai ky|ky ban hanh|ky ten|chu ky|ai da ky) /],
  ["issued", / (?:ban hanh (?:ngay|khi|luc|hom|nam) nao|ngay ban hanh|ngay nao ban hanh|(?:co quan|don vi|cap) nao ban hanh|do (?:co quan|ai|don vi|cap) (?:nao )?ban hanh|ai ban hanh|so hieu|so ky hieu|ban hanh ngay|ngay ky) /],
  ["basis", / (?:(?:thuc hien|trien khai|cu the hoa|de thuc hien) (?:nhung )?(?:nghi quyet|van ban|ke hoach|quyet dinh|chi thi|thong bao|chuong trinh|de an)(?: [a-z0-9/-]+){0,4} nao|nhung van ban nao|van ban nao|can cu (?:vao )?(?:dau|van ban nao|nhung gi)|can cu nao) /],
  ["appendices", / (?:(?:may|bao nhieu|nhung|cac) phu luc|phu luc (?:nao|gi)|moi phu luc) /],
  ["parts", / (?:gom (?:nhung|may|bao nhieu|cac) (?:phan|muc|noi dung|nhom|chuong)|(?:nhung|cac) (?:phan|muc|nhom|noi dung)(?: [a-z]+){0,3} (?:nao|gi|chinh)|co (?:may|nhung|bao nhieu) (?:phan|muc|noi dung|nhom)|bo cuc|noi dung chinh|nhom noi dung|tom tat|tong quan|gom nhung gi|co nhung gi|noi ve (?:cai )?gi|ve cai gi|chia (?:thanh|lam) may) /],
];

/** The facets a question names; none named means the whole overview. */
export function outlineFacets(question: string): OutlineFacet[] {
  const f = ` ${fold(question).replace(/[^a-z0-9/-]+/g, " ").replace(/\s+/g, " ").trim()} `;
  return FACET_WORDS.filter(([, re]) => re.test(f)).map(([facet]) => facet);
}

const ASK_WORDS = new Set(["nhung", "cac", "nao", "gi", "gom", "co", "may", "bao", "nhieu", "cua", "trong", "va", "la", "duoc", "ke", "hoach", "kh", "a", "em", "cho", "hoi"]);
const GROUP_WORDS = new Set(["nhom", "muc", "phan", "noi", "dung", "nhung", "cac", "nao", "gi", "gom", "co", "may", "bao", "nhieu", "chinh", "cu", "the", "ke", "hoach", "kh", "cua", "trong", "va", "la", "duoc", "chia", "thanh", "lam", "ve", "tom", "tat"]);

/** Indices of the headings directly under `i` (-1: the top level). */
export function childrenOf(o: PlanOutline, i: number): number[] {
  return o.headings.flatMap((h, j) => (h.parent === i ? [j] : []));
}

const label = (h: OutlineHeading) => [h.number, h.title].filter(Boolean).join(". ");
const sameNumber = (a: string, b: string) => fold(a).replace(/[.)\s]+$/g, "") === fold(b).replace(/[.)\s]+$/g, "");

/**
 * The heading a question points at: "mục 2.2", "phần II", "Phụ lục II", "nhóm III",
 * else the heading whose title the question's own words name ("những nhóm mục tiêu cụ thể").
 * Only headings with something under them count: the question asks what is inside.
 */
export function headingOf(o: PlanOutline, q: Query, question: string, planWords: ReadonlySet<string> = new Set()): number {
  const withChildren = (i: number) => childrenOf(o, i).length > 0;
  // "phụ lục nhiệm vụ chia thành mấy nhóm": an appendix named without its number is the one its words name, else the last.
  const appendix = q.appendix ?? (/\bphu luc\b/.test(fold(question)) ? "?" : undefined);
  if (appendix) {
    const apps = o.headings.map((h, i) => ({ h, i })).filter(({ h }) => h.level === 1 && h.appendix);
    const named = appendix === "*" || appendix === "?" ? apps : apps.filter(({ h }) => sameNumber(h.appendix.replace(/^phụ lục\s*/i, ""), appendix));
    // "mục III" of an appendix: the heading numbered so inside it.
    if (q.section) {
      for (const { h } of named) {
        const inside = o.headings.findIndex((x) => x.appendix === h.appendix && sameNumber(x.number, q.section!) && withChildren(o.headings.indexOf(x)));
        if (inside >= 0) return inside;
      }
    }
    const full = named.filter(({ i }) => withChildren(i));
    if (appendix === "?" && full.length > 1) {
      const words = new Set(analyze(question).unigrams.filter((w) => !ASK_WORDS.has(w) && !GROUP_WORDS.has(w)));
      const hits = full.map(({ h, i }) => ({ i, n: analyze(h.title).unigrams.filter((w) => words.has(w)).length }));
      const top = hits.reduce((a, b) => (b.n > a.n ? b : a));
      if (top.n > 0) return top.i;
    }
    if (full.length) return full[appendix === "*" || appendix === "?" ? full.length - 1 : 0]!.i;
  }
  if (q.section) {
    const i = o.headings.findIndex((h, j) => !h.appendix && sameNumber(h.number, q.section!) && withChildren(j));
    if (i >= 0) return i;
    const any = o.headings.findIndex((h, j) => sameNumber(h.number, q.section!) && withChildren(j));
    if (any >= 0) return any;
  }
  // The question's own words, less those that name the plan ("kế hoạch 3260 của Đảng đoàn Quốc hội") and
  // the question words; a heading is named when two of its title's words are there, one of them not a
  // word every heading may carry ("nhóm", "mục", "nội dung").
  const words = new Set(analyze(question).unigrams.filter((w) => !planWords.has(w) && !ASK_WORDS.has(w)));
  let best = -1;
  let bestScore = 0;
  o.headings.forEach((h, i) => {
    if (!withChildren(i)) return;
    const title = analyze(h.title).unigrams;
    const hits = title.filter((w) => words.has(w));
    const score = hits.length / Math.max(3, title.length);
    if (hits.length >= 2 && hits.some((w) => !GROUP_WORDS.has(w)) && score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/** The words that name a plan (its short name, code, issuer, locality): not words of a heading's title in a question. */
export function planWords(kb: KnowledgeIndex, planId: string): Set<string> {
  const p = kb.plan(planId);
  if (!p) return new Set();
  return new Set(analyze([p.shortName, p.code, p.issuer, p.locality].filter(Boolean).join(" ")).unigrams);
}

function cite(o: PlanOutline, code: string, name: string, source: SourceRef | null): Cited[] {
  return source ? [{ id: `${code} · dòng ${source.line}`, plan: o.plan, name, source }] : [];
}

function where(s: SourceRef): string {
  return s.page ? `trang ${s.page}` : s.line === s.endLine ? `dòng ${s.line}` : `dòng ${s.line}–${s.endLine}`;
}

/** "Mục II. NHIỆM VỤ CỤ THỂ gồm 9 nhóm: …" — the headings under one heading. */
export function headingChildren(fmt: Formatter, kb: KnowledgeIndex, o: PlanOutline, i: number, count: boolean): OutlineComposed {
  const plan = kb.plan(o.plan);
  const code = plan?.code ?? o.plan;
  const h = o.headings[i]!;
  const kids = childrenOf(o, i).map((j) => o.headings[j]!);
  const head = h.level === 1 && h.appendix && !h.number ? `${h.appendix}${h.title ? ` (${truncate(h.title, 80)})` : ""}` : `Mục ${label(h)}`;
  const lines = [
    count
      ? `${kids.length} nhóm — ${head} trong ${fmt.planName(o.plan)}:`
      : `${head} trong ${fmt.planName(o.plan)} gồm ${kids.length} nhóm:`,
  ];
  for (const k of kids) lines.push(`${k.number ? k.number + ". " : "• "}${truncate(k.title, 160)} (${where(k.source)})`);
  lines.push(`Nguồn: ${fmt.planName(o.plan)} · ${where(h.source)}`);
  return { text: lines.join("\n"), cited: [...kids.flatMap((k) => cite(o, code, label(k), k.source)), ...cite(o, code, label(h), h.source)] };
}

/** What a plan is: number, date, issuer, what it implements, its parts and appendices, who signed it. */
export function planOverview(fmt: Formatter, kb: KnowledgeIndex, o: PlanOutline, facets: OutlineFacet[], question: string, q: Query): OutlineComposed {
  const plan = kb.plan(o.plan);
  const code = plan?.code ?? o.plan;
  const all = facets.length === 0;
  const want = (f: OutlineFacet) => all || facets.includes(f);
  const lines: string[] = [];
  // Cited lines: single facts asked for (-1), what else the question asked for (0), what supports it (1), the title (2).
  const ranked: { c: Cited; rank: number }[] = [];
  const add = (c: Cited[], rank = 0) => {
    // A line already cited (a title that names what it implements) is cited once.
    for (const x of c) {
      const has = ranked.find(({ c: y }) => y.source.file === x.source.file && y.source.line <= x.source.line && x.source.line <= y.source.endLine);
      if (!has) ranked.push({ c: x, rank });
      else has.rank = Math.min(has.rank, rank);
    }
  };
  lines.push(`【${fmt.planName(o.plan)}】`);
  if (o.title) lines.push(truncate(o.title, 400));
  add(cite(o, code, o.title, o.titleSource), all ? 0 : 2);
  if (want("issued") && plan) {
    // The date as the plan writes it ("Lai Châu, ngày 09 tháng 01 năm 2026"), else as read from it.
    const date = o.dateText ?? (plan.date ? `ngày ${formatDate(plan.date)}` : "không ghi ngày");
    const facts = [plan.number ? `Số ${plan.number}` : "không ghi số", date, plan.issuer ? `do ${plan.issuer} ban hành` : ""].filter(Boolean);
    lines.push(`${facts.join(", ")}.`);
    add([
      ...(o.numberSource ? cite(o, code, plan.number ?? "", o.numberSource) : []),
      ...(o.dateSource ? cite(o, code, o.dateText ?? "", o.dateSource) : []),
      ...(o.issuerSource ? cite(o, code, plan.issuer, o.issuerSource) : []),
    ], all ? 0 : -1);
  }
  if (want("basis") || want("issued")) {
    if (o.basis.length && (want("basis") || !o.title)) {
      lines.push("Thực hiện:");
      for (const b of o.basis.slice(0, 8)) lines.push(`• ${truncate(b.text, 220)} (${where(b.source)})`);
      // What the title names it implements first; the laws it rests on ("Căn cứ …") after.
      const inTitle = (b: { text: string }) => fold(o.title).includes(fold(b.text).slice(0, 40));
      add(o.basis.filter(inTitle).flatMap((b) => cite(o, code, b.text, b.source)));
      add(o.basis.filter((b) => !inTitle(b)).flatMap((b) => cite(o, code, b.text, b.source)), 1);
    } else if (want("basis") && !o.basis.length) lines.push("Kế hoạch không ghi văn bản căn cứ.");
  }
  if (want("parts")) {
    let target = all ? -1 : headingOf(o, q, question, planWords(kb, o.plan));
    // "gồm những nhóm nhiệm vụ nào": the groups of the part that holds most of them.
    const f = fold(question);
    if (target < 0 && !all && /\bnhom\b/.test(f) && !/\bphan\b/.test(f)) {
      const tops = childrenOf(o, -1).filter((j) => !o.headings[j]!.appendix);
      const main = tops.reduce((a, b) => (childrenOf(o, b).length > childrenOf(o, a).length ? b : a), tops[0] ?? -1);
      if (main >= 0 && childrenOf(o, main).length >= 2) target = main;
    }
    if (target >= 0 && !facets.includes("appendices")) {
      const c = headingChildren(fmt, kb, o, target, false);
      lines.push(...c.text.split("\n").slice(0, -1));
      add(c.cited);
    } else {
      const parts = childrenOf(o, -1).map((j) => o.headings[j]!).filter((h) => !h.appendix);
      if (parts.length) {
        lines.push(`Gồm ${parts.length} phần:`);
        // Each part with the groups it holds, one level down, while the answer stays short enough to read on a phone.
        let room = 40;
        for (const h of parts) {
          const kids = childrenOf(o, o.headings.indexOf(h)).map((j) => o.headings[j]!);
          lines.push(`${label(h)}${kids.length ? ` — ${kids.length} mục` : ""} (${where(h.source)})`);
          add(cite(o, code, label(h), h.source));
          if (kids.length > 15 || kids.length > room) continue;
          room -= kids.length;
          for (const k of kids) lines.push(`   ${k.number ? k.number + ". " : "• "}${truncate(k.title, 120)} (${where(k.source)})`);
          add(kids.flatMap((k) => cite(o, code, label(k), k.source)), 1);
        }
      }
    }
  }
  if (want("appendices") || (want("parts") && all)) {
    const apps = o.headings.filter((h) => h.level === 1 && h.appendix);
    if (apps.length) {
      lines.push(`${apps.length} phụ lục:`);
      for (const h of apps) {
        const rows = [
          ...kb.tasks.filter((t) => t.plan === o.plan && t.source.line > h.source.line && appendixAt(o, t.source.line) === h),
          ...kb.indicators.filter((t) => t.plan === o.plan && t.source.line > h.source.line && appendixAt(o, t.source.line) === h),
        ];
        const tasks = rows.filter((r) => r.kind === "task").length;
        const inds = rows.length - tasks;
        const groups = childrenOf(o, o.headings.indexOf(h)).map((j) => o.headings[j]!.number).filter(Boolean);
        const what = [inds ? `${inds} chỉ tiêu` : "", tasks ? `${tasks} nhiệm vụ` : "", groups.length ? `nhóm ${groups[0]}–${groups[groups.length - 1]}` : ""].filter(Boolean).join(", ");
        lines.push(`• ${h.appendix}${h.title ? ` — ${truncate(h.title, 160)}` : ""}${what ? ` (${what})` : ""} (${where(h.source)})`);
      }
      add(apps.flatMap((h) => cite(o, code, h.appendix, h.source)));
    } else if (facets.includes("appendices")) lines.push("Kế hoạch không có phụ lục.");
  }
  if (want("signers")) {
    if (o.signers.length) {
      for (const s of o.signers) lines.push(`Ký: ${s.role}${s.name ? ` — ${s.name}` : ""} (${where(s.source)})`);
      // (one line each, and asked for by name: before the lists)
      add(o.signers.flatMap((s) => cite(o, code, s.name || s.role, s.source)), all ? 0 : -1);
    } else if (facets.includes("signers")) lines.push("Văn bản không ghi người ký.");
  }
  return { text: lines.join("\n"), cited: ranked.sort((a, b) => a.rank - b.rank).map((r) => r.c) };
}

/** The appendix heading a line sits in, or undefined in the body. */
export function appendixAt(o: PlanOutline, line: number): OutlineHeading | undefined {
  let found: OutlineHeading | undefined;
  for (const h of o.headings) if (h.level === 1 && h.appendix && h.source.line <= line) found = h;
  return found;
}
