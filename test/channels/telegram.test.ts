// The shared conversation suite against the Telegram adapter: real grammY over
// HTTP to the fake Bot API on 127.0.0.1, in webhook and long-polling mode.
// Plus what only Telegram has: the command menu, inline keyboards, files, pacing.
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer, telegramWebhook, type HttpServer } from "../../src/channels/http-server.js";
import { createTelegramAdapter, TELEGRAM_TEXT_LIMIT, type TelegramAdapter } from "../../src/channels/telegram.js";
import { createMemoryInbox, TokenRefusedError, type Inbox } from "../../src/channels/runtime.js";
import { TEXTS } from "../../src/core/dialogue.js";
import type { Command } from "../../src/core/feature.js";
import { openStore } from "../../src/store/index.js";
import { silentLogger } from "../../src/log.js";
import { startFakeTelegram, type FakeTelegram, type Json } from "../../src/fakes/telegram-api.js";
import { conversationSuite, type ChannelHarness, type Mode } from "./conversation.suite.js";
import { buildWorld, LONG_ANSWER, postWebhook, dialogueFor, waitFor, type SuiteWorld } from "./support.js";

const TOKEN = "123456:TEST-telegram-token-abcdefghij";
const SECRET = "test_webhook_secret_1";
const PRIVATE = 501;
const GROUP = -100200;

interface Running {
  fake: FakeTelegram;
  adapter: TelegramAdapter;
  http: HttpServer;
  port: number;
}

async function run(world: Pick<SuiteWorld, "dialogue" | "commands">, mode: Mode, throttle = false): Promise<Running> {
  const fake = await startFakeTelegram({ token: TOKEN, allowHttpWebhook: true });
  const http = createHttpServer({ telegram: (req, res) => telegramWebhook(adapter, SECRET)(req, res) });
  const port = await http.listen(0, "127.0.0.1");
  const adapter = createTelegramAdapter({
    token: TOKEN,
    apiRoot: fake.apiRoot,
    dialogue: world.dialogue,
    commands: world.commands,
    log: silentLogger(),
    throttle,
    maxRetryAttempts: 1,
    pollingTimeoutSeconds: 1,
    ...(mode === "webhook" ? { webhook: { url: `http://127.0.0.1:${port}/telegram/webhook`, secret: SECRET } } : {}),
  });
  await adapter.start();
  return { fake, adapter, http, port };
}

async function stopAll(r: Running) {
  await r.adapter.stop();
  await r.http.close();
  await r.fake.close();
}

const postUpdate = (port: number, update: Json, secret: string | undefined) =>
  postWebhook(`http://127.0.0.1:${port}/telegram/webhook`, update, "x-telegram-bot-api-secret-token", secret);

const texts = (fake: FakeTelegram, chatId: string) => fake.sent.filter((s) => String(s.chat_id) === chatId).map((s) => String(s.text));

async function harness(world: SuiteWorld, mode: Mode): Promise<ChannelHarness> {
  const r = await run(world, mode);
  let nextUpdate = 1;
  const make = (chat: "private" | "group", text: string) =>
    r.fake.makeTextUpdate({ chatId: chat === "private" ? PRIVATE : GROUP, chatType: chat === "private" ? "private" : "supergroup", userId: PRIVATE, text });
  const post = async (update: Json, secret: string | undefined) => {
    const status = await postUpdate(r.port, update, secret);
    if (secret === SECRET) expect(status).toBe(200);
    return status;
  };
  return {
    limit: TELEGRAM_TEXT_LIMIT,
    privateChat: String(PRIVATE),
    groupChat: String(GROUP),
    mention: `@${r.fake.botInfo.username}`,
    deliversGroupChatter: true,
    async deliver(chat, text) {
      const update = make(chat, text);
      if (mode === "polling") return r.fake.pushUpdate(update);
      const withId = { ...update, update_id: nextUpdate++ };
      await post(withId, SECRET);
      return withId;
    },
    async deliverReply(text) {
      const update = r.fake.makeTextUpdate({ chatId: GROUP, chatType: "supergroup", userId: PRIVATE, text, replyToMessageId: 77 });
      if (mode === "polling") return r.fake.pushUpdate(update);
      const withId = { ...update, update_id: nextUpdate++ };
      await post(withId, SECRET);
      return withId;
    },
    async redeliver(delivery) {
      const { update_id, ...update } = delivery as Json & { update_id: number };
      // Polling: the same message under a new update id (what a restart without a confirmed offset gives).
      if (mode === "polling") r.fake.pushUpdate(update);
      else await post({ ...update, update_id }, SECRET);
    },
    postWithSecret: (secret, text) => post({ ...make("private", text), update_id: nextUpdate++ }, secret),
    sentTo: (chatId) => texts(r.fake, chatId),
    close: () => stopAll(r),
  };
}

conversationSuite("telegram", harness);

describe("telegram adapter", () => {
  let running: Running | undefined;
  afterEach(async () => {
    if (running) await stopAll(running);
    running = undefined;
  });

  it("sets the Vietnamese command menu", async () => {
    const world = await buildWorld();
    running = await run(world, "polling");
    const menu = running.fake.commands;
    expect(menu.map((c) => c.command)).toEqual(world.commands.map((c) => c.name));
    expect(menu.find((c) => c.command === "hoi")?.description).toBe("Hỏi về nhiệm vụ, cơ quan chủ trì, thời hạn");
  });

  it("offers choices as an inline keyboard, and a button press answers with the choice", async () => {
    const longValue = "Nhiệm vụ BN-7.22 do cơ quan nào chủ trì và phối hợp, hạn khi nào?";
    const pick: Command = {
      name: "chon",
      summary: "Chọn (thử)",
      help: "/chon",
      run: ({ args }) =>
        args
          ? [{ text: `Đã chọn: ${args}` }]
          : [{ text: "Chọn một:", choices: [{ label: "Một", value: "/chon một" }, { label: "Dài", value: `/chon ${longValue}` }] }],
    };
    const world = await buildWorld();
    const dialogue = dialogueFor(world, [pick]);
    running = await run({ dialogue, commands: dialogue.commands }, "polling");
    const { fake } = running;
    fake.pushUpdate(fake.makeTextUpdate({ chatId: PRIVATE, userId: PRIVATE, text: "/chon" }));
    const offer = await waitFor("the keyboard", () => fake.sent[0]);
    const rows = (offer.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(rows.map((r) => r[0]!.text)).toEqual(["1. Một", "2. Dài"]);
    for (const r of rows) expect(Buffer.byteLength(r[0]!.callback_data)).toBeLessThanOrEqual(64);
    fake.pushUpdate(fake.makeCallbackUpdate({ chatId: PRIVATE, userId: PRIVATE, data: rows[1]![0]!.callback_data, messageId: offer.message_id }));
    await waitFor("the answer to the press", () => (fake.sent.length >= 2 ? true : undefined));
    expect(fake.sent[1]?.text).toBe(`Đã chọn: ${longValue}`);
    expect(fake.calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
  });

  it("sends a document as a file with its caption", async () => {
    const doc: Command = {
      name: "tep",
      summary: "Tệp (thử)",
      help: "/tep",
      run: () => [{ text: "Báo cáo tháng 5", document: { filename: "bao-cao.csv", mime: "text/csv", content: Buffer.from("ma,tien_do\nBN-7.22,50\n") } }],
    };
    const world = await buildWorld();
    const dialogue = dialogueFor(world, [doc]);
    running = await run({ dialogue, commands: dialogue.commands }, "polling");
    running.fake.pushUpdate(running.fake.makeTextUpdate({ chatId: PRIVATE, userId: PRIVATE, text: "/tep" }));
    const call = await waitFor("sendDocument", () => running!.fake.calls.find((c) => c.method === "sendDocument"));
    const file = call.body.document as { filename: string; content: Buffer };
    expect(file.filename).toBe("bao-cao.csv");
    expect(file.content.toString()).toBe("ma,tien_do\nBN-7.22,50\n");
    expect(call.body.caption).toBe("Báo cáo tháng 5");
  });

  it("refuses an update over the body limit in webhook mode (413), handles nothing, and goes on", async () => {
    const world = await buildWorld();
    running = await run(world, "webhook");
    const big = running.fake.makeTextUpdate({ chatId: PRIVATE, userId: PRIVATE, text: "x".repeat(2 * 1024 * 1024) });
    expect(await postUpdate(running.port, { ...big, update_id: 90 }, SECRET)).toBe(413);
    expect(await postUpdate(running.port, { ...running.fake.makeTextUpdate({ chatId: PRIVATE, userId: PRIVATE, text: "/batdau" }), update_id: 91 }, SECRET)).toBe(200);
    await waitFor("the answer to /batdau", () => running!.fake.sent[0]);
    await new Promise((r) => setTimeout(r, 50));
    expect(texts(running.fake, String(PRIVATE))).toHaveLength(1);
    expect(texts(running.fake, String(PRIVATE))[0]).toMatch(/^Xin chào/);
  });

  it("paces messages to one group (throttler on): pieces of one answer at least a second apart", async () => {
    const world = await buildWorld();
    running = await run(world, "polling", true);
    const { fake } = running;
    const started = Date.now();
    fake.pushUpdate(fake.makeTextUpdate({ chatId: GROUP, chatType: "supergroup", userId: PRIVATE, text: "/baocaodai" }));
    const n = Math.ceil(LONG_ANSWER.length / TELEGRAM_TEXT_LIMIT);
    await waitFor("every piece", () => (texts(fake, String(GROUP)).length >= n ? true : undefined), 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual((n - 1) * 1000 - 50);
  }, 15_000);
});

describe("telegram updates go through the inbox", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function setup(mode: Mode, inbox: Inbox) {
    const world = await buildWorld();
    const fake = await startFakeTelegram({ token: TOKEN, allowHttpWebhook: true, pollTimeoutMs: 200 });
    const ref: { adapter?: TelegramAdapter } = {};
    const http = createHttpServer({ telegram: (req, res) => telegramWebhook(ref.adapter!, SECRET)(req, res) });
    const port = await http.listen(0, "127.0.0.1");
    const adapter = createTelegramAdapter({
      token: TOKEN,
      apiRoot: fake.apiRoot,
      dialogue: world.dialogue,
      commands: world.commands,
      log: silentLogger(),
      throttle: false,
      maxRetryAttempts: 1,
      pollingTimeoutSeconds: 1,
      inbox,
      ...(mode === "webhook" ? { webhook: { url: `http://127.0.0.1:${port}/telegram/webhook`, secret: SECRET } } : {}),
    });
    ref.adapter = adapter;
    cleanup.push(async () => {
      await adapter.stop();
      await http.close();
      await fake.close();
    });
    return { fake, adapter, port };
  }

  it("webhook: the update is in the store before the 200; a store that fails answers 500, so Telegram delivers it again", async () => {
    const store = openStore(":memory:");
    const s = await setup("webhook", store.inbox);
    const update = { ...s.fake.makeTextUpdate({ chatId: PRIVATE, userId: PRIVATE, text: "/batdau" }), update_id: 41 };
    // Before start (a webhook set by the last run may post at once): stored, answered once started.
    expect(await postUpdate(s.port, update, SECRET)).toBe(200);
    expect(store.inbox.open("telegram").map((r) => JSON.parse(r.payload).update_id)).toEqual([41]);
    await s.adapter.start();
    await waitFor("the stored update answered", () => (texts(s.fake, String(PRIVATE)).length ? true : undefined));
    expect(texts(s.fake, String(PRIVATE))[0]?.startsWith("Xin chào")).toBe(true);
    store.close();
    expect(await postUpdate(s.port, { ...update, update_id: 42 }, SECRET)).toBe(500);
  });

  it("polling: the offset moves past a batch only once it is stored", async () => {
    const store = openStore(":memory:");
    cleanup.push(async () => store.close());
    let failures = 1;
    const flaky: Inbox = {
      ...store.inbox,
      add(entries) {
        if (failures-- > 0) throw new Error("disk full");
        return store.inbox.add(entries);
      },
      open: (c) => store.inbox.open(c),
      begin: (id) => store.inbox.begin(id),
      answer: (id, r) => store.inbox.answer(id, r),
      progress: (id, n) => store.inbox.progress(id, n),
      finish: (id, d) => store.inbox.finish(id, d),
    };
    const s = await setup("polling", flaky);
    s.fake.pushUpdate(s.fake.makeTextUpdate({ chatId: PRIVATE, userId: PRIVATE, text: "/batdau" }));
    await s.adapter.start();
    await waitFor("the update answered after the store came back", () => (texts(s.fake, String(PRIVATE)).length ? true : undefined), 8000);
    // It was fetched twice (the first batch was not confirmed), stored and answered once.
    const fetches = s.fake.calls.filter((c) => c.method === "getUpdates");
    expect(fetches[0]?.body.offset ?? 0).toBe(0);
    expect(fetches[1]?.body.offset ?? 0).toBe(0);
    await waitFor("the batch confirmed", () => (s.fake.pending === 0 ? true : undefined), 5000);
    expect(texts(s.fake, String(PRIVATE))).toHaveLength(1);
  }, 15_000);

  it("a refused token stops the start with TokenRefusedError", async () => {
    const fake = await startFakeTelegram({ token: "1:the-right-one-abcdefghijkl" });
    cleanup.push(() => fake.close());
    const world = await buildWorld();
    const adapter = createTelegramAdapter({ token: TOKEN, apiRoot: fake.apiRoot, dialogue: world.dialogue, commands: [], log: silentLogger(), throttle: false });
    const err = await adapter.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRefusedError);
    expect(err).toMatchObject({ channel: "telegram", code: 401, description: "Unauthorized" });
  });

  it("a sticker or a photo without caption gets the text-only reply", async () => {
    const s = await setup("polling", createMemoryInbox());
    await s.adapter.start();
    const update = s.fake.makeTextUpdate({ chatId: PRIVATE, userId: PRIVATE, text: "" });
    const msg = { ...(update.message as Json) };
    delete msg.text;
    s.fake.pushUpdate({ message: { ...msg, sticker: { file_id: "s1", width: 1, height: 1 } } });
    await waitFor("the reply", () => (texts(s.fake, String(PRIVATE)).length ? true : undefined));
    expect(texts(s.fake, String(PRIVATE))).toEqual([TEXTS.empty]);
  });
});
