// Rules protected (issue 15) where they are about a channel, through the whole
// bot behind the real Telegram adapter (grammY over HTTP to the fake Bot API on
// 127.0.0.1): an invite code typed in a group is refused there and the admin told
// privately; guessing is locked out; an admin's /duyet and /baocao in a group go
// to the admin's private chat (the CSV never reaches the group); an old "Duyệt"
// button approves nothing new; a stranger reads no status notes; another agency's
// official cannot mute a group; an admin's Telegram name is stored cleaned.
// Each refusal is checked with the store unchanged.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBot, prepareStore } from "../../src/bot.js";
import { createTelegramAdapter, type TelegramAdapter } from "../../src/channels/telegram.js";
import { loadConfig } from "../../src/config.js";
import type { ChannelName, Outbox } from "../../src/core/types.js";
import { INVITE_TEXTS, PRIVATE_TEXTS } from "../../src/features/people/index.js";
import { REMINDER_TEXTS } from "../../src/features/reminders/index.js";
import { startFakeTelegram, type FakeTelegram } from "../../src/fakes/telegram-api.js";
import { KnowledgeIndex } from "../../src/knowledge/knowledge-index.js";
import { silentLogger } from "../../src/log.js";
import { openStore, type Store } from "../../src/store/index.js";
import { FakeAsk, KHCN, knowledgeBase, seedUser, TC } from "../features/progress/fixtures.js";
import { waitFor } from "./support.js";

const TOKEN = "424242:ACCESS-telegram-token-abcdefgh";
const ADMIN = 900;
const GROUP = -100777;

let fake: FakeTelegram;
let adapter: TelegramAdapter;
let store: Store;

beforeEach(async () => {
  store = openStore(":memory:");
  const knowledge = new KnowledgeIndex(knowledgeBase());
  prepareStore(store, knowledge, new Date());
  const config = loadConfig({ ADMINS: `telegram:${ADMIN}`, INVITE_CODES: "so-tai-chinh:TAICHINH26" });
  const outboxes: Partial<Record<ChannelName, Outbox>> = {};
  const bot = createBot({ config, log: silentLogger(), store, knowledge, ask: new FakeAsk(), outboxes });
  fake = await startFakeTelegram({ token: TOKEN, pollTimeoutMs: 100 });
  adapter = createTelegramAdapter({
    token: TOKEN,
    apiRoot: fake.apiRoot,
    dialogue: bot.dialogue,
    commands: bot.dialogue.commands,
    log: silentLogger(),
    throttle: false,
    maxRetryAttempts: 1,
    pollingTimeoutSeconds: 1,
  });
  outboxes.telegram = adapter;
  await adapter.start();
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
  store.close();
});

const inChat = (chatId: number) => fake.sent.filter((m) => String(m.chat_id) === String(chatId));

/** Send a text as `userId` in `chatId` and wait for `n` new messages there; their texts. */
async function say(chatId: number, userId: number, text: string, opts: { firstName?: string; n?: number } = {}): Promise<string[]> {
  const before = inChat(chatId).length;
  const n = opts.n ?? 1;
  fake.pushUpdate(
    fake.makeTextUpdate({ chatId, userId, text, chatType: chatId < 0 ? "supergroup" : "private", firstName: opts.firstName ?? "Người dùng" }),
  );
  await waitFor(`${n} answer(s) to “${text}” in ${chatId}`, () => (inChat(chatId).length >= before + n ? true : undefined));
  return inChat(chatId).slice(before).map((m) => String(m.text ?? m.caption ?? ""));
}

async function settle(): Promise<void> {
  await adapter.idle();
  await new Promise((r) => setTimeout(r, 50));
}

describe("over Telegram", () => {
  it("an invite code typed in a group is refused there, and the admin hears privately that it was exposed", async () => {
    await say(ADMIN, ADMIN, "/batdau");
    const adminBefore = inChat(ADMIN).length;
    expect(await say(GROUP, 501, "/dangky TAICHINH26")).toEqual([INVITE_TEXTS.inGroup]);
    await waitFor("the admin's warning", () => (inChat(ADMIN).length > adminBefore ? true : undefined));
    expect(String(inChat(ADMIN).at(-1)!.text)).toMatch(/^⚠️ Một mã mời trong cấu hình INVITE_CODES \(Sở Tài chính\) vừa bị gõ trong một nhóm telegram/);
    expect(store.users.get("telegram", "501")).toBeUndefined();
    // the code was never repeated into the group
    for (const m of inChat(GROUP)) expect(String(m.text)).not.toContain("TAICHINH26");
  });

  it("five wrong codes lock the code path: the right one is refused, nobody is registered", async () => {
    for (let i = 1; i <= 4; i++) expect(await say(601, 601, `/dangky SAIMA00${i}`)).toEqual([INVITE_TEXTS.wrong(5 - i)]);
    expect((await say(601, 601, "/dangky SAIMA005"))[0]).toMatch(/^Mã mời không đúng\. Bạn đã nhập sai quá nhiều lần/);
    expect((await say(601, 601, "/dangky TAICHINH26"))[0]).toMatch(/^Bạn đã nhập sai mã mời quá nhiều lần; thử lại sau \d\d:\d\d ngày/);
    expect(store.users.get("telegram", "601")).toBeUndefined();
    expect(store.audit.recent().filter((a) => a.action.startsWith("invite.")).length).toBe(6);
  });

  it("an admin's /duyet and /baocao in a group go to the admin's private chat; the group gets no names and no CSV", async () => {
    seedUser(store, { userId: "700", agencyId: KHCN.id, approved: false, name: "Trần Thị Bình" });
    // the bot has not seen the admin's private chat yet: nothing runs, the group hears how to open it
    expect(await say(GROUP, ADMIN, "/duyet 1")).toEqual([PRIVATE_TEXTS.openPrivateChat]);
    expect(store.users.get("telegram", "700")).toMatchObject({ approved: false });

    await say(ADMIN, ADMIN, "/batdau");
    const adminBefore = inChat(ADMIN).length;
    expect(await say(GROUP, ADMIN, "/duyet")).toEqual([PRIVATE_TEXTS.sent]);
    expect(await say(GROUP, ADMIN, "/baocao")).toEqual([PRIVATE_TEXTS.sent]);
    await settle();
    const privately = inChat(ADMIN).slice(adminBefore).map((m) => String(m.text ?? ""));
    expect(privately[0]).toContain("#1 “Trần Thị Bình” — Sở Khoa học và Công nghệ (telegram)");
    expect(privately.some((t) => t.startsWith("Tiến độ "))).toBe(true);
    const docs = fake.calls.filter((c) => c.method === "sendDocument");
    expect(docs.map((c) => String(c.body.chat_id))).toEqual([String(ADMIN)]);
    for (const m of inChat(GROUP)) expect(String(m.text)).not.toContain("Trần Thị Bình");
  });

  it("an old 'Duyệt' button approves nothing once the person sent other details", async () => {
    await say(ADMIN, ADMIN, "/batdau");
    await say(801, 801, "/dangky");
    await say(801, 801, "Nguyễn Văn An");
    await say(801, 801, "Sở Tài chính");
    await say(801, 801, "Lưu");
    const listBefore = inChat(ADMIN).length;
    fake.pushUpdate(fake.makeTextUpdate({ chatId: ADMIN, userId: ADMIN, text: "/duyet" }));
    await waitFor("the list", () => inChat(ADMIN).slice(listBefore).find((m) => String(m.text).includes("đăng ký chờ duyệt")));
    const list = inChat(ADMIN).slice(listBefore).find((m) => String(m.text).includes("đăng ký chờ duyệt"))!;
    const button = (list.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard[0]![0]!;
    expect(button.text).toBe("1. Duyệt #1");
    // the person changes their agency
    await say(801, 801, "/dangky");
    await say(801, 801, "Nguyễn Văn An");
    await say(801, 801, "Sở Nội vụ");
    await say(801, 801, "Lưu");
    await settle();
    const before = inChat(ADMIN).length;
    fake.pushUpdate(fake.makeCallbackUpdate({ chatId: ADMIN, userId: ADMIN, data: button.callback_data, messageId: list.message_id }));
    await waitFor("the answer to the old button", () => (inChat(ADMIN).length > before ? true : undefined));
    expect(String(inChat(ADMIN).at(-1)!.text)).toBe(
      "Chưa duyệt gì: người đăng ký số 1 đã gửi lại thông tin khác, nay là đăng ký số 2: “Nguyễn Văn An” — Sở Nội vụ. Xem lại rồi gõ /duyet 2.",
    );
    expect(store.users.get("telegram", "801")).toMatchObject({ approved: false, agencyId: "so-noi-vu" });
  });

  it("a stranger reads a task's status and percent, not who reported or the notes", async () => {
    seedUser(store, { userId: "901", agencyId: KHCN.id, name: "Nguyễn Văn An" });
    await say(901, 901, "/capnhat BN-7.22 30% chậm tiến độ - khảo sát; vướng mắc: thiếu vốn");
    const [out] = await say(902, 902, "/tinhhinh BN-7.22");
    expect(out).toMatch(/Mới nhất: Chậm tiến độ · 30% — \d\d\/\d\d\/\d{4} \d\d:\d\d\n/);
    expect(out).not.toContain("Nguyễn Văn An");
    expect(out).not.toContain("thiếu vốn");
    expect(out).not.toContain("khảo sát");
    const [own] = await say(901, 901, "/tinhhinh BN-7.22");
    expect(own).toContain("Vướng mắc: thiếu vốn");
  });

  it("an official of another agency cannot mute, retime or unsubscribe a group that follows Sở KH&CN", async () => {
    seedUser(store, { userId: "1001", agencyId: TC.id, name: "Lê Thị Cúc" });
    seedUser(store, { userId: "1002", agencyId: KHCN.id });
    expect((await say(GROUP, 1002, "/dangkynhom Sở KH&CN"))[0]).toMatch(/^✅ Nhóm đã đăng ký nhận nhắc việc của: Sở Khoa học và Công nghệ\./);
    for (const cmd of ["/tatnhac", "/giomnhac 07:30", "/huydangky tất cả"]) {
      expect(await say(GROUP, 1001, cmd)).toEqual([REMINDER_TEXTS.otherAgency("Sở Khoa học và Công nghệ")]);
    }
    const key = `telegram:${GROUP}`;
    expect(store.reminders.chat(key)).toMatchObject({ muted: false, timeOfDay: null });
    expect(store.reminders.subscriptions(key).map((s) => s.id)).toEqual([KHCN.id]);
  });

  it("stores an admin's Telegram name without its bidi override and bell", async () => {
    await say(ADMIN, ADMIN, "/duyet", { firstName: "Quản\u202E trị\u0007 viên" });
    expect(store.users.get("telegram", String(ADMIN))?.name).toBe("Quản trị viên");
  });
});
