// Read-only views: /tinhhinh <id>, /nhiemvu, /baocao (admins; CSV on Telegram).
import type { Config } from "../../config.js";
import type { Command, CommandContext } from "../../core/feature.js";
import type { OutMessage } from "../../core/types.js";
import { idKey, type KnowledgeIndex } from "../../knowledge/knowledge-index.js";
import type { Store } from "../../store/index.js";
import { formatDate, localDate } from "../../text/dates.js";
import { nfc, squash, truncate } from "../../text/vietnamese.js";
import { answerPrivately, partiesOf, type People } from "../people/index.js";
import { exportCsv, viDateTime } from "./csv.js";
import { STATUS_OPTIONS, statusLabel } from "./labels.js";
import { byAgency, standings } from "./report.js";
import type { TaskFinder } from "./tasks.js";

export interface ViewDeps {
  store: Store;
  knowledge: KnowledgeIndex;
  config: Pick<Config, "TIMEZONE">;
  people: People;
  finder: TaskFinder;
}

const LIST_LIMIT = 10;
const AGENCY_LIMIT = 12;

const TINHHINH_HELP = "Xem tình hình một nhiệm vụ: /tinhhinh <mã>, VD: /tinhhinh BN-7.22";

export const VIEW_TEXTS = {
  detailsForParties: "(Người báo cáo và nội dung chi tiết chỉ hiện với cán bộ cơ quan chủ trì, phối hợp và quản trị viên.)",
  detailsInPrivate: "(Người báo cáo và nội dung chi tiết chỉ hiện trong chat riêng với bot, cho cán bộ cơ quan chủ trì, phối hợp và quản trị viên.)",
  notRegistered: "Bạn chưa đăng ký cơ quan; gõ /dangky để đăng ký. Hỏi về nhiệm vụ của một cơ quan trong kế hoạch: /hoi nhiệm vụ của Sở KH&CN",
  pendingList: "Đăng ký của bạn đang chờ quản trị viên duyệt; sau khi được duyệt, /nhiemvu sẽ liệt kê nhiệm vụ của cơ quan bạn.",
  otherAgency: (name: string) =>
    `Danh sách nhiệm vụ kèm tình hình của ${name} chỉ dành cho cán bộ đã được duyệt của cơ quan đó và quản trị viên. Xem nhiệm vụ của cơ quan bạn: /nhiemvu. Hỏi về kế hoạch: /hoi nhiệm vụ của ${name}`,
} as const;

export function createViews({ store, knowledge, config, people, finder }: ViewDeps): Command[] {
  const tz = config.TIMEZONE;

  const tinhhinh: Command = {
    name: "tinhhinh",
    aliases: ["tình hình", "tinh hinh", "status"],
    summary: "Tình hình mới nhất và lịch sử của một nhiệm vụ",
    help: TINHHINH_HELP,
    async run(ctx) {
      const k = knowledge;
      const args = squash(nfc(ctx.args));
      if (!args) return [{ text: TINHHINH_HELP }];
      const task = k.task(args) ?? finder.taskAtStart(args)?.task;
      const stored = task ? store.tasks.get(task.id) : store.tasks.list({ includeArchived: true }).find((t) => idKey(t.id) === idKey(args));
      if (!task && !stored) {
        const found = await finder.findTasks(args, ctx.now, ctx.log, 5);
        if (found.length === 0) return [{ text: `Không tìm thấy nhiệm vụ “${truncate(args, 40)}”. ${TINHHINH_HELP}` }];
        return [{ text: "Bạn muốn xem nhiệm vụ nào?", choices: found.map((t) => ({ label: `${t.id} · ${truncate(t.name, 40)}`, value: `/tinhhinh ${t.id}` })) }];
      }
      const id = task?.id ?? stored!.id;
      const name = task?.name ?? stored!.name;
      const lead = task ? task.leadAgencies.map((a) => a.canonical).join(", ") || task.leadRaw : stored!.leadIds.map((x) => people.agencyName(x)).join(", ");
      const due = task?.deadline.due ?? stored?.due ?? null;
      const dueRaw = task?.deadline.raw ?? stored?.deadlineRaw ?? "";
      const lines = [`${id} · ${truncate(name, 120)}`, `Chủ trì: ${lead || "(chưa rõ)"}`, `Thời hạn: ${due ? formatDate(due) : dueRaw || "(không ghi)"}`];
      if (stored?.archivedAt) lines.push("(Không còn trong kế hoạch hiện hành; giữ lại lịch sử.)");
      const history = store.updates.history(id, 6);
      const latest = history[0];
      // Details (who reported, notes) for the task's own agencies and admins, in a private chat; status and percent for all.
      const parties = task ? partiesOf(task) : { leadIds: stored!.leadIds, coordinatorIds: stored!.coordinatorIds };
      const details = ctx.turn.chatType === "private" && people.maySeeDetails(people.identify(ctx.turn, ctx.now), parties);
      if (!latest) {
        lines.push("Chưa có báo cáo nào.");
      } else {
        if (due && due < localDate(ctx.now, tz) && latest.status !== "hoan_thanh") lines.push("⚠️ Đã quá hạn.");
        const by = details ? `, ${truncate(latest.userName, 30)}` : "";
        lines.push(`Mới nhất: ${statusLabel(latest.status)} · ${latest.percent}% — ${viDateTime(latest.reportedAt, tz)}${by}`);
        if (details && latest.expectedBy) lines.push(`Dự kiến xong: ${formatDate(latest.expectedBy)}`);
        if (details && latest.done) lines.push(`Đã làm: ${truncate(latest.done, 300)}`);
        if (details && latest.obstacles) lines.push(`Vướng mắc: ${truncate(latest.obstacles, 300)}`);
        if (details && latest.proposal) lines.push(`Đề xuất: ${truncate(latest.proposal, 300)}`);
        if (history.length > 1) {
          lines.push("Trước đó:");
          for (const h of history.slice(1, 6)) lines.push(`• ${viDateTime(h.reportedAt, tz).slice(0, 10)}: ${statusLabel(h.status)} ${h.percent}%`);
        }
        const total = store.updates.countsByTask().get(id) ?? 0;
        if (total > 6) lines.push(`(${total} báo cáo tất cả)`);
        if (!details) lines.push(ctx.turn.chatType === "private" ? VIEW_TEXTS.detailsForParties : VIEW_TEXTS.detailsInPrivate);
      }
      const out: OutMessage = { text: lines.join("\n") };
      if (task && !stored?.archivedAt) out.choices = [{ label: "Cập nhật", value: `/capnhat ${id}` }];
      return [out];
    },
  };

  const nhiemvu: Command = {
    name: "nhiemvu",
    aliases: ["nhiệm vụ", "nhiem vu", "tasks"],
    summary: "Nhiệm vụ của cơ quan tôi: thời hạn và tình hình",
    help: "Nhiệm vụ của cơ quan bạn: /nhiemvu (trang sau: /nhiemvu trang 2). Của cơ quan khác: /nhiemvu Sở KH&CN, /nhiemvu Sở KH&CN trang 2",
    run(ctx) {
      const k = knowledge;
      let args = squash(nfc(ctx.args));
      // "trang 2" (or a number alone, or after the agency's name) asks for a page.
      let page = 1;
      const paged = /^(?:(.*?)\s+)?(?:trang|tr|p)\.?\s*(\d{1,3})$/iu.exec(args) ?? /^()(\d{1,3})$/.exec(args);
      if (paged && !(paged[1] && k.agency(args))) {
        page = Math.max(1, Number(paged[2]));
        args = (paged[1] ?? "").trim();
      } else if (args && !k.agency(args)) {
        const trailing = /^(.*\S)\s+(\d{1,3})$/u.exec(args);
        if (trailing && k.agency(trailing[1]!)) {
          args = trailing[1]!;
          page = Math.max(1, Number(trailing[2]));
        }
      }
      let agencyId: string | undefined;
      const me = people.identify(ctx.turn, ctx.now);
      if (args) {
        agencyId = k.agency(args)?.id;
        if (!agencyId) return [{ text: `Không tìm thấy cơ quan “${truncate(args, 40)}”. VD: /nhiemvu Sở KH&CN` }];
      } else {
        agencyId = me.user?.agencyId ?? undefined;
        if (!agencyId) return [{ text: me.admin ? "Quản trị viên: /nhiemvu <tên cơ quan>, VD: /nhiemvu Sở KH&CN." : VIEW_TEXTS.notRegistered }];
      }
      if (!people.maySeeAgency(me, agencyId)) {
        const pending = !args && me.user && !me.user.approved;
        return [{ text: pending ? VIEW_TEXTS.pendingList : VIEW_TEXTS.otherAgency(people.agencyName(agencyId)) }];
      }
      const ids = new Set(k.tasksOfAgency(agencyId).map((t) => t.id));
      const list = standings(store, k, ctx.now, tz)
        .filter((t) => ids.has(t.id) && !t.archived)
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due ?? "9999").localeCompare(b.due ?? "9999") || a.id.localeCompare(b.id, "en", { numeric: true }));
      const name = people.agencyName(agencyId);
      if (list.length === 0) return [{ text: `${name} chưa có nhiệm vụ nào trong các kế hoạch.` }];
      const overdue = list.filter((t) => t.overdue).length;
      const pages = Math.ceil(list.length / LIST_LIMIT);
      page = Math.min(page, pages);
      const lines = [`${name}: ${list.length} nhiệm vụ${overdue ? `, ${overdue} quá hạn` : ""}.${pages > 1 ? ` Trang ${page}/${pages}.` : ""}`];
      for (const t of list.slice((page - 1) * LIST_LIMIT, page * LIST_LIMIT)) {
        const state = t.latest ? `${statusLabel(t.latest.status)} ${t.latest.percent}%` : "chưa báo cáo";
        const role = t.leadIds.includes(agencyId) ? "" : " (phối hợp)";
        lines.push(`${t.overdue ? "⚠️" : "•"} ${t.id}${role} · hạn ${t.due ? formatDate(t.due) : truncate(t.deadlineRaw || "không ghi", 25)} · ${state}`);
        lines.push(`  ${truncate(t.name, 70)}`);
      }
      // The same list, another page: by the agency's name unless it is the user's own.
      const of = args ? `${k.agencies.find((a) => a.id === agencyId)?.canonical ?? args} ` : "";
      const pageCommand = (n: number) => `/nhiemvu ${of}trang ${n}`;
      if (page < pages) lines.push(`Xem tiếp: ${pageCommand(page + 1)}`);
      lines.push("Báo cáo: /capnhat <mã>");
      const choices = [
        ...(page < pages ? [{ label: `Trang sau (${page + 1}/${pages})`, value: pageCommand(page + 1) }] : []),
        ...(page > 1 ? [{ label: `Trang trước (${page - 1}/${pages})`, value: pageCommand(page - 1) }] : []),
      ];
      return [choices.length ? { text: lines.join("\n"), choices } : { text: lines.join("\n") }];
    },
  };

  const baocao: Command = {
    name: "baocao",
    aliases: ["báo cáo", "bao cao", "report"],
    summary: "Tiến độ theo cơ quan (quản trị viên)",
    help: "Quản trị viên: /baocao — tiến độ theo cơ quan chủ trì; trên Telegram kèm tệp CSV.",
    run(ctx) {
      const me = people.identify(ctx.turn, ctx.now);
      if (!me.admin) return [{ text: "Chỉ quản trị viên mới xem được báo cáo tổng hợp." }];
      // Names and obstacles are for the admin only: from a group, the report goes to the admin's private chat.
      return answerPrivately(ctx, people, () => report(ctx, me.actor));
    },
  };

  /** The admins' report: counts by lead agency, and on Telegram the CSV (names, notes) as a file. */
  function report(ctx: CommandContext, actor: string): OutMessage[] {
    const k = knowledge;
    const today = localDate(ctx.now, tz);
    const all = standings(store, k, ctx.now, tz);
    const active = all.filter((t) => !t.archived);
    const groups = byAgency(all, k);
    const reported = active.filter((t) => t.latest).length;
    const overdue = active.filter((t) => t.overdue).length;
    const lines = [
      `Tiến độ ${formatDate(today)}: ${active.length} nhiệm vụ, ${reported} đã báo cáo, ${overdue} quá hạn.`,
      `(${STATUS_OPTIONS.map((o) => `${o.short}: ${o.label.toLowerCase()}`).join("; ")})`,
    ];
    for (const g of groups.slice(0, AGENCY_LIMIT)) {
      const counts = STATUS_OPTIONS.filter((o) => g.byStatus[o.value] > 0).map((o) => `${o.short} ${g.byStatus[o.value]}`);
      if (g.unreported) counts.push(`chưa BC ${g.unreported}`);
      lines.push(`• ${truncate(g.name, 45)} — ${g.tasks} NV`);
      lines.push(`  ${counts.join(" · ")}${g.overdue ? ` · quá hạn ${g.overdue}` : ""} · tháng này chưa BC ${g.notThisMonth}`);
    }
    if (groups.length > AGENCY_LIMIT) lines.push(`… và ${groups.length - AGENCY_LIMIT} cơ quan khác (xem CSV).`);
    store.audit.log({ actor, action: "report.view", detail: { fromGroup: ctx.turn.chatType === "group" }, at: ctx.now });
    const out: OutMessage[] = [{ text: lines.join("\n") }];
    if (ctx.turn.channel === "telegram") {
      const csv = exportCsv(store, k, ctx.now, tz);
      out.push({
        text: "Bảng tiến độ đầy đủ (CSV, mở bằng Excel).",
        document: { filename: `tien-do-${today}.csv`, mime: "text/csv", content: Buffer.from(csv, "utf8") },
      });
    }
    return out;
  }

  return [tinhhinh, nhiemvu, baocao];
}
