// Deadline text → { raw, due, kind, milestones }. `due` is an ISO date or null;
// `kind` names the rule that applied (see DeadlineKind). The vocabulary of
// dates and periods lives in src/text/date-grammar.ts.
import { findPeriods, type Period } from "../text/date-grammar.js";
import { fold, squash } from "../text/vietnamese.js";
import type { Deadline, Milestone } from "./types.js";

const RECURRING = /^(?:nhiem vu )?thuong xuyen|^hang (?:nam|thang|quy|tuan|ngay)|^dinh ky|^lien tuc|^moi (?:nam|thang|quy)/;
const ELSEWHERE =
  /^(?:theo (?:lo trinh|de an|ke hoach|tien do|quy dinh|chi dao|huong dan|yeu cau|thong bao|van ban|chuong trinh)|khi (?:co|duoc|du)|sau khi|tuy theo|can cu)/;

function milestoneOf(p: Period, raw: string): Milestone {
  const m: Milestone = { raw, due: p.end, kind: p.kind };
  if (p.range) m.start = p.start;
  if (p.ongoing) m.ongoing = true;
  return m;
}

function milestonesOf(raw: string, loose: boolean): Milestone[] {
  const hits = findPeriods(raw, { loose });
  return hits.map((h, i) => {
    const next = hits[i + 1];
    const piece = squash(raw.slice(h.index, next ? next.index : raw.length)).replace(/[,;]+$/, "").replace(/\s+(?:va|và)$/i, "");
    return milestoneOf(h, piece);
  });
}

/** Parse a deadline cell or phrase exactly as the plan wrote it. */
export function parseDeadline(rawInput: string): Deadline {
  const raw = squash(rawInput).replace(/\.$/, "");
  if (!raw) return { raw: "", due: null, kind: "none", milestones: [] };
  const f = fold(raw).replace(/^(?:truoc|trong|den|vao|hoan thanh)\s+/, "");
  const dated = milestonesOf(raw, true);
  if (RECURRING.test(f)) {
    // "Thường xuyên (xây dựng bản đồ công nghệ xong 2026)": recurring first, later milestones kept.
    const head: Milestone = { raw, due: null, kind: "recurring" };
    return { ...head, milestones: [head, ...dated] };
  }
  if (ELSEWHERE.test(f) && !/^\d/.test(f)) {
    const head: Milestone = { raw, due: null, kind: "elsewhere" };
    return { ...head, milestones: [head] };
  }
  const first = dated[0];
  if (first) {
    const d: Deadline = { raw, due: first.due, kind: first.kind, milestones: dated };
    if (first.start) d.start = first.start;
    if (first.ongoing) d.ongoing = true;
    return d;
  }
  const unknown: Milestone = { raw, due: null, kind: "unknown" };
  return { ...unknown, milestones: [unknown] };
}

/**
 * A deadline written inside a sentence: "hoàn thành trong Quý II năm 2026",
 * "trong tháng 02 năm 2025", "trước ngày 30/01/2026", "chậm nhất ngày …".
 * Only periods after such a phrase count (a sentence also cites documents by date).
 */
export function deadlineInSentence(text: string): Deadline | null {
  const f = fold(text);
  const trigger = /\b(?:hoan thanh(?: trong| truoc| vao| xong| cham nhat)?|cham nhat(?: la| vao)?|xong truoc|ket thuc (?:trong|vao|truoc)|truoc|trong|vao|den het|den cuoi)\s+/g;
  for (let m = trigger.exec(f); m; m = trigger.exec(f)) {
    const from = m.index + m[0].length;
    // the period must start right after the phrase ("ngày", "tháng", "quý", "năm" or digits)
    const back = /^(?:ngay|thang|quy|qui|nam|\d|6 thang)/.test(f.slice(from)) ? m.index : -1;
    if (back < 0) continue;
    const periods = findPeriods(text.slice(from), { loose: false });
    const p = periods[0];
    if (!p || p.index > 12) continue;
    const phrase = squash(text.slice(m.index, from + p.index + p.length)).replace(/^hoàn thành\s+(?=\S+\s)/i, "");
    const ms = milestoneOf(p, squash(text.slice(from + p.index, from + p.index + p.length)));
    return { ...ms, raw: phrase, milestones: [ms] };
  }
  return null;
}
