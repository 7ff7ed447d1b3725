// A fake Zalo Bot Platform API on 127.0.0.1 for tests and the local demo.
// It enforces the documented limits (token, text 1–2,000, one update per
// getUpdates, 408 when nothing came, no polling while a webhook is set) so a
// client bug fails here instead of in production.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeZaloOptions {
  token: string;
  /** Longest a getUpdates call waits before answering 408, whatever timeout it asked for. Default 300 ms. */
  pollTimeoutMs?: number;
  /** Accept http:// webhook URLs (the real API wants https). */
  allowHttpWebhook?: boolean;
  /** The name members pick from the @ list, as getMe tells it (default "Trợ lý Kế hoạch"); null: getMe leaves it out, as documented. */
  displayName?: string | null;
  /** getMe's can_join_groups (default true; Marketplace bots get false). */
  canJoinGroups?: boolean;
}

export interface FakeZaloCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeZaloError {
  error_code: number;
  description?: string;
}

export interface FakeZalo {
  apiRoot: string;
  close(): Promise<void>;
  /** Every call except getUpdates, in arrival order. */
  sent: FakeZaloCall[];
  /** Every call, getUpdates included. */
  calls: FakeZaloCall[];
  /** Queue an update for the next getUpdates (or hand it to a waiting one). */
  pushUpdate(update: unknown): void;
  /** Make the next call of `method` fail with this error (one-shot, queued). */
  failNext(method: string, error: FakeZaloError): void;
  /** The webhook currently set (url "" when none). */
  readonly webhookInfo: { url: string; secret_token?: string };
  /** Updates queued and not yet delivered. */
  readonly pending: number;
}

export interface ZaloTextUpdateInit {
  chatId: string;
  chatType?: "PRIVATE" | "GROUP";
  userId: string;
  userName?: string;
  text: string;
  messageId?: string;
  date?: number;
}

/** The display name the fake's getMe gives by default. */
export const ZALO_FAKE_DISPLAY_NAME = "Trợ lý Kế hoạch";

let nextMessage = 1;

/** A `message.text.received` update as the platform sends it. */
export function makeZaloTextUpdate(init: ZaloTextUpdateInit) {
  return {
    event_name: "message.text.received",
    message: {
      message_id: init.messageId ?? `m${nextMessage++}`,
      date: init.date ?? Date.now(),
      text: init.text,
      from: { id: init.userId, display_name: init.userName ?? `User ${init.userId}`, is_bot: false },
      chat: { id: init.chatId, chat_type: init.chatType ?? "PRIVATE" },
    },
  };
}

type Reply = { status: number; body: unknown };
const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
const fail = (error_code: number, description: string): Reply => ({
  status: error_code,
  body: { ok: false, error_code, description },
});

export async function startFakeZalo(options: FakeZaloOptions): Promise<FakeZalo> {
  const pollCapMs = options.pollTimeoutMs ?? 300;
  const queue: unknown[] = [];
  const waiters: Array<(update: unknown) => boolean> = [];
  const failures = new Map<string, FakeZaloError[]>();
  const sent: FakeZaloCall[] = [];
  const calls: FakeZaloCall[] = [];
  let webhook: { url: string; secret_token?: string } = { url: "" };
  let messageId = 1000;

  const handlers: Record<string, (body: Record<string, unknown>, res: ServerResponse) => Reply | undefined> = {
    getMe: () =>
      ok({
        id: options.token.split(":")[0],
        account_name: "kehoach_bot",
        account_type: "BASIC",
        can_join_groups: options.canJoinGroups ?? true,
        ...(options.displayName === null ? {} : { display_name: options.displayName ?? ZALO_FAKE_DISPLAY_NAME }),
      }),
    getUpdates: (body, res) => {
      if (webhook.url) return fail(400, "Webhook is set; delete it before calling getUpdates");
      if (typeof body.timeout !== "string" || !/^\d+$/.test(body.timeout)) {
        return fail(400, "timeout must be a string of seconds");
      }
      const update = queue.shift();
      if (update !== undefined) return ok(update);
      longPoll(res, Math.min(Number(body.timeout) * 1000, pollCapMs));
      return undefined;
    },
    setWebhook: (body) => {
      const url = body.url;
      const secret = body.secret_token;
      if (typeof url !== "string" || !(url.startsWith("https://") || (options.allowHttpWebhook && url.startsWith("http://")))) {
        return fail(400, "url must be an https URL");
      }
      if (typeof secret !== "string" || secret.length < 8 || secret.length > 256) {
        return fail(400, "secret_token must be 8-256 characters");
      }
      webhook = { url, secret_token: secret };
      return ok({ url, updated_at: Date.now() });
    },
    deleteWebhook: () => {
      webhook = { url: "" };
      return ok({ url: "", updated_at: Date.now() });
    },
    getWebhookInfo: () => ok({ url: webhook.url, updated_at: Date.now() }),
    sendMessage: (body) => {
      const bad = needChat(body);
      if (bad) return bad;
      const text = body.text;
      if (typeof text !== "string" || text.length < 1 || text.length > 2000) {
        return fail(400, "text must be 1-2000 characters");
      }
      return ok({ message_id: `out${messageId++}`, date: Date.now() });
    },
    sendPhoto: (body) => {
      const bad = needChat(body);
      if (bad) return bad;
      if (typeof body.photo !== "string" || !/^https?:\/\//.test(body.photo)) return fail(400, "photo must be a URL");
      if (body.caption !== undefined && (typeof body.caption !== "string" || body.caption.length > 2000)) {
        return fail(400, "caption must be at most 2000 characters");
      }
      return ok({ message_id: `out${messageId++}`, date: Date.now() });
    },
    sendSticker: (body) => needChat(body) ?? ok({ message_id: `out${messageId++}`, date: Date.now() }),
    sendChatAction: (body) => {
      const bad = needChat(body);
      if (bad) return bad;
      if (body.action !== "typing" && body.action !== "upload_photo") return fail(400, "action is not supported");
      return ok(true);
    },
  };

  function needChat(body: Record<string, unknown>): Reply | undefined {
    return typeof body.chat_id === "string" && body.chat_id !== "" ? undefined : fail(400, "chat_id is required");
  }

  function longPoll(res: ServerResponse, waitMs: number): void {
    let done = false;
    const finish = (reply: Reply) => {
      done = true;
      clearTimeout(timer);
      const i = waiters.indexOf(deliver);
      if (i >= 0) waiters.splice(i, 1);
      send(res, reply);
    };
    const deliver = (update: unknown): boolean => {
      if (done || res.destroyed) return false;
      finish(ok(update));
      return true;
    };
    const timer = setTimeout(() => finish(fail(408, "Request timeout")), waitMs);
    res.on("close", () => {
      if (!done) finish(fail(408, "Request timeout")); // client went away; nothing is lost
    });
    waiters.push(deliver);
  }

  const server = createServer(async (req, res) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    if (!match) return send(res, fail(404, "Not Found"));
    const [, token, method = ""] = match;
    if (token !== options.token) return send(res, fail(401, "Unauthorized"));
    if (req.method !== "POST") return send(res, fail(405, "Method Not Allowed"));
    const body = await readJson(req);
    if (body === undefined) return send(res, fail(400, "Body must be a JSON object"));
    const call = { method, body };
    calls.push(call);
    if (method !== "getUpdates") sent.push(call);
    const injected = failures.get(method)?.shift();
    if (injected) return send(res, fail(injected.error_code, injected.description ?? "Injected failure"));
    const handler = handlers[method];
    if (!handler) return send(res, fail(404, `Unknown method ${method}`));
    const reply = handler(body, res);
    if (reply) send(res, reply);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    sent,
    calls,
    pushUpdate(update) {
      while (waiters.length > 0) {
        const waiter = waiters.shift();
        if (waiter?.(update)) return;
      }
      queue.push(update);
    },
    failNext(method, error) {
      const list = failures.get(method) ?? [];
      list.push(error);
      failures.set(method, list);
    },
    get webhookInfo() {
      return { ...webhook };
    },
    get pending() {
      return queue.length;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
