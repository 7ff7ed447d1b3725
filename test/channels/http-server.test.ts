// Rule protected: the one HTTP server answers health checks, refuses unknown
// paths, and never processes a Zalo webhook body without the right secret.
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer, zaloWebhook, type HttpServer } from "../../src/channels/http-server.js";
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

async function start(got: ZaloUpdate[] = []) {
  server = createHttpServer({ zalo: zaloWebhook(fakeAdapter(got), SECRET), health: () => ({ zalo: "webhook" }) });
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

  it("answers 404 for unknown paths and for a webhook that is not configured", async () => {
    const base = await start();
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/telegram/webhook`, { method: "POST", body: "{}" })).status).toBe(404);
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
});
