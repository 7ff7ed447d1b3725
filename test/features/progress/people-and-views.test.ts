// Rule protected here: people register once (an invite code approves at once,
// otherwise an admin approves), and the views show where tasks stand — latest
// first, overdue first — to the right people, with a CSV Excel reads.
import { afterEach, describe, expect, it } from "vitest";
import { exportCsv, csvCell } from "../../../src/features/progress/csv.js";
import { runExportCli } from "../../../src/cli/export.js";
import { ADMIN, config, KHCN, makeBot, seedUser, task, TASKS, type Bot } from "./fixtures.js";

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

describe("/dangky and /duyet", () => {
  it("registers with a name and an agency, then an admin approves", async () => {
    const b = bot();
    const first = await b.say("/dangky");
    expect(first[0]).toEqual({ text: "(1/2) Họ và tên của bạn?", choices: [{ label: "Nguyễn Văn An", value: "Nguyễn Văn An" }] });
    expect(await b.text("Nguyễn Văn An")).toBe("(2/2) Bạn thuộc cơ quan nào? Gõ tên hoặc viết tắt, hoặc mã mời nếu có.");
    expect(await b.text("sở gì đó")).toBe("Không tìm thấy cơ quan “sở gì đó”. VD: Sở KH&CN");
    const many = await b.say("sở");
    expect(many[0]!.text).toBe("Có nhiều cơ quan khớp, chọn một:");
    expect(many[0]!.choices?.map((c) => c.label)).toEqual(["Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Nội vụ"]);
    expect(await b.text("1")).toContain("2. Cơ quan: Sở Khoa học và Công nghệ");
    expect(await b.text("1")).toBe(
      "Đã gửi đăng ký số 1: Nguyễn Văn An — Sở Khoa học và Công nghệ. Chờ quản trị viên duyệt; có mã mời thì nhắn riêng cho tôi: /dangky <mã>.",
    );
    expect(b.store.users.get("telegram", "100")).toMatchObject({ name: "Nguyễn Văn An", agencyId: KHCN.id, approved: false });

    expect(await b.text("/duyet")).toBe("Chỉ quản trị viên mới duyệt được đăng ký.");
    const list = await b.say("/duyet", admin);
    expect(list[0]!.text).toBe(
      "1 đăng ký chờ duyệt:\n#1 “Nguyễn Văn An” — Sở Khoa học và Công nghệ (telegram) · 10/03\nGõ /duyet <số> để duyệt, /duyet <số> từ chối để bỏ.",
    );
    expect(list[0]!.choices).toEqual([{ label: "Duyệt #1", value: "/duyet 1" }]);
    expect(await b.text("1", admin)).toBe("Đã duyệt #1 “Nguyễn Văn An” — Sở Khoa học và Công nghệ (telegram).");
    // the admin had never written to the bot privately when the registration came: nobody to tell then
    expect(b.notices).toEqual([
      {
        channel: "telegram",
        chatId: "100",
        messages: [{ text: "✅ Đăng ký của bạn đã được duyệt: “Nguyễn Văn An” — Sở Khoa học và Công nghệ. Bạn có thể báo cáo tiến độ: /capnhat" }],
      },
    ]);
    expect(b.store.users.get("telegram", "100")).toMatchObject({ approved: true, approvedBy: b.store.users.get("telegram", ADMIN.userId)!.id });
    expect(await b.text("/capnhat BN-7.22 10% đang làm")).toContain("✅ Đã lưu");
  });

  it("approves at once with an invite code, typed in any case", async () => {
    const b = bot();
    await b.say("/dangky");
    await b.say("Lê Thị Cúc");
    expect(await b.text("taichinh26")).toContain("2. Cơ quan: Sở Tài chính (mã mời)");
    expect(await b.text("Lưu")).toBe("✅ Đã đăng ký: Lê Thị Cúc — Sở Tài chính. Bạn có thể báo cáo ngay: /capnhat");
    expect(b.store.users.get("telegram", "100")).toMatchObject({ agencyId: "so-tai-chinh", approved: true, viaInvite: true });
  });

  it("takes the invite code on the command line and refuses a wrong one", async () => {
    const b = bot();
    expect(await b.text("/dangky SAIMA")).toBe("“SAIMA” không phải mã mời. Mã mời có ít nhất 8 chữ và số, không có dấu cách. Gõ /dangky để đăng ký và chờ duyệt.");
    expect(await b.text("/dangky SAIMA123")).toBe(
      "Mã mời không đúng (còn 4 lần thử trước khi bị tạm khóa). Kiểm tra lại mã, hoặc gõ /dangky để đăng ký và chờ duyệt.",
    );
    expect(await b.text("/dangky noivu-2026")).toBe("(1/2) Họ và tên của bạn?");
    expect(await b.text("Phạm Văn Dũng")).toContain("2. Cơ quan: Sở Nội vụ (mã mời)");
  });

  it("refuses bad names: too short, too long, emoji only", async () => {
    const b = bot();
    await b.say("/dangky");
    expect(await b.text("A")).toBe("Cần ít nhất 2 ký tự. VD: Nguyễn Thị Lan");
    expect(await b.text("A".repeat(81))).toBe("Nội dung dài 81 ký tự, tối đa 80. Vui lòng gõ gọn lại.");
    expect(await b.text("😀😀")).toBe("Nội dung cần có chữ hoặc số. VD: Nguyễn Thị Lan");
  });

  it("tells the admins of a registration waiting, in the private chats they use with the bot", async () => {
    const b = bot();
    await b.say("/duyet", admin); // the admin's private chat is now known
    await b.say("/dangky", { userId: "200", chatId: "200" });
    await b.say("Trần Thị Bình", { userId: "200", chatId: "200" });
    await b.say("Sở Nội vụ", { userId: "200", chatId: "200" });
    await b.say("Lưu", { userId: "200", chatId: "200" });
    expect(b.notices).toEqual([
      {
        channel: "telegram",
        chatId: ADMIN.userId,
        messages: [{ text: "📝 Đăng ký mới chờ duyệt: #1 “Trần Thị Bình” — Sở Nội vụ (telegram).\nGõ /duyet 1 để duyệt, /duyet 1 từ chối để bỏ." }],
      },
    ]);
  });

  it("tells a refused person why to ask again, but never writes first to someone met only in a group", async () => {
    const b = bot();
    await b.say("/dangky", { userId: "300", chatId: "300" });
    await b.say("Lê Văn Cường", { userId: "300", chatId: "300" });
    await b.say("Sở Nội vụ", { userId: "300", chatId: "300" });
    await b.say("Lưu", { userId: "300", chatId: "300" });
    seedUser(b.store, { userId: "400", agencyId: KHCN.id, approved: false, name: "Y" }); // registered, never wrote privately
    expect(await b.text("/duyet 1 từ chối", admin)).toBe("Đã từ chối đăng ký #1 “Lê Văn Cường” — Sở Nội vụ (telegram).");
    expect(await b.text("/duyet 2", admin)).toBe("Đã duyệt #2 “Y” — Sở Khoa học và Công nghệ (telegram).");
    expect(b.notices).toEqual([
      {
        channel: "telegram",
        chatId: "300",
        messages: [{ text: "Đăng ký của bạn (“Lê Văn Cường” — Sở Nội vụ) không được duyệt. Vui lòng liên hệ quản trị viên, hoặc gõ /dangky để đăng ký lại." }],
      },
    ]);
  });

  it("rejects a pending registration", async () => {
    const b = bot();
    seedUser(b.store, { userId: "300", agencyId: KHCN.id, approved: false, name: "X" });
    expect(await b.text("/duyet 1 từ chối", admin)).toBe("Đã từ chối đăng ký #1 “X” — Sở Khoa học và Công nghệ (telegram).");
    expect(b.store.users.get("telegram", "300")).toBeUndefined();
    expect(await b.text("/duyet 7", admin)).toBe("Không có đăng ký số 7 đang chờ duyệt.");
  });
});

describe("/tinhhinh", () => {
  it("shows the latest status and the history, newest first", async () => {
    const b = bot();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    await b.say("/capnhat BN-7.22 20% đang làm - khảo sát");
    b.clock.now = new Date("2026-04-02T03:00:00.000Z");
    await b.say("/capnhat BN-7.22 50% chậm tiến độ - xây dựng dự thảo; vướng mắc: thiếu vốn");
    expect(await b.text("/tinhhinh bn 7.22")).toBe(
      [
        "BN-7.22 · Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
        "Chủ trì: Sở Khoa học và Công nghệ",
        "Thời hạn: 30/06/2026",
        "Mới nhất: Chậm tiến độ · 50% — 02/04/2026 10:00, Nguyễn Văn An",
        "Đã làm: xây dựng dự thảo",
        "Vướng mắc: thiếu vốn",
        "Trước đó:",
        "• 10/03/2026: Đang thực hiện 20%",
      ].join("\n"),
    );
    expect(await b.text("/tinhhinh")).toBe("Xem tình hình một nhiệm vụ: /tinhhinh <mã>, VD: /tinhhinh BN-7.22");
    expect(await b.text("/tinhhinh XX-1")).toBe("Không tìm thấy nhiệm vụ “XX-1”. Xem tình hình một nhiệm vụ: /tinhhinh <mã>, VD: /tinhhinh BN-7.22");
  });
});

describe("/nhiemvu", () => {
  it("lists my agency's tasks, overdue first, truncated with a count", async () => {
    const many = [...TASKS, ...Array.from({ length: 12 }, (_, i) => task(`BN-8.${i + 1}`, `Nhiệm vụ số ${i + 1}`, [KHCN], [], `2026-${String(i + 1).padStart(2, "0")}-28`))];
    const b = bot({ tasks: many });
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    await b.say("/capnhat BN-8.1 xong");
    const out = (await b.text("/nhiemvu")).split("\n");
    expect(out[0]).toBe("Sở Khoa học và Công nghệ: 14 nhiệm vụ, 2 quá hạn. Trang 1/2.");
    expect(out[1]).toBe("⚠️ BN-8.2 · hạn 28/02/2026 · chưa báo cáo");
    expect(out[3]).toBe("⚠️ DM-18a · hạn 28/02/2026 · chưa báo cáo");
    expect(out[5]).toBe("• BN-8.1 · hạn 28/01/2026 · Hoàn thành 100%");
    expect(out.at(-2)).toBe("Xem tiếp: /nhiemvu trang 2");
    expect(out.at(-1)).toBe("Báo cáo: /capnhat <mã>");
  });

  it("pages: every task once across the pages, each page within a Zalo message, the next page a choice away", async () => {
    const many = [...TASKS, ...Array.from({ length: 25 }, (_, i) => task(`BN-8.${i + 1}`, `Nhiệm vụ số ${i + 1} về chuyển đổi số trong quản lý nhà nước ở địa phương, có tên rất dài để thử giới hạn`, [KHCN], [], `2026-${String((i % 12) + 1).padStart(2, "0")}-28`))];
    const b = bot({ tasks: many });
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    const ids = (text: string) => [...text.matchAll(/^(?:⚠️|•) (\S+)/gmu)].map((m) => m[1]!);
    const zalo = { channel: "zalo" as const, userId: "100", chatId: "100" };
    seedUser(b.store, { userId: "100", agencyId: KHCN.id, channel: "zalo" });
    const first = (await b.say("/nhiemvu", zalo))[0]!;
    expect(first.text.split("\n")[0]).toBe("Sở Khoa học và Công nghệ: 27 nhiệm vụ, 6 quá hạn. Trang 1/3.");
    expect(first.choices).toEqual([{ label: "Trang sau (2/3)", value: "/nhiemvu trang 2" }]);
    // On Zalo the choice is a numbered line: "1" is the next page.
    const second = (await b.say("1", zalo))[0]!;
    expect(second.text.split("\n")[0]).toBe("Sở Khoa học và Công nghệ: 27 nhiệm vụ, 6 quá hạn. Trang 2/3.");
    expect(second.choices?.map((c) => c.value)).toEqual(["/nhiemvu trang 3", "/nhiemvu trang 1"]);
    const third = (await b.say("/nhiemvu trang 3", zalo))[0]!;
    expect(third.text).not.toContain("Xem tiếp");
    expect(third.choices).toEqual([{ label: "Trang trước (2/3)", value: "/nhiemvu trang 2" }]);
    const all = [first, second, third].flatMap((m) => ids(m.text));
    expect(all).toHaveLength(27);
    expect(new Set(all).size).toBe(27);
    for (const m of [first, second, third]) expect(m.text.length).toBeLessThanOrEqual(2000);
    // Another agency's list pages by its name; a page beyond the last shows the last.
    const other = (await b.text("/nhiemvu Sở KH&CN 2", { userId: ADMIN.userId })).split("\n");
    expect(other[0]).toBe("Sở Khoa học và Công nghệ: 27 nhiệm vụ, 6 quá hạn. Trang 2/3.");
    expect(other).toContain("Xem tiếp: /nhiemvu Sở Khoa học và Công nghệ trang 3");
    expect((await b.text("/nhiemvu trang 9")).split("\n")[0]).toContain("Trang 3/3.");
  });

  it("asks the unregistered to register; an agency's list is for its officials and admins", async () => {
    const b = bot();
    expect(await b.text("/nhiemvu")).toBe(
      "Bạn chưa đăng ký cơ quan; gõ /dangky để đăng ký. Hỏi về nhiệm vụ của một cơ quan trong kế hoạch: /hoi nhiệm vụ của Sở KH&CN",
    );
    expect(await b.text("/nhiemvu snv")).toMatch(/^Danh sách nhiệm vụ kèm tình hình của Sở Nội vụ chỉ dành cho/);
    expect(await b.text("/nhiemvu snv", admin)).toContain("Sở Nội vụ: 1 nhiệm vụ.");
  });
});

describe("/baocao and the CSV", () => {
  it("is for admins only; Telegram admins also get the CSV", async () => {
    const b = bot();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id });
    await b.say("/capnhat BN-7.22 60% đang làm");
    expect(await b.text("/baocao")).toBe("Chỉ quản trị viên mới xem được báo cáo tổng hợp.");
    const out = await b.say("/baocao", admin);
    expect(out[0]!.text.split("\n").slice(0, 4)).toEqual([
      "Tiến độ 10/03/2026: 4 nhiệm vụ, 1 đã báo cáo, 1 quá hạn.",
      "(CTK: chưa triển khai; ĐTH: đang thực hiện; HT: hoàn thành; Chậm: chậm tiến độ; VM: gặp vướng mắc)",
      "• Sở Khoa học và Công nghệ — 2 NV",
      "  ĐTH 1 · chưa BC 1 · quá hạn 1 · tháng này chưa BC 1",
    ]);
    const doc = out[1]!.document!;
    expect(doc.filename).toBe("tien-do-2026-03-10.csv");
    expect(doc.mime).toBe("text/csv");
    expect(doc.content.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("writes one quoted row per task, formulas defused", async () => {
    const b = bot();
    seedUser(b.store, { userId: "100", agencyId: KHCN.id, name: "=HYPERLINK(\"x\")" });
    await b.say("/capnhat BN-7.22 60% đang làm - đã \"họp\", lần 2");
    const csv = exportCsv(b.store, b.knowledge, b.clock.now);
    expect(csv.startsWith("\uFEFF\"Mã nhiệm vụ\",\"Kế hoạch\"")).toBe(true);
    const lines = csv.split("\r\n");
    expect(lines).toHaveLength(TASKS.length + 2);
    expect(lines[1]).toBe(
      '"BN-7.22","KH UBND tỉnh Bắc Ninh 2026","Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh","Sở Khoa học và Công nghệ","Sở Tài chính","30/06/2026","Tháng 6/2026","","Đang thực hiện","60","đã ""họp"", lần 2","","","","\'=HYPERLINK(""x"")","10/03/2026 09:00","1","Có",""',
    );
    expect(csvCell("+1")).toBe("\"'+1\"");
    expect(csvCell(-1)).toBe('"-1"');
  });

  it("is printed by the export CLI", async () => {
    const b = bot();
    let out = "";
    const code = await runExportCli(["--csv"], { config: config(), knowledge: b.knowledge, store: b.store, now: b.clock.now, out: (c) => (out += c) });
    expect(code).toBe(0);
    expect(out.split("\r\n")).toHaveLength(TASKS.length + 2);
    expect(await runExportCli([], { config: config(), store: b.store })).toBe(2);
  });
});
