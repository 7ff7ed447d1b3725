// A small typed client for the Zalo Bot Platform API (POST JSON to
// `${apiRoot}/bot${token}/${method}`), see /work/shared/zalo-bot-api.md.
// Every response is checked with zod; errors are named after who failed and
// never carry the token.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const ZALO_DEFAULT_API_ROOT = "https://bot-api.zaloplatforms.com";
/** Longest text `sendMessage` accepts, in UTF-16 code units (see split-text.ts). */
export const ZALO_TEXT_LIMIT = 2000;
export const ZALO_EVENTS = {
  text: "message.text.received",
  image: "message.image.received",
  sticker: "message.sticker.received",
  voice: "message.voice.received",
  unsupported: "message.unsupported.received",
} as const;

// ---------------------------------------------------------------- schemas

/** Ids are strings on the wire; accept numbers too and normalise to strings. */
const id = z.union([z.string().min(1), z.number()]).transform(String);
/** An optional field we do not depend on: a wrong shape becomes undefined instead of failing. */
const lenientString = z.string().optional().catch(undefined);

export const ZaloUserSchema = z.object({
  id,
  display_name: z.string().catch(""),
  /** Some payloads name the sender here instead of display_name. */
  name: lenientString,
  is_bot: z.boolean().optional().catch(undefined),
});

export const ZaloChatSchema = z.object({
  id,
  chat_type: z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(["PRIVATE", "GROUP"])),
});

export const ZaloMessageSchema = z.object({
  message_id: id,
  /** Milliseconds since the epoch. */
  date: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number),
  text: lenientString,
  /** Real image events carry photo_url (and message_type "CHAT_PHOTO"); older ones photo. */
  photo: lenientString,
  photo_url: lenientString,
  voice_url: lenientString,
  message_type: lenientString,
  caption: lenientString,
  sticker: lenientString,
  from: ZaloUserSchema,
  chat: ZaloChatSchema,
});

/**
 * An update as Zalo sends it. Lenient on purpose: new event names appear and `message` may be
 * missing or shaped unlike the documentation; such an update parses (message undefined) so the
 * adapter can log and skip it instead of failing the poll.
 */
export const ZaloUpdateSchema = z.object({
  event_name: z.string().catch(""),
  message: ZaloMessageSchema.optional().catch(undefined),
});

/** A webhook body: the update itself, or the update wrapped as `{ ok: true, result }`. */
export const ZaloWebhookBodySchema = z.union([
  z.object({ ok: z.literal(true), result: ZaloUpdateSchema }).transform((w) => w.result),
  ZaloUpdateSchema,
]);

export const ZaloBotInfoSchema = z.object({
  id,
  account_name: z.string().catch(""),
  /** The name members see and pick from the @ list; not documented, used when given. */
  display_name: lenientString,
  name: lenientString,
  account_type: lenientString,
  can_join_groups: z.boolean().optional().catch(undefined),
});

export const ZaloWebhookInfoSchema = z.object({
  url: z.string().catch(""),
  updated_at: z.number().optional().catch(undefined),
});

export const ZaloSentMessageSchema = z.object({
  message_id: id,
  date: z.number().optional().catch(undefined),
});

export type ZaloUser = z.infer<typeof ZaloUserSchema>;
export type ZaloChat = z.infer<typeof ZaloChatSchema>;
export type ZaloMessage = z.infer<typeof ZaloMessageSchema>;
export type ZaloUpdate = z.infer<typeof ZaloUpdateSchema>;
export type ZaloBotInfo = z.infer<typeof ZaloBotInfoSchema>;
export type ZaloWebhookInfo = z.infer<typeof ZaloWebhookInfoSchema>;
export type ZaloSentMessage = z.infer<typeof ZaloSentMessageSchema>;

const envelope = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

// ---------------------------------------------------------------- errors

/** Replace `bot<token>` in URLs, and the token itself anywhere, with a placeholder. */
export function redactToken(text: string, token?: string): string {
  let out = text.replace(/\/bot[^/\s?#]+/g, "/bot<redacted>");
  if (token) out = out.split(token).join("<redacted>");
  return out;
}

export abstract class ZaloError extends Error {
  /** Whether the same call may succeed if repeated later. */
  abstract readonly retryable: boolean;
  /** Seconds to wait before retrying, when known. */
  readonly retryAfter: number | undefined = undefined;
  constructor(
    message: string,
    readonly method: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The Zalo API answered, and refused the call (`ok: false`, or a non-JSON error page). */
export class ZaloApiError extends ZaloError {
  override readonly retryAfter: number | undefined;
  constructor(
    method: string,
    readonly error_code: number,
    readonly description: string,
    retryAfter?: number,
  ) {
    super(`The Zalo Bot API refused ${method} with error ${error_code}: ${description}.`, method);
    // No documented retry hint: back off for a conservative 5 s on "quota exceeded".
    this.retryAfter = retryAfter ?? (error_code === 429 ? 5 : undefined);
  }
  get retryable(): boolean {
    return this.error_code === 429 || this.error_code >= 500;
  }
}

/** The request never got an answer: connection refused, reset, timed out or aborted. */
export class ZaloNetworkError extends ZaloError {
  constructor(
    method: string,
    reason: string,
    /** True when the caller's own AbortSignal stopped the call: not an error to retry. */
    readonly aborted = false,
  ) {
    super(`Could not reach the Zalo Bot API for ${method}: ${reason}.`, method);
  }
  get retryable(): boolean {
    return !this.aborted;
  }
}

/** The API said ok, but the result does not have the documented shape. */
export class ZaloResponseError extends ZaloError {
  readonly retryable = false;
  constructor(method: string, issues: string) {
    super(`The Zalo Bot API answered ${method} with an unexpected result (${issues}); the client may need updating.`, method);
  }
}

// ---------------------------------------------------------------- client

export interface ZaloClientOptions {
  token: string;
  /** Default: the official host. No trailing slash needed. */
  apiRoot?: string;
  fetch?: typeof globalThis.fetch;
  /** Time limit for each call except getUpdates (which waits its poll timeout plus 10 s). Default 30 s. */
  requestTimeoutMs?: number;
}

export interface CallOptions {
  /** Abort the call (e.g. stop a long poll at shutdown). */
  signal?: AbortSignal;
}

export class ZaloClient {
  readonly #token: string;
  readonly #apiRoot: string;
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;

  constructor(options: ZaloClientOptions) {
    if (!options.token || /[\s/]/.test(options.token)) {
      throw new TypeError("ZaloClient needs a bot token without spaces or slashes (ZALO_BOT_TOKEN).");
    }
    this.#token = options.token;
    this.#apiRoot = (options.apiRoot ?? ZALO_DEFAULT_API_ROOT).replace(/\/+$/, "");
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** The bot's own account. */
  getMe(options?: CallOptions): Promise<ZaloBotInfo> {
    return this.#call("getMe", {}, ZaloBotInfoSchema, options);
  }

  /** Long-poll for ONE update; resolves null when none arrived within `timeout` seconds (Zalo's 408). */
  async getUpdates(params: { timeout?: number } = {}, options?: CallOptions): Promise<ZaloUpdate | null> {
    const seconds = Math.max(0, Math.floor(params.timeout ?? 30));
    try {
      // Whatever the result holds, polling goes on: a shape we cannot read becomes an update without message (skipped and logged).
      const schema = ZaloUpdateSchema.nullable().catch({ event_name: "", message: undefined });
      return await this.#call("getUpdates", { timeout: String(seconds) }, schema, {
        ...options,
        timeoutMs: seconds * 1000 + 10_000,
      });
    } catch (err) {
      if (err instanceof ZaloApiError && err.error_code === 408) return null;
      throw err;
    }
  }

  setWebhook(params: { url: string; secret_token: string }, options?: CallOptions): Promise<unknown> {
    const n = params.secret_token.length;
    if (n < 8 || n > 256) {
      throw new RangeError(`Zalo setWebhook needs a secret_token of 8–256 characters; this one has ${n}.`);
    }
    return this.#call("setWebhook", params, z.unknown(), options);
  }

  deleteWebhook(options?: CallOptions): Promise<unknown> {
    return this.#call("deleteWebhook", {}, z.unknown(), options);
  }

  getWebhookInfo(options?: CallOptions): Promise<ZaloWebhookInfo> {
    return this.#call("getWebhookInfo", {}, ZaloWebhookInfoSchema, options);
  }

  /** Send plain text of 1–2,000 characters; split longer text with splitText(text, ZALO_TEXT_LIMIT). */
  sendMessage(params: { chat_id: string; text: string }, options?: CallOptions): Promise<ZaloSentMessage> {
    const n = params.text.length;
    if (params.text.trim() === "" || n > ZALO_TEXT_LIMIT) {
      return Promise.reject(
        new RangeError(
          `Zalo sendMessage takes 1–${ZALO_TEXT_LIMIT} characters of non-blank text; this one has ${n}. ` +
            "Split longer answers with splitText().",
        ),
      );
    }
    return this.#call("sendMessage", params, ZaloSentMessageSchema, options);
  }

  /** Send a photo by URL, with an optional caption. */
  sendPhoto(params: { chat_id: string; photo: string; caption?: string }, options?: CallOptions): Promise<ZaloSentMessage> {
    return this.#call("sendPhoto", params, ZaloSentMessageSchema, options);
  }

  sendChatAction(params: { chat_id: string; action: "typing" }, options?: CallOptions): Promise<unknown> {
    return this.#call("sendChatAction", params, z.unknown(), options);
  }

  async #call<T>(
    method: string,
    body: object,
    schema: z.ZodType<T>,
    options: CallOptions & { timeoutMs?: number } = {},
  ): Promise<T> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(`${this.#apiRoot}/bot${this.#token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (err) {
      if (options.signal?.aborted) throw new ZaloNetworkError(method, "the call was aborted", true);
      if (timeout.aborted) throw new ZaloNetworkError(method, "the request timed out");
      throw new ZaloNetworkError(method, this.#describe(err));
    }

    const parsed = envelope.safeParse(safeJson(text));
    if (!parsed.success) {
      // An error page from a proxy, or garbage: the HTTP status is all we have.
      if (!response.ok) throw new ZaloApiError(method, response.status, `HTTP ${response.status} with a non-JSON body`);
      throw new ZaloResponseError(method, "the body is not a Bot API JSON envelope");
    }
    const data = parsed.data;
    if (!data.ok) {
      const retryHeader = Number(response.headers.get("retry-after"));
      throw new ZaloApiError(
        method,
        data.error_code ?? response.status,
        this.#redact(data.description ?? "no description"),
        data.parameters?.retry_after ?? (retryHeader > 0 ? retryHeader : undefined),
      );
    }
    const result = schema.safeParse(data.result ?? null);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join(".") || "result"}: ${i.message}`).join("; ");
      throw new ZaloResponseError(method, this.#redact(issues));
    }
    return result.data;
  }

  #describe(err: unknown): string {
    if (!(err instanceof Error)) return this.#redact(String(err));
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return this.#redact(`${err.message}${cause}`);
  }

  #redact(text: string): string {
    return redactToken(text, this.#token);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- webhook helpers

/** Parse a webhook body (object, JSON string or Buffer); null when it is not a Zalo update carrying a message. */
export function parseWebhookUpdate(body: unknown): ZaloUpdate | null {
  let value = body;
  if (Buffer.isBuffer(value)) value = value.toString("utf8");
  if (typeof value === "string") value = safeJson(value);
  const parsed = ZaloWebhookBodySchema.safeParse(value);
  return parsed.success && parsed.data.message ? parsed.data : null;
}

/**
 * Constant-time check of the `X-Bot-Api-Secret-Token` header. Both sides are hashed
 * first, so neither the comparison time nor a length mismatch reveals the secret.
 * An empty secret never matches.
 */
export function verifySecret(headerValue: string | string[] | undefined | null, secret: string): boolean {
  if (typeof headerValue !== "string" || secret === "") return false;
  const a = createHash("sha256").update(headerValue, "utf8").digest();
  const b = createHash("sha256").update(secret, "utf8").digest();
  return timingSafeEqual(a, b) && headerValue.length === secret.length;
}
