// The shared conversation suite against the Zalo adapter: our ZaloClient over
// HTTP to the fake Zalo Bot API on 127.0.0.1, in webhook and long-polling mode.
// Plus what only Zalo needs: numbered choices, typing, retries, pacing.
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer, zaloWebhook, type HttpServer } from "../../../src/channels/http-server.js";
import { createZaloAdapter, ZALO_TEXTS, type ZaloAdapter } from "../../../src/channels/zalo/adapter.js";
import { ZALO_TEXT_LIMIT, ZaloClient } from "../../../src/channels/zalo/client.js";
import type { Command } from "../../../src/core/feature.js";
import type { DialogueCore } from "../../../src/core/types.js";
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
