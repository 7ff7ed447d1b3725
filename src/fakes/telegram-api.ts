// A fake Telegram Bot API on 127.0.0.1, good enough for grammY:
//   new Bot(token, { client: { apiRoot: fake.apiRoot } })
// It speaks JSON and multipart/form-data, long-polls getUpdates with offset
// semantics, and enforces the limits that matter to us (message text 1–4,096,
// command names, webhook secret) the way Telegram words them.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeTelegramOptions {
  token: string;
  /** Longest a getUpdates call waits when nothing is queued, whatever timeout it asked for. Default 200 ms. */
  pollTimeoutMs?: number;
  /** Bot username (without @). Default "kehoach_test_bot". */
  username?: string;
  /** Accept http:// webhook URLs (the real API wants https). */
  allowHttpWebhook?: boolean;
}

export type Json = Record<string, unknown>;

export interface FakeTelegramCall {
  method: string;
  /** Parsed body; multipart fields holding JSON are parsed, files become `{ filename, size, content }`. */
  body: Json;
}

export interface UploadedFile {
  filename: string;
  size: number;
  content: Buffer;
}

export type ChatType = "private" | "group" | "supergroup";

export interface TextUpdateInit {
  chatId: number;
  chatType?: ChatType;
  userId: number;
  text: string;
  firstName?: string;
  username?: string;
  chatTitle?: string;
  messageId?: number;
  /** Make the message a reply to this message of the bot (e.g. a sent message's message_id). */
  replyToMessageId?: number;
  date?: number;
}

export interface CallbackUpdateInit {
  chatId: number;
  chatType?: ChatType;
  userId: number;
  data: string;
  firstName?: string;
  /** The bot message carrying the button. */
  messageId?: number;
}

export interface FakeTelegram {
  apiRoot: string;
  botInfo: { id: number; is_bot: true; first_name: string; username: string };
  close(): Promise<void>;
  /** Every call, getUpdates included, in arrival order. */
  calls: FakeTelegramCall[];
  /** Bodies of successful sendMessage calls, with the message_id the fake assigned. */
  sent: Array<Json & { message_id: number }>;
  /** Commands from the last successful setMyCommands. */
  readonly commands: Array<{ command: string; description: string }>;
  readonly webhookInfo: { url: string; secret_token?: string };
  /** Queue an update; update_id is assigned when missing. Returns the update as queued. */
  pushUpdate(update: Json): Json & { update_id: number };
  makeTextUpdate(init: TextUpdateInit): Json;
  makeCallbackUpdate(init: CallbackUpdateInit): Json;
  /** Make the next call of `method` fail (one-shot, queued), optionally with `parameters.retry_after`. */
  failNext(method: string, code: number, description: string, retryAfter?: number): void;
  /** From now on, calls of `method` are received (and recorded) but never answered: a stuck Bot API. */
  hang(method: string): void;
  /** Updates queued and not yet confirmed by a getUpdates offset. */
  readonly pending: number;
}

type Reply = { status: number; body: unknown };
const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
const fail = (code: number, description: string, retryAfter?: number): Reply => ({
  status: code,
  body: {
    ok: false,
    error_code: code,
    description,
    ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
  },
});

export async function startFakeTelegram(options: FakeTelegramOptions): Promise<FakeTelegram> {
  const pollCapMs = options.pollTimeoutMs ?? 200;
  const botId = Number(options.token.split(":")[0]) || 1000;
  const botInfo = { id: botId, is_bot: true as const, first_name: "Kế hoạch", username: options.username ?? "kehoach_test_bot" };
  const botUser = { ...botInfo, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  const updates: Array<Json & { update_id: number }> = [];
  const chats = new Map<string, Json>();
  const failures = new Map<string, Reply[]>();
  const hanging = new Set<string>();
  const calls: FakeTelegramCall[] = [];
  const sent: Array<Json & { message_id: number }> = [];
  let commands: Array<{ command: string; description: string }> = [];
  let webhook: { url: string; secret_token?: string } = { url: "" };
  let nextUpdateId = 1;
  let nextMessageId = 1;
  let waiter: (() => void) | undefined;

  const chatOf = (chatId: unknown): Json => chats.get(String(chatId)) ?? { id: Number(chatId), type: "private", first_name: "User" };
  const message = (chatId: unknown, extra: Json): Json => ({
    message_id: nextMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: chatOf(chatId),
    from: botInfo,
    ...extra,
  });
  const needChat = (body: Json): Reply | undefined =>
    body.chat_id === undefined || body.chat_id === "" ? fail(400, "Bad Request: chat not found") : undefined;

  const handlers: Record<string, (body: Json, res: ServerResponse) => Reply | undefined> = {
    getMe: () => ok(botUser),
    getUpdates: (body, res) => {
      if (webhook.url) {
        return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      }
      const offset = Number(body.offset ?? 0);
      const limit = Math.min(Math.max(Number(body.limit ?? 100), 1), 100);
      // Offset confirms every update before it: drop those for good.
      while (offset > 0 && updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
      if (updates.length > 0) return ok(updates.slice(0, limit));
      const waitMs = Math.min(Number(body.timeout ?? 0) * 1000, pollCapMs);
      if (waitMs <= 0) return ok([]);
      waiter?.(); // a newer poll supersedes an older one; the older gets []
      let timer: NodeJS.Timeout | undefined = undefined;
      const answer = () => {
        clearTimeout(timer);
        if (waiter === answer) waiter = undefined;
        send(res, ok(updates.slice(0, limit)));
      };
      timer = setTimeout(answer, waitMs);
      waiter = answer;
      res.on("close", () => {
        clearTimeout(timer);
        if (waiter === answer) waiter = undefined;
      });
      return undefined;
    },
    sendMessage: (body) => {
      const bad = needChat(body);
      if (bad) return bad;
      const text = typeof body.text === "string" ? body.text : "";
      if (text.trim() === "") return fail(400, "Bad Request: message text is empty");
      if (text.length > 4096) return fail(400, "Bad Request: message is too long");
      const msg = message(body.chat_id, { text, ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}) });
      sent.push({ ...body, message_id: msg.message_id as number });
      return ok(msg);
    },
    sendDocument: (body) => {
      const bad = needChat(body);
      if (bad) return bad;
      const doc = body.document;
      if (!doc) return fail(400, "Bad Request: there is no document in the request");
      const file_name = isFile(doc) ? doc.filename : String(doc);
      if (typeof body.caption === "string" && body.caption.length > 1024) {
        return fail(400, "Bad Request: message caption is too long");
      }
      return ok(message(body.chat_id, { document: { file_id: `doc${nextMessageId}`, file_unique_id: `u${nextMessageId}`, file_name } }));
    },
    sendChatAction: (body) => needChat(body) ?? ok(true),
    answerCallbackQuery: (body) =>
      typeof body.callback_query_id === "string" ? ok(true) : fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid"),
    editMessageReplyMarkup: (body) => {
      if (body.inline_message_id) return ok(true);
      const bad = needChat(body);
      if (bad) return bad;
      return ok({ ...message(body.chat_id, {}), message_id: body.message_id, ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}) });
    },
    setMyCommands: (body) => {
      const list = body.commands;
      if (!Array.isArray(list) || list.length > 100) return fail(400, "Bad Request: commands must be an array of at most 100 items");
      for (const c of list as Array<Json>) {
        if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) return fail(400, "Bad Request: BOT_COMMAND_INVALID");
        if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
          return fail(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      commands = (list as Array<{ command: string; description: string }>).map((c) => ({ command: c.command, description: c.description }));
      return ok(true);
    },
    setWebhook: (body) => {
      const url = typeof body.url === "string" ? body.url : "";
      if (url === "") {
        webhook = { url: "" };
        return ok(true);
      }
      if (!url.startsWith("https://") && !(options.allowHttpWebhook && url.startsWith("http://"))) {
        return fail(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
      }
      const secret = body.secret_token;
      if (secret !== undefined && (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
        return fail(400, "Bad Request: secret token contains unallowed characters");
      }
      webhook = { url, ...(typeof secret === "string" ? { secret_token: secret } : {}) };
      return ok(true);
    },
    deleteWebhook: (body) => {
      webhook = { url: "" };
      if (body.drop_pending_updates === true) updates.length = 0;
      return ok(true);
    },
    getWebhookInfo: () => ok({ url: webhook.url, has_custom_certificate: false, pending_update_count: updates.length }),
  };

  const server = createServer(async (req, res) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec((req.url ?? "").split("?")[0] ?? "");
    if (!match) return send(res, fail(404, "Not Found"));
    const [, token, method = ""] = match;
    if (token !== options.token) return send(res, fail(401, "Unauthorized"));
    let body: Json;
    try {
      body = await readBody(req);
    } catch {
      return send(res, fail(400, "Bad Request: can't parse request body"));
    }
    calls.push({ method, body });
    if (hanging.has(method)) return; // never answered
    const injected = failures.get(method)?.shift();
    if (injected) return send(res, injected);
    const handler = handlers[method];
    if (!handler) return send(res, ok(true));
    const reply = handler(body, res);
    if (reply) send(res, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  let nextIncoming = 1;
  const user = (id: number, firstName?: string, username?: string) => ({
    id,
    is_bot: false,
    first_name: firstName ?? `User ${id}`,
    ...(username ? { username } : {}),
  });
  const chat = (chatId: number, type: ChatType, init: { firstName?: string; chatTitle?: string }): Json => {
    const c: Json = type === "private" ? { id: chatId, type, first_name: init.firstName ?? "User" } : { id: chatId, type, title: init.chatTitle ?? "Nhóm thử" };
    chats.set(String(chatId), c);
    return c;
  };

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    botInfo,
    calls,
    sent,
    get commands() {
      return commands;
    },
    get webhookInfo() {
      return { ...webhook };
    },
    pushUpdate(update) {
      const queued = { ...update, update_id: typeof update.update_id === "number" ? update.update_id : nextUpdateId++ };
      nextUpdateId = Math.max(nextUpdateId, queued.update_id + 1);
      updates.push(queued);
      waiter?.();
      return queued;
    },
    makeTextUpdate(init) {
      const type = init.chatType ?? (init.chatId > 0 ? "private" : "group");
      return {
        message: {
          message_id: init.messageId ?? 100_000 + nextIncoming++,
          date: init.date ?? Math.floor(Date.now() / 1000),
          chat: chat(init.chatId, type, init),
          from: user(init.userId, init.firstName, init.username),
          text: init.text,
          ...entities(init.text),
          ...(init.replyToMessageId !== undefined
            ? { reply_to_message: { message_id: init.replyToMessageId, date: Math.floor(Date.now() / 1000), chat: chatOf(init.chatId), from: botInfo, text: "…" } }
            : {}),
        },
      };
    },
    makeCallbackUpdate(init) {
      const type = init.chatType ?? (init.chatId > 0 ? "private" : "group");
      const from = user(init.userId, init.firstName);
      return {
        callback_query: {
          id: `cb${nextIncoming++}`,
          from,
          chat_instance: `ci${init.chatId}`,
          data: init.data,
          message: {
            message_id: init.messageId ?? 1,
            date: Math.floor(Date.now() / 1000),
            chat: chat(init.chatId, type, init),
            from: botInfo,
            text: "…",
          },
        },
      };
    },
    failNext(method, code, description, retryAfter) {
      const list = failures.get(method) ?? [];
      list.push(fail(code, description, retryAfter));
      failures.set(method, list);
    },
    hang(method) {
      hanging.add(method);
    },
    get pending() {
      return updates.length;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** bot_command and mention entities, as Telegram adds them (offsets in UTF-16 units). */
function entities(text: string): { entities?: Json[] } {
  const list: Json[] = [];
  for (const m of text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?|@[A-Za-z0-9_]{5,32})/g)) {
    const token = m[2]!;
    const offset = m.index + m[1]!.length;
    list.push({ type: token.startsWith("/") ? "bot_command" : "mention", offset, length: token.length });
  }
  return list.length > 0 ? { entities: list } : {};
}

function isFile(value: unknown): value is UploadedFile {
  return typeof value === "object" && value !== null && Buffer.isBuffer((value as UploadedFile).content);
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers["content-type"] ?? "";
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (type.startsWith("multipart/form-data") && boundary) return parseMultipart(raw, boundary[1] ?? boundary[2] ?? "");
  if (type.startsWith("application/x-www-form-urlencoded")) {
    return Object.fromEntries([...new URLSearchParams(raw.toString("utf8"))].map(([k, v]) => [k, maybeJson(v)]));
  }
  if (raw.length === 0) return {};
  const value: unknown = JSON.parse(raw.toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("body is not an object");
  return value as Json;
}

/** A minimal multipart/form-data parser: fields, plus files resolved through attach://<id>. */
function parseMultipart(raw: Buffer, boundary: string): Json {
  const fields: Json = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === "--") break;
    const next = raw.indexOf(delimiter, partStart);
    if (next < 0) break;
    const part = raw.subarray(partStart + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
      if (name !== undefined && filename) {
        files.set(name, { filename: (filename[1] ?? filename[2] ?? "").trim(), size: content.length, content: Buffer.from(content) });
      } else if (name !== undefined) {
        fields[name] = maybeJson(content.toString("utf8"));
      }
    }
    start = next;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string" && value.startsWith("attach://")) {
      const file = files.get(value.slice("attach://".length));
      if (file) fields[key] = file;
    }
  }
  // Files posted directly under the field name (not through attach://).
  for (const [name, file] of files) if (!(name in fields) && !/^[a-z0-9]{16}$/.test(name)) fields[name] = file;
  return fields;
}

function maybeJson(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
