// /dangky (name + agency, or an invite code → approved at once) and /duyet
// (admins approve pending registrations).
import { z } from "zod";
import type { Config } from "../../config.js";
import type { Command, CommandContext } from "../../core/feature.js";
import type { Choice } from "../../core/types.js";
import { fields } from "../../forms/index.js";
import { key, matchChoice } from "../../forms/parsers.js";
import type { Field, FormDef, Values } from "../../forms/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Agency } from "../../knowledge/types.js";
import type { Store } from "../../store/index.js";
import { nfc, squash, truncate, words } from "../../text/vietnamese.js";
import { decisionNotices, pendingNotices } from "./notices.js";
import type { People } from "./service.js";

export interface RegistrationDeps {
  store: Store;
  config: Pick<Config, "ADMINS" | "INVITE_CODES">;
  knowledge: KnowledgeIndex;
  people: People;
}

const DUYET_HELP = "Quản trị viên: /duyet xem danh sách chờ; /duyet 12 duyệt số 12; /duyet 12 từ chối; /duyet tất cả.";
const fmtDay = (iso: string) => iso.slice(8, 10) + "/" + iso.slice(5, 7);

export function createRegistration({ store, config, knowledge, people }: RegistrationDeps): { form: FormDef; commands: Command[] } {
  /** The agency of an invite code from INVITE_CODES (codes compared without case). */
  function inviteAgency(code: string): string | undefined {
    const c = squash(nfc(code)).toUpperCase();
    if (c.length < 4) return undefined;
    for (const [k, agency] of config.INVITE_CODES) if (k.toUpperCase() === c) return agency;
    return undefined;
  }

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

  const agencyField: Field<string> = {
    key: "agency",
    label: "Cơ quan",
    prompt: () => "Bạn thuộc cơ quan nào? Gõ tên hoặc viết tắt, hoặc mã mời nếu có.",
    example: "Sở KH&CN",
    maxLength: 150,
    choices: ({ values }) => agencyChoices(values),
    schema: z.string().min(1),
    parse(text, { values }) {
      const invited = inviteAgency(text);
      if (invited) return { ok: true, value: invited, also: { _invite: true, _agencyChoices: undefined, _agencyName: people.agencyName(invited) } };
      const picked = matchChoice(text, agencyChoices(values));
      const found = picked ? searchAgencies(picked.value) : searchAgencies(text);
      if (found.length === 1) return { ok: true, value: found[0]!.id, also: { _invite: false, _agencyChoices: undefined, _agencyName: found[0]!.canonical } };
      if (found.length === 0) return { ok: false, error: `Không tìm thấy cơ quan “${truncate(squash(nfc(text)), 40)}”.` };
      const choices = found.slice(0, 8).map((a) => ({ label: a.canonical, value: a.canonical }));
      return { ok: false, error: "Có nhiều cơ quan khớp, chọn một:", choices, noExample: true, also: { _agencyChoices: choices } };
    },
    format: (id, v) => `${String(v._agencyName ?? id)}${v._invite ? " (mã mời)" : ""}`,
  };

  const form: FormDef = {
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
    submit(v, ctx) {
      const admin = people.isAdmin(ctx.turn);
      if (admin) people.identify(ctx.turn, ctx.now);
      const agencyId = String(v.agency);
      const invite = v._invite === true;
      const user = store.users.register({
        channel: ctx.turn.channel,
        channelUserId: ctx.turn.userId,
        name: String(v.name),
        agencyId,
        approved: invite || admin,
        viaInvite: invite,
        now: ctx.now,
      });
      store.audit.log({
        actor: `${ctx.turn.channel}:${ctx.turn.userId}`,
        action: invite ? "user.register.invite" : "user.register",
        subject: `user:${user.id}`,
        detail: { agencyId },
        at: ctx.now,
      });
      const agency = people.agencyName(agencyId);
      if (user.approved) {
        return { ok: true, messages: [{ text: `✅ Đã đăng ký: ${user.name} — ${agency}. Bạn có thể báo cáo ngay: /capnhat` }] };
      }
      return {
        ok: true,
        messages: [{ text: `Đã gửi đăng ký số ${user.id}: ${user.name} — ${agency}. Chờ quản trị viên duyệt; có mã mời thì gõ /dangky <mã>.` }],
        notices: pendingNotices(config, store, user, agency),
      };
    },
  };

  const dangky: Command = {
    name: "dangky",
    aliases: ["đăng ký", "dang ky", "register"],
    summary: "Đăng ký để báo cáo tiến độ",
    help: "Đăng ký để báo cáo: /dangky rồi trả lời họ tên và cơ quan. Có mã mời: /dangky KHCN2026 (được duyệt ngay).",
    async run(ctx) {
      const args = squash(nfc(ctx.args));
      const values: Values = {};
      if (args) {
        const invited = inviteAgency(args);
        if (!invited) return [{ text: `Mã mời “${truncate(args, 30)}” không đúng. Gõ /dangky để đăng ký và chờ duyệt.` }];
        values.agency = invited;
        values._invite = true;
        values._agencyName = people.agencyName(invited);
      }
      const { user, admin } = people.identify(ctx.turn, ctx.now);
      const intro =
        user?.approved && user.agencyId
          ? `Bạn đã đăng ký: ${user.name} — ${people.agencyName(user.agencyId)}. Đăng ký lại để đổi thông tin${values._invite || admin ? "" : " (sẽ cần duyệt lại)"}.`
          : undefined;
      return ctx.forms.start("dangky", { values, intro });
    },
  };

  const duyet: Command = {
    name: "duyet",
    aliases: ["duyệt", "approve"],
    summary: "Duyệt đăng ký (quản trị viên)",
    help: DUYET_HELP,
    run(ctx: CommandContext) {
      const me = people.identify(ctx.turn, ctx.now);
      if (!me.admin || !me.user) return [{ text: "Chỉ quản trị viên mới duyệt được đăng ký." }];
      const args = key(ctx.args);
      const pending = store.users.pending();
      const describe = (u: { id: number; name: string; agencyId: string | null; channel: string }) =>
        `#${u.id} ${truncate(u.name, 40)} — ${people.agencyName(u.agencyId)} (${u.channel})`;

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
        void ctx.notify(done.flatMap((u) => decisionNotices(store, u, people.agencyName(u.agencyId), true)));
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
        void ctx.notify(decisionNotices(store, target, people.agencyName(target.agencyId), false));
        return [{ text: `Đã từ chối đăng ký ${describe(target)}.` }];
      }
      store.users.approve(id, me.user.id, ctx.now);
      store.audit.log({ actor: me.actor, action: "user.approve", subject: `user:${id}`, at: ctx.now });
      void ctx.notify(decisionNotices(store, target, people.agencyName(target.agencyId), true));
      return [{ text: `Đã duyệt ${describe(target)}.` }];
    },
  };

  return { form, commands: [dangky, duyet] };
}
