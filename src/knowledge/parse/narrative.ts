// Running text → tasks, duties and passages.
// - Under "TỔ CHỨC THỰC HIỆN", who must do what, by when, and the periodic
//   reports with their dates, are duties.
// - Elsewhere, a heading or bold (lettered) line that names an agency ("a) Tổ
//   đảng ở Thường trực Ủy ban …", "1. Sở Tài chính") leads the bullets under
//   it: each is a task of that agency.
// - In a section that assigns work ("PHÂN CÔNG NHIỆM VỤ"), a sentence whose
//   subject is an agency ("X chủ trì, phối hợp với Y …", "Giao X …", "X có
//   trách nhiệm …") is a task of X.
import { fold, squash } from "../../text/vietnamese.js";
import { leadingAgencyText, splitAgencies, type AgencyDictionary } from "../agencies.js";
import { deadlineInSentence } from "../deadline.js";
import type { AgencyRef, Duty, Passage, Plan, ScheduleRule, Section, Task } from "../types.js";
import { END_OF_BODY, headingRank, headingTitle, type Paragraph as TextBlock } from "./paragraphs.js";
import { makeTask, type IdAllocator } from "./table-records.js";

const ORGANISATION = /^to chuc thuc hien\b/;
const ASSIGNMENT = /^(?:phan cong(?: nhiem vu| thuc hien| trach nhiem)?|giao nhiem vu|nhiem vu cu the cua cac)\b/;
/** Words a heading that is an agency's name starts with. */
const AGENCY_HEADING =
  /^(?:so|ban|bo|uy ban|ubnd|hdnd|dang uy|dang doan|ban can su|to dang|chi bo|dang bo|cong an|thanh tra|van phong|trung tam|vien|hoi dong|lanh dao|thuong truc|tinh doan|thanh doan|mat tran|ngan hang|doan dai bieu|cac (?:so|ban|bo|co quan|don vi|doan|dai bieu|to chuc|dang|ubnd|uy ban|phong|xa|phuong|hoi|truong|dia phuong|chi bo|tinh uy|huyen uy))\b/;
const AGENCY_START =
  /^(giao\s+)?(so|ban|bo chi huy|cong an|ubnd|uy ban|van phong|dang uy|dang doan|cac|co quan|thu truong|giam doc|chu tich|truong|phong|hdnd|tinh doan|thanh doan|thanh tra|thuong truc|trung tam|vien|bo tu lenh|kho bac|cuc|chi cuc|mat tran|lien hiep|ngan hang|bao hiem|bhxh|thong ke|to dang|doan dai bieu|doan thanh nien|hoi (?:lien hiep|nong dan|cuu chien binh|nha bao))\b/;
/** Verbs and adverbs that end a sentence's subject. */
const SUBJECT_END =
  /\s(?:theo chuc nang|co trach nhiem|truc tiep|tap trung|chu dong|nghiem tuc|can cu|xay dung|to chuc|trien khai|phoi hop|chi dao|lanh dao|thuc hien|tham muu|quan triet|tong hop|bao cao|theo doi|don doc|kiem tra|giam sat|ban hanh|ra soat|dinh ky|huong dan|tang cuong|khan truong|thuong xuyen|kip thoi|de xuat|bo tri|phat huy|chu tri|dam bao|bao dam|nghien cuu|cung cap|hoan thien|van hanh|duy tri|nang cap|ho tro|tiep tuc|tuyen truyen)\b/;

function schedulesOf(text: string): ScheduleRule[] {
  const f = fold(text);
  if (!/bao cao/.test(f)) return [];
  const rules: ScheduleRule[] = [];
  const m1 = /hang thang truoc ngay (\d{1,2})/.exec(f);
  if (m1) rules.push({ period: "month", day: Number(m1[1]), month: null, raw: text.slice(m1.index, m1.index + m1[0].length) });
  const m2 = /hang quy truoc ngay (\d{1,2}) thang cuoi quy/.exec(f);
  if (m2) rules.push({ period: "quarter", day: Number(m2[1]), month: 3, raw: text.slice(m2.index, m2.index + m2[0].length) });
  const m3 = /hang nam truoc ngay (\d{1,2})\/(\d{1,2})/.exec(f);
  if (m3) rules.push({ period: "year", day: Number(m3[1]), month: Number(m3[2]), raw: text.slice(m3.index, m3.index + m3[0].length) });
  // "định kỳ 6 tháng … trước ngày 15 tháng 6 và trước ngày 01 tháng 12": one yearly rule per date.
  const m4 = /dinh ky 6 thang[^.]*?((?:truoc ngay \d{1,2} thang \d{1,2}(?: va )?)+)/.exec(f);
  if (m4) {
    for (const d of m4[1]!.matchAll(/truoc ngay (\d{1,2}) thang (\d{1,2})/g)) {
      const at = m4.index + m4[0].indexOf(d[0]);
      rules.push({ period: "year", day: Number(d[1]), month: Number(d[2]), raw: text.slice(at, at + d[0].length) });
    }
  }
  if (rules.length) return rules;
  // Periods without dates: "hàng quý, 06 tháng, 01 năm báo cáo", "định kỳ hằng tháng, 3 tháng, 6 tháng, 9 tháng, 1 năm báo cáo".
  const m5 = /(?:dinh ky\s+)?(?:hang|hang)\s*(thang|quy|nam)((?:\s*,\s*(?:0?\d+|hang)\s*(?:thang|nam|quy))*)\s*,?\s*bao cao|dinh ky hang (thang|quy|nam) bao cao/.exec(f);
  if (m5) {
    const raw = text.slice(m5.index, m5.index + m5[0].length);
    const parts = fold(raw).match(/hang thang|hang quy|hang nam|0?\d+\s*(?:thang|nam)/g) ?? [];
    for (const p of parts) {
      const n = Number(/\d+/.exec(p)?.[0] ?? 0);
      if (p === "hang thang" || (n === 1 && p.endsWith("thang"))) rules.push({ period: "month", day: null, month: null, raw });
      else if (p === "hang quy" || (n === 3 && p.endsWith("thang"))) rules.push({ period: "quarter", day: null, month: null, raw });
      else if (n === 6 && p.endsWith("thang")) rules.push({ period: "half", day: null, month: null, raw });
      else if (n === 9 && p.endsWith("thang")) rules.push({ period: "year", day: null, month: 9, raw });
      else if (p === "hang nam" || p.endsWith("nam")) rules.push({ period: "year", day: null, month: null, raw });
    }
  }
  return rules;
}

const RECIPIENT = "(?:so|ban|bo|ubnd|uy ban|thuong truc|co quan|dang uy|tinh uy|thanh uy|van phong|chinh phu|thu tuong|hdnd)";

function reportToOf(text: string): string {
  const f = fold(text);
  const m = new RegExp(`bao cao[^.;]*?\\s(?:gui ve|gui|ve|voi)\\s+(${RECIPIENT}[^,;.(]*?)(?=\\s+(?:truoc|de|theo|qua)\\b|[,;.(]|$)`).exec(f);
  if (!m) return "";
  let end = m.index + m[0].length;
  // "… với Ban Thường vụ Đảng uỷ, Ban Chỉ đạo phường theo quy định": every recipient of the list.
  const more = new RegExp(`^(?:,\\s*|\\s+va\\s+)(${RECIPIENT}[^,;.(]*?)(?=\\s+(?:truoc|de|theo|qua)\\b|[,;.(]|$)`);
  for (let n = more.exec(f.slice(end)); n; n = more.exec(f.slice(end))) end += n[0].length;
  return squash(text.slice(m.index + m[0].length - m[1]!.length, end));
}

/** Subject of a sentence, when it names an agency: "Sở Tài chính chủ trì, …" → "Sở Tài chính". */
function subjectOf(text: string, dict: AgencyDictionary, planId: string): { subject: string; rest: string; coordinators: string } | undefined {
  let t = text.replace(/^(?:\d+(?:\.\d+)*[.)]|[-–+•])\s+/, "");
  // "Trên cơ sở Kế hoạch này, các sở …" / "Căn cứ …, …" / "Định kỳ, Thường trực …"
  t = t.replace(/^(?:Trên cơ sở|Căn cứ|Trong quá trình)[^,]*,\s*(?:nếu[^,]*,\s*)?/i, "");
  t = t.replace(/^(?:Định kỳ|Hằng năm|Hàng năm|Hằng quý|Hàng quý|Hằng tháng|Hàng tháng|Đồng thời|Ngoài ra),\s*/i, "");
  const colon = /^([^:]{3,90}):\s*(.+)$/.exec(t);
  if (colon && AGENCY_START.test(fold(colon[1]!))) return { subject: colon[1]!, rest: colon[2]!, coordinators: coordinatorsOf(colon[2]!, dict, planId) };
  const f = fold(t);
  const list = /^de nghi cac co quan:\s*/.exec(f);
  if (list) {
    const after = t.slice(list[0].length);
    const end = SUBJECT_END.exec(fold(after));
    return end ? { subject: after.slice(0, end.index), rest: after.slice(end.index).trim(), coordinators: "" } : undefined;
  }
  const known = leadingAgencyText(t.replace(/^Giao\s+/i, ""), dict, planId);
  if (known) {
    const offset = t.length - t.replace(/^Giao\s+/i, "").length;
    return { subject: known, rest: t.slice(offset + known.length).trim(), coordinators: coordinatorsOf(t, dict, planId) };
  }
  if (!AGENCY_START.test(f)) {
    // "Trong quá trình …, nếu …, các sở, ban, ngành, địa phương chủ động …": a known agency after a comma.
    for (let i = t.indexOf(","); i >= 0 && i < 300; i = t.indexOf(",", i + 1)) {
      const after = t.slice(i + 1).trimStart();
      const k = leadingAgencyText(after, dict, planId);
      // Only as the subject of a verb: "…, báo cáo với Ban Thường vụ, Ban Chỉ đạo phường theo quy định" names recipients.
      const verb = k ? SUBJECT_END.exec(" " + fold(after.slice(k.length))) : null;
      if (k && verb && verb.index <= 1) return { subject: k, rest: after.slice(k.length).trim(), coordinators: coordinatorsOf(after, dict, planId) };
    }
    return undefined;
  }
  const end = SUBJECT_END.exec(f);
  if (!end || end.index === 0) return undefined;
  const subject = t.slice(0, end.index).replace(/^Giao\s+/i, "");
  return { subject, rest: t.slice(end.index).trim(), coordinators: coordinatorsOf(t, dict, planId) };
}

/**
 * An item that gives its subject work to do: "Giao X …", "X chủ trì …", "X có trách nhiệm …" (`rest` is what
 * follows the subject). Other sentences about an agency ("Sở X là cơ quan thường trực …") are not assignments.
 */
function assignsWork(text: string, rest: string): boolean {
  const t = text.replace(/^(?:\d+(?:\.\d+)*[.)]|[-–+•]|[a-zđ]\))\s+/, "");
  return /^giao\s/.test(fold(t)) || /^(?:chu tri|co trach nhiem)\b/.test(fold(rest));
}

/** "… chủ trì, phối hợp với <agencies> …" → the agencies' text. */
function coordinatorsOf(text: string, dict: AgencyDictionary, planId: string): string {
  const m = /chu tri,?\s*phoi hop voi\s+/.exec(fold(text)) ?? /^[^,;.]{3,120}?\sphoi hop voi\s+/.exec(fold(text));
  if (!m) return "";
  const after = text.slice(m.index + m[0].length);
  const known = leadingAgencyText(after, dict, planId);
  if (known) return known;
  const end = SUBJECT_END.exec(" " + fold(after));
  return end && end.index <= 80 ? after.slice(0, Math.max(0, end.index - 1)).replace(/[,;]\s*$/, "") : "";
}

export interface NarrativeResult {
  tasks: Task[];
  duties: Duty[];
  passages: Passage[];
}

/** The agencies a heading is the name of ("Sở Tài chính (cơ quan chủ trì)", "a) Tổ đảng ở …"); none for other headings. */
function headingLeads(title: string, dict: AgencyDictionary, planId: string): AgencyRef[] {
  const t = title.replace(/\s*\((?:cơ quan|đơn vị)[^)]*\)\s*$/i, "").trim();
  const f = fold(t);
  if (t.length > 160 || /[.;:]$/.test(t)) return [];
  if (!AGENCY_HEADING.test(f) && !dict.matchPrefix(f, planId)) return [];
  // A heading that reads as a sentence ("Sở X xây dựng …") is a duty, not a name.
  const verb = new RegExp(SUBJECT_END.source, "g");
  for (let m = verb.exec(` ${f}`); m; m = verb.exec(` ${f}`)) if (m.index > 0 && !dict.matchWhole(t, planId)) return [];
  return splitAgencies(t, dict, planId).filter((a) => a.isAgency);
}

/** Walk the blocks once: headings give sections and paths; blocks under "TỔ CHỨC THỰC HIỆN" become duties. */
export function narrativeRecords(blocks: TextBlock[], plan: Plan, dict: AgencyDictionary, ids?: IdAllocator): NarrativeResult {
  const tasks: Task[] = [];
  const duties: Duty[] = [];
  let inAssignment = false;
  let group: { title: string; key: string; sec: string; n: number } | undefined;
  let groups = 0;
  let inSection = 0;
  const passages: Passage[] = [];
  const path: { level: number; title: string; section: Section }[] = [];
  let inOrganisation = false;
  let ended = false;
  let headingAgencies: AgencyRef[] = [];
  const byNumber = new Map<string, Duty>();

  for (const b of blocks) {
    const f = fold(b.text);
    // "Trên đây là Kế hoạch …" ends the body, and is itself read: it often says where proposals and problems go.
    const closing = !b.heading && /^tren day la\b/.test(f);
    if (END_OF_BODY.test(f)) {
      ended = true;
      inOrganisation = false;
    }
    if (b.heading) {
      const title = headingTitle(b.text);
      if (/^phu luc\b/.test(f)) ended = false;
      if (b.marker === "roman" || /^#|^[IVX]+[-.]/.test(b.text)) {
        if (b.marker === "roman") {
          inOrganisation = ORGANISATION.test(fold(title));
          inAssignment = ASSIGNMENT.test(fold(title));
        }
      }
      const level = headingRank(b);
      while (path.length && path[path.length - 1]!.level >= level) path.pop();
      path.push({ level, title, section: { number: b.number, title } });
      headingAgencies = inOrganisation && AGENCY_START.test(fold(title)) ? splitAgencies(title, dict, plan.id).filter((a) => a.isAgency) : [];
      group = undefined;
      inSection = 0;
      const named = title;
      const inBody = path.some((p) => p.level === 1);
      if (!inOrganisation && !ended && inBody && ids && headingLeads(named, dict, plan.id).length) {
        const outer = [...path].reverse().find((p) => p.level < level && /^\d+(?:\.\d+)*$/.test(p.section.number));
        groups++;
        group = { title: named, key: b.number || String(groups), sec: outer?.section.number ?? "", n: 0 };
      }
      continue;
    }
    if (ended && !closing) continue;
    const section = path.length ? path[path.length - 1]!.section : { number: "", title: "" };
    passages.push({
      kind: "passage",
      id: `${plan.code}-P${passages.length + 1}`,
      plan: plan.id,
      section,
      path: path.map((p) => p.title), // placed in the outline afterwards (parse/plan.ts)
      text: b.text,
      source: { file: plan.file, line: b.line, endLine: b.endLine, ...(b.page !== undefined ? { page: b.page } : {}) },
    });
    if (!inOrganisation) {
      if (!ids) continue;
      const action = b.text.replace(/^(?:\d+(?:\.\d+)*[.)]|[-–+•]|[a-zđ]\))\s+/, "");
      inSection++;
      if (group) {
        // A bullet under a heading that names an agency: that agency's task.
        group.n++;
        // "DDQH-2.2.a1": the enclosing section, the group's letter, the bullet's place. (Never "DDQH-d1" or
        // "DDQH-p1", which would read as a duty's or a passage's id.)
        const letter = /^[a-zđ]$/.test(group.key);
        const key = letter ? `${group.key.replace(/đ/g, "dd")}${group.n}` : `${group.key}.${group.n}`;
        const { id } = ids.take(`${plan.code}-${group.sec ? `${group.sec}.${key}` : letter ? `${key.replace(/^([a-z]+)/, "$1.")}` : key}`);
        tasks.push(narrativeTask(id, key, group.title, action, b, section, group.title));
      } else if (inAssignment || (b.marker !== "plain" && path.some((p) => p.level === 1))) {
        // Under "PHÂN CÔNG NHIỆM VỤ" any sentence whose subject is an agency; elsewhere in the body, a
        // numbered or bulleted item that assigns work to its subject ("Giao X …", "X chủ trì …", "X có trách nhiệm …").
        const subj = subjectOf(b.text, dict, plan.id);
        if (subj && (inAssignment || assignsWork(b.text, subj.rest)) && splitAgencies(subj.subject, dict, plan.id).some((a) => a.isAgency)) {
          const key = b.number || String(inSection);
          const { id } = ids.take(`${plan.code}-${section.number ? `${section.number}.` : ""}${key}`);
          const t = narrativeTask(id, b.number, subj.subject, action, b, section);
          tasks.push(t);
        }
      }
      continue;
    }
    const subj = subjectOf(b.text, dict, plan.id);
    const named = subj ? splitAgencies(subj.subject, dict, plan.id).filter((a) => a.isAgency) : [];
    const agencies = named.length ? named : headingAgencies;
    let schedule = schedulesOf(b.text);
    // "…theo tinh thần tại mục 2, phần V nêu trên": the schedule of duty 2.
    const ref = /theo tinh than tai muc (\d+)/.exec(f);
    if (!schedule.length && ref && /bao cao/.test(f)) schedule = byNumber.get(ref[1]!)?.schedule.map((r) => ({ ...r })) ?? [];
    if (agencies.length === 0 && schedule.length === 0) continue;
    const duty: Duty = {
      kind: "duty",
      id: `${plan.code}-D${duties.length + 1}`,
      plan: plan.id,
      section,
      agency: named.length ? squash(subj!.subject) : agencies.map((a) => a.text).join(", "),
      agencies,
      coordinators: subj?.coordinators ? splitAgencies(subj.coordinators, dict, plan.id).map((a) => a.text) : [],
      action: b.text.replace(/^(?:\d+(?:\.\d+)*[.)]|[-–+•])\s+/, ""),
      deadline: deadlineInSentence(b.text),
      schedule,
      reportTo: schedule.length ? reportToOf(b.text) : "",
      source: { file: plan.file, line: b.line, endLine: b.endLine, ...(b.page !== undefined ? { page: b.page } : {}) },
    };
    duties.push(duty);
    if (b.marker === "number") byNumber.set(b.number, duty);
  }
  return { tasks, duties, passages };

  function narrativeTask(id: string, ordinal: string, leadText: string, action: string, b: TextBlock, section: Section, parent?: string): Task {
    const t = makeTask(
      {
        plan,
        section,
        ordinal,
        name: action,
        leadCell: squash(leadText),
        coordinatorsCell: coordinatorsOf(action, dict, plan.id),
        deadlineText: "",
        basis: "",
        file: plan.file,
        line: b.line,
        endLine: b.endLine,
        ...(b.page !== undefined ? { page: b.page } : {}),
        ...(parent ? { parent } : {}),
      },
      id,
      dict,
      ["from-text"],
    );
    const d = deadlineInSentence(action);
    if (d) t.deadline = d;
    return t;
  }
}
