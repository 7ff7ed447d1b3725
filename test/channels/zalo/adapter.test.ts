// The shared conversation suite against the Zalo adapter: our ZaloClient over
// HTTP to the fake Zalo Bot API on 127.0.0.1, in webhook and long-polling mode.
// Plus what only Zalo needs: numbered choices, typing, retries, pacing.
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer, zaloWebhook, type HttpServer } from "../../../src/channels/http-server.js";
import { createZaloAdapter, ZALO_TEXTS, type ZaloAdapter } from "../../../src/channels/zalo/adapter.js";
import { ZALO_TEXT_LIMIT, ZaloClient } from "../../../src/channels/zalo/client.js";
import type { Command } from "../../../src/core/feature.js";
import { TokenRefusedError, type Inbox } from "../../../src/channels/runtime.js";
import { TEXTS } from "../../../src/core/dialogue.js";
import type { DialogueCore, Turn } from "../../../src/core/types.js";
import { openStore } from "../../../src/store/index.js";
import { silentLogger } from "../../../src/log.js";
import { makeZaloTextUpdate, startFakeZalo, ZALO_FAKE_DISPLAY_NAME, type FakeZalo } from "../../../src/fakes/zalo-api.js";
import { conversationSuite, type ChannelHarness, type Mode } from "../conversation.suite.js";
import { buildWorld, LONG_ANSWER, postWebhook, dialogueFor, suiteCommands, waitFor, type SuiteWorld } from "../support.js";

const TOKEN = "7788990011:TEST-zalo-secret-abcdefghij";
const SECRET = "zalo_webhook_secret_1";
const PRIVATE = "u-private-1";
const GROUP = "g-group-1";

interface Running {
  fake: FakeZalo;
  adapter: ZaloAdapter;
  http: HttpServer;
  port: number;
}

async function run(dialogue: DialogueCore, mode: Mode, extra: { perChatGapMs?: number } = {}): Promise<Running> {
  const fake = await startFakeZalo({ token: TOKEN, allowHttpWebhook: true, pollTimeoutMs: 200 });
  const client = new ZaloClient({ token: TOKEN, apiRoot: fake.apiRoot });
  const http = createHttpServer({ zalo: (req, res) => zaloWebhook(adapter, SECRET)(req, res) });
  const port = await http.listen(0, "127.0.0.1");
  const adapter = createZaloAdapter({
    client,
    dialogue,
    log: silentLogger(),
    perChatGapMs: extra.perChatGapMs ?? 0,
    pollTimeoutSeconds: 1,
    ...(mode === "webhook" ? { webhook: { url: `http://127.0.0.1:${port}/zalo/webhook`, secret: SECRET } } : {}),
  });
  await adapter.start();
  return { fake, adapter, http, port };
}

async function stopAll(r: Running) {
  await r.adapter.stop();
  await r.http.close();
  await r.fake.close();
}

const post = (port: number, body: unknown, secret: string | undefined) =>
  postWebhook(`http://127.0.0.1:${port}/zalo/webhook`, body, "x-bot-api-secret-token", secret);

const texts = (fake: FakeZalo, chatId: string) =>
  fake.sent.filter((c) => c.method === "sendMessage" && c.body.chat_id === chatId).map((c) => String(c.body.text));

const update = (chat: "private" | "group", text: string) =>
  makeZaloTextUpdate({ chatId: chat === "private" ? PRIVATE : GROUP, chatType: chat === "private" ? "PRIVATE" : "GROUP", userId: "u1", userName: "Lan", text });

async function harness(world: SuiteWorld, mode: Mode): Promise<ChannelHarness> {
  const r = await run(world.dialogue, mode);
  const deliver = async (u: unknown) => {
    if (mode === "polling") r.fake.pushUpdate(u);
    else expect(await post(r.port, u, SECRET)).toBe(200);
  };
  return {
    limit: ZALO_TEXT_LIMIT,
    privateChat: PRIVATE,
    groupChat: GROUP,
    // What a member's pick from the @ list puts in the text: "@" and the display name getMe gave.
    mention: `@${ZALO_FAKE_DISPLAY_NAME}`,
    deliversGroupChatter: false,
    async deliver(chat, text) {
      const u = update(chat, text);
      await deliver(u);
      return u;
    },
    // Zalo delivers a reply to the bot's message with no mention and no reply marker.
    async deliverReply(text) {
      const u = update("group", text);
      await deliver(u);
      return u;
    },
    redeliver: (u) => deliver(u),
    postWithSecret: (secret, text) => post(r.port, update("private", text), secret),
    sentTo: (chatId) => texts(r.fake, chatId),
    close: () => stopAll(r),
  };
}

conversationSuite("zalo", harness);

describe("zalo adapter", () => {
  let running: Running | undefined;
  afterEach(async () => {
    if (running) await stopAll(running);
    running = undefined;
  });

  const pick: Command = {
    name: "chon",
    summary: "Chọn (thử)",
    help: "/chon",
    run: ({ args }) =>
      args ? [{ text: `Đã chọn: ${args}` }] : [{ text: "Chọn một:", choices: [{ label: "Một", value: "/chon một" }, { label: "Hai", value: "/chon hai" }] }],
  };

  async function withCommands(extra: Command[], mode: Mode = "polling", opts: { perChatGapMs?: number } = {}) {
    const world = await buildWorld();
    const dialogue = dialogueFor(world, [...suiteCommands, ...extra]);
    running = await run(dialogue, mode, opts);
    return running;
  }

  it("offers choices as numbered lines, and the number answers", async () => {
    const { fake } = await withCommands([pick]);
    fake.pushUpdate(update("private", "/chon"));
    const [offer] = await waitFor("the offer", () => (texts(fake, PRIVATE).length ? texts(fake, PRIVATE) : undefined));
    expect(offer).toBe(`Chọn một:\n\n1. Một\n2. Hai\n\n${ZALO_TEXTS.answerWithNumber(2)}`);
    fake.pushUpdate(update("private", "2"));
    await waitFor("the answer", () => (texts(fake, PRIVATE).length >= 2 ? true : undefined));
    expect(texts(fake, PRIVATE)[1]).toBe("Đã chọn: hai");
  });

  it("shows typing for a private question", async () => {
    const { fake } = await withCommands([]);
    fake.pushUpdate(update("private", "BN-7.22 do ai chủ trì?"));
    await waitFor("the answer", () => (texts(fake, PRIVATE).length ? true : undefined));
    expect(fake.sent.find((c) => c.method === "sendChatAction")?.body).toEqual({ chat_id: PRIVATE, action: "typing" });
  });

  it("keeps polling after getUpdates fails", async () => {
    const { fake } = await withCommands([]);
    fake.failNext("getUpdates", { error_code: 502, description: "Bad Gateway" });
    fake.pushUpdate(update("private", "/batdau"));
    // The failure may hit before or after this update is fetched; either way it is answered.
    await waitFor("the answer after the failure", () => (texts(fake, PRIVATE).length ? true : undefined), 5000);
    fake.pushUpdate(update("private", "/huongdan"));
    await waitFor("the next answer", () => (texts(fake, PRIVATE).length >= 2 ? true : undefined), 5000);
    expect(texts(fake, PRIVATE)[1]?.startsWith("Các lệnh:")).toBe(true);
  });

  it("retries a send the API refused with a server error", async () => {
    const { fake } = await withCommands([]);
    fake.failNext("sendMessage", { error_code: 500, description: "Internal" });
    fake.pushUpdate(update("private", "/batdau"));
    // The fake records the refused call too: two calls, the same text.
    const calls = await waitFor("the retried answer", () => {
      const sends = fake.sent.filter((c) => c.method === "sendMessage");
      return sends.length >= 2 ? sends : undefined;
    });
    expect(calls[1]?.body.text).toBe(calls[0]?.body.text);
    expect(String(calls[1]?.body.text).startsWith("Xin chào Lan!")).toBe(true);
  });

  it("paces the pieces of one answer per chat", async () => {
    const { fake } = await withCommands([], "polling", { perChatGapMs: 150 });
    const started = Date.now();
    fake.pushUpdate(update("private", "/baocaodai"));
    const n = Math.ceil(LONG_ANSWER.length / ZALO_TEXT_LIMIT);
    await waitFor("every piece", () => (texts(fake, PRIVATE).length >= n ? true : undefined));
    expect(Date.now() - started).toBeGreaterThanOrEqual((n - 1) * 150 - 20);
  });

  it("sends a small text document as text, and says when a file cannot be sent", async () => {
    const doc: Command = {
      name: "tep",
      summary: "Tệp (thử)",
      help: "/tep",
      run: () => [
        { text: "Báo cáo", document: { filename: "bc.csv", mime: "text/csv", content: Buffer.from("ma,tien_do\nBN-7.22,50") } },
        { text: "Bảng tính", document: { filename: "bc.xlsx", mime: "application/vnd.ms-excel", content: Buffer.from([1, 2, 3]) } },
      ],
    };
    const { fake } = await withCommands([doc]);
    fake.pushUpdate(update("private", "/tep"));
    await waitFor("four messages", () => (texts(fake, PRIVATE).length >= 4 ? true : undefined));
    expect(texts(fake, PRIVATE)).toEqual([
      "Báo cáo",
      `${ZALO_TEXTS.documentAsText("bc.csv")}\nma,tien_do\nBN-7.22,50`,
      "Bảng tính",
      ZALO_TEXTS.documentUnsupported("bc.xlsx"),
    ]);
  });

  it("accepts a webhook body wrapped as { ok, result }", async () => {
    const r = await withCommands([], "webhook");
    expect(await post(r.port, { ok: true, result: update("private", "/batdau") }, SECRET)).toBe(200);
    await waitFor("the answer", () => (texts(r.fake, PRIVATE).length ? true : undefined));
    expect(texts(r.fake, PRIVATE)[0]?.startsWith("Xin chào Lan!")).toBe(true);
  });
});

describe("zalo updates as Zalo really sends them", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  /** A recording dialogue over the real bot, and the adapter over a fake with these getMe answers. */
  async function setup(o: { mode?: Mode; fake?: { displayName?: string | null; canJoinGroups?: boolean }; botName?: string; inbox?: Inbox; lines?: string[] } = {}) {
    const world = await buildWorld();
    const turns: Turn[] = [];
    const dialogue: DialogueCore = {
      handle: (t) => {
        turns.push(t);
        return world.dialogue.handle(t);
      },
    };
    const fake = await startFakeZalo({ token: TOKEN, allowHttpWebhook: true, pollTimeoutMs: 200, ...o.fake });
    const ref: { adapter?: ZaloAdapter } = {};
    const http = createHttpServer({ zalo: (req, res) => zaloWebhook(ref.adapter!, SECRET)(req, res) });
    const port = await http.listen(0, "127.0.0.1");
    const mode = o.mode ?? "polling";
    const adapter = createZaloAdapter({
      client: new ZaloClient({ token: TOKEN, apiRoot: fake.apiRoot }),
      dialogue,
      log: silentLogger(o.lines),
      perChatGapMs: 0,
      pollTimeoutSeconds: 1,
      ...(o.botName ? { botName: o.botName } : {}),
      ...(o.inbox ? { inbox: o.inbox } : {}),
      ...(mode === "webhook" ? { webhook: { url: `http://127.0.0.1:${port}/zalo/webhook`, secret: SECRET } } : {}),
    });
    ref.adapter = adapter;
    cleanup.push(async () => {
      await adapter.stop();
      await http.close();
      await fake.close();
    });
    return { fake, adapter, port, turns, deliver: async (u: unknown) => (mode === "polling" ? fake.pushUpdate(u) : expect(await post(port, u, SECRET)).toBe(200)) };
  }

  const message = (over: Record<string, unknown> = {}) => ({
    message_id: `mx${Math.random().toString(36).slice(2)}`,
    date: Date.now(),
    from: { id: "u1", display_name: "Lan", is_bot: false },
    chat: { id: PRIVATE, chat_type: "PRIVATE" },
    ...over,
  });
  const hostile = [
    { event_name: "message.reaction.received", message: message({ text: "/batdau" }) },
    { event_name: "message.text.received" },
    { event_name: "message.text.received", message: { message_id: "m-broken", text: "/batdau" } },
    { message: message({ text: "/batdau" }) },
    "not an update at all",
    [1, 2, 3],
  ];

  it.each(["polling", "webhook"] as const)("%s: skips unknown events and updates without a usable message, logs them, and goes on at once", async (mode) => {
    const lines: string[] = [];
    const s = await setup({ mode, lines });
    await s.adapter.start();
    for (const u of hostile) await s.deliver(u);
    const t0 = Date.now();
    await s.deliver(update("private", "/batdau"));
    await waitFor("the answer after the hostile updates", () => (texts(s.fake, PRIVATE).length ? true : undefined), 3000);
    // No backoff: polling was never stalled by what it could not read.
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(texts(s.fake, PRIVATE)).toHaveLength(1);
    expect(texts(s.fake, PRIVATE)[0]?.startsWith("Xin chào Lan!")).toBe(true);
    expect(s.turns.map((t) => t.text)).toEqual(["/batdau"]);
    if (mode === "polling") {
      expect(lines.some((l) => l.includes("a Zalo event the bot does not know (message.reaction.received)"))).toBe(true);
      expect(lines.filter((l) => l.includes("a Zalo update without a message")).length).toBeGreaterThanOrEqual(3);
      expect(lines.some((l) => l.includes("getUpdates failed"))).toBe(false);
    }
  });

  it("answers a photo's caption (photo_url, CHAT_PHOTO), and says it reads only text for a photo without one, a voice message and protected content", async () => {
    const s = await setup();
    await s.adapter.start();
    const photo = (over: Record<string, unknown>) => ({ event_name: "message.image.received", message: message({ photo_url: "https://photo.example/1.jpg", message_type: "CHAT_PHOTO", ...over }) });
    s.fake.pushUpdate(photo({ caption: "/batdau" }));
    await waitFor("the caption's answer", () => (texts(s.fake, PRIVATE).length >= 1 ? true : undefined));
    s.fake.pushUpdate(photo({}));
    s.fake.pushUpdate({ event_name: "message.voice.received", message: message({ voice_url: "https://voice.example/1.aac" }) });
    s.fake.pushUpdate({ event_name: "message.unsupported.received", message: message({}) });
    // In a group too: a voice reply to the bot gets the same short answer, not "what do you need?".
    s.fake.pushUpdate({ event_name: "message.voice.received", message: message({ voice_url: "https://voice.example/2.aac", chat: { id: GROUP, chat_type: "GROUP" } }) });
    await waitFor("four text-only answers", () => (texts(s.fake, PRIVATE).length >= 4 && texts(s.fake, GROUP).length >= 1 ? true : undefined));
    expect(texts(s.fake, PRIVATE)[0]?.startsWith("Xin chào Lan!")).toBe(true);
    expect(texts(s.fake, PRIVATE).slice(1)).toEqual([TEXTS.empty, TEXTS.empty, TEXTS.empty]);
    expect(texts(s.fake, GROUP)).toEqual([TEXTS.empty]);
  });

  it("names the sender from from.name when display_name is absent", async () => {
    const s = await setup();
    await s.adapter.start();
    s.fake.pushUpdate({ event_name: "message.text.received", message: message({ text: "/batdau", from: { id: "u9", name: "Hoa" } }) });
    await waitFor("the greeting", () => (texts(s.fake, PRIVATE).length ? true : undefined));
    expect(texts(s.fake, PRIVATE)[0]?.startsWith("Xin chào Hoa!")).toBe(true);
  });

  it("removes a leading mention of the display name getMe gave, or of the account name, before the dialogue sees the text", async () => {
    const s = await setup();
    await s.adapter.start();
    s.fake.pushUpdate(update("group", `@${ZALO_FAKE_DISPLAY_NAME} BN-7.22 do ai chủ trì?`));
    s.fake.pushUpdate(update("group", "@kehoach_bot, /huongdan"));
    await waitFor("two group answers", () => (texts(s.fake, GROUP).length >= 2 ? true : undefined));
    expect(s.turns.map((t) => [t.text, t.chatType, t.mentionsBot])).toEqual([
      ["BN-7.22 do ai chủ trì?", "group", true],
      ["/huongdan", "group", true],
    ]);
  });

  it("without a display name from getMe, uses ZALO_BOT_NAME; and a mention it cannot name before a command still reaches the command", async () => {
    const s = await setup({ fake: { displayName: null }, botName: "Trợ lý KH" });
    await s.adapter.start();
    s.fake.pushUpdate(update("group", "@trợ lý kh BN-7.22 do ai chủ trì?"));
    s.fake.pushUpdate(update("group", "@Một Tên Khác /batdau"));
    await waitFor("two group answers", () => (texts(s.fake, GROUP).length >= 2 ? true : undefined));
    expect(s.turns.map((t) => t.text)).toEqual(["BN-7.22 do ai chủ trì?", "/batdau"]);
  });

  it("logs can_join_groups, and warns when the bot cannot join groups", async () => {
    const lines: string[] = [];
    const s = await setup({ fake: { canJoinGroups: false }, lines });
    await s.adapter.start();
    expect(lines.find((l) => l.includes('"msg":"connected"'))).toContain('"canJoinGroups":false');
    expect(lines.some((l) => l.includes("this Zalo bot cannot join groups (can_join_groups is false; Marketplace bots cannot)"))).toBe(true);
  });

  it("a refused token stops the start with TokenRefusedError", async () => {
    const fake = await startFakeZalo({ token: "1:the-right-one-abcdefghijkl" });
    cleanup.push(() => fake.close());
    const adapter = createZaloAdapter({ client: new ZaloClient({ token: TOKEN, apiRoot: fake.apiRoot }), dialogue: dialogueFor(await buildWorld()), log: silentLogger() });
    const err = await adapter.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRefusedError);
    expect(err).toMatchObject({ channel: "zalo", code: 401 });
  });

  it("webhook: the update is in the store before the 200; a store that fails answers 500", async () => {
    const store = openStore(":memory:");
    cleanup.push(async () => store.close());
    const s = await setup({ mode: "webhook", inbox: store.inbox });
    // Not started: nothing is answered, but what arrives is kept.
    const u = update("private", "/batdau");
    expect(await post(s.port, u, SECRET)).toBe(200);
    expect(store.inbox.open("zalo").map((r) => JSON.parse(r.payload).message.message_id)).toEqual([u.message.message_id]);
    expect(await post(s.port, u, SECRET)).toBe(200); // a repeat: recognised, not stored twice
    expect(store.inbox.open("zalo")).toHaveLength(1);
    await s.adapter.start();
    await waitFor("the stored update answered", () => (texts(s.fake, PRIVATE).length ? true : undefined));
    store.close();
    expect(await post(s.port, update("private", "/huongdan"), SECRET)).toBe(500);
  });
});
