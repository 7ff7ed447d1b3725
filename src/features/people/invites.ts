// Invite codes: a registration with a valid code is approved at once. Codes come
// from an admin's /maomoi (an agency, an expiry, a use limit; only a hash is
// stored and the code is shown once) or from INVITE_CODES in the configuration.
// Guessing is held off: INVITE_POLICY wrong codes per person and per chat lock
// the code path for a while (longer after each lockout); every wrong code is
// logged (never the code) and audited. A code typed in a group is refused there,
// and the admins hear that it was exposed.
import { createHash, randomInt } from "node:crypto";
import { INVITE_CODE_MIN_LENGTH, type Config } from "../../config.js";
import type { Command, CommandContext } from "../../core/feature.js";
import type { Notice, OutMessage } from "../../core/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Agency } from "../../knowledge/types.js";
import type { AttemptPolicy, InviteRow, Store } from "../../store/index.js";
import { formatDate, formatTimeOfDay, localMoment } from "../../text/dates.js";
import { cleanName, quoteName } from "../../text/names.js";
import { fold, nfc, squash, truncate, words } from "../../text/vietnamese.js";
import { adminNotices } from "./notices.js";
import { answerPrivately } from "./privately.js";
import type { People } from "./service.js";

/** 5 wrong codes within 15 minutes lock the code path for 15 minutes, then 30, 60, … up to a day. */
export const INVITE_POLICY: AttemptPolicy = {
  max: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxLockMs: 24 * 3600_000,
  forgetMs: 24 * 3600_000,
};

/** Shortest invite code accepted anywhere (configured ones included; the configuration checks them). */
export const MIN_CODE_LENGTH = INVITE_CODE_MIN_LENGTH;
/** Generated codes: 12 characters of an alphabet without look-alikes (0/O, 1/I/L): about 59 bits. */
export const CODE_LENGTH = 12;
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export const INVITE_DEFAULTS = { uses: 10, days: 7, maxUses: 100, maxDays: 90 } as const;

/** A code as it is matched: NFC, no spaces, upper case (codes are typed on phones, which capitalise at will). */
export function normalizeCode(text: string): string {
  return nfc(text).replace(/\s+/g, "").toUpperCase();
}

export const hashCode = (code: string): string => createHash("sha256").update(normalizeCode(code), "utf8").digest("hex");

const CODE_SHAPE = new RegExp(`^[\\p{L}\\p{N}_-]{${MIN_CODE_LENGTH},64}$`, "u");

/** One word of 8–64 letters, digits, "-" or "_": what an invite code looks like (an agency name has spaces or is short). */
export function looksLikeCode(text: string): boolean {
  return CODE_SHAPE.test(squash(nfc(text)));
}

export function generateCode(): string {
  let s = "";
  for (let i = 0; i < CODE_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** Which code a registration used: a /maomoi code by id, or a configured one by hash (the code itself is never kept). */
export type InviteRef = { kind: "code"; id: number } | { kind: "config"; hash: string };

export type InviteAttempt =
  | { ok: true; agencyId: string; ref: InviteRef }
  /** Refused (wrong, spent, locked, or typed in a group): `reply` says so to the person. */
  | { ok: false; reply: string; notices?: Notice[] };

export const INVITE_TEXTS = {
  wrong: (left: number) =>
    `Mã mời không đúng (còn ${left} lần thử trước khi bị tạm khóa). Kiểm tra lại mã, hoặc gõ /dangky để đăng ký và chờ duyệt.`,
  lockedNow: (until: string) =>
    `Mã mời không đúng. Bạn đã nhập sai quá nhiều lần nên tạm thời không dùng được mã mời đến ${until}. Vẫn có thể đăng ký và chờ duyệt: gõ /dangky rồi chọn cơ quan.`,
  locked: (until: string) =>
    `Bạn đã nhập sai mã mời quá nhiều lần; thử lại sau ${until}. Vẫn có thể đăng ký và chờ duyệt: gõ /dangky rồi chọn cơ quan.`,
  spent: "Mã mời này đã hết hạn, hết lượt dùng hoặc đã bị thu hồi. Vui lòng xin quản trị viên mã mới, hoặc gõ /dangky để đăng ký và chờ duyệt.",
  inGroup:
    "Không gõ mã mời trong nhóm: mọi người trong nhóm đều thấy. Anh/chị hãy nhắn riêng cho tôi: /dangky <mã mời>. Nếu mã này đúng, quản trị viên sẽ được báo để đổi mã.",
  notACode: "Mã mời có ít nhất 8 chữ và số, không có dấu cách. Gõ /dangky để đăng ký và chờ duyệt.",
} as const;

export interface InviteDeps {
  store: Store;
  config: Pick<Config, "ADMINS" | "INVITE_CODES" | "TIMEZONE">;
  knowledge: KnowledgeIndex;
  people: People;
}

export interface Invites {
  /** Check a code someone typed (counted against the limits; a group is refused). */
  attempt(ctx: CommandContext, text: string): InviteAttempt;
  /** Is the code path locked for this person or chat now? */
  locked(ctx: CommandContext): boolean;
  /** Count the use of the code at the moment of saving; false when it is no longer valid. */
  redeem(ref: InviteRef, now: Date): boolean;
  /** /maomoi for admins. */
  command: Command;
}

export function createInvites({ store, config, knowledge, people }: InviteDeps): Invites {
  const configured = new Map<string, string>();
  for (const [code, agency] of config.INVITE_CODES) configured.set(hashCode(code), agency);

  const localTime = (iso: string) => {
    const m = localMoment(new Date(iso), config.TIMEZONE);
    return `${formatTimeOfDay(m.minutes)} ngày ${formatDate(m.date)}`;
  };
  const keys = (ctx: CommandContext) => [`invite:user:${ctx.turn.channel}:${ctx.turn.userId}`, `invite:chat:${ctx.turn.channel}:${ctx.turn.chatId}`];

  /** The latest lock among the person's and the chat's, when one holds now. */
  function lockedUntil(ctx: CommandContext): string | null {
    const until = keys(ctx)
      .map((k) => store.limits.lockedUntil(k, ctx.now))
      .filter((x): x is string => x !== null)
      .sort();
    return until.at(-1) ?? null;
  }

  /** What a code is, without counting anything. */
  function lookup(text: string, now: Date): { agencyId: string; ref: InviteRef; invite?: InviteRow } | "spent" | undefined {
    const hash = hashCode(text);
    const fromConfig = configured.get(hash);
    if (fromConfig) return { agencyId: fromConfig, ref: { kind: "config", hash } };
    const invite = store.invites.byHash(hash);
    if (!invite) return undefined;
    if (invite.revokedAt || Date.parse(invite.expiresAt) <= now.getTime() || invite.uses >= invite.maxUses) return "spent";
    return { agencyId: invite.agencyId, ref: { kind: "code", id: invite.id }, invite };
  }

  function audit(ctx: CommandContext, action: string, detail: Record<string, unknown>) {
    store.audit.log({ actor: `${ctx.turn.channel}:${ctx.turn.userId}`, action, subject: `chat:${ctx.turn.channel}:${ctx.turn.chatId}`, detail, at: ctx.now });
  }

  /** A wrong code: counted for the person and the chat, logged (never the code) and audited. */
  function wrong(ctx: CommandContext, inGroup: boolean): string {
    const results = keys(ctx).map((k) => store.limits.fail(k, ctx.now, INVITE_POLICY));
    const lockedNow = results.some((r) => r.lockedNow);
    const until = results.map((r) => r.lockedUntil).filter((x): x is string => x !== null).sort().at(-1) ?? null;
    const failures = Math.max(...results.map((r) => r.failures));
    ctx.log.warn("invite code refused: wrong code", { channel: ctx.turn.channel, chat: ctx.turn.chatId, user: ctx.turn.userId, failures, lockedUntil: until, inGroup });
    audit(ctx, lockedNow ? "invite.lockout" : "invite.fail", { failures, lockedUntil: until, inGroup });
    if (inGroup) return INVITE_TEXTS.inGroup;
    if (until) return INVITE_TEXTS.lockedNow(localTime(until));
    return INVITE_TEXTS.wrong(INVITE_POLICY.max - failures);
  }

  function exposed(ctx: CommandContext, found: { agencyId: string; ref: InviteRef }): Notice[] {
    audit(ctx, "invite.exposed", { ref: found.ref.kind === "code" ? `code:${found.ref.id}` : "config", agencyId: found.agencyId });
    ctx.log.warn("invite code typed in a group", { channel: ctx.turn.channel, chat: ctx.turn.chatId, user: ctx.turn.userId });
    const where = `một nhóm ${ctx.turn.channel} (nhóm ${ctx.turn.chatId}) bởi ${quoteName(cleanName(ctx.turn.userName) || ctx.turn.userId)}`;
    const agency = people.agencyName(found.agencyId);
    const text =
      found.ref.kind === "code"
        ? `⚠️ Mã mời #${found.ref.id} (${agency}) vừa bị gõ trong ${where}: mọi người trong nhóm đã thấy mã. Nên thu hồi: /maomoi thuhoi ${found.ref.id}`
        : `⚠️ Một mã mời trong cấu hình INVITE_CODES (${agency}) vừa bị gõ trong ${where}: mọi người trong nhóm đã thấy mã. Nên đổi mã đó trong INVITE_CODES.`;
    return adminNotices(config, store, text);
  }

  const invites: Invites = {
    locked: (ctx) => lockedUntil(ctx) !== null,

    attempt(ctx, text) {
      const inGroup = ctx.turn.chatType === "group";
      const until = lockedUntil(ctx);
      if (until) {
        ctx.log.warn("invite code refused: locked", { channel: ctx.turn.channel, chat: ctx.turn.chatId, user: ctx.turn.userId, lockedUntil: until });
        audit(ctx, "invite.locked", { lockedUntil: until, inGroup });
        return { ok: false, reply: inGroup ? INVITE_TEXTS.inGroup : INVITE_TEXTS.locked(localTime(until)) };
      }
      const found = lookup(text, ctx.now);
      if (found === undefined) return { ok: false, reply: wrong(ctx, inGroup) };
      if (inGroup) return { ok: false, reply: INVITE_TEXTS.inGroup, notices: found === "spent" ? [] : exposed(ctx, found) };
      if (found === "spent") {
        audit(ctx, "invite.spent", {});
        return { ok: false, reply: INVITE_TEXTS.spent };
      }
      for (const k of keys(ctx)) store.limits.clear(k);
      return { ok: true, agencyId: found.agencyId, ref: found.ref };
    },

    redeem(ref, now) {
      if (ref.kind === "config") return configured.has(ref.hash);
      return store.invites.use(ref.id, now);
    },

    command: createMaomoi(),
  };

  function createMaomoi(): Command {
    const HELP =
      "Quản trị viên: /maomoi — các mã mời còn dùng được; /maomoi Sở KH&CN 5 lượt 7 ngày — tạo mã mời mới " +
      `(mặc định ${INVITE_DEFAULTS.uses} lượt, ${INVITE_DEFAULTS.days} ngày; tối đa ${INVITE_DEFAULTS.maxUses} lượt, ${INVITE_DEFAULTS.maxDays} ngày); /maomoi thuhoi 3 — thu hồi mã số 3.`;

    const agencies = () => knowledge.agencies.filter((a) => !a.isGroup);
    function findAgency(text: string): Agency[] {
      const exact = knowledge.agency(text);
      if (exact && !exact.isGroup) return [exact];
      const q = words(text);
      if (q.length === 0) return [];
      return agencies().filter((a) => [a.canonical, ...a.aliases].some((name) => q.every((x) => words(name).some((y) => y.startsWith(x)))));
    }

    function list(now: Date): OutMessage[] {
      const active = store.invites.active(now);
      const lines: string[] = [];
      if (active.length === 0) lines.push("Không có mã mời nào (tạo bằng /maomoi) còn dùng được.");
      else {
        lines.push(`${active.length} mã mời còn dùng được:`);
        for (const i of active.slice(0, 20)) {
          lines.push(`#${i.id} ${people.agencyName(i.agencyId)} · đã dùng ${i.uses}/${i.maxUses} · hết hạn ${localTime(i.expiresAt)}`);
        }
        if (active.length > 20) lines.push(`… và ${active.length - 20} mã khác.`);
      }
      const fromConfig = [...new Set(configured.values())].map((a) => people.agencyName(a));
      if (fromConfig.length) lines.push(`Mã trong cấu hình INVITE_CODES (không hết hạn, đổi trong cấu hình): ${fromConfig.join("; ")}.`);
      lines.push("Mã chỉ hiện một lần, lúc tạo.", HELP);
      return [{ text: lines.join("\n") }];
    }

    function revoke(ctx: CommandContext, id: number, actor: string): OutMessage[] {
      const invite = store.invites.byId(id);
      if (!invite) return [{ text: `Không có mã mời số ${id}. Xem danh sách: /maomoi` }];
      if (!store.invites.revoke(id, actor, ctx.now)) return [{ text: `Mã mời #${id} đã bị thu hồi từ trước.` }];
      store.audit.log({ actor, action: "invite.revoke", subject: `invite:${id}`, detail: { agencyId: invite.agencyId }, at: ctx.now });
      return [{ text: `Đã thu hồi mã mời #${id} (${people.agencyName(invite.agencyId)}, đã dùng ${invite.uses}/${invite.maxUses}). Ai chưa dùng thì không dùng được nữa.` }];
    }

    function create(ctx: CommandContext, args: string, actor: string): OutMessage[] {
      const rest: string[] = [];
      let uses: number = INVITE_DEFAULTS.uses;
      let days: number = INVITE_DEFAULTS.days;
      const tokens = args.split(/\s+/).filter(Boolean);
      for (let i = 0; i < tokens.length; i++) {
        const here = fold(tokens[i]!);
        const glued = /^(\d{1,4})(luot|lan|nguoi|ngay)$/.exec(here);
        const next = fold(tokens[i + 1] ?? "");
        const [n, unit] = glued ? [glued[1]!, glued[2]!] : /^\d{1,4}$/.test(here) && /^(luot|lan|nguoi|ngay)$/.test(next) ? [here, next] : [undefined, undefined];
        if (n === undefined || unit === undefined) {
          rest.push(tokens[i]!);
          continue;
        }
        if (!glued) i++;
        if (unit === "ngay") days = Number(n);
        else uses = Number(n);
      }
      if (uses < 1 || uses > INVITE_DEFAULTS.maxUses) return [{ text: `Số lượt dùng phải từ 1 đến ${INVITE_DEFAULTS.maxUses}. Chưa tạo mã. ${HELP}` }];
      if (days < 1 || days > INVITE_DEFAULTS.maxDays) return [{ text: `Số ngày phải từ 1 đến ${INVITE_DEFAULTS.maxDays}. Chưa tạo mã. ${HELP}` }];
      const phrase = rest.join(" ");
      const found = findAgency(phrase);
      if (found.length !== 1) {
        const what = found.length === 0 ? `Không tìm thấy cơ quan “${truncate(phrase, 40)}”.` : `Có nhiều cơ quan khớp “${truncate(phrase, 40)}”: ${found.slice(0, 5).map((a) => a.canonical).join("; ")}. Gõ rõ hơn.`;
        return [{ text: `${what} Chưa tạo mã. ${HELP}` }];
      }
      const agency = found[0]!;
      const expiresAt = new Date(ctx.now.getTime() + days * 86_400_000);
      let code = generateCode();
      for (let n = 0; store.invites.byHash(hashCode(code)) || configured.has(hashCode(code)); n++) {
        if (n > 10) throw new Error("could not draw an unused invite code");
        code = generateCode();
      }
      const invite = store.invites.create({ codeHash: hashCode(code), agencyId: agency.id, maxUses: uses, expiresAt, createdBy: actor, now: ctx.now });
      store.audit.log({ actor, action: "invite.create", subject: `invite:${invite.id}`, detail: { agencyId: agency.id, maxUses: uses, expiresAt: invite.expiresAt }, at: ctx.now });
      return [
        {
          text: [
            `✅ Mã mời #${invite.id} cho ${agency.canonical}: ${code}`,
            `Dùng được ${uses} lượt, đến ${localTime(invite.expiresAt)}.`,
            `Người được mời nhắn riêng cho bot (không gõ trong nhóm): /dangky ${code}`,
            `Mã chỉ hiện một lần này. Thu hồi: /maomoi thuhoi ${invite.id}`,
          ].join("\n"),
        },
      ];
    }

    return {
      name: "maomoi",
      aliases: ["mã mời", "ma moi", "invite"],
      summary: "Tạo, xem, thu hồi mã mời (quản trị viên)",
      help: HELP,
      run(ctx) {
        const me = people.identify(ctx.turn, ctx.now);
        if (!me.admin) return [{ text: "Chỉ quản trị viên mới tạo và xem được mã mời." }];
        return answerPrivately(ctx, people, () => {
          const args = squash(ctx.args);
          const f = fold(args);
          if (!args) return list(ctx.now);
          const rv = /^(?:thu\s*hoi|huy|xoa|revoke)\s+#?(\d{1,9})$/.exec(f);
          if (rv) return revoke(ctx, Number(rv[1]), me.actor);
          if (/^(?:thu\s*hoi|huy|xoa|revoke)\b/.test(f)) return [{ text: `Gõ số của mã cần thu hồi, VD: /maomoi thuhoi 3. Xem danh sách: /maomoi` }];
          return create(ctx, args, me.actor);
        });
      },
    };
  }

  return invites;
}
