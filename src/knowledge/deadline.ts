// Deadline text → { raw, due, kind, milestones }. `due` is an ISO date or null;
// `kind` names the rule that applied (see DeadlineKind).
import { fold, squash } from "../text/vietnamese.js";
import type { Deadline, DeadlineKind, Milestone } from "./types.js";

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

function iso(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

function lastDayOfMonth(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

interface Hit {
  index: number;
  end: number;
  due: string | null;
  kind: DeadlineKind;
}

// Patterns over folded text (lower case, no diacritics), so "Quý", "quy", "QUÝ" all match.
const PATTERNS: { re: RegExp; make: (m: RegExpExecArray) => { due: string | null; kind: DeadlineKind } | null }[] = [
  {
    // 15/12/2026, 30/06/2026, "ngày 01 tháng 12 năm 2026"
    re: /\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b|\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b/g,
    make: (m) => {
      const d = Number(m[1] ?? m[4]);
      const mo = Number(m[2] ?? m[5]);
      const y = Number(m[3] ?? m[6]);
      const due = iso(y, mo, d);
      return due ? { due, kind: "date" } : null;
    },
  },
  {
    // Tháng 9/2026, tháng 02 năm 2025
    re: /\bthang\s+(\d{1,2})\s*(?:\/|\s+nam\s+)(\d{4})\b/g,
    make: (m) => {
      const mo = Number(m[1]);
      return mo >= 1 && mo <= 12 ? { due: lastDayOfMonth(Number(m[2]), mo), kind: "month" } : null;
    },
  },
  {
    // Quý III/2026, Quý II năm 2026, quý 3/2026
    re: /\bquy\s+(iv|iii|ii|i|[1-4])\s*(?:\/|\s+nam\s+|\s*-\s*)(\d{4})\b/g,
    make: (m) => {
      const q = ROMAN[m[1]!] ?? Number(m[1]);
      return { due: lastDayOfMonth(Number(m[2]), q * 3), kind: "quarter" };
    },
  },
  {
    // Năm 2026, Trong năm 2026, năm 2028 hoàn thành…, xong 2026
    re: /\b(?:nam|xong)\s+(20\d{2})\b/g,
    make: (m) => ({ due: `${m[1]}-12-31`, kind: "year" }),
  },
];

const RECURRING = /^(nhiem vu )?thuong xuyen|^hang nam|^hang thang|^hang quy|^dinh ky/;
const ELSEWHERE = /^theo (lo trinh|de an|ke hoach|tien do|quy dinh|chi dao|huong dan)/;

function milestonesOf(raw: string): Milestone[] {
  const f = fold(raw);
  const hits: Hit[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(f); m; m = p.re.exec(f)) {
      const r = p.make(m);
      if (!r) continue;
      // A match inside an earlier, longer one ("năm 2026" inside "ngày 01 tháng 12 năm 2026") is not a new milestone.
      if (hits.some((h) => m!.index < h.end && m!.index + m![0].length > h.index)) continue;
      hits.push({ index: m.index, end: m.index + m[0].length, ...r });
    }
  }
  hits.sort((a, b) => a.index - b.index);
  return hits.map((h, i) => {
    const next = hits[i + 1];
    const piece = squash(raw.slice(h.index, next ? next.index : raw.length)).replace(/[,;]+$/, "");
    return { raw: piece, due: h.due, kind: h.kind };
  });
}

/** Parse a deadline cell or phrase exactly as the plan wrote it. */
export function parseDeadline(rawInput: string): Deadline {
  const raw = squash(rawInput).replace(/\.$/, "");
  if (!raw) return { raw: "", due: null, kind: "none", milestones: [] };
  const f = fold(raw).replace(/^(truoc|trong|den|vao|hoan thanh)\s+/, "");
  const dated = milestonesOf(raw);
  if (RECURRING.test(f)) {
    // "Thường xuyên (xây dựng bản đồ công nghệ xong 2026)": recurring first, later milestones kept.
    const head: Milestone = { raw, due: null, kind: "recurring" };
    return { ...head, milestones: [head, ...dated.map((m) => m)] };
  }
  if (ELSEWHERE.test(f) && !/^\d/.test(f)) {
    const head: Milestone = { raw, due: null, kind: "elsewhere" };
    return { ...head, milestones: [head] };
  }
  const first = dated[0];
  if (first) return { raw, due: first.due, kind: first.kind, milestones: dated };
  const unknown: Milestone = { raw, due: null, kind: "unknown" };
  return { ...unknown, milestones: [unknown] };
}
