// The form engine: walks one user in one chat through a form, one field per
// turn, with the session stored after every answer (a restart resumes it).
// /huy cancels, /quaylai goes back, 30 idle minutes expire the session, and a
// summary with a confirm step ends it; any field can be fixed before saving.
import type { CommandContext, FormInput, FormRouter } from "../core/feature.js";
import type { Choice, OutMessage, Turn } from "../core/types.js";
import type { SessionKey, SessionRow, Store } from "../store/index.js";
import { squash } from "../text/vietnamese.js";
import { key as answerKey, matchChoice } from "./parsers.js";
import type { FieldContext, FormDef, Values } from "./types.js";

export const IDLE_MINUTES = 30;
export const DEFAULT_MAX_LENGTH = 300;

type Mode = "fill" | "confirm" | "pick" | "fix";
interface State {
  v: Values;
  mode: Mode;
}

/**
 * The core's FormRouter: start(ctx, form, {values, intro}) opens a session prefilled with
 * values and asks the first missing field; cancel(turn) drops it; back(ctx) goes to the
 * previous field (or the summary); handleActive(ctx, input) answers an open session.
 */
export type FormEngine = FormRouter;

const SAVE = new Set(["luu", "ok", "oke", "okay", "dong y", "xac nhan", "co", "yes", "y", "gui", "luu lai", "dung roi", "chinh xac"]);
const EDIT = new Set(["sua", "chinh sua", "sua lai", "edit"]);

export const CONFIRM_CHOICES: Choice[] = [
  { label: "✅ Lưu", value: "Lưu" },
  { label: "✏️ Sửa", value: "Sửa" },
  { label: "❌ Hủy", value: "/huy" },
];

const keyOf = (t: Turn): SessionKey => ({ channel: t.channel, chatId: t.chatId, userId: t.userId });
const len = (s: string) => [...s].length;
const fmtInt = (n: number) => n.toLocaleString("vi-VN");

export function createFormEngine(opts: {
  store: Pick<Store, "sessions" | "transaction">;
  forms?: FormDef[];
  idleMinutes?: number;
}): FormEngine {
  const { store } = opts;
  const idleMs = (opts.idleMinutes ?? IDLE_MINUTES) * 60_000;
  const forms = new Map<string, FormDef>();
  for (const f of opts.forms ?? []) forms.set(f.name, f);

  const visible = (form: FormDef, v: Values) =>
    form.fields.map((field, i) => ({ field, i })).filter(({ field }) => !field.hidden?.(v));

  const nextMissing = (form: FormDef, v: Values, after: number): number => {
    const vis = visible(form, v);
    const hit = vis.find(({ field, i }) => i > after && v[field.key] === undefined) ?? vis.find(({ field }) => v[field.key] === undefined);
    return hit ? hit.i : -1;
  };

  const normalize = (form: FormDef, v: Values): Values => (form.normalize ? form.normalize({ ...v }) : v);

  const fctx = (ctx: CommandContext, v: Values): FieldContext => ({ ctx, values: v, now: ctx.now });

  const save = (k: SessionKey, form: FormDef, step: number, state: State, now: Date, startedAt?: string) => {
    store.sessions.put({
      ...k,
      form: form.name,
      version: form.version,
      step,
      values: state as unknown as Values,
      startedAt: startedAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    });
  };

  async function promptFor(form: FormDef, idx: number, v: Values, ctx: CommandContext, lead?: string): Promise<OutMessage> {
    const field = form.fields[idx]!;
    const vis = visible(form, v);
    const pos = vis.findIndex((x) => x.i === idx) + 1;
    const f = fctx(ctx, v);
    const lines: string[] = [];
    if (lead) lines.push(lead);
    lines.push(`(${pos}/${vis.length}) ${await field.prompt(f)}`);
    const current = v[field.key];
    if (current !== undefined && current !== "") lines.push(`Hiện tại: ${field.format(current, v)}`);
    if (field.optional) lines.push("Gõ - để bỏ qua.");
    const choices = field.choices ? await field.choices(f) : undefined;
    return choices && choices.length > 0 ? { text: lines.join("\n"), choices } : { text: lines.join("\n") };
  }

  function summary(form: FormDef, v: Values, ctx: CommandContext, lead?: string): OutMessage {
    const lines: string[] = [];
    if (lead) lines.push(lead);
    lines.push(`${form.title} — kiểm tra lại:`);
    visible(form, v).forEach(({ field }, n) => {
      const value = v[field.key];
      const shown = value === undefined || value === "" || value === null ? "(không)" : field.format(value, v);
      lines.push(`${n + 1}. ${field.label}: ${shown}`);
    });
    const note = form.summaryNote?.(v, ctx);
    if (note) lines.push(note);
    lines.push("Gõ 1 để lưu, “sửa 2” để sửa mục 2, /huy để hủy.");
    return { text: lines.join("\n"), choices: CONFIRM_CHOICES };
  }

  function pickMessage(form: FormDef, v: Values, lead?: string): OutMessage {
    const choices = visible(form, v).map(({ field }, n) => ({ label: `${n + 1}. ${field.label}`, value: String(n + 1) }));
    return { text: `${lead ? lead + "\n" : ""}Sửa mục nào? Gõ số hoặc tên mục.`, choices };
  }

  /** Ask `idx` or, when every field is answered, show the summary. */
  async function advance(
    k: SessionKey,
    form: FormDef,
    v: Values,
    idx: number,
    mode: Mode,
    ctx: CommandContext,
    startedAt: string | undefined,
    lead?: string,
  ): Promise<OutMessage[]> {
    if (idx < 0) {
      save(k, form, form.fields.length, { v, mode: "confirm" }, ctx.now, startedAt);
      return [summary(form, v, ctx, lead)];
    }
    save(k, form, idx, { v, mode }, ctx.now, startedAt);
    return [await promptFor(form, idx, v, ctx, lead)];
  }

  function submit(k: SessionKey, form: FormDef, v: Values, ctx: CommandContext, startedAt: string): OutMessage[] | Promise<OutMessage[]> {
    let result: ReturnType<FormDef["submit"]>;
    try {
      result = store.transaction(() => {
        const r = form.submit(v, ctx);
        if (r.ok || !r.field) store.sessions.delete(k);
        return r;
      });
    } catch (err) {
      ctx.log.error("forms: saving failed", { form: form.name, err });
      return [{ text: "Chưa lưu được do lỗi hệ thống. Gõ 1 để thử lại sau ít phút; dữ liệu vẫn được giữ.", choices: CONFIRM_CHOICES }];
    }
    if (result.ok && result.notices?.length) void ctx.notify(result.notices);
    if (result.ok || !result.field) return result.messages;
    const idx = form.fields.findIndex((f) => f.key === result.field);
    const rest = result.messages;
    return advance(k, form, v, idx, "fix", ctx, startedAt).then((m) => [...rest, ...m]);
  }

  async function answerField(
    k: SessionKey,
    form: FormDef,
    row: SessionRow,
    state: State,
    text: string,
    ctx: CommandContext,
  ): Promise<OutMessage[]> {
    const idx = row.step;
    const field = form.fields[idx];
    if (!field) return advance(k, form, state.v, nextMissing(form, state.v, -1), "fill", ctx, row.startedAt);
    const f = fctx(ctx, state.v);
    const reask = async (error: string, choices?: Choice[], noExample = false, also?: Values): Promise<OutMessage[]> => {
      if (also) state.v = { ...state.v, ...also };
      save(k, form, idx, state, ctx.now, row.startedAt); // touch: the user is still here
      const text2 = noExample ? error : `${error} VD: ${field.example}`;
      const ch = choices ?? (field.choices ? await field.choices(fctx(ctx, state.v)) : undefined);
      return [ch && ch.length > 0 ? { text: text2, choices: ch } : { text: text2 }];
    };
    const max = field.maxLength ?? DEFAULT_MAX_LENGTH;
    if (text === "") return reask("Chưa nhận được nội dung.");
    if (len(text) > max) return reask(`Nội dung dài ${fmtInt(len(text))} ký tự, tối đa ${fmtInt(max)}. Vui lòng gõ gọn lại.`, undefined, true);
    const parsed = await field.parse(text, f);
    if (!parsed.ok) return reask(parsed.error, parsed.choices, parsed.noExample, parsed.also);
    const checked = field.schema.safeParse(parsed.value);
    if (!checked.success) return reask(`Giá trị chưa hợp lệ (${checked.error.issues[0]?.message ?? "sai dạng"}).`);
    const v = normalize(form, { ...state.v, ...(parsed.also ?? {}), [field.key]: checked.data });
    const next = state.mode === "fix" ? nextMissing(form, v, -1) : nextMissing(form, v, idx);
    return advance(k, form, v, next, state.mode === "fix" ? "fix" : "fill", ctx, row.startedAt);
  }

  async function goBack(k: SessionKey, form: FormDef, row: SessionRow, state: State, ctx: CommandContext): Promise<OutMessage[]> {
    const v = state.v;
    const vis = visible(form, v);
    if (state.mode === "pick" || state.mode === "fix") {
      save(k, form, form.fields.length, { v, mode: "confirm" }, ctx.now, row.startedAt);
      return [summary(form, v, ctx)];
    }
    const here = state.mode === "confirm" ? vis.length : vis.findIndex((x) => x.i === row.step);
    if (here <= 0) {
      return advance(k, form, v, vis[0]?.i ?? -1, "fill", ctx, row.startedAt, "Đây là bước đầu tiên.");
    }
    return advance(k, form, v, vis[here - 1]!.i, "fill", ctx, row.startedAt);
  }

  async function confirmStep(k: SessionKey, form: FormDef, row: SessionRow, state: State, text: string, ctx: CommandContext) {
    const v = state.v;
    const a = answerKey(text);
    const vis = visible(form, v);
    const editN = /^(?:sua|chinh sua|sua lai|edit)\s+(.+)$/.exec(a);
    if (SAVE.has(a) || a === "1" || /^(✅\s*)?luu$/.test(a)) return submit(k, form, v, ctx, row.startedAt);
    if (EDIT.has(a) || a === "2") {
      save(k, form, form.fields.length, { v, mode: "pick" }, ctx.now, row.startedAt);
      return [pickMessage(form, v)];
    }
    if (a === "3") return cancel(k);
    if (editN) {
      const target = matchChoice(editN[1]!, vis.map(({ field }, n) => ({ label: field.label, value: String(n + 1) })));
      const hit = target ? vis[Number(target.value) - 1] : undefined;
      if (hit) return advance(k, form, v, hit.i, "fix", ctx, row.startedAt);
      save(k, form, form.fields.length, { v, mode: "pick" }, ctx.now, row.startedAt);
      return [pickMessage(form, v, `Không có mục “${editN[1]}”.`)];
    }
    save(k, form, form.fields.length, state, ctx.now, row.startedAt);
    return [summary(form, v, ctx, "Chưa rõ ý bạn.")];
  }

  async function pickStep(k: SessionKey, form: FormDef, row: SessionRow, state: State, text: string, ctx: CommandContext) {
    const v = state.v;
    const vis = visible(form, v);
    const choice = matchChoice(text.replace(/^(sửa|sua)\s+/i, ""), vis.map(({ field }, n) => ({ label: field.label, value: String(n + 1) })));
    const hit = choice ? vis[Number(choice.value) - 1] : undefined;
    if (hit) return advance(k, form, v, hit.i, "fix", ctx, row.startedAt);
    save(k, form, form.fields.length, state, ctx.now, row.startedAt);
    return [pickMessage(form, v, "Chưa rõ mục cần sửa.")];
  }

  function cancel(k: SessionKey): OutMessage[] {
    store.sessions.delete(k);
    return [{ text: "Đã hủy, chưa lưu gì." }];
  }

  /** The open session of this turn's user, or the message that it expired / its form changed. */
  function load(ctx: CommandContext): { k: SessionKey; form: FormDef; row: SessionRow; state: State } | { expired: OutMessage[] } | null {
    const k = keyOf(ctx.turn);
    const row = store.sessions.get(k);
    if (!row) return null;
    const form = forms.get(row.form);
    if (!form || form.version !== row.version) {
      store.sessions.delete(k);
      return { expired: [{ text: "Biểu mẫu đã được cập nhật nên phiên trước bị hủy. Vui lòng bắt đầu lại." }] };
    }
    if (ctx.now.getTime() - Date.parse(row.updatedAt) > idleMs) {
      store.sessions.delete(k);
      return {
        expired: [{ text: `Phiên “${form.title}” đã hết hạn sau ${opts.idleMinutes ?? IDLE_MINUTES} phút không trả lời; chưa lưu gì. Gõ lại lệnh để bắt đầu.` }],
      };
    }
    const raw = row.values as Partial<State>;
    return { k, form, row, state: { v: (raw.v ?? {}) as Values, mode: raw.mode ?? "fill" } };
  }

  const engine: FormEngine = {
    cancel: (turn) => store.sessions.delete(keyOf(turn)),

    async start(ctx, name, o = {}) {
      const form = forms.get(name);
      if (!form) throw new Error(`Form "${name}" is not registered.`);
      const k = keyOf(ctx.turn);
      const v = normalize(form, { ...(o.values ?? {}) });
      const asked = await advance(k, form, v, nextMissing(form, v, -1), "fill", ctx, ctx.now.toISOString(), o.intro);
      if (o.answer === undefined) return asked;
      return (await engine.handleActive(ctx, { kind: "text", text: o.answer })) ?? asked;
    },

    async back(ctx) {
      const open = load(ctx);
      if (!open) return null;
      if ("expired" in open) return open.expired;
      return goBack(open.k, open.form, open.row, open.state, ctx);
    },

    async handleActive(ctx, input: FormInput) {
      const open = load(ctx);
      if (!open) return null;
      // An expired form is dropped; a new command runs (nothing typed is lost), plain text hears why.
      if ("expired" in open) return input.kind === "command" ? null : open.expired;
      const { k, form, row, state } = open;
      if (input.kind === "control") return input.control === "cancel" ? cancel(k) : goBack(k, form, row, state, ctx);
      if (input.kind === "command") return null; // another command: the core runs it; the form waits.
      const text = squash(input.text);
      switch (state.mode) {
        case "confirm":
          return confirmStep(k, form, row, state, text, ctx);
        case "pick":
          return pickStep(k, form, row, state, text, ctx);
        case "fill":
        case "fix":
          return answerField(k, form, row, state, text, ctx);
      }
    },
  };
  return engine;
}
