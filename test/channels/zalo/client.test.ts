// The Zalo client speaks the documented Bot API over real HTTP (against the fake
// on 127.0.0.1): one update per getUpdates, 408 means "nothing yet", text is
// 1–2,000 characters, and the bot token never appears in an error.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ZaloApiError,
  ZaloClient,
  ZaloNetworkError,
  ZaloResponseError,
  parseWebhookUpdate,
  redactToken,
  verifySecret,
} from "../../../src/channels/zalo/client.js";
import { makeZaloTextUpdate, startFakeZalo, type FakeZalo } from "../../../src/fakes/zalo-api.js";

const TOKEN = "12345:s3cr3t-T0KEN-value";
let fake: FakeZalo;
let client: ZaloClient;

beforeEach(async () => {
  fake = await startFakeZalo({ token: TOKEN, pollTimeoutMs: 100 });
  client = new ZaloClient({ token: TOKEN, apiRoot: fake.apiRoot });
});
afterEach(() => fake.close());

const update = (text = "xin chào") => makeZaloTextUpdate({ chatId: "c1", userId: "u1", userName: "Lan", text });

describe("ZaloClient over HTTP", () => {
  it("getMe returns the bot account", async () => {
    const me = await client.getMe();
    expect(me).toMatchObject({ id: "12345", account_name: "kehoach_bot", can_join_groups: true });
  });

  it("getUpdates returns one update, then null when the server answers 408", async () => {
    fake.pushUpdate(update("một"));
    fake.pushUpdate(update("hai"));
    expect((await client.getUpdates({ timeout: 1 }))?.message?.text).toBe("một");
    expect((await client.getUpdates({ timeout: 1 }))?.message?.text).toBe("hai");
    expect(await client.getUpdates({ timeout: 1 })).toBeNull();
  });

  it("getUpdates waits for an update pushed while it polls", async () => {
    const polling = client.getUpdates({ timeout: 30 });
    setTimeout(() => fake.pushUpdate(update("muộn")), 20);
    expect((await polling)?.message).toMatchObject({ text: "muộn", chat: { id: "c1", chat_type: "PRIVATE" } });
  });

  it("sends the poll timeout as a string of seconds", async () => {
    await client.getUpdates({ timeout: 30 });
    expect(fake.calls.at(-1)).toEqual({ method: "getUpdates", body: { timeout: "30" } });
  });

  it("stops a long poll when the caller aborts", async () => {
    const fakeSlow = await startFakeZalo({ token: TOKEN, pollTimeoutMs: 5000 });
    try {
      const slow = new ZaloClient({ token: TOKEN, apiRoot: fakeSlow.apiRoot });
      const controller = new AbortController();
      const polling = slow.getUpdates({ timeout: 30 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      const err = await polling.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZaloNetworkError);
      expect(err).toMatchObject({ aborted: true, retryable: false });
      // Once the server has seen the connection close, a new update goes to the next poll.
      await new Promise((r) => setTimeout(r, 50));
      fakeSlow.pushUpdate(update("sau"));
      expect((await slow.getUpdates({ timeout: 1 }))?.message?.text).toBe("sau");
    } finally {
      await fakeSlow.close();
    }
  });

  it("sendMessage accepts 1–2000 characters and rejects the rest before calling the API", async () => {
    await expect(client.sendMessage({ chat_id: "c1", text: "a".repeat(2000) })).resolves.toMatchObject({ message_id: expect.any(String) });
    await expect(client.sendMessage({ chat_id: "c1", text: "a".repeat(2001) })).rejects.toThrow(/1–2000 characters.*2001/);
    await expect(client.sendMessage({ chat_id: "c1", text: "" })).rejects.toThrow(RangeError);
    expect(fake.sent.filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });

  it("sends photos and the typing action", async () => {
    await client.sendPhoto({ chat_id: "c1", photo: "https://example.org/a.png", caption: "ảnh" });
    await client.sendChatAction({ chat_id: "c1", action: "typing" });
    expect(fake.sent.map((c) => c.method)).toEqual(["sendPhoto", "sendChatAction"]);
  });

  it("sets, reads and deletes the webhook", async () => {
    await client.setWebhook({ url: "https://bot.example.org/zalo", secret_token: "abcdefgh12" });
    expect(fake.webhookInfo).toEqual({ url: "https://bot.example.org/zalo", secret_token: "abcdefgh12" });
    expect((await client.getWebhookInfo()).url).toBe("https://bot.example.org/zalo");
    await expect(client.getUpdates({ timeout: 1 })).rejects.toBeInstanceOf(ZaloApiError);
    await client.deleteWebhook();
    expect((await client.getWebhookInfo()).url).toBe("");
    expect(() => client.setWebhook({ url: "https://x.org", secret_token: "short" })).toThrow(/8–256/);
  });

  it("an API error names the method and code, and never contains the token", async () => {
    fake.failNext("sendMessage", { error_code: 403, description: `forbidden for /bot${TOKEN}/sendMessage` });
    const err = await client.sendMessage({ chat_id: "c1", text: "hi" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ method: "sendMessage", error_code: 403, retryable: false });
    const shown = `${String(err)} ${(err as Error).stack} ${JSON.stringify(err)}`;
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain("s3cr3t");
  });

  it("a wrong token is a 401 API error without the token in it", async () => {
    const wrong = new ZaloClient({ token: "999:wrong-token", apiRoot: fake.apiRoot });
    const err = await wrong.getMe().catch((e: unknown) => e);
    expect(err).toMatchObject({ error_code: 401 });
    expect((err as Error).message).not.toContain("wrong-token");
  });

  it("429 and 5xx are retryable, with a retry delay on 429", async () => {
    fake.failNext("sendMessage", { error_code: 429, description: "quota exceeded" });
    fake.failNext("sendMessage", { error_code: 502, description: "bad gateway" });
    const quota = await client.sendMessage({ chat_id: "c1", text: "x" }).catch((e: unknown) => e);
    const gateway = await client.sendMessage({ chat_id: "c1", text: "x" }).catch((e: unknown) => e);
    expect(quota).toMatchObject({ retryable: true, retryAfter: 5 });
    expect(gateway).toMatchObject({ retryable: true });
  });

  it("a refused connection is a retryable network error without the token", async () => {
    const root = fake.apiRoot;
    await fake.close();
    const err = await new ZaloClient({ token: TOKEN, apiRoot: root }).getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloNetworkError);
    expect(err).toMatchObject({ retryable: true });
    expect((err as Error).message).not.toContain(TOKEN);
    fake = await startFakeZalo({ token: TOKEN }); // for afterEach
  });

  it("a result of the wrong shape is a ZaloResponseError", async () => {
    const fetchStub: typeof fetch = async () => Response.json({ ok: true, result: { account_name: 42 } });
    const odd = new ZaloClient({ token: TOKEN, apiRoot: "http://127.0.0.1:9", fetch: fetchStub });
    await expect(odd.getMe()).rejects.toBeInstanceOf(ZaloResponseError);
  });

  it("getUpdates reads an update of an unknown shape as one without message, so polling goes on", async () => {
    for (const result of [{ message: "nope" }, { event_name: "message.reaction.received" }, "garbage", [1, 2]]) {
      const fetchStub: typeof fetch = async () => Response.json({ ok: true, result });
      const odd = new ZaloClient({ token: TOKEN, apiRoot: "http://127.0.0.1:9", fetch: fetchStub });
      const got = await odd.getUpdates({ timeout: 1 });
      expect(got?.message).toBeUndefined();
    }
  });
});

describe("redactToken", () => {
  it("hides bot<token> in URLs and the bare token", () => {
    expect(redactToken(`GET http://h/bot${TOKEN}/getMe failed`)).toBe("GET http://h/bot<redacted>/getMe failed");
    expect(redactToken(`token ${TOKEN} leaked`, TOKEN)).toBe("token <redacted> leaked");
  });
});

describe("verifySecret", () => {
  const secret = "correct-horse-battery";
  it("accepts the exact secret", () => expect(verifySecret(secret, secret)).toBe(true));
  it("rejects a wrong secret of the same length", () => expect(verifySecret("correct-horse-batterX", secret)).toBe(false));
  it("rejects a secret of a different length", () => {
    expect(verifySecret("correct", secret)).toBe(false);
    expect(verifySecret(`${secret}-and-more`, secret)).toBe(false);
  });
  it("rejects a missing or repeated header and an empty configured secret", () => {
    expect(verifySecret(undefined, secret)).toBe(false);
    expect(verifySecret([secret, secret], secret)).toBe(false);
    expect(verifySecret("", "")).toBe(false);
  });
});

describe("parseWebhookUpdate", () => {
  const plain = update("từ webhook");
  it("accepts the plain update, as an object, a string or a Buffer", () => {
    expect(parseWebhookUpdate(plain)?.message?.text).toBe("từ webhook");
    expect(parseWebhookUpdate(JSON.stringify(plain))?.message?.from.display_name).toBe("Lan");
    expect(parseWebhookUpdate(Buffer.from(JSON.stringify(plain)))?.event_name).toBe("message.text.received");
  });
  it("accepts the update wrapped as { ok, result }", () => {
    expect(parseWebhookUpdate({ ok: true, result: plain })?.message?.chat.id).toBe("c1");
  });
  it("normalises numeric ids to strings", () => {
    const numeric = { ...plain, message: { ...plain.message, message_id: 7, chat: { id: 42, chat_type: "GROUP" } } };
    expect(parseWebhookUpdate(numeric)?.message).toMatchObject({ message_id: "7", chat: { id: "42", chat_type: "GROUP" } });
  });
  it("rejects garbage", () => {
    for (const bad of [null, 42, "not json", "{}", { ok: false, result: plain }, { event_name: "x" }, { ...plain, message: { ...plain.message, chat: { id: "c", chat_type: "CHANNEL" } } }]) {
      expect(parseWebhookUpdate(bad)).toBeNull();
    }
  });
});
