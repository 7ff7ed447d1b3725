// /dangky (name + agency, or an invite code → approved at once) and /duyet
// (admins approve pending registrations).
import { z } from "zod";
import type { Command, CommandContext } from "../core/commands.js";
import type { Choice } from "../core/types.js";
import { fields } from "../forms/index.js";
import { key, matchChoice } from "../forms/parsers.js";
import type { Field, FormDef, Values } from "../forms/types.js";
import type { Agency } from "../knowledge/types.js";
import { nfc, squash, truncate, words } from "../text/vietnamese.js";
import { isAdmin, statusOf } from "./service.js";
import { decisionNotices, pendingNotices } from "./notices.js";

/** The agency of an invite code from INVITE_CODES (codes compared without case). */
export function inviteAgency(ctx: CommandContext, code: string): string | undefined {
  const c = squash(nfc(code)).toUpperCase();
  if (c.length < 4) return undefined;
  for (const [k, agency] of ctx.services.config.INVITE_CODES) if (k.toUpperCase() === c) return agency;
  return undefined;
}

const agencies = (ctx: CommandContext) => ctx.services.knowledge.agencies.filter((a) => !a.isGroup);

/** Agencies whose name or an alias contains every word typed. */
function searchAgencies(ctx: CommandContext, text: string): Agency[] {
  const exact = ctx.services.knowledge.agency(text);
  if (exact) return [exact];
  const q = words(text);
  if (q.length === 0) return [];
  return agencies(ctx).filter((a) =>
    [a.canonical, ...a.aliases].some((name) => {
      const w = words(name);
      return q.every((x) => w.some((y) => y.startsWith(x)));
    }),
  );
}

const agencyChoices = (ctx: CommandContext, v: Values): Choice[] => {
  const offered = v._agencyChoices as Choice[] | undefined;
  if (offered?.length) return offered;
  const all = agencies(ctx);
  return all.length <= 8 ? all.map((a) => ({ label: a.canonical, value: a.canonical })) : [];
};

const agencyField: Field<string> = {
  key: "agency",
  label: "Cơ quan",
  prompt: () => "Bạn thuộc cơ quan nào? Gõ tên hoặc viết tắt, hoặc mã mời nếu có.",
  example: "Sở KH&CN",
  maxLength: 150,
  choices: ({ ctx, values }) => agencyChoices(ctx, values),
  schema: z.string().min(1),
  parse(text, { ctx, values }) {
    const invited = inviteAgency(ctx, text);
    if (invited) return { ok: true, value: invited, also: { _invite: true, _agencyChoices: undefined } };
    const picked = matchChoice(text, agencyChoices(ctx, values));
    const found = picked ? searchAgencies(ctx, picked.value) : searchAgencies(ctx, text);
    if (found.length === 1) return { ok: true, value: found[0]!.id, also: { _invite: false, _agencyChoices: undefined } };
    if (found.length === 0) return { ok: false, error: `Không tìm thấy cơ quan “${truncate(squash(nfc(text)), 40)}”.` };
    const choices = found.slice(0, 8).map((a) => ({ label: a.canonical, value: a.canonical }));
    return { ok: false, error: "Có nhiều cơ quan khớp, chọn một:", choices, noExample: true, also: { _agencyChoices: choices } };
  },
  format: (id, v) => `${String(v._agencyName ?? id)}${v._invite ? " (mã mời)" : ""}`,
};

export const dangkyForm: FormDef = {
  name: "dangky",
  version: 1,
  title: "Đăng ký báo cáo",
  fields: [
    {
      ...fields.text({ key: "name", label: "Họ tên", prompt: "Họ và tên của bạn?", example: "Nguyễn Thị Lan", minLength: 2, maxLength: 80 }),
      choices: ({ ctx }) => {
        const n = squash(nfc(ctx.turn.userName ?? ""));
        return n.length >= 2 ? [{ label: n, value: n }] : [];
      },
    },
    agencyField,
  ],
  normalize(v) {
    return v;
  },
  submit(v, ctx) {
    const svc = statusOf(ctx.services);
    const admin = isAdmin(ctx);
    if (admin) svc.identify(ctx);
    const agencyId = String(v.agency);
    const invite = v._invite === true;
    const user = svc.store.users.register({
      channel: ctx.turn.channel,
      channelUserId: ctx.turn.userId,
      name: String(v.name),
      agencyId,
      approved: invite || admin,
      viaInvite: invite,
      now: ctx.now,
    });
    svc.store.audit.log({
      actor: `${ctx.turn.channel}:${ctx.turn.userId}`,
      action: invite ? "user.register.invite" : "user.register",
      subject: `user:${user.id}`,
      detail: { agencyId },
      at: ctx.now,
    });
    const agency = svc.agencyName(ctx.services.knowledge, agencyId);
    if (user.approved) {
      return { ok: true, messages: [{ text: `✅ Đã đăng ký: ${user.name} — ${agency}. Bạn có thể báo cáo ngay: /capnhat` }] };
    }
    return {
      ok: true,
      messages: [{ text: `Đã gửi đăng ký số ${user.id}: ${user.name} — ${agency}. Chờ quản trị viên duyệt; có mã mời thì gõ /dangky <mã>.` }],
      notices: pendingNotices(ctx, svc.store, user, agency),
    };
  },
};
// The agency's display name travels with the value so the summary can show it.
const agencyParse = agencyField.parse;
agencyField.parse = async (text, f) => {
  const r = await agencyParse(text, f);
  if (r.ok) r.also = { ...r.also, _agencyName: f.ctx.services.knowledge.agencies.find((a) => a.id === r.value)?.canonical ?? r.value };
  return r;
};

export const dangkyCommand: Command = {
  name: "dangky",
  aliases: ["đăng ký", "dang ky", "register"],
  summary: "Đăng ký để báo cáo tiến độ",
  help: "Đăng ký để báo cáo: /dangky rồi trả lời họ tên và cơ quan. Có mã mời: /dangky KHCN2026 (được duyệt ngay).",
  async run(ctx) {
    const svc = statusOf(ctx.services);
    const args = squash(nfc(ctx.args));
    const values: Values = {};
    if (args) {
      const invited = inviteAgency(ctx, args);
      if (!invited) return [{ text: `Mã mời “${truncate(args, 30)}” không đúng. Gõ /dangky để đăng ký và chờ duyệt.` }];
      values.agency = invited;
      values._invite = true;
      values._agencyName = svc.agencyName(ctx.services.knowledge, invited);
    }
    const { user } = svc.identify(ctx);
    const intro = user?.approved && user.agencyId
      ? `Bạn đã đăng ký: ${user.name} — ${svc.agencyName(ctx.services.knowledge, user.agencyId)}. Đăng ký lại để đổi thông tin${values._invite || isAdmin(ctx) ? "" : " (sẽ cần duyệt lại)"}.`
      : undefined;
    return svc.forms.start(ctx, "dangky", { values, intro });
  },
};

const DUYET_HELP = "Quản trị viên: /duyet xem danh sách chờ; /duyet 12 duyệt số 12; /duyet 12 từ chối; /duyet tất cả.";
const fmtDay = (iso: string) => iso.slice(8, 10) + "/" + iso.slice(5, 7);

export const duyetCommand: Command = {
  name: "duyet",
  aliases: ["duyệt", "approve"],
  summary: "Duyệt đăng ký (quản trị viên)",
  help: DUYET_HELP,
  run(ctx) {
    const svc = statusOf(ctx.services);
    const me = svc.identify(ctx);
    if (!me.admin || !me.user) return [{ text: "Chỉ quản trị viên mới duyệt được đăng ký." }];
    const store = svc.store;
    const k = ctx.services.knowledge;
    const args = key(ctx.args);
    const pending = store.users.pending();
    const describe = (u: { id: number; name: string; agencyId: string | null; channel: string }) =>
      `#${u.id} ${truncate(u.name, 40)} — ${svc.agencyName(k, u.agencyId)} (${u.channel})`;

    if (args === "") {
      if (pending.length === 0) return [{ text: "Không có đăng ký nào đang chờ duyệt." }];
      const lines = [`${pending.length} đăng ký chờ duyệt:`, ...pending.slice(0, 10).map((u) => `${describe(u)} · ${fmtDay(u.createdAt)}`)];
      if (pending.length > 10) lines.push(`… và ${pending.length - 10} đăng ký khác.`);
      lines.push("Gõ /duyet <số> để duyệt, /duyet <số> từ chối để bỏ.");
      const choices = pending.slice(0, 5).map((u) => ({ label: `Duyệt #${u.id}`, value: `/duyet ${u.id}` }));
      return [{ text: lines.join("\n"), choices }];
    }
    if (args === "tat ca" || args === "all") {
      const done = store.transaction(() => pending.map((u) => store.users.approve(u.id, me.user!.id, ctx.now)!));
      for (const u of done) store.audit.log({ actor: me.actor, action: "user.approve", subject: `user:${u.id}`, at: ctx.now });
      void ctx.services.notify?.(done.flatMap((u) => decisionNotices(store, u, svc.agencyName(k, u.agencyId), true)));
      return [{ text: done.length ? `Đã duyệt ${done.length} đăng ký.` : "Không có đăng ký nào đang chờ duyệt." }];
    }
    const m = /^#?(\d{1,9})(?:\s+(tu choi|khong|bo|reject|xoa))?$/.exec(args) ?? /^(?:tu choi|reject)\s+#?(\d{1,9})$/.exec(args);
    if (!m) return [{ text: DUYET_HELP }];
    const id = Number(m[1]);
    const reject = Boolean(m[2]) || /^(tu choi|reject)/.test(args);
    const target = pending.find((u) => u.id === id);
    if (!target) return [{ text: `Không có đăng ký số ${id} đang chờ duyệt.` }];
    if (reject) {
      store.users.reject(id);
      store.audit.log({ actor: me.actor, action: "user.reject", subject: `user:${id}`, at: ctx.now });
      void ctx.services.notify?.(decisionNotices(store, target, svc.agencyName(k, target.agencyId), false));
      return [{ text: `Đã từ chối đăng ký ${describe(target)}.` }];
    }
    store.users.approve(id, me.user.id, ctx.now);
    store.audit.log({ actor: me.actor, action: "user.approve", subject: `user:${id}`, at: ctx.now });
    void ctx.services.notify?.(decisionNotices(store, target, svc.agencyName(k, target.agencyId), true));
    return [{ text: `Đã duyệt ${describe(target)}.` }];
  },
};
