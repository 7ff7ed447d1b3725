// Answers composed from record fields: agencies, dates and targets are copied
// from the record, never rephrased. Short enough for a phone screen, each with a
// citation an official can follow (plan, appendix/section, TT, line, record id).
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Duty, Indicator, KnowledgeRecord, Passage, Task } from "../../knowledge/types.js";
import { truncate } from "../../text/vietnamese.js";
import type { IntentKind } from "./intent.js";

/** Finds the appendix ("Phụ lục II") a source line sits in. */
export type AppendixOf = (file: string, line: number) => string | null;

export interface Formatter {
  block(r: KnowledgeRecord, focus: IntentKind, opts?: { compact?: boolean; targetYear?: 2026 | 2030 }): string;
  citation(r: KnowledgeRecord): string;
  /** One bullet line; `withLead` adds the lead agency (for lists that span agencies). */
  listLine(r: KnowledgeRecord, opts?: { withLead?: boolean }): string;
  planName(planId: string): string;
}

const NAME_MAX = 200;

function joinOr(list: string[], empty: string): string {
  const xs = list.map((s) => s.trim()).filter(Boolean);
  return xs.length ? xs.join("; ") : empty;
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
    parts.push(r.source.endLine > r.source.line ? `dòng ${r.source.line}–${r.source.endLine}` : `dòng ${r.source.line}`);
    parts.push(`mã ${r.id}`);
    return "Nguồn: " + parts.filter(Boolean).join(" · ");
  }

  function taskBlock(t: Task, focus: IntentKind, compact: boolean): string {
    const lines: string[] = [];
    if (!compact) lines.push(`Nhiệm vụ: ${truncate(t.name, NAME_MAX)}`);
    const lead = `Chủ trì: ${joinOr(t.lead, "(kế hoạch không ghi)")}`;
    const coord = `Phối hợp: ${joinOr(t.coordinators, "(kế hoạch không ghi)")}`;
    const dl = `Thời hạn: ${t.deadline.raw.trim() || "(kế hoạch không ghi)"}`;
    if (focus === "deadline") lines.push(dl, lead, coord);
    else if (focus === "coordinators") lines.push(coord, lead, dl);
    else lines.push(lead, coord, dl);
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

  function dutyBlock(d: Duty, compact: boolean): string {
    const lines: string[] = [];
    const prefix = d.agency && !d.action.startsWith(d.agency) ? d.agency + ": " : "";
    lines.push(`${prefix}${truncate(d.action, compact ? 160 : 280)}`);
    if (d.schedule.length) lines.push(`Lịch báo cáo: ${[...new Set(d.schedule.map((s) => s.raw.trim()))].join("; ")}`);
    if (d.deadline?.raw) lines.push(`Thời hạn: ${d.deadline.raw}`);
    if (d.reportTo) lines.push(`Gửi: ${d.reportTo}`);
    lines.push(citation(d));
    return lines.join("\n");
  }

  function passageBlock(p: Passage, compact: boolean): string {
    const where = p.path.length ? p.path.map((x) => truncate(x, 60)).join(" › ") : p.section.title;
    return [`${planName(p.plan)}${where ? " — " + where : ""}:`, `“${truncate(p.text, compact ? 200 : 400)}”`, citation(p)].join("\n");
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
          return dutyBlock(r, compact);
        case "passage":
          return passageBlock(r, compact);
      }
    },
    listLine(r, opts = {}) {
      switch (r.kind) {
        case "task": {
          const lead = opts.withLead ? `chủ trì: ${joinOr(r.lead, "chưa ghi")}; ` : "";
          return `• ${r.id} — ${truncate(r.name, opts.withLead ? 70 : 90)} (${lead}hạn: ${r.deadline.raw.trim() || "không ghi"})`;
        }
        case "indicator":
          return `• ${r.id} — ${truncate(r.name, 90)} (2026: ${r.target2026 || "—"}; 2030: ${r.target2030 || "—"})`;
        case "duty":
          return `• ${r.id} — ${truncate(r.action, 90)}`;
        case "passage":
          return `• ${r.id} — ${truncate(r.text, 90)}`;
      }
    },
  };
}

/** The "Phụ lục …" heading above each line of each plan file. */
export function appendixFinder(files: Map<string, string>): AppendixOf {
  const marks = new Map<string, { line: number; label: string }[]>();
  for (const [file, text] of files) {
    const list: { line: number; label: string }[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.normalize("NFC").replace(/<[^>]+>|[*#_]/g, "").trim();
      const m = line.match(/^(PHỤ LỤC|Phụ lục|PHU LUC|Phu luc)(?:\s+(?:số|SỐ)\s*)?\s*([0-9]{1,2}|[IVX]{1,4})?\b/);
      if (m && line.length < 80) list.push({ line: i + 1, label: `Phụ lục${m[2] ? " " + m[2] : ""}` });
    });
    marks.set(file, list);
  }
  return (file, line) => {
    const list = marks.get(file);
    if (!list) return null;
    let label: string | null = null;
    for (const m of list) if (m.line <= line) label = m.label;
    return label;
  };
}
