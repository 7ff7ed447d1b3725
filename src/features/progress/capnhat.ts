// /capnhat: report a task's status. Step by step through the form engine, or
// in one line ("/capnhat BN-7.22 80% đang thực hiện - đã trình dự thảo") which
// saves at once when complete and asks only for what is missing.
import { z } from "zod";
import type { Command, CommandContext } from "../../core/feature.js";
import type { Choice, OutMessage } from "../../core/types.js";
import { fields } from "../../forms/index.js";
import { matchChoice, parsePercent } from "../../forms/parsers.js";
import type { Field, FormDef, Values } from "../../forms/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Task } from "../../knowledge/types.js";
import type { StatusKey, Store, UserRow } from "../../store/index.js";
import { formatDate } from "../../text/dates.js";
import { fold, nfc, squash, truncate } from "../../text/vietnamese.js";
import type { People } from "../people/index.js";
import { findStatus, parseStatus, STATUS_OPTIONS, statusLabel } from "./labels.js";
import { taskLine, type TaskFinder } from "./tasks.js";

export interface CapnhatDeps {
  store: Store;
  knowledge: KnowledgeIndex;
  people: People;
  finder: TaskFinder;
}

export const TEXT_LIMIT = 1000;
const SLOW = new Set<unknown>(["cham_tien_do", "vuong_mac"]);
const AUTO_PERCENT: Record<string, number> = { hoan_thanh: 100, chua_trien_khai: 0 };

function normalize(v: Values): Values {
  const auto = typeof v.status === "string" ? AUTO_PERCENT[v.status] : undefined;
  if (auto !== undefined) {
    v.percent = auto;
    v._autoPercent = true;
  } else if (v._autoPercent) {
    delete v.percent;
    delete v._autoPercent;
  }
  if (!SLOW.has(v.status)) delete v.expectedBy;
  return v;
}

// ---- ids typed that are no task ----

const ID_LIKE = /^[\p{L}]{1,6}\s*[-_.]?\s*[\p{L}]{0,3}[-_.]?\d[\w.,-]*$/u;

/** "BN-99.99", "bn 7.2", "DM-18z": typed as a task id (letters, then digits), not as keywords. */
export function looksLikeId(text: string): boolean {
  return ID_LIKE.test(text) && /\d/.test(text) && text.length <= 12 && !/%$/.test(text);
}

/** The id-like words at the start of a one-line report ("BN-99.99 50% đang làm" → "BN-99.99"), and the rest. */
export function idAtStart(text: string): { id: string; rest: string } | undefined {
  const parts = text.trim().split(/\s+/);
  for (const n of [2, 1]) {
    if (parts.length < n) continue;
    if (n === 2 && !/^[\p{L}]{1,6}$/u.test(parts[0]!)) continue;
    const id = parts.slice(0, n).join(" ");
    if (looksLikeId(id)) return { id, rest: parts.slice(n).join(" ") };
  }
  return undefined;
}

/** What the user typed besides the task, as kept for them ("Đang thực hiện · 50% · Đã làm: …"). */
function keptParts(v: Values): string {
  const parts: string[] = [];
  if (typeof v.status === "string") parts.push(statusLabel(v.status));
  if (typeof v.percent === "number" && !v._autoPercent) parts.push(`${v.percent}%`);
  if (typeof v.done === "string" && v.done) parts.push(`Đã làm: ${truncate(v.done, 60)}`);
  if (typeof v.obstacles === "string" && v.obstacles) parts.push(`Vướng mắc: ${truncate(v.obstacles, 60)}`);
  if (typeof v.proposal === "string" && v.proposal) parts.push(`Đề xuất: ${truncate(v.proposal, 60)}`);
  return parts.join(" · ");
}

// ---- one line ----

export interface OneLine {
  status?: StatusKey;
  percent?: number;
  done: string;
  obstacles: string;
  proposal: string;
  /** Why a part was not accepted (e.g. "Tỷ lệ phải từ 0 đến 100%."). */
  error?: string;
}

const LABELS: [RegExp, "done" | "obstacles" | "proposal"][] = [
  [/(?:^|[\s;,.|])(?:vuong mac|kho khan|vm)\s*:/g, "obstacles"],
  [/(?:^|[\s;,.|])(?:de xuat|kien nghi|dx)\s*:/g, "proposal"],
  [/(?:^|[\s;,.|])(?:da lam|ket qua)\s*:/g, "done"],
];

/** "80% đang thực hiện - đã trình dự thảo; vướng mắc: thiếu vốn" → its parts. */
export function parseOneLine(rest: string): OneLine {
  const text = squash(nfc(rest));
  const out: OneLine = { done: "", obstacles: "", proposal: "" };
  const sep = /\s[-–—|]\s|\s*[-–—]\s+|\s-$/.exec(text);
  const head = sep ? text.slice(0, sep.index) : text;
  let tail = sep ? text.slice(sep.index + sep[0].length) : "";

  const tokens = head.split(" ").filter(Boolean);
  const st = findStatus(tokens);
  if (st) {
    out.status = st.status;
    tokens.splice(st.index, st.count);
  }
  const pi = tokens.findIndex((t, i) => /^-?\d{1,4}(?:[.,]\d+)?%$/.test(t) || (/^\d{1,3}$/.test(t) && (i === 0 || tokens[i + 1] === "%")));
  if (pi >= 0) {
    const withSign = tokens[pi + 1] === "%" ? `${tokens[pi]}%` : tokens[pi]!;
    tokens.splice(pi, tokens[pi + 1] === "%" ? 2 : 1);
    const p = parsePercent(withSign);
    if (p.ok) out.percent = p.value;
    else out.error = p.error;
  }
  // "đã hoàn thành 80%" means 80% done, not finished: leave the status to be asked.
  if (out.status === "hoan_thanh" && out.percent !== undefined && out.percent < 100) delete out.status;
  const leftover = tokens.join(" ").replace(/^[,;.\s]+|[,;\s]+$/g, "");
  tail = [leftover, tail].filter(Boolean).join(" - ");

  // Labelled parts: "vướng mắc: …", "đề xuất: …" (labels typed with or without diacritics).
  const f = fold(tail);
  if (f.length === tail.length) {
    const marks: { at: number; end: number; field: "done" | "obstacles" | "proposal" }[] = [];
    for (const [re, field] of LABELS) {
      for (const m of f.matchAll(re)) marks.push({ at: m.index, end: m.index + m[0].length, field });
    }
    marks.sort((a, b) => a.at - b.at);
    const parts: Record<"done" | "obstacles" | "proposal", string[]> = { done: [], obstacles: [], proposal: [] };
    let cursor = 0;
    let current: "done" | "obstacles" | "proposal" = "done";
    for (const m of marks) {
      parts[current].push(tail.slice(cursor, m.at));
      current = m.field;
      cursor = m.end;
    }
    parts[current].push(tail.slice(cursor));
    const clean = (xs: string[]) => xs.map((x) => x.replace(/^[\s;,.|-]+|[\s;,.|-]+$/g, "")).filter(Boolean).join("; ");
    out.done = clean(parts.done);
    out.obstacles = clean(parts.obstacles);
    out.proposal = clean(parts.proposal);
  } else {
    out.done = tail.trim();
  }
  return out;
}

const HELP = [
  "Cập nhật tình hình một nhiệm vụ:",
  "• /capnhat — hỏi từng bước",
  "• /capnhat BN-7.22 — báo cáo nhiệm vụ BN-7.22",
  "• /capnhat BN-7.22 80% đang thực hiện - đã trình dự thảo — lưu ngay",
  "• /capnhat chuyển đổi số — tìm nhiệm vụ theo từ khóa",
  "Tình trạng: chưa triển khai, đang thực hiện, hoàn thành, chậm tiến độ, gặp vướng mắc.",
].join("\n");

export function createCapnhat({ store, knowledge, people, finder }: CapnhatDeps): { form: FormDef; command: Command } {
  const taskChoices = (ctx: CommandContext, v: Values): Choice[] => {
    const offered = v._taskChoices as Choice[] | undefined;
    if (offered?.length) return offered;
    const { user } = people.identify(ctx.turn, ctx.now);
    if (!user?.agencyId) return [];
    return finder
      .agencyTasks(user.agencyId)
      .slice(0, 6)
      .map((t) => ({ label: taskLine(t, 40), value: t.id }));
  };


  const taskField: Field<string> = {
    key: "task",
    label: "Nhiệm vụ",
    prompt: () => "Báo cáo nhiệm vụ nào? Gõ mã hoặc vài từ khóa.",
    example: "BN-7.22 hoặc “chuyển đổi số”",
    maxLength: 200,
    choices: ({ ctx, values }) => taskChoices(ctx, values),
    schema: z.string().min(1),
    async parse(text, { ctx, values }) {
      const picked = matchChoice(text, taskChoices(ctx, values));
      let task: Task | undefined = picked ? knowledge.task(picked.value) : undefined;
      if (!task) task = knowledge.task(text);
      if (!task) {
        const at = finder.taskAtStart(text);
        if (at && at.rest === "") task = at.task;
      }
      if (!task) {
        const q = squash(nfc(text));
        const kept = keptParts(values);
        const refused = typeof values._lineError === "string" ? ` ${values._lineError}` : "";
        const keptLine = `${refused}${kept ? ` Đã giữ phần còn lại: ${kept}.` : ""}`;
        if (looksLikeId(q)) {
          // An id that is no task: say so, and offer only the tasks this user may report on, closest first.
          const near = finder.closestReportable(ctx.turn, ctx.now, q).map((t) => ({ label: taskLine(t, 40), value: t.id }));
          const error = `Không có nhiệm vụ mã “${q}”.${keptLine}`;
          if (near.length === 0) return { ok: false, error };
          return { ok: false, error: `${error} Có phải một trong các nhiệm vụ sau? Gõ số hoặc mã:`, choices: near, noExample: true, also: { _taskChoices: near } };
        }
        const found = await finder.findTasks(q, ctx.now, ctx.log, 10);
        const mine = found.filter((t) => finder.mayReportOn(ctx.turn, ctx.now, t).ok).slice(0, 5);
        if (found.length === 0) return { ok: false, error: `Không tìm thấy nhiệm vụ khớp “${truncate(q, 40)}”.${keptLine}` };
        if (mine.length === 0) return { ok: false, error: `Các nhiệm vụ khớp “${truncate(q, 40)}” không thuộc cơ quan của bạn nên bạn không báo cáo được.${keptLine}` };
        const choices = mine.map((t) => ({ label: taskLine(t, 40), value: t.id }));
        return { ok: false, error: `${kept ? `Đã giữ: ${kept}. ` : ""}Chọn nhiệm vụ (gõ số hoặc mã):`, choices, noExample: true, also: { _taskChoices: choices } };
      }
      const perm = finder.mayReportOn(ctx.turn, ctx.now, task);
      if (!perm.ok) return { ok: false, error: perm.reason, noExample: true };
      return { ok: true, value: task.id, also: { _taskName: task.name, _taskChoices: undefined, _lineError: undefined } };
    },
    format: (id, v) => `${id} · ${truncate(String(v._taskName ?? ""), 70)}`,
  };

  const statusField = fields.choice<StatusKey>({
    key: "status",
    label: "Tình trạng",
    prompt: "Tình trạng hiện nay?",
    options: STATUS_OPTIONS.map((o) => ({ value: o.value, label: o.label })),
    synonyms: parseStatus,
  });
  const statusFormat = statusField.format;
  statusField.format = (s, v) => (s === "hoan_thanh" ? `${statusFormat(s, v)} (100%)` : statusFormat(s, v));

  const capnhatFields: Field<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    taskField,
    statusField,
    fields.percent({
      key: "percent",
      label: "Tỷ lệ hoàn thành",
      prompt: "Đạt bao nhiêu phần trăm? (0–100)",
      hidden: (v) => v.status === "hoan_thanh" || v.status === "chua_trien_khai",
    }),
    fields.date({
      key: "expectedBy",
      label: "Dự kiến xong",
      prompt: "Dự kiến hoàn thành khi nào?",
      optional: true,
      future: true,
      hidden: (v) => !SLOW.has(v.status),
    }),
    fields.text({ key: "done", label: "Đã làm", prompt: "Đã làm được gì?", example: "Đã trình dự thảo lên UBND tỉnh", optional: true, maxLength: TEXT_LIMIT }),
    fields.text({ key: "obstacles", label: "Vướng mắc", prompt: "Khó khăn, vướng mắc?", example: "Chưa có kinh phí", optional: true, maxLength: TEXT_LIMIT }),
    fields.text({ key: "proposal", label: "Đề xuất", prompt: "Đề xuất, kiến nghị?", example: "Đề nghị Sở Tài chính bố trí vốn", optional: true, maxLength: TEXT_LIMIT }),
  ];

  /** Save one update (inside the caller's transaction when there is one) and word the confirmation. */
  function saveUpdate(ctx: CommandContext, user: UserRow, task: Task, v: Values): OutMessage {
    if (!store.tasks.get(task.id)) store.tasks.upsert(task, ctx.now);
    const row = store.updates.insert({
      taskId: task.id,
      userId: user.id,
      status: v.status as StatusKey,
      percent: Number(v.percent),
      done: String(v.done ?? ""),
      obstacles: String(v.obstacles ?? ""),
      proposal: String(v.proposal ?? ""),
      expectedBy: typeof v.expectedBy === "string" && v.expectedBy !== "" ? v.expectedBy : null,
      reportedAt: ctx.now.toISOString(),
      channel: ctx.turn.channel,
      chatId: ctx.turn.chatId,
      messageId: ctx.turn.messageId || null,
    });
    store.audit.log({ actor: `${ctx.turn.channel}:${ctx.turn.userId}`, action: "status.save", subject: task.id, detail: { updateId: row.id }, at: ctx.now });
    const lines = [
      `✅ Đã lưu báo cáo số ${row.id}.`,
      taskLine(task, 60),
      `Tình trạng: ${statusLabel(row.status)} · ${row.percent}%`,
    ];
    if (row.expectedBy) lines.push(`Dự kiến xong: ${formatDate(row.expectedBy)}`);
    if (row.done) lines.push(`Đã làm: ${truncate(row.done, 200)}`);
    if (row.obstacles) lines.push(`Vướng mắc: ${truncate(row.obstacles, 200)}`);
    if (row.proposal) lines.push(`Đề xuất: ${truncate(row.proposal, 200)}`);
    lines.push(`Xem: /tinhhinh ${task.id}`);
    return { text: lines.join("\n") };
  }

  const form: FormDef = {
    name: "capnhat",
    version: 1,
    title: "Cập nhật tình hình",
    fields: capnhatFields,
    normalize,
    submit(v, ctx) {
      const task = knowledge.task(String(v.task));
      if (!task) return { ok: false, messages: [{ text: `Nhiệm vụ ${String(v.task)} không còn trong kế hoạch; chưa lưu.` }] };
      const perm = finder.mayReportOn(ctx.turn, ctx.now, task);
      if (!perm.ok) return { ok: false, messages: [{ text: perm.reason }] };
      return { ok: true, messages: [saveUpdate(ctx, perm.user, task, v)] };
    },
  };

  /** The refusal when a part of a one-line report is over the limit. */
  function overLong(line: OneLine): string | undefined {
    for (const [k, label] of [["done", "Đã làm"], ["obstacles", "Vướng mắc"], ["proposal", "Đề xuất"]] as const) {
      const n = [...line[k]].length;
      if (n > TEXT_LIMIT) return `Phần “${label}” dài ${n.toLocaleString("vi-VN")} ký tự, tối đa ${TEXT_LIMIT.toLocaleString("vi-VN")}; chưa lưu. Vui lòng gõ gọn lại.`;
    }
    return undefined;
  }

  /**
   * The form's values from a one-line report. A value that was refused is left out, and so is what it
   * would have decided: "150% hoàn thành" asks the status again instead of confirming 100%.
   */
  function lineValues(base: Values, line: OneLine): Values {
    const v: Values = { ...base, done: line.done, obstacles: line.obstacles, proposal: line.proposal, expectedBy: "" };
    if (line.status && !(line.error && AUTO_PERCENT[line.status] !== undefined)) v.status = line.status;
    if (line.percent !== undefined) v.percent = line.percent;
    normalize(v);
    if (v.expectedBy === undefined && SLOW.has(v.status)) v.expectedBy = "";
    return v;
  }

  const command: Command = {
    name: "capnhat",
    aliases: ["cập nhật", "cap nhat", "update", "baocaotiendo"],
    summary: "Cập nhật tình hình một nhiệm vụ",
    help: HELP,
    async run(ctx) {
      const perm = people.mayReport(ctx.turn, ctx.now);
      if (!perm.ok) return [{ text: perm.reason }];
      const args = squash(nfc(ctx.args));
      if (args === "") return ctx.forms.start("capnhat");
      if ([...args].length > 3 * TEXT_LIMIT + 200) {
        return [{ text: `Tin nhắn dài ${[...args].length.toLocaleString("vi-VN")} ký tự, tối đa ${(3 * TEXT_LIMIT).toLocaleString("vi-VN")}. Vui lòng gõ gọn lại.` }];
      }
      const hit = finder.taskAtStart(args);
      if (!hit) {
        // An id that is no task ("BN-99.99 50% đang làm"): keep the rest of the line, and let the task
        // field say the id is unknown and offer the user's own tasks. Nothing is saved until they choose.
        const unknown = idAtStart(args);
        if (unknown) {
          const line = parseOneLine(unknown.rest);
          const tooLong = overLong(line);
          if (tooLong) return [{ text: tooLong }];
          return ctx.forms.start("capnhat", { values: { ...lineValues({}, line), ...(line.error ? { _lineError: line.error } : {}) }, answer: unknown.id });
        }
        // Keywords: open the form and let the task field search them.
        return ctx.forms.start("capnhat", { answer: args });
      }
      const onTask = finder.mayReportOn(ctx.turn, ctx.now, hit.task);
      if (!onTask.ok) return [{ text: onTask.reason }];
      const base: Values = { task: hit.task.id, _taskName: hit.task.name };
      if (hit.rest === "") return ctx.forms.start("capnhat", { values: base });

      const line = parseOneLine(hit.rest);
      const tooLong = overLong(line);
      if (tooLong) return [{ text: tooLong }];
      const v = lineValues(base, line);
      const complete = v.status !== undefined && v.percent !== undefined && !line.error;
      if (complete) {
        ctx.forms.cancel();
        return [store.transaction(() => saveUpdate(ctx, onTask.user, hit.task, v))];
      }
      const intro = line.error ? `${line.error} Mời nhập lại phần còn thiếu:` : "Còn thiếu vài mục:";
      return ctx.forms.start("capnhat", { values: v, intro });
    },
  };

  return { form, command };
}
