// The one answer composer: every kind of answer is written from record fields —
// agencies, dates and targets copied from the record, never rephrased. Short
// enough for a phone screen, each record with a citation an official can
// follow (plan, appendix/section, TT, line or page, record id).
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Duty, Indicator, KnowledgeRecord, Passage, Task } from "../../knowledge/types.js";
import { fold, truncate } from "../../text/vietnamese.js";
import type { Ask } from "./query.js";

/** What a record block puts first. */
export type Focus = Ask;

/** Finds the appendix ("Phụ lục II") a source line sits in. */
export type AppendixOf = (file: string, line: number) => string | null;

export interface Formatter {
  /** `around`: the question's words; running text too long to show whole is shown from the clause they are in. */
  block(r: KnowledgeRecord, focus: Focus, opts?: { compact?: boolean; targetYear?: 2026 | 2030; around?: string }): string;
  citation(r: KnowledgeRecord): string;
  /** One bullet line; `withLead` adds the lead agency (for lists that span agencies). */
  listLine(r: KnowledgeRecord, opts?: { withLead?: boolean; full?: boolean; deadlines?: string[] }): string;
  planName(planId: string): string;
}

/** A single record shows its words whole up to here (a chat message holds ~4000). */
const NAME_MAX = 600;
const ACTION_MAX = 900;
/** A row of a list shows its whole name up to here: officials read what the task is. */
const LIST_NAME_MAX = 220;

/**
 * Running text cut to `max` characters from the clause that holds most of the question's words
 * ("… đề xuất gửi Sở Khoa học và Công nghệ để tổng hợp"), so what was asked is not cut off.
 */
export function excerpt(text: string, max: number, around: string | undefined): string {
  if (text.length <= max || !around) return truncate(text, max);
  const words = [...new Set(fold(around).split(/\s+/).filter((w) => w.length > 1))];
  const clauses = text.split(/(?<=[.;:,])\s+/);
  let best = 0;
  let bestHits = 0;
  clauses.forEach((c, i) => {
    const f = ` ${fold(c).replace(/[^a-z0-9]+/g, " ")} `;
    const hits = words.filter((w) => f.includes(` ${w} `)).length;
    if (hits > bestHits) [best, bestHits] = [i, hits];
  });
  const from = clauses.slice(0, best).join(" ").length;
  if (best === 0 || from + clauses[best]!.length <= max - 1) return truncate(text, max);
  return `…${truncate(clauses.slice(best).join(" "), max - 1)}`;
}

function joinOr(list: string[], empty: string): string {
  const xs = list.map((s) => s.trim()).filter(Boolean);
  return xs.length ? xs.join("; ") : empty;
}

/** The agencies as the plan's cell wrote them ("Sở KH&CN, Công an Thành phố"), when the cell holds each of them; else one by one. */
function asWritten(raw: string, list: string[], empty: string): string {
  const r = raw.replace(/\s+/g, " ").trim();
  if (r && r.length <= 300 && list.length && list.every((a) => r.includes(a.trim()))) return r.replace(/[.;]+$/, "");
  return joinOr(list, empty);
}

export function createFormatter(kb: KnowledgeIndex, appendixOf: AppendixOf): Formatter {
  const planName = (id: string) => kb.plan(id)?.shortName ?? id;

  function citation(r: KnowledgeRecord): string {
    const parts: string[] = [planName(r.plan)];
    const app = appendixOf(kb.plan(r.plan)?.file ?? r.source.file, r.source.line);
    switch (r.kind) {
      case "task":
        parts.push([app, r.section.number ? `mục ${r.section.number}` : "", r.ordinal ? `TT ${r.ordinal}` : ""].filter(Boolean).join(", "));
        break;
      case "indicator":
        parts.push([app, r.group.number ? `nhóm ${r.group.number}` : "", r.ordinal ? `TT ${r.ordinal}` : ""].filter(Boolean).join(", "));
        break;
      case "duty":
      case "passage":
        parts.push([app, r.section.number ? `mục ${r.section.number}` : ""].filter(Boolean).join(", "));
        break;
    }
    if (r.source.page) parts.push(`trang ${r.source.page}`);
    else parts.push(r.source.endLine > r.source.line ? `dòng ${r.source.line}–${r.source.endLine}` : `dòng ${r.source.line}`);
    parts.push(`mã ${r.id}`);
    return "Nguồn: " + parts.filter(Boolean).join(" · ");
  }

  function taskBlock(t: Task, focus: Focus, compact: boolean): string {
    const lines: string[] = [];
    // A target written as a task ("Tỷ lệ … đạt ≥ 37,6%") keeps its words even in a short block.
    if (!compact || focus === "target") lines.push(`Nhiệm vụ: ${truncate(t.name, compact ? 200 : NAME_MAX)}`);
    const lead = `Chủ trì: ${asWritten(t.leadRaw, t.lead, "(kế hoạch không ghi)")}`;
    const coord = `Phối hợp: ${asWritten(t.coordinatorsRaw, t.coordinators, "(kế hoạch không ghi)")}`;
    const dl = `Thời hạn: ${t.deadline.raw.trim() || "(kế hoạch không ghi)"}`;
    if (focus === "when") lines.push(dl, lead, coord);
    else if (focus === "coordinators") lines.push(coord, lead, dl);
    else lines.push(lead, coord, dl);
    if (t.result && !compact) lines.push(`Kết quả dự kiến: ${truncate(t.result, 160)}`);
    if (t.basis && !compact) lines.push(`Căn cứ: ${truncate(t.basis, 120)}`);
    lines.push(citation(t));
    return lines.join("\n");
  }

  function indicatorBlock(i: Indicator, year: 2026 | 2030 | undefined, compact: boolean): string {
    const unit = i.unit ? ` (${i.unit})` : "";
    const y26 = `Năm 2026: ${i.target2026.trim() || "(không ghi)"}${unit}`;
    const y30 = `Đến hết năm 2030: ${i.target2030.trim() || "(không ghi)"}${unit}`;
    const lines: string[] = [];
    if (!compact) lines.push(`Chỉ tiêu: ${truncate(i.name, NAME_MAX)}`);
    lines.push(...(year === 2030 ? [y30, y26] : [y26, y30]));
    lines.push(`Chủ trì: ${joinOr(i.lead, "(kế hoạch không ghi)")}`);
    if (i.note && !compact) lines.push(`Ghi chú: ${truncate(i.note, 80)}`);
    lines.push(citation(i));
    return lines.join("\n");
  }

  function dutyBlock(d: Duty, compact: boolean, around?: string): string {
    const lines: string[] = [];
    const prefix = d.agency && !d.action.startsWith(d.agency) ? d.agency + ": " : "";
    lines.push(`${prefix}${excerpt(d.action, compact ? 160 : ACTION_MAX, around)}`);
    if (d.schedule.length) lines.push(`Lịch báo cáo: ${[...new Set(d.schedule.map((s) => s.raw.trim()))].join("; ")}`);
    if (d.deadline?.raw) lines.push(`Thời hạn: ${d.deadline.raw}`);
    if (d.reportTo) lines.push(`Gửi: ${d.reportTo}`);
    lines.push(citation(d));
    return lines.join("\n");
  }

  function passageBlock(p: Passage, compact: boolean, around?: string): string {
    const where = p.path.length ? p.path.map((x) => truncate(x, 60)).join(" › ") : p.section.title;
    return [`${planName(p.plan)}${where ? " — " + where : ""}:`, `“${excerpt(p.text, compact ? 200 : 400, around)}”`, citation(p)].join("\n");
  }

  return {
    planName,
    citation,
    block(r, focus, opts = {}) {
      const compact = opts.compact ?? false;
      switch (r.kind) {
        case "task":
          return taskBlock(r, focus, compact);
        case "indicator":
          return indicatorBlock(r, opts.targetYear, compact);
        case "duty":
          return dutyBlock(r, compact, opts.around);
        case "passage":
          return passageBlock(r, compact, opts.around);
      }
    },
    listLine(r, opts = {}) {
      const max = opts.full ? 1200 : LIST_NAME_MAX;
      switch (r.kind) {
        case "task": {
          const lead = opts.withLead ? `chủ trì: ${asWritten(r.leadRaw, r.lead, "chưa ghi")}; ` : "";
          const result = opts.full && r.result ? `; kết quả: ${truncate(r.result, 160)}` : "";
          return `• ${r.id} — ${truncate(r.name, max)} (${lead}hạn: ${r.deadline.raw.trim() || "không ghi"}${result})`;
        }
        case "indicator":
          return `• ${r.id} — ${truncate(r.name, max)} (2026: ${r.target2026 || "—"}; 2030: ${r.target2030 || "—"}${opts.withLead ? `; chủ trì: ${joinOr(r.lead, "chưa ghi")}` : ""})`;
        case "duty": {
          const when = r.deadline?.raw ? ` (hạn: ${r.deadline.raw})` : r.schedule.length ? ` (báo cáo: ${[...new Set(r.schedule.map((s) => s.raw.trim()))].join("; ")})` : "";
          return `• ${r.id} — ${truncate(r.action, max)}${when}`;
        }
        case "passage": {
          const due = opts.deadlines?.length ? `hạn: ${opts.deadlines.join("; ")}; ` : "";
          return `• ${r.id} — ${truncate(r.text, max)} (${due}${planName(r.plan)}, dòng ${r.source.line})`;
        }
      }
    },
  };
}

/** The "Phụ lục …" heading above each line of each plan, as its outline read it. */
export function appendixFinder(kb: KnowledgeIndex): AppendixOf {
  // The appendices each plan's outline found (any format), by file, in line order.
  const marks = new Map<string, { line: number; label: string }[]>();
  for (const p of kb.plans) {
    for (const h of kb.outline(p.id)?.headings ?? []) {
      if (h.level !== 1 || !h.appendix) continue;
      const list = marks.get(h.source.file) ?? [];
      list.push({ line: h.source.line, label: h.appendix });
      marks.set(h.source.file, list);
    }
  }
  return (file, line) => {
    const list = marks.get(file);
    if (!list) return null;
    let label: string | null = null;
    for (const m of list) if (m.line <= line) label = m.label;
    return label;
  };
}
