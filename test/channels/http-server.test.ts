// Rule protected: the one HTTP server answers health checks (HEAD like GET),
// refuses unknown paths, and treats every webhook alike: never a body without
// that channel's own secret, never a body over the one limit.
import { afterEach, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import { createHttpServer, MAX_BODY_BYTES, telegramWebhook, zaloWebhook, type HttpServer } from "../../src/channels/http-server.js";
import type { TelegramAdapter } from "../../src/channels/telegram.js";
import type { ZaloAdapter } from "../../src/channels/zalo/adapter.js";
import type { ZaloUpdate } from "../../src/channels/zalo/client.js";
import { makeZaloTextUpdate } from "../../src/fakes/zalo-api.js";

const SECRET = "http_test_secret_1";
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function fakeAdapter(got: ZaloUpdate[]): ZaloAdapter {
  return {
    mode: "webhook",
    dispatch: async (u) => void got.push(u),
    textLimit: 2000,
    send: async () => ({ status: "delivered" }),
    start: async () => undefined,
    stop: async () => ({ unfinished: [] }),
    idle: async () => undefined,
    load: { running: 0, waiting: 0 },
  };
}

const TG_SECRET = "http_test_telegram_2";

function fakeTelegram(got: Update[]): TelegramAdapter {
  return { handleWebhookUpdate: async (u: Update) => void got.push(u) } as unknown as TelegramAdapter;
}

async function start(got: ZaloUpdate[] = [], tg: Update[] = []) {
  server = createHttpServer({
    zalo: zaloWebhook(fakeAdapter(got), SECRET),
    telegram: telegramWebhook(fakeTelegram(tg), TG_SECRET),
    health: () => ({ zalo: "webhook" }),
  });
  const port = await server.listen(0, "127.0.0.1");
  return `http://127.0.0.1:${port}`;
}

describe("http server", () => {
  it("answers GET /healthz with 200 JSON", async () => {
    const base = await start();
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, zalo: "webhook" });
  });

  it("answers HEAD /healthz like GET, without a body", async () => {
    const base = await start();
    const r = await fetch(`${base}/healthz`, { method: "HEAD" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await r.text()).toBe("");
    expect((await fetch(`${base}/nope`, { method: "HEAD" })).status).toBe(404);
  });

  it("answers 404 for a webhook that is not configured", async () => {
    server = createHttpServer({});
    const port = await server.listen(0, "127.0.0.1");
    expect((await fetch(`http://127.0.0.1:${port}/telegram/webhook`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/zalo/webhook`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("listens on 127.0.0.1 when no host is given", async () => {
    server = createHttpServer({});
    await server.listen(0);
    expect((server.server.address() as { address: string }).address).toBe("127.0.0.1");
  });

  it("answers 404 for unknown paths", async () => {
    const base = await start();
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/telegram/webhook`, { method: "GET" })).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(404);
  });

  it("dispatches a Zalo update with the right secret", async () => {
    const got: ZaloUpdate[] = [];
    const base = await start(got);
    const update = makeZaloTextUpdate({ chatId: "c1", userId: "u1", text: "BN-7.22", messageId: "m1" });
    const r = await fetch(`${base}/zalo/webhook`, { method: "POST", headers: { "x-bot-api-secret-token": SECRET }, body: JSON.stringify(update) });
    expect(r.status).toBe(200);
    expect(got.map((u) => [u.message?.message_id, u.message?.text])).toEqual([["m1", "BN-7.22"]]);
  });

  it("refuses a Zalo webhook with a wrong, missing or near-miss secret, dispatching nothing", async () => {
    const got: ZaloUpdate[] = [];
    const base = await start(got);
    const body = JSON.stringify(makeZaloTextUpdate({ chatId: "c1", userId: "u1", text: "x" }));
    for (const headers of [{} as Record<string, string>, { "x-bot-api-secret-token": "wrong" }, { "x-bot-api-secret-token": SECRET + "x" }, { "x-bot-api-secret-token": SECRET.slice(0, -1) }]) {
      expect((await fetch(`${base}/zalo/webhook`, { method: "POST", headers, body })).status).toBe(401);
    }
    expect(got).toEqual([]);
  });

  it("answers 200 and dispatches nothing for a body that is not an update", async () => {
    const got: ZaloUpdate[] = [];
    const base = await start(got);
    for (const body of ["not json", "{}", JSON.stringify({ event_name: "x" })]) {
      expect((await fetch(`${base}/zalo/webhook`, { method: "POST", headers: { "x-bot-api-secret-token": SECRET }, body })).status).toBe(200);
    }
    expect(got).toEqual([]);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const got: ZaloUpdate[] = [];
    const base = await start(got);
    const r = await fetch(`${base}/zalo/webhook`, { method: "POST", headers: { "x-bot-api-secret-token": SECRET }, body: "x".repeat(1024 * 1024 + 10) });
    expect(r.status).toBe(413);
    expect(got).toEqual([]);
  });

  it("holds the Telegram webhook to the same rules: its own secret (not Zalo's), the same body limit", async () => {
    const tg: Update[] = [];
    const base = await start([], tg);
    const update = { update_id: 7, message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, from: { id: 1, is_bot: false, first_name: "A" }, text: "hi" } };
    const post = (headers: Record<string, string>, body: string) => fetch(`${base}/telegram/webhook`, { method: "POST", headers, body });
    expect((await post({}, JSON.stringify(update))).status).toBe(401);
    expect((await post({ "x-telegram-bot-api-secret-token": SECRET }, JSON.stringify(update))).status).toBe(401);
    expect((await post({ "x-bot-api-secret-token": TG_SECRET }, JSON.stringify(update))).status).toBe(401);
    const big = JSON.stringify({ ...update, message: { ...update.message, text: "x".repeat(MAX_BODY_BYTES) } });
    expect((await post({ "x-telegram-bot-api-secret-token": TG_SECRET }, big)).status).toBe(413);
    // a body sent in chunks, without a length, is counted as it comes
    const chunked = new ReadableStream({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new TextEncoder().encode("x".repeat(MAX_BODY_BYTES / 2)));
        c.close();
      },
    });
    const r = await fetch(`${base}/telegram/webhook`, {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": TG_SECRET },
      body: chunked,
      duplex: "half",
    } as RequestInit);
    expect(r.status).toBe(413);
    for (const body of ["not json", "{}", "[1]"]) expect((await post({ "x-telegram-bot-api-secret-token": TG_SECRET }, body)).status).toBe(200);
    expect(tg).toEqual([]);
    expect((await post({ "x-telegram-bot-api-secret-token": TG_SECRET }, JSON.stringify(update))).status).toBe(200);
    expect(tg.map((u) => u.update_id)).toEqual([7]);
    // A sender that goes on past 8 MiB is cut off (no answer, or the 413); nothing is handed over and the server goes on answering.
    const endless = new ReadableStream({
      start(c) {
        for (let i = 0; i < 12; i++) c.enqueue(new TextEncoder().encode("x".repeat(MAX_BODY_BYTES)));
        c.close();
      },
    });
    const cut = await fetch(`${base}/telegram/webhook`, {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": TG_SECRET },
      body: endless,
      duplex: "half",
    } as RequestInit).then(
      (res) => res.status,
      () => "cut off",
    );
    expect([413, "cut off"]).toContain(cut);
    expect(tg.map((u) => u.update_id)).toEqual([7]);
    expect((await post({ "x-telegram-bot-api-secret-token": TG_SECRET }, JSON.stringify({ ...update, update_id: 8 }))).status).toBe(200);
    expect(tg.map((u) => u.update_id)).toEqual([7, 8]);
  });
});
