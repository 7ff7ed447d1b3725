// A small knowledge base for the reminder tests: two plans, two agencies and a
// collective, tasks placed around Monday 2026-03-02, and the real periodic
// reporting rules of Bắc Ninh (monthly 20, quarterly 15 of the last month,
// yearly 20/11) and Bắc Giang (15/6 and 1/12, written as one yearly rule each).
import { loadConfig, type Config } from "../../../src/config.js";
import type { Delivery, OutMessage, Outbox } from "../../../src/core/types.js";
import { KnowledgeIndex } from "../../../src/knowledge/knowledge-index.js";
import type { AgencyRef, Duty, KnowledgeBase, Plan, ScheduleRule, Task } from "../../../src/knowledge/types.js";
import type { Timer } from "../../../src/features/reminders/send.js";

export const KHCN: AgencyRef = {
  text: "Sở KH&CN",
  canonical: "Sở Khoa học và Công nghệ",
  id: "so-khoa-hoc-va-cong-nghe",
  isAgency: true,
  isGroup: false,
};
export const TC: AgencyRef = { text: "Sở Tài chính", canonical: "Sở Tài chính", id: "so-tai-chinh", isAgency: true, isGroup: false };
export const CAC_SO: AgencyRef = {
  text: "các sở, ban, ngành",
  canonical: "Các sở, ban, ngành",
  id: "cac-so-ban-nganh",
  isAgency: true,
  isGroup: true,
};

function plan(id: string, code: string, shortName: string, aliases: string[]): Plan {
  return { id, code, shortName, title: shortName, issuer: "", locality: "", number: null, date: null, file: `${id}.md`, aliases };
}

export function task(id: string, planId: string, name: string, lead: AgencyRef, due: string | null, raw = due ?? "Thường xuyên"): Task {
  return {
    kind: "task",
    id,
    plan: planId,
    section: { number: "VII", title: "Nhiệm vụ" },
    ordinal: id.split("-")[1] ?? "",
    name,
    lead: [lead.text],
    coordinators: [],
    leadAgencies: [lead],
    coordinatorAgencies: [],
    leadRaw: lead.text,
    coordinatorsRaw: "",
    deadline: { raw, due, kind: due ? "date" : "recurring", milestones: due ? [{ raw, due, kind: "date" }] : [] },
    basis: "",
    source: { file: `${planId}.md`, line: 1, endLine: 1 },
    flags: [],
  };
}

function duty(id: string, planId: string, agencies: AgencyRef[], schedule: ScheduleRule[], reportTo: string): Duty {
  return {
    kind: "duty",
    id,
    plan: planId,
    section: { number: "V", title: "Tổ chức thực hiện" },
    agency: agencies.map((a) => a.text).join(", "),
    agencies,
    coordinators: [],
    action: "định kỳ báo cáo kết quả thực hiện",
    deadline: null,
    schedule,
    reportTo,
    source: { file: `${planId}.md`, line: 200, endLine: 200 },
  };
}

export const BN = "bac-ninh-ubnd-2026";
export const BG = "bac-giang-ubnd-2025";

export function fixtureKnowledge(extraTasks: Task[] = []): KnowledgeIndex {
  const kb: KnowledgeBase = {
    version: 1,
    plans: [
      plan(BN, "BN", "KH UBND tỉnh Bắc Ninh 2026", ["ubnd bac ninh", "bac ninh"]),
      plan(BG, "BG", "KH UBND tỉnh Bắc Giang", ["bac giang", "ubnd bac giang"]),
    ],
    tasks: [
      task("BN-1", BN, "Xây dựng nền tảng dữ liệu khoa học", KHCN, "2026-03-16"),
      task("BN-2", BN, "Bố trí kinh phí chuyển đổi số", TC, "2026-03-09"),
      task("BN-3", BN, "Ban hành quy chế quản lý nhiệm vụ khoa học", KHCN, "2026-02-20"),
      task("BN-4", BN, "Tuyên truyền về đổi mới sáng tạo", KHCN, null),
      task("BG-5", BG, "Đánh giá chỉ số đổi mới sáng tạo", KHCN, "2026-03-03"),
      task("BN-6", BN, "Số hóa hồ sơ khoa học", KHCN, "2026-03-20"),
      task("BN-7", BN, "Phát triển sàn giao dịch công nghệ", KHCN, "2026-04-30"),
      ...extraTasks,
    ],
    indicators: [],
    duties: [
      duty(
        "BN-D1",
        BN,
        [CAC_SO],
        [
          { period: "month", day: 20, month: null, raw: "hàng tháng trước ngày 20 hàng tháng" },
          { period: "quarter", day: 15, month: 3, raw: "hàng quý trước ngày 15 tháng cuối quý" },
          { period: "year", day: 20, month: 11, raw: "hàng năm trước ngày 20/11" },
        ],
        "Sở Khoa học và Công nghệ",
      ),
      duty(
        "BG-D2",
        BG,
        [KHCN],
        [
          { period: "year", day: 15, month: 6, raw: "trước ngày 15 tháng 6" },
          { period: "year", day: 1, month: 12, raw: "trước ngày 01 tháng 12" },
        ],
        "UBND tỉnh",
      ),
    ],
    passages: [],
    agencies: [
      { id: KHCN.id, canonical: KHCN.canonical, aliases: ["Sở KH&CN", "Sở KHCN", "KHCN", "KH&CN"], isGroup: false },
      { id: TC.id, canonical: TC.canonical, aliases: ["STC"], isGroup: false },
      { id: CAC_SO.id, canonical: CAC_SO.canonical, aliases: ["các sở, ngành"], isGroup: true },
    ],
    warnings: [],
  };
  return new KnowledgeIndex(kb);
}

/** Statuses at Monday 2026-03-02: BN-6 finished, BN-7 updated 10 days ago. */
export const STATUSES = new Map([
  ["BN-6", { status: "hoan_thanh", at: "2026-02-25T03:00:00.000Z" }],
  ["BN-7", { status: "dang_thuc_hien", at: "2026-02-20T03:00:00.000Z" }],
]);

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...env });
}

/** "2026-03-02 08:00" in Asia/Ho_Chi_Minh. */
export function vn(local: string): Date {
  return new Date(`${local.replace(" ", "T")}:00+07:00`);
}

/** A clock tests move by hand. */
export function manualClock(start: Date): { now: () => Date; set: (d: Date) => void; advance: (ms: number) => void } {
  let t = start.getTime();
  return { now: () => new Date(t), set: (d) => (t = d.getTime()), advance: (ms) => (t += ms) };
}

/** A timer that never really waits, recording each sleep. */
export function instantTimer(): Timer & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

export interface Sent {
  chatId: string;
  text: string;
}

/** An outbox recording messages; `fail` decides per call what the channel would answer instead of delivering. */
export function recordingOutbox(
  fail?: (chatId: string, n: number) => Exclude<Delivery, { status: "delivered" }> | undefined,
  textLimit = 4096,
): Outbox & { sent: Sent[]; calls: number } {
  const box = {
    textLimit,
    sent: [] as Sent[],
    calls: 0,
    async send(chatId: string, messages: OutMessage[]): Promise<Delivery> {
      box.calls++;
      const refusal = fail?.(chatId, box.calls);
      if (refusal) return refusal;
      for (const m of messages) box.sent.push({ chatId, text: m.text });
      return { status: "delivered" };
    },
  };
  return box;
}
