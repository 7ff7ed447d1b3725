// Rule protected here: an official reports a task's status from a phone in a
// few turns; bad input is asked again and loses nothing; only a confirmed
// report is saved, exactly as confirmed, and only by someone allowed to.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN, CAC_SO, KHCN, makeBot, NV, seedUser, task, TASKS, TC, type Bot } from "./fixtures.js";

let bots: Bot[] = [];
let dirs: string[] = [];
afterEach(() => {
  for (const b of bots) b.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  bots = [];
  dirs = [];
});
const bot = (opts: Parameters<typeof makeBot>[0] = {}) => {
  const b = makeBot(opts);
  bots.push(b);
  return b;
};
const fileBot = () => {
  const d = mkdtempSync(join(tmpdir(), "kehoach-status-"));
  dirs.push(d);
  return bot({ path: join(d, "bot.sqlite") });
};
const khcnBot = (b = bot()) => {
  seedUser(b.store, { userId: "100", agencyId: KHCN.id, name: "Nguyễn Văn An" });
  return b;
};
const session = (b: Bot, userId = "100", chatId = userId) => b.store.sessions.get({ channel: "telegram", chatId, userId });

describe("/capnhat step by step", () => {
  it("saves exactly what was confirmed and echoes its id", async () => {
    const b = khcnBot();
    const first = await b.say("/capnhat");
    expect(first[0]!.text).toBe("(1/6) Báo cáo nhiệm vụ nào? Gõ mã hoặc vài từ khóa.");
    expect(first[0]!.choices?.map((c) => c.value)).toEqual(["DM-18a", "BN-7.22"]);
    expect(await b.text("bn 7,22")).toContain("(2/6) Tình trạng hiện nay?");
    expect(await b.text("chậm tiến độ")).toContain("(3/7) Đạt bao nhiêu phần trăm?");
    expect(await b.text("tám mươi")).toContain("(4/7) Dự kiến hoàn thành khi nào?");
    expect(await b.text("cuối tháng 7")).toContain("(5/7) Đã làm được gì?");
    expect(await b.text("Đã trình dự thảo lên UBND tỉnh 👍")).toContain("(6/7) Khó khăn, vướng mắc?");
    expect(await b.text("'; DROP TABLE users;--")).toContain("(7/7) Đề xuất, kiến nghị?");
    const summary = await b.text("bỏ qua");
    expect(summary).toBe(
      [
        "Cập nhật tình hình — kiểm tra lại:",
        "1. Nhiệm vụ: BN-7.22 · Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
        "2. Tình trạng: Chậm tiến độ",
        "3. Tỷ lệ hoàn thành: 80%",
        "4. Dự kiến xong: 31/07/2026",
        "5. Đã làm: Đã trình dự thảo lên UBND tỉnh 👍",
        "6. Vướng mắc: '; DROP TABLE users;--",
        "7. Đề xuất: (không)",
        "Gõ 1 để lưu, “sửa 2” để sửa mục 2, /huy để hủy.",
      ].join("\n"),
    );
    expect(b.store.updates.count()).toBe(0);
    const saved = await b.say("1");
    expect(saved[0]!.text.split("\n")[0]).toBe("✅ Đã lưu báo cáo số 1.");
    expect(b.store.updates.get(1)).toEqual({
      id: 1,
      taskId: "BN-7.22",
      userId: b.store.users.get("telegram", "100")!.id,
      status: "cham_tien_do",
      percent: 80,
      done: "Đã trình dự thảo lên UBND tỉnh 👍",
      obstacles: "'; DROP TABLE users;--",
      proposal: "",
      expectedBy: "2026-07-31",
      reportedAt: "2026-03-10T02:00:00.000Z",
      channel: "telegram",
      chatId: "100",
      messageId: "9",
    });
    expect(session(b)).toBeUndefined();
    expect(b.store.users.all()).toHaveLength(1);
    expect(b.store.audit.recent(1)[0]).toMatchObject({ action: "status.save", subject: "BN-7.22", detail: { updateId: 1 } });
  });

  it("skips the percentage for “hoàn thành” (100%) and “chưa triển khai” (0%)", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22");
    expect(await b.text("xong")).toContain("(3/5) Đã làm được gì?");
    await b.say("-");
    await b.say("-");
    await b.say("-");
    await b.say("Lưu");
    expect(b.store.updates.get(1)).toMatchObject({ status: "hoan_thanh", percent: 100, expectedBy: null, done: "" });
    await b.say("/capnhat BN-7.22");
    await b.say("1");
    for (const t of ["-", "-", "-", "ok"]) await b.say(t);
    expect(b.store.updates.get(2)).toMatchObject({ status: "chua_trien_khai", percent: 0 });
  });

  it("finds tasks by keywords and offers them as choices", async () => {
    const b = khcnBot();
    const out = await b.say("/capnhat cơ sở dữ liệu khoa học");
    expect(out[0]!.text).toBe("Chọn nhiệm vụ (gõ số hoặc mã):");
    expect(out[0]!.choices).toEqual([{ label: "BN-7.22 · Xây dựng cơ sở dữ liệu khoa học và…", value: "BN-7.22" }]);
    expect(await b.text("1")).toContain("Tình trạng hiện nay?");
    expect(session(b)?.values).toMatchObject({ v: { task: "BN-7.22" } });
  });

  it("falls back to a word match when retrieval fails, and says so when nothing matches", async () => {
    const b = khcnBot();
    b.ask.fail = true;
    const out = await b.say("/capnhat phổ biến kiến thức");
    expect(out[0]!.choices?.map((c) => c.value)).toEqual(["DM-18a"]);
    expect(await b.text("không liên quan gì cả")).toBe("Không tìm thấy nhiệm vụ khớp “không liên quan gì cả”. VD: BN-7.22 hoặc “chuyển đổi số”");
  });

  it("lets any field be fixed from the summary, by number or by name", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22 50% đang thực hiện");
    // one line complete → saved at once; now the step-by-step path:
    await b.say("/capnhat BN-7.22");
    for (const t of ["đang thực hiện", "50", "họp triển khai", "-", "-"]) await b.say(t);
    expect(await b.text("sửa 3")).toBe("(3/6) Đạt bao nhiêu phần trăm? (0–100)\nHiện tại: 50%");
    expect(await b.text("60%")).toContain("3. Tỷ lệ hoàn thành: 60%");
    const pick = await b.say("Sửa");
    expect(pick[0]!.text).toBe("Sửa mục nào? Gõ số hoặc tên mục.");
    expect(pick[0]!.choices?.map((c) => c.label)).toEqual(["1. Nhiệm vụ", "2. Tình trạng", "3. Tỷ lệ hoàn thành", "4. Đã làm", "5. Vướng mắc", "6. Đề xuất"]);
    expect(await b.text("tinh trang")).toContain("Tình trạng hiện nay?");
    // Choosing "gặp vướng mắc" makes the expected date appear; it is asked before the summary.
    expect(await b.text("gặp vướng mắc")).toContain("Dự kiến hoàn thành khi nào?");
    expect(await b.text("15/12")).toContain("4. Dự kiến xong: 15/12/2026");
    await b.say("lưu");
    expect(b.store.updates.get(2)).toMatchObject({ status: "vuong_mac", percent: 60, expectedBy: "2026-12-15", done: "họp triển khai" });
  });

  it("re-asks each field after bad input, keeping every earlier answer", async () => {
    const b = khcnBot();
    await b.say("/capnhat");
    // task
    expect(await b.text("\uD800")).toBe("Chưa nhận được nội dung. VD: BN-7.22 hoặc “chuyển đổi số”");
    expect(await b.text("x".repeat(201))).toBe("Nội dung dài 201 ký tự, tối đa 200. Vui lòng gõ gọn lại.");
    expect(await b.text("ZZ-99")).toBe("Không có nhiệm vụ mã “ZZ-99”. Có phải một trong các nhiệm vụ sau? Gõ số hoặc mã:");
    expect(await b.text("😀")).toContain("Không tìm thấy nhiệm vụ khớp “😀”.");
    expect(await b.text("'; DROP TABLE users;--")).toContain("Không tìm thấy nhiệm vụ khớp");
    await b.say("BN-7.22");
    // status
    // A number beyond the offered buttons is answered by the core itself.
    expect(await b.text("9")).toBe("Không có lựa chọn số 9. Vui lòng chọn từ 1 đến 5.");
    for (const bad of ["😀", "abc", "'; DROP TABLE users;--"]) {
      expect(await b.text(bad)).toBe("Chưa rõ lựa chọn. Gõ số thứ tự hoặc chọn nút. VD: Chưa triển khai");
    }
    await b.say("dang thuc hien");
    // percent
    expect(await b.text("150")).toBe("Tỷ lệ phải từ 0 đến 100%. VD: 80%");
    expect(await b.text("😀")).toBe("Chưa hiểu tỷ lệ “😀”. VD: 80%");
    expect(await b.text("'; DROP TABLE users;--")).toBe("Chưa hiểu tỷ lệ “'; DROP TABLE users;--”. VD: 80%");
    expect(await b.text("")).toBe("Chưa nhận được nội dung. VD: 80%");
    await b.say("40%");
    // free text
    expect(await b.text("a".repeat(1001))).toBe("Nội dung dài 1.001 ký tự, tối đa 1.000. Vui lòng gõ gọn lại.");
    expect(await b.text("😀😀")).toBe("Nội dung cần có chữ hoặc số. VD: Đã trình dự thảo lên UBND tỉnh");
    expect(await b.text("Đã khảo sát 3 đơn vị \uD800")).toContain("Khó khăn, vướng mắc?");
    await b.say("-");
    await b.say("-");
    await b.say("1");
    expect(b.store.updates.get(1)).toMatchObject({ taskId: "BN-7.22", status: "dang_thuc_hien", percent: 40, done: "Đã khảo sát 3 đơn vị" });
    expect(b.store.users.all()).toHaveLength(1); // the DROP TABLE text dropped nothing
  });

  it("refuses impossible and past dates for the expected completion", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22");
    await b.say("chậm");
    await b.say("30");
    expect(await b.text("31/02/2026")).toBe("Ngày 31/2/2026 không có thật. VD: 15/12/2026 hoặc “cuối tháng”");
    expect(await b.text("01/01/2026")).toBe("Ngày 01/01/2026 đã qua. VD: 15/12/2026 hoặc “cuối tháng”");
    expect(await b.text("mai mốt")).toBe("Chưa hiểu ngày “mai mốt”. VD: 15/12/2026 hoặc “cuối tháng”");
    expect(await b.text("-")).toContain("Đã làm được gì?");
    expect(session(b)?.values).toMatchObject({ v: { expectedBy: "" } });
  });
});

describe("cancel, back, restart, expiry", () => {
  it("/huy cancels and saves nothing; /huy with no form says so", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22");
    await b.say("đang làm");
    expect(await b.text("/huy")).toBe("Đã hủy, chưa lưu gì.");
    expect(session(b)).toBeUndefined();
    expect(b.store.updates.count()).toBe(0);
    expect(await b.text("/hủy")).toBe("Bạn không có biểu mẫu nào đang mở.");
    expect(await b.text("/quaylai")).toBe("Bạn không có biểu mẫu nào đang mở.");
  });

  it("/quaylai goes back one field at a time, then to the summary from a fix", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22");
    await b.say("đang làm");
    expect(await b.text("/quaylai")).toBe("(2/6) Tình trạng hiện nay?\nHiện tại: Đang thực hiện");
    expect(await b.text("/quay lại")).toBe(
      "(1/6) Báo cáo nhiệm vụ nào? Gõ mã hoặc vài từ khóa.\nHiện tại: BN-7.22 · Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
    );
    expect(await b.text("/quaylai")).toContain("Đây là bước đầu tiên.");
    // Earlier answers are kept: the next missing field is the percentage.
    expect(await b.text("BN-7.22")).toContain("Đạt bao nhiêu phần trăm?");
  });

  it("another command mid-form runs, and the form waits", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22");
    expect(await b.text("/tinhhinh BN-7.22")).toContain("Chưa có báo cáo nào.");
    expect(await b.text("đang làm")).toContain("Đạt bao nhiêu phần trăm?");
  });

  it("resumes where the user was after a restart (file store)", async () => {
    const b = fileBot();
    khcnBot(b);
    await b.say("/capnhat BN-7.22");
    await b.say("đang thực hiện");
    b.restart();
    expect(await b.text("70%")).toContain("Đã làm được gì?");
    await b.say("Hoàn thiện dự thảo");
    b.restart();
    for (const t of ["-", "-"]) await b.say(t);
    b.restart();
    expect(await b.text("1")).toContain("✅ Đã lưu báo cáo số 1.");
    b.restart();
    expect(b.store.updates.get(1)).toMatchObject({ taskId: "BN-7.22", status: "dang_thuc_hien", percent: 70, done: "Hoàn thiện dự thảo" });
  });

  it("expires after 30 idle minutes with a message, and not before", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22");
    b.clock.now = new Date(b.clock.now.getTime() + 29 * 60_000);
    expect(await b.text("đang làm")).toContain("Đạt bao nhiêu phần trăm?");
    b.clock.now = new Date(b.clock.now.getTime() + 31 * 60_000);
    expect(await b.text("80%")).toBe("Phiên “Cập nhật tình hình” đã hết hạn sau 30 phút không trả lời; chưa lưu gì. Gõ lại lệnh để bắt đầu.");
    expect(session(b)).toBeUndefined();
    expect(b.store.updates.count()).toBe(0);
  });

  it("runs a command sent after expiry instead of swallowing it", async () => {
    const b = khcnBot();
    await b.say("/capnhat BN-7.22");
    b.clock.now = new Date(b.clock.now.getTime() + 45 * 60_000);
    expect(await b.text("/capnhat BN-7.22 30% đang làm")).toContain("✅ Đã lưu báo cáo số 1.");
    expect(session(b)).toBeUndefined();
  });

  it("drops a stored session of an older form version with a message", async () => {
    const b = khcnBot();
    const at = b.clock.now.toISOString();
    b.store.sessions.put({ channel: "telegram", chatId: "100", userId: "100", form: "capnhat", version: 0, step: 1, values: { v: {}, mode: "fill" }, startedAt: at, updatedAt: at });
    expect(await b.text("80%")).toBe("Biểu mẫu đã được cập nhật nên phiên trước bị hủy. Vui lòng bắt đầu lại.");
    expect(session(b)).toBeUndefined();
  });

  it("keeps one session per user per chat", async () => {
    const b = khcnBot();
    seedUser(b.store, { userId: "101", agencyId: KHCN.id, name: "Trần Thị Bình" });
    await b.say("/capnhat BN-7.22", { chatId: "g1", chatType: "group", mentionsBot: true });
    await b.say("/capnhat DM-18a", { userId: "101", chatId: "g1", chatType: "group", mentionsBot: true });
    expect(session(b, "100", "g1")?.values).toMatchObject({ v: { task: "BN-7.22" } });
    expect(session(b, "101", "g1")?.values).toMatchObject({ v: { task: "DM-18a" } });
  });
});

describe("/capnhat in one line", () => {
  it("saves at once when complete", async () => {
    const b = khcnBot();
    const out = await b.text("/capnhat bn-7.22 80% đang thực hiện - đã trình dự thảo");
    expect(out).toBe(
      [
        "✅ Đã lưu báo cáo số 1.",
        "BN-7.22 · Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
        "Tình trạng: Đang thực hiện · 80%",
        "Đã làm: đã trình dự thảo",
        "Xem: /tinhhinh BN-7.22",
      ].join("\n"),
    );
    expect(b.store.updates.get(1)).toEqual({
      id: 1, taskId: "BN-7.22", userId: 1, status: "dang_thuc_hien", percent: 80, done: "đã trình dự thảo",
      obstacles: "", proposal: "", expectedBy: null, reportedAt: "2026-03-10T02:00:00.000Z", channel: "telegram",
      chatId: "100", messageId: "1",
    });
    expect(session(b)).toBeUndefined();
  });

  it("reads the two-word command and labelled parts", async () => {
    const b = khcnBot();
    await b.say("/cập nhật DM 18A xong - đã tổ chức 2 hội nghị; đề xuất: nhân rộng");
    expect(b.store.updates.get(1)).toMatchObject({ taskId: "DM-18a", status: "hoan_thanh", percent: 100, done: "đã tổ chức 2 hội nghị", proposal: "nhân rộng" });
  });

  it("asks only for what is missing, then confirms", async () => {
    const b = khcnBot();
    expect(await b.text("/capnhat BN-7.22 đang làm - đã họp")).toBe("Còn thiếu vài mục:\n(3/6) Đạt bao nhiêu phần trăm? (0–100)");
    const summary = await b.text("45");
    expect(summary).toContain("4. Đã làm: đã họp\n5. Vướng mắc: (không)");
    await b.say("1");
    expect(b.store.updates.get(1)).toMatchObject({ status: "dang_thuc_hien", percent: 45, done: "đã họp", obstacles: "" });
  });

  it("keeps the valid parts of a line with a bad percentage", async () => {
    const b = khcnBot();
    expect(await b.text("/capnhat BN-7.22 180% đang làm")).toBe("Tỷ lệ phải từ 0 đến 100%. Mời nhập lại phần còn thiếu:\n(3/6) Đạt bao nhiêu phần trăm? (0–100)");
    expect(await b.text("80")).toContain("2. Tình trạng: Đang thực hiện");
  });

  it("refuses an over-long line with the limit, saving nothing", async () => {
    const b = khcnBot();
    expect(await b.text(`/capnhat BN-7.22 50% đang làm - ${"x".repeat(1200)}`)).toBe(
      "Phần “Đã làm” dài 1.200 ký tự, tối đa 1.000; chưa lưu. Vui lòng gõ gọn lại.",
    );
    expect(b.store.updates.count()).toBe(0);
  });

  it("drops a duplicate delivery of the same update", async () => {
    const b = khcnBot();
    const turn = { updateId: "same-update", messageId: "m1" };
    await b.say("/capnhat BN-7.22 50% đang làm", turn);
    expect(await b.say("/capnhat BN-7.22 50% đang làm", turn)).toEqual([]);
    expect(b.store.updates.count()).toBe(1);
  });
});

describe("a report lands on the task the user meant", () => {
  it("an unknown id says so, keeps what was typed, offers only the user's tasks (closest first), and saves nothing until one is chosen", async () => {
    const b = khcnBot();
    const out = await b.say("/capnhat BN-99.99 50% đang thực hiện - đã họp triển khai");
    expect(out[0]!.text).toBe(
      "Không có nhiệm vụ mã “BN-99.99”. Đã giữ phần còn lại: Đang thực hiện · 50% · Đã làm: đã họp triển khai. Có phải một trong các nhiệm vụ sau? Gõ số hoặc mã:",
    );
    // BN-7.23 is the Sở Nội vụ's: never offered. The same plan's task comes first.
    expect(out[0]!.choices?.map((c) => c.value)).toEqual(["BN-7.22", "DM-18a", "LC-5"]);
    expect(b.store.updates.count()).toBe(0);
    // Another agency's task typed instead: refused, still nothing saved.
    expect(await b.text("BN-7.23")).toContain("do Sở Nội vụ chủ trì, không thuộc Sở Khoa học và Công nghệ");
    expect(b.store.updates.count()).toBe(0);
    // The user chooses: what was typed is all there, on the task chosen.
    const summary = await b.text("1");
    expect(summary).toContain("1. Nhiệm vụ: BN-7.22 · Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh\n2. Tình trạng: Đang thực hiện\n3. Tỷ lệ hoàn thành: 50%\n4. Đã làm: đã họp triển khai");
    expect(b.store.updates.count()).toBe(0);
    expect(await b.text("Lưu")).toContain("✅ Đã lưu báo cáo số 1.");
    expect(b.store.updates.all().map((u) => [u.taskId, u.status, u.percent, u.done])).toEqual([["BN-7.22", "dang_thuc_hien", 50, "đã họp triển khai"]]);
  });

  it("an unknown id with a refused percentage says both, and asks again what was refused", async () => {
    const b = khcnBot();
    expect(await b.text("/capnhat BN-99 150% xong")).toBe("Không có nhiệm vụ mã “BN-99”. Tỷ lệ phải từ 0 đến 100%. Có phải một trong các nhiệm vụ sau? Gõ số hoặc mã:");
    expect(await b.text("1")).toContain("Tình trạng hiện nay?");
    expect(b.store.updates.count()).toBe(0);
  });

  it("offers an admin the closest ids of all tasks, the same plan's first", async () => {
    const b = bot();
    const out = await b.say("/capnhat BN-7.2 10% đang làm", { userId: ADMIN.userId });
    expect(out[0]!.text).toContain("Không có nhiệm vụ mã “BN-7.2”.");
    expect(out[0]!.choices?.slice(0, 2).map((c) => c.value)).toEqual(["BN-7.22", "BN-7.23"]);
  });

  it("keywords matching only another agency's tasks say so and offer the user's own", async () => {
    const b = khcnBot();
    const out = await b.say("/capnhat chuyển đổi số");
    expect(out[0]!.text).toBe("Các nhiệm vụ khớp “chuyển đổi số” không thuộc cơ quan của bạn nên bạn không báo cáo được. VD: BN-7.22 hoặc “chuyển đổi số”");
    expect(out[0]!.choices?.map((c) => c.value)).toEqual(["DM-18a", "BN-7.22"]);
  });

  it("a refused value never reaches a confirm screen: “150% hoàn thành” asks the status again instead of showing 100%", async () => {
    const b = khcnBot();
    const out = await b.text("/capnhat BN-7.22 150% hoàn thành");
    expect(out).toBe("Tỷ lệ phải từ 0 đến 100%. Mời nhập lại phần còn thiếu:\n(2/6) Tình trạng hiện nay?");
    expect(out).not.toContain("100%)");
    expect(session(b)?.values).toMatchObject({ mode: "fill" });
    expect(await b.text("đang thực hiện")).toContain("Đạt bao nhiêu phần trăm?");
    expect(await b.text("150")).toBe("Tỷ lệ phải từ 0 đến 100%. VD: 80%");
    expect(b.store.updates.count()).toBe(0);
  });
});

describe("who may report", () => {
  it("refuses the unregistered and the pending, in one sentence", async () => {
    const b = bot();
    expect(await b.text("/capnhat BN-7.22 50% đang làm")).toBe("Bạn chưa đăng ký nên chưa thể báo cáo; gõ /dangky để đăng ký.");
    seedUser(b.store, { userId: "100", agencyId: KHCN.id, approved: false });
    expect(await b.text("/capnhat")).toBe("Đăng ký của bạn đang chờ quản trị viên duyệt nên chưa thể báo cáo.");
    expect(b.store.updates.count()).toBe(0);
  });

  it("refuses a task of another agency, saying whose it is", async () => {
    const b = khcnBot();
    expect(await b.text("/capnhat BN-7.23 50% đang làm")).toBe(
      "Nhiệm vụ BN-7.23 do Sở Nội vụ chủ trì, không thuộc Sở Khoa học và Công nghệ, nên bạn không báo cáo được.",
    );
    await b.say("/capnhat");
    expect(await b.text("BN-7.23")).toBe("Nhiệm vụ BN-7.23 do Sở Nội vụ chủ trì, không thuộc Sở Khoa học và Công nghệ, nên bạn không báo cáo được.");
    expect(b.store.updates.count()).toBe(0);
  });

  it("lets a coordinating agency and a collective lead's agencies report", async () => {
    const b = bot();
    seedUser(b.store, { userId: "200", agencyId: TC.id });
    expect(await b.text("/capnhat BN-7.22 10% đang làm", { userId: "200" })).toContain("✅ Đã lưu");
    expect(await b.text("/capnhat LC-5 10% đang làm", { userId: "200" })).toContain("✅ Đã lưu");
  });

  it("does not open a task to everyone because a collective coordinates it", async () => {
    const b = khcnBot(bot({ tasks: [...TASKS, task("BN-9.1", "Cải cách hành chính", [NV], [CAC_SO], "2026-09-30")] }));
    expect(await b.text("/capnhat BN-9.1 10% đang làm")).toBe(
      "Nhiệm vụ BN-9.1 do Sở Nội vụ chủ trì, không thuộc Sở Khoa học và Công nghệ, nên bạn không báo cáo được.",
    );
  });

  it("lets admins report on any task without registering", async () => {
    const b = bot();
    expect(await b.text("/capnhat BN-7.23 20% đang làm", { userId: ADMIN.userId })).toContain("✅ Đã lưu báo cáo số 1.");
    expect(b.store.users.get("telegram", ADMIN.userId)).toMatchObject({ role: "admin", approved: true });
    expect(b.store.updates.get(1)?.userId).toBe(b.store.users.get("telegram", ADMIN.userId)!.id);
  });

  it("refuses tasks that left the plan, keeping their history", async () => {
    const b = khcnBot();
    await b.say("/capnhat DM-18a 30% chậm");
    b.store.tasks.syncTasks(b.knowledge.tasks.filter((t) => t.id !== "DM-18a"), b.clock.now);
    expect(await b.text("/capnhat DM-18a 40% chậm")).toBe("Nhiệm vụ DM-18a không còn trong kế hoạch hiện hành nên không nhận báo cáo.");
    expect(b.store.updates.history("DM-18a")).toHaveLength(1);
  });
});

describe("other channels", () => {
  it("works on Zalo with numbered answers", async () => {
    const b = bot();
    seedUser(b.store, { userId: "z1", agencyId: NV.id, channel: "zalo" });
    const zalo = { channel: "zalo" as const, userId: "z1", chatId: "z1" };
    await b.say("/capnhat", zalo);
    await b.say("1", zalo); // the agency's first task
    await b.say("2", zalo); // Đang thực hiện
    await b.say("65", zalo);
    for (const t of ["-", "-", "-"]) await b.say(t, zalo);
    expect((await b.say("1", zalo))[0]!.text).toContain("✅ Đã lưu");
    expect(b.store.updates.get(1)).toMatchObject({ taskId: "BN-7.23", status: "dang_thuc_hien", percent: 65, channel: "zalo", chatId: "z1" });
  });
});
