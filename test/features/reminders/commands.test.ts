// Rules protected here: only an admin or an approved official changes a group's
// reminders; agencies and plans are matched by any alias, with or without
// diacritics; hostile input (empty, unknown, emoji, SQL-looking, "25:99") gets a
// clear Vietnamese answer and changes nothing; /nhacviec shows what comes next;
// /tatnhac and /batnhac mute and unmute; /giomnhac sets the group's time.
import { afterEach, describe, expect, it } from "vitest";
import type { Command, CommandContext } from "../../../src/core/feature.js";
import type { Turn } from "../../../src/core/types.js";
import { createPeople } from "../../../src/features/people/index.js";
import { createReminders, createRemindersFeature, type Reminders } from "../../../src/features/reminders/index.js";
import { silentLogger } from "../../../src/log.js";
import { openStore, type Store } from "../../../src/store/index.js";
import { BG, BN, fixtureKnowledge, instantTimer, KHCN, STATUSES, TC, testConfig, vn } from "./fixtures.js";

const knowledge = fixtureKnowledge();
const config = testConfig({ ADMINS: "telegram:1" });
const stores: Store[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
});

interface Group {
  commands: Map<string, Command>;
}

function setup(): { reminders: Reminders; store: Store; services: Group } {
  const store = openStore(":memory:");
  stores.push(store);
  const now = vn("2026-03-02 10:00");
  store.users.register({ channel: "telegram", channelUserId: "42", name: "Chị Lan", agencyId: KHCN.id, approved: true, viaInvite: false, now });
  store.users.register({ channel: "telegram", channelUserId: "99", name: "Khách", agencyId: null, approved: false, viaInvite: false, now });
  const people = createPeople({ store, config, knowledge });
  const reminders = createReminders({
    store,
    statuses: () => STATUSES,
    knowledge,
    config,
    clock: () => now,
    timer: instantTimer(),
    canManage: (turn) => people.mayManageGroups(turn),
  });
  const commands = new Map(createRemindersFeature(reminders).commands.map((c) => [c.name, c]));
  return { reminders, store, services: { commands } };
}

async function say(services: Group, name: string, args = "", who: Partial<Turn> = {}, at = "2026-03-02 10:00"): Promise<string> {
  const turn: Turn = {
    channel: "telegram",
    chatId: "-100",
    chatType: "group",
    userId: "42",
    userName: "Chị Lan",
    text: `/${name} ${args}`.trim(),
    messageId: "1",
    ...who,
  };
  const ctx: CommandContext = {
    turn,
    args,
    now: vn(at),
    log: silentLogger(),
    notify: async () => undefined,
    forms: { start: async () => [], cancel: () => false, back: async () => null },
  };
  const out = await (services.commands.get(name) as Command).run(ctx);
  return out.map((m) => m.text).join("\n---\n");
}

describe("/dangkynhom", () => {
  it("an approved official subscribes the group by alias, without diacritics, several at once", async () => {
    const { services, reminders } = setup();
    expect(await say(services, "dangkynhom", "so khcn, Sở Tài Chính")).toBe(
      [
        "✅ Nhóm đã đăng ký nhận nhắc việc của: Sở Khoa học và Công nghệ; Sở Tài chính.",
        "Nhắc việc gửi lúc 08:00 các ngày làm việc (thứ Hai – thứ Sáu).",
        "Xem trước: /nhacviec · Đổi giờ: /giomnhac 07:30 · Tắt: /tatnhac",
      ].join("\n"),
    );
    expect(reminders.repo.subscriptions("telegram:-100").map((s) => `${s.kind}:${s.id}:${s.createdBy}`)).toEqual([
      `agency:${KHCN.id}:telegram:42`,
      `agency:${TC.id}:telegram:42`,
    ]);
  });

  it("a whole plan, by code or alias; a repeat says so", async () => {
    const { services, reminders } = setup();
    expect(await say(services, "dangkynhom", "kế hoạch BN")).toContain("✅ Nhóm đã đăng ký nhận nhắc việc của: kế hoạch KH UBND tỉnh Bắc Ninh 2026.");
    expect(await say(services, "dangkynhom", "bac giang", { userId: "1" })).toContain("kế hoạch KH UBND tỉnh Bắc Giang.");
    expect(await say(services, "dangkynhom", "BN")).toContain("Nhóm đã đăng ký từ trước: kế hoạch KH UBND tỉnh Bắc Ninh 2026.");
    expect(reminders.repo.subscriptions("telegram:-100").map((s) => s.id)).toEqual([BN, BG]);
  });

  it("refuses an unapproved user, a private chat, and changes nothing", async () => {
    const { services, reminders } = setup();
    expect(await say(services, "dangkynhom", "Sở KH&CN", { userId: "99" })).toMatch(/^Chỉ quản trị viên hoặc cán bộ đã được duyệt/);
    expect(await say(services, "dangkynhom", "Sở KH&CN", { userId: "7" })).toMatch(/^Chỉ quản trị viên/);
    expect(await say(services, "dangkynhom", "Sở KH&CN", { chatType: "private" })).toMatch(/^Lệnh này dùng trong nhóm/);
    expect(reminders.repo.chats()).toEqual([]);
  });

  it("hostile input gets a clear answer and subscribes nothing", async () => {
    const { services, reminders } = setup();
    expect(await say(services, "dangkynhom", "")).toMatch(/^Cách dùng: \/dangkynhom <cơ quan hoặc kế hoạch>/);
    expect(await say(services, "dangkynhom", "Sở Ngoại giao Sao Hỏa")).toBe(
      "Không tìm thấy cơ quan hoặc kế hoạch “Sở Ngoại giao Sao Hỏa”. Chưa đăng ký gì.\n" +
        "Hãy gõ tên cơ quan (ví dụ: Sở KH&CN, Sở Tài chính) hoặc mã kế hoạch.\n" +
        "Các kế hoạch: BN (KH UBND tỉnh Bắc Ninh 2026); BG (KH UBND tỉnh Bắc Giang).",
    );
    expect(await say(services, "dangkynhom", "🎉🎉🔥")).toMatch(/^Không tìm thấy cơ quan hoặc kế hoạch “🎉🎉🔥”/);
    expect(await say(services, "dangkynhom", "'; DROP TABLE reminder_subscriptions; --")).toMatch(
      /^Không tìm thấy cơ quan hoặc kế hoạch “'”, “DROP TABLE reminder_subscriptions”, “--”\. Chưa đăng ký gì\./,
    );
    // one good and one bad: nothing is subscribed, the bad one is named
    expect(await say(services, "dangkynhom", "Sở KH&CN, xyz")).toMatch(/^Không tìm thấy cơ quan hoặc kế hoạch “xyz”\. Chưa đăng ký gì\./);
    // a collective is not a subscription target
    expect(await say(services, "dangkynhom", "các sở, ngành")).toMatch(/^Không tìm thấy/);
    expect(reminders.repo.subscriptions("telegram:-100")).toEqual([]);
  });
});

describe("/nhacviec, /tatnhac, /batnhac, /giomnhac, /huydangky", () => {
  it("/nhacviec before subscribing, then the next digest (Tuesday, since Monday's 08:00 has passed)", async () => {
    const { services } = setup();
    expect(await say(services, "nhacviec")).toBe(
      "Nhóm chưa đăng ký nhận nhắc việc. Gõ /dangkynhom <cơ quan hoặc kế hoạch>, ví dụ: /dangkynhom Sở KH&CN",
    );
    await say(services, "dangkynhom", "Sở Tài chính");
    const text = await say(services, "nhacviec");
    expect(text.split("\n---\n")[0]).toBe(
      [
        "Nhóm đang nhận nhắc việc của: Sở Tài chính.",
        "Nhắc việc gửi lúc 08:00 các ngày làm việc (thứ Hai – thứ Sáu).",
        "Lần gửi tới (08:00 thứ Ba 03/03/2026) dự kiến có 1 mục:",
      ].join("\n"),
    );
    expect(text).toContain("• BN-2 · Bố trí kinh phí chuyển đổi số · Sở Tài chính · hạn 09/03/2026");
  });

  it("mute and unmute; the state is reported and repeated commands are harmless", async () => {
    const { services, reminders } = setup();
    expect(await say(services, "tatnhac")).toMatch(/^Nhóm chưa đăng ký nhận nhắc việc/);
    await say(services, "dangkynhom", "Sở KH&CN");
    expect(await say(services, "tatnhac")).toBe("🔕 Đã tắt nhắc việc trong nhóm. Đăng ký vẫn giữ nguyên; gõ /batnhac để bật lại.");
    expect(reminders.repo.chat("telegram:-100")!.muted).toBe(true);
    expect(await say(services, "tatnhac")).toBe("Nhóm đã tắt nhắc việc từ trước. Bật lại: /batnhac.");
    expect(await say(services, "nhacviec")).toContain("🔕 Nhóm đang TẮT nhắc việc");
    expect(await say(services, "batnhac", "", { userId: "99" })).toMatch(/^Chỉ quản trị viên/);
    expect(await say(services, "batnhac")).toBe(
      "🔔 Đã bật lại nhắc việc. Nhắc việc gửi lúc 08:00 các ngày làm việc (thứ Hai – thứ Sáu). Xem trước: /nhacviec",
    );
    expect(reminders.repo.chat("telegram:-100")!.muted).toBe(false);
  });

  it("/giomnhac sets the time; wrong times and quiet hours are refused", async () => {
    const { services, reminders } = setup();
    expect(await say(services, "giomnhac", "7h30")).toBe(
      "Đã đặt giờ nhắc việc của nhóm: 07:30. Nhắc việc gửi lúc 07:30 các ngày làm việc (thứ Hai – thứ Sáu).",
    );
    expect(reminders.repo.chat("telegram:-100")!.timeOfDay).toBe("07:30");
    expect(await say(services, "giomnhac", "25:99")).toBe(
      "Giờ “25:99” không hợp lệ. Hãy gõ giờ:phút theo 24 giờ, từ 00:00 đến 23:59, ví dụ /giomnhac 07:30.",
    );
    expect(await say(services, "giomnhac", "abc; DELETE FROM reminder_chats")).toMatch(/^Giờ “abc; DELETE FROM reminder_chats” không hợp lệ/);
    expect(await say(services, "giomnhac", "22:00")).toBe(
      "Không gửi nhắc việc trong giờ nghỉ (21:00 – 07:00). Hãy chọn giờ khác, ví dụ /giomnhac 07:30.",
    );
    expect(await say(services, "giomnhac", "mặc định")).toMatch(/^Đã đặt lại giờ nhắc chung\. Nhắc việc gửi lúc 08:00/);
    expect(reminders.repo.chat("telegram:-100")!.timeOfDay).toBe(null);
  });

  it("/huydangky removes one target or all", async () => {
    const { services, reminders } = setup();
    await say(services, "dangkynhom", "Sở KH&CN, Sở Tài chính");
    expect(await say(services, "huydangky", "so tai chinh")).toBe("Đã hủy đăng ký: Sở Tài chính.");
    expect(reminders.repo.subscriptions("telegram:-100").map((s) => s.id)).toEqual([KHCN.id]);
    expect(await say(services, "huydangky", "tất cả")).toMatch(/^Đã hủy mọi đăng ký nhắc việc của nhóm/);
    expect(reminders.repo.subscriptions("telegram:-100")).toEqual([]);
  });

});
