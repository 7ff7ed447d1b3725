// /dangky (name + agency, or an invite code → approved at once) and /duyet
// (admins approve or refuse pending registrations, each by its own id).
import { z } from "zod";
import type { Config } from "../../config.js";
import type { Command, CommandContext } from "../../core/feature.js";
import type { Choice, Notice, OutMessage } from "../../core/types.js";
import { key, matchChoice } from "../../forms/parsers.js";
import type { Field, FormDef, Values } from "../../forms/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Agency } from "../../knowledge/types.js";
import type { Decision, RegistrationRow, Store } from "../../store/index.js";
import { formatDate, localDate } from "../../text/dates.js";
import { checkName, cleanName, NAME_MAX, quoteName } from "../../text/names.js";
import { nfc, squash, truncate, words } from "../../text/vietnamese.js";
import { createInvites, INVITE_TEXTS, looksLikeCode, type InviteRef } from "./invites.js";
import { decisionNotices, pendingNotices } from "./notices.js";
import { answerPrivately } from "./privately.js";
import type { People } from "./service.js";

export interface RegistrationDeps {
  store: Store;
  config: Pick<Config, "ADMINS" | "INVITE_CODES" | "TIMEZONE">;
  knowledge: KnowledgeIndex;
  people: People;
}

const DUYET_HELP = "Quản trị viên: /duyet xem danh sách chờ; /duyet 12 duyệt số 12; /duyet 12 từ chối; /duyet tất cả.";
const fmtDay = (iso: string) => iso.slice(8, 10) + "/" + iso.slice(5, 7);

export const REGISTRATION_TEXTS = {
  inviteLost:
    "Mã mời không còn dùng được (đã hết hạn, hết lượt hoặc bị thu hồi trong lúc bạn đăng ký), nên đăng ký được gửi để quản trị viên duyệt.",
} as const;

export function createRegistration({ store, config, knowledge, people }: RegistrationDeps): { form: FormDef; commands: Command[] } {
  const invites = createInvites({ store, config, knowledge, people });
  const agencies = () => knowledge.agencies.filter((a) => !a.isGroup);

  /** Agencies whose name or an alias contains every word typed. */
  function searchAgencies(text: string): Agency[] {
    const exact = knowledge.agency(text);
    if (exact) return [exact];
    const q = words(text);
    if (q.length === 0) return [];
    return agencies().filter((a) =>
      [a.canonical, ...a.aliases].some((name) => {
        const w = words(name);
        return q.every((x) => w.some((y) => y.startsWith(x)));
      }),
    );
  }

  const agencyChoices = (v: Values): Choice[] => {
    const offered = v._agencyChoices as Choice[] | undefined;
    if (offered?.length) return offered;
    const all = agencies();
    return all.length <= 8 ? all.map((a) => ({ label: a.canonical, value: a.canonical })) : [];
  };

  /** The form values an accepted invite code sets (besides the agency itself). */
  const inviteValues = (agencyId: string, ref: InviteRef): Values => ({
    _invite: ref,
    _agencyChoices: undefined,
    _agencyName: people.agencyName(agencyId),
  });

  const agencyField: Field<string> = {
    key: "agency",
    label: "Cơ quan",
    prompt: () => "Bạn thuộc cơ quan nào? Gõ tên hoặc viết tắt, hoặc mã mời nếu có.",
    example: "Sở KH&CN",
    maxLength: 150,
    choices: ({ values }) => agencyChoices(values),
    schema: z.string().min(1),
    parse(text, { values, ctx }) {
      const picked = matchChoice(text, agencyChoices(values));
      const found = picked ? searchAgencies(picked.value) : searchAgencies(text);
      // One word of 8+ letters and digits that names no agency is an invite code: checked, and counted when wrong.
      if (found.length !== 1 && looksLikeCode(text)) {
        const tried = invites.attempt(ctx, text);
        if (tried.ok) return { ok: true, value: tried.agencyId, also: inviteValues(tried.agencyId, tried.ref) };
        if (tried.notices?.length) void ctx.notify(tried.notices);
        return { ok: false, error: tried.reply, noExample: true };
      }
      if (found.length === 1) return { ok: true, value: found[0]!.id, also: { _invite: undefined, _agencyChoices: undefined, _agencyName: found[0]!.canonical } };
      if (found.length === 0) return { ok: false, error: `Không tìm thấy cơ quan “${truncate(squash(nfc(text)), 40)}”.` };
      const choices = found.slice(0, 8).map((a) => ({ label: a.canonical, value: a.canonical }));
      return { ok: false, error: "Có nhiều cơ quan khớp, chọn một:", choices, noExample: true, also: { _agencyChoices: choices } };
    },
    format: (id, v) => `${String(v._agencyName ?? id)}${v._invite ? " (mã mời)" : ""}`,
  };

  const nameField: Field<string> = {
    key: "name",
    label: "Họ tên",
    prompt: () => "Họ và tên của bạn?",
    example: "Nguyễn Thị Lan",
    maxLength: NAME_MAX,
    schema: z.string().min(2).max(NAME_MAX),
    choices: ({ ctx }) => {
      const n = cleanName(ctx.turn.userName ?? "");
      return [...n].length >= 2 ? [{ label: n, value: n }] : [];
    },
    parse(text) {
      const checked = checkName(text);
      return checked.ok ? { ok: true, value: checked.name } : { ok: false, error: checked.error };
    },
    format: (v) => v,
  };

  const form: FormDef = {
    name: "dangky",
    version: 2,
    title: "Đăng ký báo cáo",
    fields: [nameField, agencyField],
    submit(v, ctx) {
      const admin = people.isAdmin(ctx.turn);
      if (admin) people.identify(ctx.turn, ctx.now);
      const agencyId = String(v.agency);
      const ref = v._invite as InviteRef | undefined;
      // The code is used at the moment of saving: one that expired or ran out meanwhile leaves a registration to approve.
      const invite = ref !== undefined && invites.redeem(ref, ctx.now);
      const user = store.users.register({
        channel: ctx.turn.channel,
        channelUserId: ctx.turn.userId,
        name: String(v.name),
        agencyId,
        approved: invite || admin,
        viaInvite: invite,
        inviteId: invite && ref?.kind === "code" ? ref.id : null,
        now: ctx.now,
      });
      store.audit.log({
        actor: `${ctx.turn.channel}:${ctx.turn.userId}`,
        action: invite ? "user.register.invite" : "user.register",
        subject: `user:${user.id}`,
        detail: { agencyId, registration: user.registrationId, ...(invite ? { invite: ref.kind === "code" ? `code:${ref.id}` : "config" } : {}) },
        at: ctx.now,
      });
      const agency = people.agencyName(agencyId);
      if (user.approved) {
        return { ok: true, messages: [{ text: `✅ Đã đăng ký: ${user.name} — ${agency}. Bạn có thể báo cáo ngay: /capnhat` }] };
      }
      const reg = store.users.registration(user.registrationId!)!;
      const lines = [`Đã gửi đăng ký số ${reg.id}: ${user.name} — ${agency}. Chờ quản trị viên duyệt; có mã mời thì nhắn riêng cho tôi: /dangky <mã>.`];
      if (ref !== undefined && !invite) lines.unshift(REGISTRATION_TEXTS.inviteLost);
      return { ok: true, messages: [{ text: lines.join("\n") }], notices: pendingNotices(config, store, reg, agency, ctx.now) };
    },
  };

  const dangky: Command = {
    name: "dangky",
    aliases: ["đăng ký", "dang ky", "register"],
    summary: "Đăng ký để báo cáo tiến độ",
    help: "Đăng ký để báo cáo: /dangky rồi trả lời họ tên và cơ quan. Có mã mời: nhắn riêng cho bot /dangky <mã mời> (được duyệt ngay).",
    async run(ctx) {
      const args = squash(nfc(ctx.args));
      let values: Values = {};
      if (args) {
        if (!looksLikeCode(args)) {
          if (ctx.turn.chatType === "group") return [{ text: INVITE_TEXTS.inGroup }];
          return [{ text: `“${truncate(args, 30)}” không phải mã mời. ${INVITE_TEXTS.notACode}` }];
        }
        const tried = invites.attempt(ctx, args);
        if (!tried.ok) {
          if (tried.notices?.length) void ctx.notify(tried.notices);
          return [{ text: tried.reply }];
        }
        values = { agency: tried.agencyId, ...inviteValues(tried.agencyId, tried.ref) };
      }
      const { user, admin } = people.identify(ctx.turn, ctx.now);
      const intro =
        user?.approved && user.agencyId
          ? `Bạn đã đăng ký: ${user.name} — ${people.agencyName(user.agencyId)}. Đăng ký lại để đổi thông tin${values._invite || admin ? "" : " (sẽ cần duyệt lại)"}.`
          : undefined;
      return ctx.forms.start("dangky", { values, intro });
    },
  };

  const describe = (r: Pick<RegistrationRow, "id" | "name" | "agencyId" | "channel">) =>
    `#${r.id} ${quoteName(r.name)} — ${people.agencyName(r.agencyId)} (${r.channel})`;

  /** The admin's answer to a decision the store took, or refused. */
  function decided(d: Decision, id: number, approve: boolean): { text: string; notices: Notice[]; choices?: Choice[] } {
    if (!d.ok) {
      if (d.reason === "unknown") return { text: `Không có đăng ký số ${id} đang chờ duyệt.`, notices: [] };
      if (d.reason === "superseded") {
        const latest = d.latest;
        const newer =
          latest && latest.status === "pending"
            ? `đăng ký số ${latest.id}: ${quoteName(latest.name)} — ${people.agencyName(latest.agencyId)}. Xem lại rồi gõ /duyet ${latest.id}`
            : `một đăng ký mới hơn${latest ? ` (số ${latest.id})` : ""}. Xem danh sách: /duyet`;
        return {
          text: `Chưa ${approve ? "duyệt" : "từ chối"} gì: người đăng ký số ${id} đã gửi lại thông tin khác, nay là ${newer}.`,
          notices: [],
          choices: [{ label: "Danh sách chờ duyệt", value: "/duyet" }],
        };
      }
      const reg = d.registration!;
      const how = reg.status === "approved" ? "được duyệt" : "bị từ chối";
      const when = reg.decidedAt ? ` ngày ${formatDate(localDate(new Date(reg.decidedAt), config.TIMEZONE))}` : "";
      return { text: `Đăng ký số ${id} đã ${how}${when} từ trước; không thay đổi gì.`, notices: [] };
    }
    const reg = d.registration;
    const agency = people.agencyName(reg.agencyId);
    switch (d.outcome) {
      case "approved":
        return { text: `Đã duyệt ${describe(reg)}.`, notices: decisionNotices(store, reg, agency, { kind: "approved" }) };
      case "removed":
        return { text: `Đã từ chối đăng ký ${describe(reg)}.`, notices: decisionNotices(store, reg, agency, { kind: "rejected" }) };
      case "rejected":
        return {
          text: `Đã từ chối đăng ký ${describe(reg)}. Người này đã có báo cáo tiến độ nên vẫn giữ trong danh sách, nhưng không báo cáo được nữa cho đến khi đăng ký lại và được duyệt.`,
          notices: decisionNotices(store, reg, agency, { kind: "rejected" }),
        };
      case "restored": {
        const prev = d.restored!;
        const prevAgency = people.agencyName(prev.agencyId);
        return {
          text: `Đã từ chối đăng ký ${describe(reg)}. Người này giữ đăng ký đã duyệt trước đó: ${quoteName(prev.name)} — ${prevAgency}.`,
          notices: decisionNotices(store, reg, agency, { kind: "kept", name: prev.name, agencyName: prevAgency }),
        };
      }
    }
  }

  function duyetRun(ctx: CommandContext, meId: number, actor: string): OutMessage[] {
    const args = key(ctx.args);
    if (args === "") {
      const pending = store.users.pending();
      if (pending.length === 0) return [{ text: "Không có đăng ký nào đang chờ duyệt." }];
      const lines = [`${pending.length} đăng ký chờ duyệt:`, ...pending.slice(0, 10).map((r) => `${describe(r)} · ${fmtDay(r.createdAt)}`)];
      if (pending.length > 10) lines.push(`… và ${pending.length - 10} đăng ký khác.`);
      lines.push("Gõ /duyet <số> để duyệt, /duyet <số> từ chối để bỏ.");
      const choices = pending.slice(0, 5).map((r) => ({ label: `Duyệt #${r.id}`, value: `/duyet ${r.id}` }));
      return [{ text: lines.join("\n"), choices }];
    }
    if (args === "tat ca" || args === "all") {
      const done = store.transaction(() => store.users.pending().map((r) => store.users.approve(r.id, meId, ctx.now)));
      const approved = done.filter((d): d is Extract<Decision, { ok: true }> => d.ok);
      for (const d of approved) store.audit.log({ actor, action: "user.approve", subject: `user:${d.registration.userId}`, detail: { registration: d.registration.id }, at: ctx.now });
      void ctx.notify(approved.flatMap((d) => decisionNotices(store, d.registration, people.agencyName(d.registration.agencyId), { kind: "approved" })));
      if (approved.length === 0) return [{ text: "Không có đăng ký nào đang chờ duyệt." }];
      return [{ text: [`Đã duyệt ${approved.length} đăng ký:`, ...approved.slice(0, 20).map((d) => describe(d.registration))].join("\n") }];
    }
    const m = /^#?(\d{1,9})(?:\s+(tu choi|khong|bo|reject|xoa))?$/.exec(args) ?? /^(?:tu choi|reject)\s+#?(\d{1,9})$/.exec(args);
    if (!m) return [{ text: DUYET_HELP }];
    const id = Number(m[1]);
    const approve = !(Boolean(m[2]) || /^(tu choi|reject)/.test(args));
    const d = approve ? store.users.approve(id, meId, ctx.now) : store.users.reject(id, meId, ctx.now);
    if (d.ok) {
      store.audit.log({
        actor,
        action: approve ? "user.approve" : "user.reject",
        subject: `user:${d.registration.userId}`,
        detail: { registration: id, outcome: d.outcome },
        at: ctx.now,
      });
    } else {
      store.audit.log({ actor, action: approve ? "user.approve.refused" : "user.reject.refused", subject: `registration:${id}`, detail: { reason: d.reason }, at: ctx.now });
    }
    const out = decided(d, id, approve);
    if (out.notices.length) void ctx.notify(out.notices);
    return [out.choices ? { text: out.text, choices: out.choices } : { text: out.text }];
  }

  const duyet: Command = {
    name: "duyet",
    aliases: ["duyệt", "approve"],
    summary: "Duyệt đăng ký (quản trị viên)",
    help: DUYET_HELP,
    run(ctx: CommandContext) {
      const me = people.identify(ctx.turn, ctx.now);
      if (!me.admin || !me.user) return [{ text: "Chỉ quản trị viên mới duyệt được đăng ký." }];
      const meId = me.user.id;
      return answerPrivately(ctx, people, () => duyetRun(ctx, meId, me.actor));
    },
  };

  return { form, commands: [dangky, duyet, invites.command] };
}
