// Rules protected (issue 15), through the whole bot's core over a real store:
// - invite codes: wrong ones limited per person and chat (5 in 15 minutes, then a
//   lockout that grows), each failure audited and logged without the code; /maomoi
//   codes with an expiry and a use limit; a code typed in a group refused there and
//   the admins told; a code used up meanwhile leaves a registration to approve;
// - decisions say what they did, and approve exactly the submission shown;
// - who reads what: status details for the task's agencies and admins only,
//   another agency's list for admins only;
// - admin output only in private chats;
// - group reminder settings only for admins and officials of an agency the group follows;
// - names cleaned where they enter, quoted in notices; registration notices rate-limited.
// Every refusal is checked with the store unchanged.
import { afterEach, describe, expect, it } from "vitest";
import { INVITE_POLICY, INVITE_TEXTS, PEOPLE_TEXTS, PRIVATE_TEXTS } from "../../../src/features/people/index.js";
import { REMINDER_TEXTS } from "../../../src/features/reminders/index.js";
import { exportCsv, VIEW_TEXTS } from "../../../src/features/progress/index.js";
import { silentLogger } from "../../../src/log.js";
import type { Turn } from "../../../src/core/types.js";
import { ADMIN, KHCN, makeBot, NV, seedUser, TC, type Bot } from "../progress/fixtures.js";

let bots: Bot[] = [];
afterEach(() => {
  for (const b of bots) b.close();
  bots = [];
});
const bot = (opts: Parameters<typeof makeBot>[0] = {}) => {
  const b = makeBot(opts);
  bots.push(b);
  return b;
};
const admin = { userId: ADMIN.userId };
const person = (userId: string, userName = "Nguyễn Văn An"): Partial<Turn> => ({ userId, chatId: userId, userName });
const inGroup = (userId: string, chatId = "-100", userName = "Nguyễn Văn An"): Partial<Turn> => ({ userId, chatId, chatType: "group", userName });
const actions = (b: Bot) => b.store.audit.recent(500).map((a) => a.action).reverse();
const minutes = (b: Bot, n: number) => (b.clock.now = new Date(b.clock.now.getTime() + n * 60_000));

/** /dangky <code>, the name, then save: the reply to the save. */
async function registerWithCode(b: Bot, who: Partial<Turn>, code: string, name = "Lê Thị Cúc"): Promise<string> {
  const first = await b.text(`/dangky ${code}`, who);
  if (!first.startsWith("(1/2)")) return first;
  await b.say(name, who);
  return b.text("Lưu", who);
}

describe("invite codes cannot be guessed", () => {
  it("locks the code path after 5 wrong codes in 15 minutes; the right code is refused meanwhile; every failure audited and logged without the code", async () => {
    const lines: string[] = [];
    const b = bot({ log: silentLogger(lines) });
    for (let i = 1; i <= 4; i++) {
      expect(await b.text(`/dangky SAIMA00${i}`)).toBe(INVITE_TEXTS.wrong(5 - i));
      minutes(b, 1);
    }
    expect(await b.text("/dangky SAIMA005")).toBe(INVITE_TEXTS.lockedNow("09:19 ngày 10/03/2026"));
    // the right code, on the command line and in the form, while locked
    expect(await b.text("/dangky TAICHINH26")).toBe(INVITE_TEXTS.locked("09:19 ngày 10/03/2026"));
    await b.say("/dangky");
    await b.say("Lê Thị Cúc");
    expect(await b.text("taichinh26")).toBe(INVITE_TEXTS.locked("09:19 ngày 10/03/2026"));
    // an agency by name still works while the code path is locked: registering to wait for approval is never blocked
    expect(await b.text("Sở Nội vụ")).toContain("2. Cơ quan: Sở Nội vụ");
    await b.say("/huy");

    expect(b.store.users.all()).toEqual([]);
    expect(actions(b)).toEqual(["invite.fail", "invite.fail", "invite.fail", "invite.fail", "invite.lockout", "invite.locked", "invite.locked"]);
    const refused = lines.filter((l) => l.includes("invite code refused"));
    expect(refused).toHaveLength(7);
    for (const l of lines) {
      expect(l).not.toMatch(/SAIMA|TAICHINH26|taichinh26/i);
    }

    // 15 minutes on, the right code opens the form
    minutes(b, 16);
    expect(await registerWithCode(b, {}, "TAICHINH26")).toBe("✅ Đã đăng ký: Lê Thị Cúc — Sở Tài chính. Bạn có thể báo cáo ngay: /capnhat");
  });

  it("counts wrong codes typed into the form too, and a second lockout lasts twice as long, across a restart", async () => {
    const b = bot({ path: ":memory:" });
    await b.say("/dangky");
    await b.say("Lê Thị Cúc");
    for (let i = 1; i <= 4; i++) expect(await b.text(`SAIMA00${i}`)).toBe(INVITE_TEXTS.wrong(5 - i));
    expect(await b.text("SAIMA005")).toBe(INVITE_TEXTS.lockedNow("09:15 ngày 10/03/2026"));
    minutes(b, 16);
    for (let i = 1; i <= 4; i++) await b.say(`SAIMA01${i}`);
    expect(await b.text("SAIMA015")).toBe(INVITE_TEXTS.lockedNow("09:46 ngày 10/03/2026"));
    expect(b.store.limits.lockedUntil("invite:user:telegram:100", b.clock.now)).toBe("2026-03-10T02:46:00.000Z");
    expect(b.store.limits.lockedUntil("invite:chat:telegram:100", b.clock.now)).toBe("2026-03-10T02:46:00.000Z");
    expect(b.store.users.all()).toEqual([]);
  });

  it("keeps the lockout through a restart of the bot", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "kehoach-invite-"));
    try {
      const b = bot({ path: join(dir, "bot.sqlite") });
      for (let i = 1; i <= INVITE_POLICY.max; i++) await b.say(`/dangky SAIMA00${i}`);
      b.restart();
      expect(await b.text("/dangky TAICHINH26")).toBe(INVITE_TEXTS.locked("09:15 ngày 10/03/2026"));
      expect(b.store.users.all()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("counts per chat as well as per person", async () => {
    const b = bot();
    for (let i = 1; i <= INVITE_POLICY.max; i++) await b.say(`/dangky SAIMA00${i}`, inGroup(`30${i}`));
    expect(b.store.limits.lockedUntil("invite:chat:telegram:-100", b.clock.now)).toBe("2026-03-10T02:15:00.000Z");
    expect(b.store.limits.lockedUntil("invite:user:telegram:301", b.clock.now)).toBeNull();
  });
});

describe("/maomoi: codes with an expiry and a use limit", () => {
  it("an admin makes a code shown once (stored as a hash); it serves its uses, then is refused; nobody else may make one", async () => {
    const b = bot();
    expect(await b.text("/maomoi", admin)).toMatch(/^Không có mã mời nào \(tạo bằng \/maomoi\) còn dùng được\.\nMã trong cấu hình INVITE_CODES .*: Sở Tài chính; Sở Nội vụ\./);
    expect(await b.text("/maomoi Sở KH&CN 2 lượt 3 ngày", person("100"))).toBe("Chỉ quản trị viên mới tạo và xem được mã mời.");
    expect(b.store.invites.active(b.clock.now)).toEqual([]);

    const made = await b.text("/maomoi Sở KH&CN 2 lượt 3 ngày", admin);
    const code = /^✅ Mã mời #1 cho Sở Khoa học và Công nghệ: ([A-Z2-9]{12})$/m.exec(made)?.[1];
    expect(code).toBeDefined();
    expect(made).toContain("Dùng được 2 lượt, đến 09:00 ngày 13/03/2026.");
    expect(made).toContain(`/dangky ${code}`);
    const row = b.store.invites.byId(1)!;
    expect(row).toMatchObject({ agencyId: KHCN.id, maxUses: 2, uses: 0, expiresAt: "2026-03-13T02:00:00.000Z", createdBy: `telegram:${ADMIN.userId}` });
    expect(JSON.stringify(b.store.audit.recent())).not.toContain(code!);

    expect(await registerWithCode(b, person("201"), code!.toLowerCase())).toContain("✅ Đã đăng ký: Lê Thị Cúc — Sở Khoa học và Công nghệ.");
    expect(await b.text("/maomoi", admin)).toContain("#1 Sở Khoa học và Công nghệ · đã dùng 1/2 · hết hạn 09:00 ngày 13/03/2026");
    expect(await registerWithCode(b, person("202"), code!)).toContain("✅ Đã đăng ký");
    expect(await b.text(`/dangky ${code}`, person("203"))).toBe(INVITE_TEXTS.spent);
    expect(b.store.users.get("telegram", "203")).toBeUndefined();
    expect(b.store.invites.byId(1)?.uses).toBe(2);
    expect(b.store.users.get("telegram", "201")).toMatchObject({ approved: true, viaInvite: true, agencyId: KHCN.id });
  });

  it("refuses a code past its expiry or revoked; bad numbers make no code", async () => {
    const b = bot();
    const code = (t: string) => /: ([A-Z2-9]{12})$/m.exec(t)![1]!;
    const a = code(await b.text("/maomoi Sở Nội vụ 1 ngày", admin));
    const c = code(await b.text("/maomoi STC 5 lượt", admin));
    expect(await b.text("/maomoi thu hồi 2", admin)).toBe("Đã thu hồi mã mời #2 (Sở Tài chính, đã dùng 0/5). Ai chưa dùng thì không dùng được nữa.");
    expect(await b.text("/maomoi thuhoi 2", admin)).toBe("Mã mời #2 đã bị thu hồi từ trước.");
    expect(await b.text(`/dangky ${c}`, person("201"))).toBe(INVITE_TEXTS.spent);
    minutes(b, 24 * 60 + 1);
    expect(await b.text(`/dangky ${a}`, person("202"))).toBe(INVITE_TEXTS.spent);
    expect(b.store.users.all().filter((u) => u.role === "user")).toEqual([]);

    expect(await b.text("/maomoi Sở Nội vụ 0 lượt", admin)).toMatch(/^Số lượt dùng phải từ 1 đến 100\. Chưa tạo mã\./);
    expect(await b.text("/maomoi Sở Nội vụ 365 ngày", admin)).toMatch(/^Số ngày phải từ 1 đến 90\. Chưa tạo mã\./);
    expect(await b.text("/maomoi Sở Ngoại giao", admin)).toMatch(/^Không tìm thấy cơ quan “Sở Ngoại giao”\. Chưa tạo mã\./);
    expect(b.store.invites.active(b.clock.now)).toEqual([]);
    expect(b.store.invites.byId(3)).toBeUndefined();
  });

  it("a code used up between typing it and saving leaves a registration for an admin to approve", async () => {
    const b = bot();
    const code = /: ([A-Z2-9]{12})$/m.exec(await b.text("/maomoi Sở Nội vụ 1 lượt", admin))![1]!;
    await b.say(`/dangky ${code}`, person("201"));
    await b.say("Trần Thị Bình", person("201"));
    expect(await registerWithCode(b, person("202"), code)).toContain("✅ Đã đăng ký");
    expect(await b.text("Lưu", person("201"))).toBe(
      "Mã mời không còn dùng được (đã hết hạn, hết lượt hoặc bị thu hồi trong lúc bạn đăng ký), nên đăng ký được gửi để quản trị viên duyệt.\n" +
        "Đã gửi đăng ký số 2: Trần Thị Bình — Sở Nội vụ. Chờ quản trị viên duyệt; có mã mời thì nhắn riêng cho tôi: /dangky <mã>.",
    );
    expect(b.store.users.get("telegram", "201")).toMatchObject({ approved: false, viaInvite: false, agencyId: NV.id });
  });
});

describe("an invite code typed in a group", () => {
  it("is refused there (on the command line and in the form), the group told to send it privately, the admins told it was exposed", async () => {
    const b = bot();
    await b.say("/batdau", admin); // the admin's private chat is known
    expect(await b.text("/dangky TAICHINH26", inGroup("100"))).toBe(INVITE_TEXTS.inGroup);
    expect(b.notices).toEqual([
      {
        channel: "telegram",
        chatId: ADMIN.userId,
        messages: [
          {
            text:
              "⚠️ Một mã mời trong cấu hình INVITE_CODES (Sở Tài chính) vừa bị gõ trong một nhóm telegram (nhóm -100) bởi “Nguyễn Văn An”: " +
              "mọi người trong nhóm đã thấy mã. Nên đổi mã đó trong INVITE_CODES.",
          },
        ],
      },
    ]);
    const code = /: ([A-Z2-9]{12})$/m.exec(await b.text("/maomoi Sở Nội vụ", admin))![1]!;
    // answers to a form in a group are replies to the bot's question
    const reply = { ...inGroup("100"), replyToBot: true };
    await b.say("/dangky", inGroup("100"));
    await b.say("Lê Thị Cúc", reply);
    expect(await b.text(code, reply)).toBe(INVITE_TEXTS.inGroup);
    expect(b.notices.at(-1)?.messages[0]?.text).toMatch(/^⚠️ Mã mời #1 \(Sở Nội vụ\) vừa bị gõ trong một nhóm telegram .* Nên thu hồi: \/maomoi thuhoi 1$/);
    // a wrong code in a group gets the very same answer (nothing learnt there), is counted, and tells nobody
    const before = b.notices.length;
    expect(await b.text("/dangky SAIMA123", inGroup("100"))).toBe(INVITE_TEXTS.inGroup);
    expect(b.notices).toHaveLength(before);
    expect(b.store.users.get("telegram", "100")).toBeUndefined();
    expect(b.store.invites.byId(1)?.uses).toBe(0);
    expect(actions(b).filter((a) => a.startsWith("invite."))).toEqual(["invite.exposed", "invite.create", "invite.exposed", "invite.fail"]);
  });
});

describe("decisions say what they did", () => {
  it("a refused re-registration of someone who reported says they keep their earlier registration, and leaves the list", async () => {
    const b = bot();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    await b.say("/capnhat BN-7.22 10% đang làm");
    await b.say("/dangky");
    await b.say("Nguyễn Văn An");
    await b.say("Sở Nội vụ");
    expect(await b.text("Lưu")).toMatch(/^Đã gửi đăng ký số 2: Nguyễn Văn An — Sở Nội vụ\./);
    expect(await b.text("/duyet 2 từ chối", admin)).toBe(
      "Đã từ chối đăng ký #2 “Nguyễn Văn An” — Sở Nội vụ (telegram). Người này giữ đăng ký đã duyệt trước đó: “Nguyễn Văn An” — Sở Khoa học và Công nghệ.",
    );
    expect(b.store.users.get("telegram", "100")).toMatchObject({ approved: true, agencyId: KHCN.id });
    expect(await b.text("/duyet", admin)).toBe("Không có đăng ký nào đang chờ duyệt.");
    expect(b.store.updates.count()).toBe(1);
    expect(b.notices.at(-1)).toEqual({
      channel: "telegram",
      chatId: "100",
      messages: [{ text: "Yêu cầu đổi đăng ký của bạn (“Nguyễn Văn An” — Sở Nội vụ) không được duyệt; bạn vẫn là “Nguyễn Văn An” — Sở Khoa học và Công nghệ như trước." }],
    });
  });

  it("a refused person who has reports but no earlier approval is kept, not approved, and told so", async () => {
    const b = bot();
    const u = seedUser(b.store, { userId: "100", agencyId: KHCN.id, approved: false });
    b.store.updates.insert({ taskId: "BN-7.22", userId: u.id, status: "dang_thuc_hien", percent: 10, reportedAt: b.clock.now.toISOString(), channel: "telegram" });
    expect(await b.text(`/duyet ${u.registrationId} từ chối`, admin)).toBe(
      `Đã từ chối đăng ký #${u.registrationId} “Nguyễn Văn An” — Sở Khoa học và Công nghệ (telegram). Người này đã có báo cáo tiến độ nên vẫn giữ trong danh sách, nhưng không báo cáo được nữa cho đến khi đăng ký lại và được duyệt.`,
    );
    expect(await b.text("/duyet", admin)).toBe("Không có đăng ký nào đang chờ duyệt.");
    expect(await b.text("/capnhat BN-7.22 20% đang làm")).toBe(PEOPLE_TEXTS.rejected);
    expect(b.store.updates.count()).toBe(1);
  });

  it("approving by id approves exactly the submission the admin was shown", async () => {
    const b = bot();
    const submit = async (agency: string) => {
      await b.say("/dangky");
      await b.say("Nguyễn Văn An");
      await b.say(agency);
      return b.text("Lưu");
    };
    expect(await submit("Sở Tài chính")).toMatch(/^Đã gửi đăng ký số 1:/);
    const list = await b.say("/duyet", admin);
    expect(list[0]!.choices).toEqual([{ label: "Duyệt #1", value: "/duyet 1" }]);
    expect(await submit("Sở Nội vụ")).toMatch(/^Đã gửi đăng ký số 2:/);
    // the old button
    expect(await b.text("1", admin)).toBe(
      "Chưa duyệt gì: người đăng ký số 1 đã gửi lại thông tin khác, nay là đăng ký số 2: “Nguyễn Văn An” — Sở Nội vụ. Xem lại rồi gõ /duyet 2.",
    );
    expect(b.store.users.get("telegram", "100")).toMatchObject({ approved: false, agencyId: NV.id });
    expect(b.store.users.registration(1)?.status).toBe("superseded");
    expect(await b.text("/duyet 1 từ chối", admin)).toMatch(/^Chưa từ chối gì: người đăng ký số 1 đã gửi lại/);
    expect(b.store.users.get("telegram", "100")).toBeDefined();
    expect(await b.text("/duyet 2", admin)).toBe("Đã duyệt #2 “Nguyễn Văn An” — Sở Nội vụ (telegram).");
    expect(await b.text("/duyet 2 từ chối", admin)).toBe("Đăng ký số 2 đã được duyệt ngày 10/03/2026 từ trước; không thay đổi gì.");
    expect(b.store.users.get("telegram", "100")).toMatchObject({ approved: true, agencyId: NV.id });
    expect(actions(b).filter((a) => a.startsWith("user.approve") || a.startsWith("user.reject"))).toEqual([
      "user.approve.refused",
      "user.reject.refused",
      "user.approve",
      "user.reject.refused",
    ]);
  });
});

describe("who reads what", () => {
  async function world() {
    const b = bot();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id, name: "Nguyễn Văn An" });
    seedUser(b.store, { userId: "200", agencyId: TC.id, name: "Lê Thị Cúc" }); // coordinates BN-7.22
    seedUser(b.store, { userId: "300", agencyId: NV.id, name: "Phạm Văn Dũng" });
    seedUser(b.store, { userId: "400", agencyId: KHCN.id, name: "Chờ Duyệt", approved: false });
    await b.say("/capnhat BN-7.22 20% chậm tiến độ - khảo sát; vướng mắc: thiếu vốn; đề xuất: bố trí vốn");
    return b;
  }
  const secret = ["Nguyễn Văn An", "khảo sát", "thiếu vốn", "bố trí vốn", "Dự kiến"];

  it("status details only for the lead and coordinating agencies' officials and admins; others see status and percent", async () => {
    const b = await world();
    const before = b.store.updates.count();
    for (const who of [person("900000"), person("400"), person("300")]) {
      const out = await b.text("/tinhhinh BN-7.22", who);
      expect(out).toContain("Mới nhất: Chậm tiến độ · 20% — 10/03/2026 09:00");
      for (const s of secret) expect(out).not.toContain(s);
      expect(out).toContain(VIEW_TEXTS.detailsForParties);
    }
    for (const who of [person("100"), person("200"), admin]) {
      const out = await b.text("/tinhhinh BN-7.22", who);
      expect(out).toContain("Mới nhất: Chậm tiến độ · 20% — 10/03/2026 09:00, Nguyễn Văn An");
      expect(out).toContain("Vướng mắc: thiếu vốn");
      expect(out).toContain("Đề xuất: bố trí vốn");
    }
    // in a group, even the lead agency's official sees no details (everyone in the group would)
    const group = await b.text("/tinhhinh BN-7.22", inGroup("100"));
    for (const s of secret) expect(group).not.toContain(s);
    expect(group).toContain(VIEW_TEXTS.detailsInPrivate);
    expect(b.store.updates.count()).toBe(before);
  });

  it("a task led only by collectives shows its details to any agency's official", async () => {
    const b = await world();
    await b.say("/capnhat LC-5 50% đang làm - rà soát 12 thủ tục", person("300"));
    expect(await b.text("/tinhhinh LC-5", person("200"))).toContain("Đã làm: rà soát 12 thủ tục");
    expect(await b.text("/tinhhinh LC-5", person("900000"))).not.toContain("rà soát 12 thủ tục");
  });

  it("/nhiemvu <another agency> is for admins; an official sees their own", async () => {
    const b = await world();
    expect(await b.text("/nhiemvu Sở KH&CN", person("300"))).toBe(VIEW_TEXTS.otherAgency("Sở Khoa học và Công nghệ"));
    expect(await b.text("/nhiemvu Sở KH&CN", person("900000"))).toBe(VIEW_TEXTS.otherAgency("Sở Khoa học và Công nghệ"));
    expect(await b.text("/nhiemvu", person("400"))).toBe(VIEW_TEXTS.pendingList);
    expect(await b.text("/nhiemvu", person("300"))).toMatch(/^Sở Nội vụ: 1 nhiệm vụ\./);
    expect(await b.text("/nhiemvu snv", person("300"))).toMatch(/^Sở Nội vụ: 1 nhiệm vụ\./);
    expect(await b.text("/nhiemvu Sở KH&CN", admin)).toMatch(/^Sở Khoa học và Công nghệ: 2 nhiệm vụ/);
    expect(await b.text("/nhiemvu", admin)).toBe("Quản trị viên: /nhiemvu <tên cơ quan>, VD: /nhiemvu Sở KH&CN.");
  });
});

describe("admin output only in private chats", () => {
  const group = { chatId: "-100", chatType: "group" as const, userId: ADMIN.userId };

  it("in a group, /duyet and /baocao answer that they went to the admin privately, and go there", async () => {
    const b = bot();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id, approved: false, name: "Trần Thị Bình" });
    // the bot has never seen the admin's private chat: nothing runs
    expect(await b.text("/duyet", group)).toBe(PRIVATE_TEXTS.openPrivateChat);
    expect(await b.text("/duyet 1", group)).toBe(PRIVATE_TEXTS.openPrivateChat);
    expect(b.store.users.get("telegram", "100")).toMatchObject({ approved: false });
    expect(b.notices).toEqual([]);

    await b.say("/batdau", admin);
    const listed = await b.say("/duyet", group);
    expect(listed).toEqual([{ text: PRIVATE_TEXTS.sent }]);
    expect(b.notices).toHaveLength(1);
    expect(b.notices[0]).toMatchObject({ channel: "telegram", chatId: ADMIN.userId });
    expect(b.notices[0]!.messages[0]!.text).toContain("#1 “Trần Thị Bình” — Sở Khoa học và Công nghệ");

    const report = await b.say("/baocao", group);
    expect(report).toEqual([{ text: PRIVATE_TEXTS.sent }]);
    const privately = b.notices.at(-1)!;
    expect(privately.chatId).toBe(ADMIN.userId);
    expect(privately.messages[1]?.document?.filename).toBe("tien-do-2026-03-10.csv");
    expect(await b.text("/maomoi", group)).toBe(PRIVATE_TEXTS.sent);
    // a non-admin in a group is simply refused
    expect(await b.text("/baocao", { ...group, userId: "100" })).toBe("Chỉ quản trị viên mới xem được báo cáo tổng hợp.");
    expect(await b.text("/duyet", { ...group, userId: "100" })).toBe("Chỉ quản trị viên mới duyệt được đăng ký.");
  });
});

describe("group reminder settings", () => {
  async function world() {
    const b = bot();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    seedUser(b.store, { userId: "200", agencyId: TC.id, name: "Lê Thị Cúc" });
    seedUser(b.store, { userId: "300", agencyId: NV.id, name: "Phạm Văn Dũng" });
    expect(await b.text("/dangkynhom Sở KH&CN", { ...inGroup(ADMIN.userId) })).toMatch(/^✅ Nhóm đã đăng ký/);
    return b;
  }

  it("an official of another agency can change nothing of a group that follows Sở KH&CN", async () => {
    const b = await world();
    const key = "telegram:-100";
    for (const cmd of ["/tatnhac", "/giomnhac 07:30", "/giomnhac mặc định", "/huydangky tất cả", "/huydangky Sở KH&CN", "/dangkynhom Sở Tài chính"]) {
      expect(await b.text(cmd, inGroup("200"))).toBe(REMINDER_TEXTS.otherAgency("Sở Khoa học và Công nghệ"));
    }
    expect(b.store.reminders.chat(key)).toMatchObject({ muted: false, timeOfDay: null });
    expect(b.store.reminders.subscriptions(key).map((s) => s.id)).toEqual([KHCN.id]);
    // the group's own agency and admins may
    expect(await b.text("/giomnhac 07:30", inGroup("100"))).toMatch(/^Đã đặt giờ nhắc việc của nhóm: 07:30\./);
    expect(await b.text("/tatnhac", inGroup(ADMIN.userId))).toMatch(/^🔕 Đã tắt nhắc việc/);
    expect(b.store.reminders.chat(key)).toMatchObject({ muted: true, timeOfDay: "07:30" });
    // anyone in the group may look
    expect(await b.text("/nhacviec", inGroup("200"))).toContain("Nhóm đang nhận nhắc việc của: Sở Khoa học và Công nghệ.");
  });

  it("a new group: an official subscribes it to their own agency or a plan with their tasks, never to another agency alone", async () => {
    const b = await world();
    expect(await b.text("/dangkynhom Sở KH&CN", inGroup("200", "-200"))).toBe(REMINDER_TEXTS.foreignTarget);
    expect(b.store.reminders.subscriptions("telegram:-200")).toEqual([]);
    expect(await b.text("/dangkynhom Sở Tài chính", inGroup("200", "-200"))).toMatch(/^✅ Nhóm đã đăng ký nhận nhắc việc của: Sở Tài chính\./);
    expect(await b.text("/dangkynhom kế hoạch BN", inGroup("300", "-300"))).toMatch(/^✅ Nhóm đã đăng ký nhận nhắc việc của: kế hoạch /);
    // a plan group is followed by every agency with tasks in it
    expect(await b.text("/tatnhac", inGroup("100", "-300"))).toMatch(/^🔕 Đã tắt nhắc việc/);
  });
});

describe("names", () => {
  it("an admin's platform name is cleaned before it is stored, so it reaches /tinhhinh and the CSV clean", async () => {
    const b = bot();
    await b.say("/capnhat BN-7.22 10% đang làm - khảo sát", { ...admin, userName: "Quản\u202E trị\u0007 viên\u200F" });
    expect(b.store.users.get("telegram", ADMIN.userId)?.name).toBe("Quản trị viên");
    expect(await b.text("/tinhhinh BN-7.22", admin)).toContain(", Quản trị viên\n");
    const csv = exportCsv(b.store, b.knowledge, b.clock.now);
    expect(csv).toContain('"Quản trị viên"');
    // eslint-disable-next-line no-control-regex -- looking for control and bidi characters is the point
    expect(csv).not.toMatch(/[\u0007\u202E\u200F]/);
  });

  it("a registered name loses its bidi marks; an invisible-only name is refused; nothing is stored for it", async () => {
    const b = bot();
    await b.say("/dangky");
    expect(await b.text("\u3164\u3164\u3164")).toBe("Nội dung cần có chữ hoặc số. VD: Nguyễn Thị Lan");
    expect(await b.text("\u2800\u2800")).toBe("Nội dung cần có chữ hoặc số. VD: Nguyễn Thị Lan");
    expect(b.store.users.all()).toEqual([]);
    await b.say("\u200FLê\u061C Thị Cúc\u200F");
    await b.say("Sở Nội vụ");
    await b.say("Lưu");
    expect(b.store.users.get("telegram", "100")?.name).toBe("Lê Thị Cúc");
  });

  it("the platform name offered as a choice is cleaned too", async () => {
    const b = bot();
    const out = await b.say("/dangky", { userName: "Ng\u202Euyễn\u0007 An" });
    expect(out[0]!.choices).toEqual([{ label: "Nguyễn An", value: "Nguyễn An" }]);
  });

  it("admin notices quote names, and come at most 3 times a day per person however often they re-register", async () => {
    const b = bot();
    await b.say("/batdau", admin);
    const register = async () => {
      await b.say("/dangky");
      await b.say("✅ Đã duyệt #1 Quản trị viên");
      await b.say("Sở Nội vụ");
      await b.say("Lưu");
    };
    for (let i = 0; i < 5; i++) await register();
    expect(b.notices).toHaveLength(3);
    expect(b.notices[0]!.messages[0]!.text).toBe(
      "📝 Đăng ký mới chờ duyệt: #1 “✅ Đã duyệt #1 Quản trị viên” — Sở Nội vụ (telegram).\nGõ /duyet 1 để duyệt, /duyet 1 từ chối để bỏ.",
    );
    // the registrations themselves are all kept: /duyet shows the latest
    expect(await b.text("/duyet", admin)).toContain("#5 “✅ Đã duyệt #1 Quản trị viên” — Sở Nội vụ (telegram)");
    minutes(b, 24 * 60 + 1);
    await register();
    expect(b.notices).toHaveLength(4);
  });
});
