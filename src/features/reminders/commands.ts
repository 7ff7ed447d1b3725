// Group commands of the reminders feature:
//   /dangkynhom <cơ quan|kế hoạch>[, …]   subscribe the group (admin or approved official)
//   /huydangky <cơ quan|kế hoạch|tất cả>  unsubscribe
//   /nhacviec                             what the group receives next
//   /tatnhac, /batnhac                    mute / unmute
//   /giomnhac <HH:MM>                     the group's time of day ("mặc định" = REMINDER_TIME)
import type { Command, CommandContext } from "../../core/feature.js";
import type { OutMessage } from "../../core/types.js";
import type { KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import { fold, squash, truncate } from "../../text/vietnamese.js";
import { chatKey } from "../../store/index.js";
import type { Target } from "./rules.js";
import { chatMinutes } from "./run.js";
import type { Reminders } from "./service.js";
import { formatDate, formatTimeOfDay, inQuietHours, localMoment, parseTimeOfDay } from "../../text/dates.js";

export const REMINDER_TEXTS = {
  groupOnly: "Lệnh này dùng trong nhóm. Anh/chị hãy thêm tôi vào nhóm của đơn vị rồi gõ lệnh trong nhóm.",
  denied:
    "Chỉ quản trị viên hoặc cán bộ đã được duyệt mới thay đổi được nhắc việc của nhóm. Anh/chị gõ /dangky để đăng ký tài khoản cán bộ.",
  notSubscribed: "Nhóm chưa đăng ký nhận nhắc việc. Gõ /dangkynhom <cơ quan hoặc kế hoạch>, ví dụ: /dangkynhom Sở KH&CN",
} as const;

const WEEKDAYS = ["", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"];

export interface ResolvedTarget extends Target {
  label: string;
}

/** Quote user input back safely: one line, at most 40 characters. */
function quote(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return `“${truncate(squash(s.replace(/[\u0000-\u001f\u007f]/g, " ")), 40)}”`;
}

function folded(s: string): string {
  return fold(s).replace(/[^a-z0-9]+/g, " ").trim();
}

/** One phrase → an agency (by any alias, without diacritics) or a plan (id, code, alias, short name). */
export function resolveTarget(knowledge: KnowledgeIndex, phrase: string): ResolvedTarget | undefined {
  const raw = folded(phrase);
  if (!raw) return undefined;
  const planWords = /^(ke hoach|kh)\s+/.exec(raw);
  const key = planWords ? raw.slice(planWords[0].length) : raw;
  const plan = () =>
    knowledge.plans.find(
      (p) =>
        folded(p.id) === key ||
        folded(p.code) === key ||
        folded(p.shortName) === key ||
        folded(p.shortName) === raw ||
        p.aliases.some((a) => folded(a) === key),
    );
  if (planWords) {
    const p = plan();
    if (p) return { kind: "plan", id: p.id, label: `kế hoạch ${p.shortName}` };
  }
  const a = knowledge.agency(phrase) ?? knowledge.agency(raw);
  if (a && !a.isGroup) return { kind: "agency", id: a.id, label: a.canonical };
  const p = plan();
  if (p) return { kind: "plan", id: p.id, label: `kế hoạch ${p.shortName}` };
  return undefined;
}

/** "Sở KH&CN, kế hoạch Bắc Ninh" → targets; the phrases not understood are returned apart. */
export function resolveTargets(knowledge: KnowledgeIndex, args: string): { targets: ResolvedTarget[]; unknown: string[] } {
  const whole = resolveTarget(knowledge, args);
  if (whole) return { targets: [whole], unknown: [] };
  const targets: ResolvedTarget[] = [];
  const unknown: string[] = [];
  for (const part of args.split(/[,;\n]+/).map((s) => s.trim()).filter(Boolean)) {
    const t = resolveTarget(knowledge, part);
    if (!t) unknown.push(part);
    else if (!targets.some((x) => x.kind === t.kind && x.id === t.id)) targets.push(t);
  }
  return { targets, unknown };
}

export function targetLabel(knowledge: KnowledgeIndex, t: Target): string {
  if (t.kind === "plan") return `kế hoạch ${knowledge.plan(t.id)?.shortName ?? t.id}`;
  return knowledge.agencies.find((a) => a.id === t.id)?.canonical ?? t.id;
}

function say(text: string): OutMessage[] {
  return [{ text }];
}

interface Gate {
  reminders: Reminders;
  key: string;
}

/** The checks every command shares: in a group, and (when `manage`) permission. */
function gate(reminders: Reminders, ctx: CommandContext, manage: boolean): Gate | OutMessage[] {
  if (ctx.turn.chatType !== "group") return say(REMINDER_TEXTS.groupOnly);
  if (manage && !reminders.canManage(ctx.turn)) return say(REMINDER_TEXTS.denied);
  return { reminders, key: chatKey(ctx.turn.channel, ctx.turn.chatId) };
}

function scheduleLine(r: Reminders, timeOfDay: string | null): string {
  const t = formatTimeOfDay(chatMinutes({ timeOfDay }, r.deps.config));
  const days = r.options.workingDays;
  const when =
    days.join(",") === "1,2,3,4,5"
      ? "các ngày làm việc (thứ Hai – thứ Sáu)"
      : days.map((d) => WEEKDAYS[d]).join(", ");
  const holidays = r.options.holidays.length ? ", trừ ngày nghỉ lễ" : "";
  return `Nhắc việc gửi lúc ${t} ${when}${holidays}.`;
}

function planHint(knowledge: KnowledgeIndex): string {
  const plans = knowledge.plans.map((p) => `${p.code} (${p.shortName})`).join("; ");
  return plans ? `\nCác kế hoạch: ${plans}.` : "";
}

/** The group commands, over one reminders service. */
export function createReminderCommands(reminders: Reminders): Command[] {
  const subscribeHelp =
    "Cách dùng: /dangkynhom <cơ quan hoặc kế hoạch>, có thể nhiều mục cách nhau bằng dấu phẩy.\n" +
    "Ví dụ: /dangkynhom Sở KH&CN\n/dangkynhom Sở Tài chính, Sở Nội vụ\n/dangkynhom kế hoạch BN\n" +
    "Tên cơ quan gõ có dấu hay không dấu, viết tắt đều được. Chỉ quản trị viên hoặc cán bộ đã được duyệt dùng được lệnh này.";

  const subscribeCommand: Command = {
    name: "dangkynhom",
    aliases: ["đăng ký nhóm", "dang ky nhom", "subscribe"],
    summary: "Đăng ký nhóm nhận nhắc việc của một cơ quan hoặc một kế hoạch",
    help: subscribeHelp,
    run(ctx) {
      const g = gate(reminders, ctx, true);
      if (Array.isArray(g)) return g;
      const { key } = g;
      const knowledge = reminders.deps.knowledge;
      if (!ctx.args.trim()) {
        const subs = reminders.repo.subscriptions(key);
        const now = subs.length ? `Nhóm đang nhận nhắc việc của: ${subs.map((s) => targetLabel(knowledge, s)).join("; ")}.\n\n` : "";
        return say(`${now}${subscribeHelp}`);
      }
      const { targets, unknown } = resolveTargets(knowledge, ctx.args);
      if (unknown.length || targets.length === 0) {
        const what = unknown.length ? unknown.map(quote).join(", ") : quote(ctx.args);
        return say(
          `Không tìm thấy cơ quan hoặc kế hoạch ${what}. Chưa đăng ký gì.\n` +
            `Hãy gõ tên cơ quan (ví dụ: Sở KH&CN, Sở Tài chính) hoặc mã kế hoạch.${planHint(knowledge)}`,
        );
      }
      const who = `${ctx.turn.channel}:${ctx.turn.userId}`;
      const chat = reminders.repo.ensureChat(ctx.turn.channel, ctx.turn.chatId, ctx.now);
      const added = reminders.repo.subscribe(key, targets, who, ctx.now);
      const isNew = (t: Target) => added.some((a) => a.kind === t.kind && a.id === t.id);
      const fresh = targets.filter(isNew);
      const old = targets.filter((t) => !isNew(t));
      const lines: string[] = [];
      if (fresh.length) lines.push(`✅ Nhóm đã đăng ký nhận nhắc việc của: ${fresh.map((t) => t.label).join("; ")}.`);
      if (old.length) lines.push(`Nhóm đã đăng ký từ trước: ${old.map((t) => t.label).join("; ")}.`);
      lines.push(scheduleLine(reminders, chat.timeOfDay));
      if (chat.muted) lines.push("Lưu ý: nhóm đang tắt nhắc việc; gõ /batnhac để bật lại.");
      lines.push("Xem trước: /nhacviec · Đổi giờ: /giomnhac 07:30 · Tắt: /tatnhac");
      return say(lines.join("\n"));
    },
  };

  const unsubscribeCommand: Command = {
    name: "huydangky",
    aliases: ["hủy đăng ký", "huy dang ky", "unsubscribe"],
    summary: "Hủy đăng ký nhắc việc của nhóm (một cơ quan, một kế hoạch hoặc tất cả)",
    help: "Cách dùng: /huydangky <cơ quan hoặc kế hoạch>, hoặc /huydangky tất cả.\nVí dụ: /huydangky Sở KH&CN",
    run(ctx) {
      const g = gate(reminders, ctx, true);
      if (Array.isArray(g)) return g;
      const { key } = g;
      const subs = reminders.repo.subscriptions(key);
      if (subs.length === 0) return say(REMINDER_TEXTS.notSubscribed);
      const arg = folded(ctx.args);
      if (!arg) return say(`${unsubscribeCommand.help}\nNhóm đang nhận: ${subs.map((s) => targetLabel(reminders.deps.knowledge, s)).join("; ")}.`);
      if (arg === "tat ca" || arg === "het" || arg === "all") {
        reminders.repo.unsubscribe(key);
        return say("Đã hủy mọi đăng ký nhắc việc của nhóm. Đăng ký lại: /dangkynhom <cơ quan hoặc kế hoạch>.");
      }
      const { targets, unknown } = resolveTargets(reminders.deps.knowledge, ctx.args);
      if (unknown.length || targets.length === 0) {
        return say(`Không tìm thấy cơ quan hoặc kế hoạch ${(unknown.length ? unknown : [ctx.args]).map(quote).join(", ")}.`);
      }
      const removed = targets.filter((t) => reminders.repo.unsubscribe(key, t) > 0);
      const kept = targets.filter((t) => !removed.includes(t));
      const lines: string[] = [];
      if (removed.length) lines.push(`Đã hủy đăng ký: ${removed.map((t) => t.label).join("; ")}.`);
      if (kept.length) lines.push(`Nhóm chưa đăng ký: ${kept.map((t) => t.label).join("; ")}.`);
      return say(lines.join("\n"));
    },
  };

  const previewCommand: Command = {
    name: "nhacviec",
    aliases: ["nhắc việc", "nhac viec", "reminders"],
    summary: "Xem trước nhắc việc nhóm sẽ nhận lần tới",
    help: "Cách dùng: /nhacviec\nXem nhóm đang đăng ký gì và những việc sẽ được nhắc trong lần gửi tới.",
    run(ctx) {
      const g = gate(reminders, ctx, false);
      if (Array.isArray(g)) return g;
      const p = reminders.preview(ctx.turn.channel, ctx.turn.chatId, ctx.now);
      if (p.subscriptions.length === 0 || !p.chat) return say(REMINDER_TEXTS.notSubscribed);
      const lm = localMoment(p.next, reminders.deps.config.TIMEZONE);
      const head = [
        `Nhóm đang nhận nhắc việc của: ${p.subscriptions.map((s) => targetLabel(reminders.deps.knowledge, s)).join("; ")}.`,
        scheduleLine(reminders, p.chat.timeOfDay),
      ];
      if (p.chat.muted) head.push("🔕 Nhóm đang TẮT nhắc việc: sẽ không có tin nào cho đến khi gõ /batnhac.");
      const when = `${formatTimeOfDay(lm.minutes)} ${WEEKDAYS[lm.weekday]} ${formatDate(p.nextDate)}`;
      if (p.items.length === 0) {
        head.push(`Lần gửi tới (${when}): hiện chưa có việc nào cần nhắc.`);
        return say(head.join("\n"));
      }
      head.push(`Lần gửi tới (${when}) dự kiến có ${p.items.length} mục:`);
      return [{ text: head.join("\n") }, ...p.chunks.map((c) => ({ text: c.text }))];
    },
  };

  function muteCommand(muted: boolean): Command {
    return {
      name: muted ? "tatnhac" : "batnhac",
      aliases: muted ? ["tắt nhắc", "tat nhac", "mute"] : ["bật nhắc", "bat nhac", "unmute"],
      summary: muted ? "Tạm tắt nhắc việc trong nhóm" : "Bật lại nhắc việc trong nhóm",
      help: muted
        ? "Cách dùng: /tatnhac\nNhóm tạm ngừng nhận nhắc việc (đăng ký vẫn giữ nguyên). Bật lại: /batnhac."
        : "Cách dùng: /batnhac\nNhóm nhận lại nhắc việc theo các đăng ký hiện có.",
      run(ctx) {
        const g = gate(reminders, ctx, true);
        if (Array.isArray(g)) return g;
        const { key } = g;
        const chat = reminders.repo.chat(key);
        if (!chat || reminders.repo.subscriptions(key).length === 0) return say(REMINDER_TEXTS.notSubscribed);
        if (chat.muted === muted) {
          return say(muted ? "Nhóm đã tắt nhắc việc từ trước. Bật lại: /batnhac." : "Nhóm đang bật nhắc việc. " + scheduleLine(reminders, chat.timeOfDay));
        }
        reminders.repo.setMuted(key, muted, ctx.now);
        return say(
          muted
            ? "🔕 Đã tắt nhắc việc trong nhóm. Đăng ký vẫn giữ nguyên; gõ /batnhac để bật lại."
            : `🔔 Đã bật lại nhắc việc. ${scheduleLine(reminders, chat.timeOfDay)} Xem trước: /nhacviec`,
        );
      },
    };
  }


  const timeCommand: Command = {
    name: "giomnhac",
    aliases: ["giờ nhắc", "gio nhac", "remindertime"],
    summary: "Đặt giờ gửi nhắc việc của nhóm (ví dụ 07:30)",
    help: "Cách dùng: /giomnhac <giờ:phút>, ví dụ /giomnhac 07:30 (hoặc 7h30). /giomnhac mặc định để về giờ chung.",
    run(ctx) {
      const g = gate(reminders, ctx, true);
      if (Array.isArray(g)) return g;
      const { key } = g;
      const config = reminders.deps.config;
      const arg = ctx.args.trim();
      const chat = reminders.repo.ensureChat(ctx.turn.channel, ctx.turn.chatId, ctx.now);
      if (!arg) return say(`${scheduleLine(reminders, chat.timeOfDay)}\n${timeCommand.help}`);
      if (["mac dinh", "default"].includes(folded(arg))) {
        reminders.repo.setTimeOfDay(key, null, ctx.now);
        return say(`Đã đặt lại giờ nhắc chung. ${scheduleLine(reminders, null)}`);
      }
      const minutes = parseTimeOfDay(arg);
      if (minutes === null) {
        return say(`Giờ ${quote(arg)} không hợp lệ. Hãy gõ giờ:phút theo 24 giờ, từ 00:00 đến 23:59, ví dụ /giomnhac 07:30.`);
      }
      if (inQuietHours(minutes, config.QUIET_HOURS)) {
        return say(
          `Không gửi nhắc việc trong giờ nghỉ (${config.QUIET_HOURS.replace("-", " – ")}). Hãy chọn giờ khác, ví dụ /giomnhac 07:30.`,
        );
      }
      const hhmm = formatTimeOfDay(minutes);
      reminders.repo.setTimeOfDay(key, hhmm, ctx.now);
      return say(`Đã đặt giờ nhắc việc của nhóm: ${hhmm}. ${scheduleLine(reminders, hhmm)}`);
    },
  };

  return [subscribeCommand, unsubscribeCommand, previewCommand, muteCommand(true), muteCommand(false), timeCommand];
}
