// One node:http server for both webhooks and the health check:
//   POST /telegram/webhook   the Telegram adapter's handler (checks X-Telegram-Bot-Api-Secret-Token in constant time, stores before 200)
//   POST /zalo/webhook       our handler (checks X-Bot-Api-Secret-Token in constant time, stores before 200)
//   GET  /healthz            200 {"ok":true,…}; 503 when the health says ok: false (no channel up)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.js";
import type { TelegramAdapter } from "./telegram.js";
import type { ZaloAdapter } from "./zalo/adapter.js";
import { parseWebhookUpdate, verifySecret } from "./zalo/client.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

const MAX_BODY_BYTES = 1024 * 1024;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** POST /telegram/webhook: grammY verifies the secret token (401 when missing or wrong). */
export function telegramWebhook(adapter: TelegramAdapter): Handler {
  return adapter.webhookHandler();
}

/** POST /zalo/webhook: a missing or wrong secret → 401 and the body is never read. */
export function zaloWebhook(adapter: ZaloAdapter, secret: string, log?: Logger): Handler {
  return async (req, res) => {
    if (!verifySecret(req.headers["x-bot-api-secret-token"], secret)) {
      log?.warn("zalo webhook refused: wrong or missing secret token", { remote: req.socket.remoteAddress });
      return json(res, 401, { ok: false, description: "Unauthorized" });
    }
    const body = await readBody(req);
    if (body === null) return json(res, 413, { ok: false, description: "Payload Too Large" });
    const update = parseWebhookUpdate(body);
    if (update) await adapter.dispatch(update); // stored before the 200 (a failure answers 500: Zalo may deliver it again)
    else log?.debug("zalo webhook: body is not an update; ignored");
    json(res, 200, { ok: true });
  };
}

export interface HttpServerOptions {
  telegram?: Handler;
  zalo?: Handler;
  /** Extra fields for GET /healthz; `ok: false` answers 503. */
  health?: () => Record<string, unknown>;
  log?: Logger;
}

export interface HttpServer {
  readonly server: Server;
  /** Listen on 127.0.0.1 or all interfaces; resolves with the actual port (PORT=0 picks one). */
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
    const handler = routes[`${req.method} ${path}`];
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
        server.listen(port, host, () => {
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
