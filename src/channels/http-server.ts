// One node:http server for both webhooks and the health check:
//   POST /telegram/webhook   checks X-Telegram-Bot-Api-Secret-Token, then the Telegram adapter stores the update
//   POST /zalo/webhook       checks X-Bot-Api-Secret-Token, then the Zalo adapter stores it
//   GET  /healthz            200 {"ok":true,…}; 503 when the health says ok: false (no channel up); HEAD too, like every GET
// Every webhook the same way: a missing or wrong secret (compared in constant time)
// → 401 and the body is never read; a body over MAX_BODY_BYTES → 413; each channel
// has its own secret (config.webhookSecret). 200 only once the update is stored in the
// inbox; a store that fails answers 500, so the platform delivers the update again.
//   <prefix>/…               a mounted handler gets every method and path under its prefix (the dashboard)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.js";
import type { Update } from "grammy/types";
import type { TelegramAdapter } from "./telegram.js";
import type { ZaloAdapter } from "./zalo/adapter.js";
import { parseWebhookUpdate, verifySecret } from "./zalo/client.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** The largest webhook body read, for every channel (a real update is a few kilobytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A body over the limit is still read to its end and thrown away (up to DISCARD_BYTES), so the sender
 * finishes writing and reads its 413: answering while it still writes makes it fail with EPIPE and never
 * see the answer. A declared or sent body past DISCARD_BYTES is cut off at once.
 */
const DISCARD_BYTES = 8 * MAX_BODY_BYTES;

function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | null> {
  if (Number(req.headers["content-length"] ?? 0) > DISCARD_BYTES) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DISCARD_BYTES) {
        req.socket.destroy();
        resolve(null);
      }
    });
    req.on("end", () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on("close", () => resolve(null)); // the sender went away mid-body (after "end" this changes nothing)
    req.on("error", () => resolve(null));
  });
}

/**
 * A webhook: the secret header checked first (401, body unread), the body read up to
 * MAX_BODY_BYTES (413), then handed over; a body that is not JSON is answered 200 and ignored.
 */
function webhook(name: string, header: string, secret: string, handle: (body: Buffer) => Promise<void> | void, log?: Logger): Handler {
  return async (req, res) => {
    if (!verifySecret(req.headers[header], secret)) {
      log?.warn(`${name} webhook refused: wrong or missing secret token`, { remote: req.socket.remoteAddress });
      return json(res, 401, { ok: false, description: "Unauthorized" });
    }
    const body = await readBody(req);
    if (body === null) {
      log?.warn(`${name} webhook refused: body over ${MAX_BODY_BYTES} bytes`, { remote: req.socket.remoteAddress });
      res.setHeader("connection", "close");
      return json(res, 413, { ok: false, description: "Payload Too Large" });
    }
    await handle(body);
    json(res, 200, { ok: true });
  };
}

/** POST /telegram/webhook with the Telegram channel's own secret. */
export function telegramWebhook(adapter: TelegramAdapter, secret: string, log?: Logger): Handler {
  return webhook("telegram", "x-telegram-bot-api-secret-token", secret, async (body) => {
    let update: unknown;
    try {
      update = JSON.parse(body.toString("utf8"));
    } catch {
      update = undefined;
    }
    const isUpdate = typeof update === "object" && update !== null && typeof (update as { update_id?: unknown }).update_id === "number";
    if (isUpdate) await adapter.handleWebhookUpdate(update as Update);
    else log?.debug("telegram webhook: body is not an update; ignored");
  }, log);
}

/** POST /zalo/webhook with the Zalo channel's own secret. */
export function zaloWebhook(adapter: ZaloAdapter, secret: string, log?: Logger): Handler {
  return webhook("zalo", "x-bot-api-secret-token", secret, async (body) => {
    const update = parseWebhookUpdate(body);
    if (update) await adapter.dispatch(update); // stored before the 200 (a failure answers 500: Zalo may deliver it again)
    else log?.debug("zalo webhook: body is not an update; ignored");
  }, log);
}

export interface HttpServerOptions {
  telegram?: Handler;
  zalo?: Handler;
  /** Handlers that answer every request under a path prefix ("/bangdieukhien" and "/bangdieukhien/…"). */
  mounts?: { prefix: string; handler: Handler }[];
  /** Extra fields for GET /healthz; `ok: false` answers 503. */
  health?: () => Record<string, unknown>;
  log?: Logger;
}

export interface HttpServer {
  readonly server: Server;
  /** Listen on `host` (default 127.0.0.1; main passes config's listenHost); resolves with the actual port (PORT=0 picks one). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const routes: Record<string, Handler | undefined> = {
    "POST /telegram/webhook": opts.telegram,
    "POST /zalo/webhook": opts.zalo,
    "GET /healthz": (_req, res) => {
      const health = { ok: true, ...opts.health?.() };
      json(res, health.ok === false ? 503 : 200, health);
    },
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const mount = opts.mounts?.find((m) => path === m.prefix || path?.startsWith(`${m.prefix}/`));
    // HEAD is GET without the body (node:http leaves the body out of a HEAD response itself).
    const method = req.method === "HEAD" ? "GET" : req.method;
    const handler = mount?.handler ?? routes[`${method} ${path}`];
    if (!handler) return json(res, 404, { ok: false, description: "Not Found" });
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      opts.log?.error("http handler failed", { err, path });
      if (!res.headersSent) json(res, 500, { ok: false, description: "Internal Server Error" });
      else res.end();
    });
  });
  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host ?? "127.0.0.1", () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeIdleConnections();
        server.close(() => resolve());
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
    },
  };
}
