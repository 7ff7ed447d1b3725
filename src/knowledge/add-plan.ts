// Adding and removing a plan from the chat (the knowledge side; the command and
// the channel plumbing live in the core). A file sent by an admin is checked by
// content and size, stored in KNOWLEDGE_DIR — replacing the older version of
// the same plan (same issuer and number, or same file name), so its ids and
// status history carry over — and ingested at once. The result is a value: a
// summary to show, or a refusal with a reason and a Vietnamese sentence.
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fold } from "../text/vietnamese.js";
import { formatDate } from "../text/dates.js";
import { DocumentReadError, type ReadFailure } from "./document.js";
import { planFacts } from "./facts.js";
import { ingest, readStored, type IngestOptions, type IngestResult } from "./ingest.js";
import { KnowledgeIndex } from "./knowledge-index.js";
import { MAX_PLAN_BYTES, readDocument, sniff } from "./read/index.js";
import { planKey } from "./state.js";
import type { KnowledgeBase, KnowledgeRecord, Plan } from "./types.js";

export interface PlanSummary {
  plan: Pick<Plan, "id" | "code" | "shortName" | "title" | "issuer" | "number" | "date" | "locality" | "level">;
  file: string;
  /** The file of the older version this one replaced. */
  replaced?: string;
  format: string;
  layouts: string[];
  counts: { tasks: number; indicators: number; duties: number; passages: number };
  /** Problems met, with their place (line, and page for PDF). */
  warnings: { line: number; message: string }[];
  /** Three records to show what was read. */
  samples: { id: string; kind: KnowledgeRecord["kind"]; text: string; lead: string; deadline: string }[];
  /** Records of the older version that this one no longer has (archived with their history). */
  archived: number;
}

export type AddRefusal = ReadFailure | "empty";

export type AddPlanResult =
  | { ok: true; summary: PlanSummary; knowledge: KnowledgeIndex; ingest: IngestResult }
  | { ok: false; reason: AddRefusal; message: string };

export type RemovePlanResult =
  | { ok: true; plan: Plan; archived: number; knowledge: KnowledgeIndex }
  | { ok: false; message: string };

const REFUSAL_VI: Record<AddRefusal, string> = {
  "too-large": "Tệp lớn hơn 20 MB, không nhận được.",
  unsupported: "Tệp không phải kế hoạch dạng .docx, .pdf, .md, .txt hoặc .html.",
  broken: "Tệp bị hỏng hoặc không đọc được.",
  encrypted: "Tệp có mật khẩu; hãy lưu lại không đặt mật khẩu rồi gửi lại.",
  scanned: "Tệp PDF là ảnh quét, không có lớp chữ; hãy gửi bản Word hoặc PDF có chữ (đã nhận dạng OCR).",
  empty: "Tệp không có nội dung.",
};

/** "KH 617 (sửa).docx" → "kh-617-sua.docx": an ASCII file name for knowledge/. */
export function safeFileName(name: string, format: string): string {
  const base = fold(name.replace(/\.[^.]+$/, ""))
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  const ext = format === "html" ? "html" : format;
  return `${base || "ke-hoach"}.${ext}`;
}

function currentKb(opts: IngestOptions): KnowledgeBase | undefined {
  return readStored(opts);
}

function sample(r: KnowledgeRecord): PlanSummary["samples"][number] {
  switch (r.kind) {
    case "task":
      return { id: r.id, kind: r.kind, text: r.name, lead: r.lead.join(", "), deadline: r.deadline.raw };
    case "indicator":
      return { id: r.id, kind: r.kind, text: r.name, lead: r.lead.join(", "), deadline: r.target2026 ? `2026: ${r.target2026}` : "" };
    case "duty":
      return { id: r.id, kind: r.kind, text: r.action, lead: r.agency, deadline: r.deadline?.raw ?? "" };
    case "passage":
      return { id: r.id, kind: r.kind, text: r.text, lead: "", deadline: "" };
  }
}

/** Three records spread over the plan: the first, one from the middle, the last (tasks first, then the rest). */
function samplesOf(records: KnowledgeRecord[]): PlanSummary["samples"] {
  if (records.length <= 3) return records.map(sample);
  return [records[0]!, records[Math.floor(records.length / 2)]!, records[records.length - 1]!].map(sample);
}

export function summaryOf(result: IngestResult, file: string, replaced?: string): PlanSummary | undefined {
  const kb = result.kb;
  const plan = kb.plans.find((p) => p.file === file);
  const report = result.files.find((f) => f.file === file);
  if (!plan || !report) return undefined;
  const tasks = kb.tasks.filter((t) => t.plan === plan.id);
  const indicators = kb.indicators.filter((i) => i.plan === plan.id);
  const duties = kb.duties.filter((d) => d.plan === plan.id);
  const main = tasks.length ? tasks : indicators.length ? indicators : duties.length ? duties : kb.passages.filter((p) => p.plan === plan.id);
  const s: PlanSummary = {
    plan: { id: plan.id, code: plan.code, shortName: plan.shortName, title: plan.title, issuer: plan.issuer, number: plan.number, date: plan.date, locality: plan.locality, level: plan.level },
    file,
    format: report.format,
    layouts: report.layouts,
    counts: { tasks: tasks.length, indicators: indicators.length, duties: duties.length, passages: report.passages },
    warnings: kb.warnings.filter((w) => w.file === file).map((w) => ({ line: w.line, message: w.message })),
    samples: samplesOf(main),
    archived: result.archived.filter((r) => r.plan === plan.id).length,
  };
  if (replaced) s.replaced = replaced;
  return s;
}

/**
 * Take a plan file sent in chat: check it, store it (replacing the older version of the
 * same plan), ingest, and say what was read.
 */
export async function addPlan(fileName: string, data: Uint8Array, opts: IngestOptions): Promise<AddPlanResult> {
  const refuse = (reason: AddRefusal, detail?: string): AddPlanResult => ({ ok: false, reason, message: detail ? `${REFUSAL_VI[reason]} (${detail})` : REFUSAL_VI[reason] });
  if (data.byteLength === 0) return refuse("empty");
  if (data.byteLength > MAX_PLAN_BYTES) return refuse("too-large");
  const kind = sniff(fileName, data);
  if ("refused" in kind) return refuse(kind.reason);
  // Read it once here: a file that cannot be read never reaches knowledge/.
  let doc;
  try {
    doc = await readDocument(fileName, data);
  } catch (err) {
    if (err instanceof DocumentReadError) return refuse(err.reason);
    return refuse("broken");
  }
  if (!doc.blocks.length) return refuse("empty");
  const facts = planFacts(doc.blocks);
  const kb = currentKb(opts) ?? (await ingest(opts)).kb;
  const key = planKey(facts, fileName);
  const target0 = safeFileName(fileName, kind.format);
  // The same plan: same issuer + number, or the same file name whatever its extension.
  const same = kb.plans.find((p) => p.key === key) ?? kb.plans.find((p) => p.id === target0.replace(/\.[^.]+$/, ""));
  const target = same ? `${same.id}.${target0.split(".").pop()}` : uniqueName(target0, opts.knowledgeDir);
  const tmp = join(opts.knowledgeDir, `.${target}.${process.pid}.part`);
  writeFileSync(tmp, data);
  renameSync(tmp, join(opts.knowledgeDir, target));
  if (same && same.file !== target && existsSync(join(opts.knowledgeDir, same.file))) rmSync(join(opts.knowledgeDir, same.file));
  const result = await ingest({ ...opts, documents: new Map([[target, { ...doc, file: target }]]) });
  const summary = summaryOf(result, target, same?.file);
  if (!summary) {
    const failed = result.failed.find((f) => f.file === target);
    return refuse("broken", failed?.message);
  }
  return { ok: true, summary, knowledge: new KnowledgeIndex(result.kb), ingest: result };
}

function uniqueName(name: string, dir: string): string {
  if (!existsSync(join(dir, name))) return name;
  const [base, ext] = [name.replace(/\.[^.]+$/, ""), name.split(".").pop()];
  for (let n = 2; ; n++) if (!existsSync(join(dir, `${base}-${n}.${ext}`))) return `${base}-${n}.${ext}`;
}

/** Remove a plan (by id or code): its file leaves knowledge/, its records are archived with their history. */
export async function removePlan(planIdOrCode: string, opts: IngestOptions): Promise<RemovePlanResult> {
  const kb = currentKb(opts) ?? (await ingest(opts)).kb;
  const k = fold(planIdOrCode).trim();
  const plan = kb.plans.find((p) => fold(p.id) === k || fold(p.code) === k);
  if (!plan) return { ok: false, message: `Không có kế hoạch "${planIdOrCode}". Gõ /kehoach để xem danh sách.` };
  const path = join(opts.knowledgeDir, plan.file);
  if (existsSync(path)) rmSync(path);
  const result = await ingest(opts);
  return { ok: true, plan, archived: result.archived.filter((r) => r.plan === plan.id).length, knowledge: new KnowledgeIndex(result.kb) };
}

const LEVEL_VI = { national: "trung ương", province: "tỉnh, thành phố", commune: "xã, phường" } as const;

/** An English ingest warning in Vietnamese, for the admin's phone. */
function warningVi(w: { line: number; message: string }): string {
  const at = w.line > 0 ? `dòng ${w.line}: ` : "";
  const page = /^page (\d+): /.exec(w.message);
  const msg = w.message.replace(/^page \d+: /, "");
  const where = page ? `trang ${page[1]}, ${at}` : at;
  let m: RegExpExecArray | null;
  if ((m = /^task (\S+): deadline "(.*)" not understood$/.exec(msg))) return `${where}${m[1]}: chưa hiểu thời hạn "${m[2]}"`;
  if ((m = /^task (\S+) has no lead agency$/.exec(msg))) return `${where}${m[1]}: không ghi cơ quan chủ trì`;
  if ((m = /^task (\S+): lead "(.*)" is not an agency/.exec(msg))) return `${where}${m[1]}: cột chủ trì ghi "${m[2]}" (không phải cơ quan)`;
  if (/no task, indicator or duty recognised/.test(msg)) return `${where}không nhận ra nhiệm vụ, chỉ tiêu nào; chỉ tra cứu được văn bản`;
  if (/continues nothing|without TT and no numbered row/.test(msg)) return `${where}một dòng bảng không có số TT, đã bỏ qua`;
  if (/now reads differently/.test(msg)) return `${where}${msg.split(" ")[0]} đã đổi nội dung; bản cũ được lưu trữ`;
  return `${where}${msg}`;
}

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1).replace(/\s+\S*$/, "")}…`);

/** The summary as a short Vietnamese chat message (phone-sized). */
export function renderPlanSummary(s: PlanSummary): string {
  const p = s.plan;
  const lines: string[] = [];
  lines.push(`${s.replaced ? "Đã cập nhật" : "Đã thêm"} kế hoạch: ${p.shortName}`);
  const facts = [`Mã: ${p.code}`];
  if (p.number) facts.push(`Số ${p.number}`);
  if (p.date) facts.push(`ngày ${formatDate(p.date)}`);
  if (p.level) facts.push(`cấp ${LEVEL_VI[p.level]}${p.locality ? ` (${p.locality})` : ""}`);
  else if (p.locality) facts.push(p.locality);
  lines.push(facts.join(" · "));
  if (p.issuer && !p.shortName.includes(p.issuer)) lines.push(`Cơ quan ban hành: ${p.issuer}`);
  const counts = [
    s.counts.tasks ? `${s.counts.tasks} nhiệm vụ` : "",
    s.counts.indicators ? `${s.counts.indicators} chỉ tiêu` : "",
    s.counts.duties ? `${s.counts.duties} việc tổ chức thực hiện` : "",
  ].filter(Boolean);
  lines.push(counts.length ? `Đọc được: ${counts.join(", ")}.` : "Không nhận ra nhiệm vụ hay chỉ tiêu nào; chỉ tra cứu được văn bản.");
  if (s.replaced) lines.push(`Thay bản cũ (${s.replaced}); mã nhiệm vụ giữ nguyên${s.archived ? `, ${s.archived} dòng không còn được lưu trữ kèm lịch sử` : ""}.`);
  if (s.warnings.length) {
    lines.push(`Cảnh báo (${s.warnings.length}):`);
    for (const w of s.warnings.slice(0, 3)) lines.push(`• ${cut(warningVi(w), 110)}`);
    if (s.warnings.length > 3) lines.push(`• … và ${s.warnings.length - 3} cảnh báo khác (npm run ingest để xem đủ)`);
  }
  if (s.samples.length) {
    lines.push("Ví dụ:");
    for (const r of s.samples) {
      const extra = [r.lead ? `chủ trì: ${cut(r.lead, 50)}` : "", r.deadline ? `hạn: ${cut(r.deadline, 30)}` : ""].filter(Boolean).join("; ");
      lines.push(`• ${r.id} — ${cut(r.text, 80)}${extra ? ` (${extra})` : ""}`);
    }
    const first = s.samples.find((x) => x.kind === "task");
    if (first) lines.push(`Hỏi thử: "${first.id} do ai chủ trì?"`);
  }
  return lines.join("\n");
}

/** The plans as a short Vietnamese list for /kehoach: code, name, counts. */
export function renderPlanList(kb: Pick<KnowledgeBase, "plans" | "tasks" | "indicators">): string {
  if (!kb.plans.length) return "Chưa có kế hoạch nào.";
  const lines = [`Các kế hoạch (${kb.plans.length}):`];
  for (const p of kb.plans) {
    const tasks = kb.tasks.filter((t) => t.plan === p.id).length;
    const indicators = kb.indicators.filter((i) => i.plan === p.id).length;
    const counts = [tasks ? `${tasks} nhiệm vụ` : "", indicators ? `${indicators} chỉ tiêu` : ""].filter(Boolean).join(", ");
    lines.push(`• ${p.code} — ${cut(p.shortName, 70)}${counts ? ` (${counts})` : ""}`);
  }
  return lines.join("\n");
}
