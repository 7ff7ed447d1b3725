// Configuration enters here, once, validated with zod. Nothing else reads process.env.
// An error names the variable, never a secret's value (tokens, webhook secrets, invite codes).
// An empty value means the default, for every variable.
import { createHmac } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/** Shortest invite code accepted (INVITE_CODES and /maomoi alike). */
export const INVITE_CODE_MIN_LENGTH = 8;

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const url = (name: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: `${name} must be an http(s) URL`,
  });

/** A list written with commas, semicolons, spaces or line breaks between its items. */
const listItems = (v: string): string[] => v.split(/[,;\s]+/).filter(Boolean);

const adminList = optionalString.transform((v, ctx) => {
  if (!v) return [] as { channel: string; userId: string }[];
  const out: { channel: string; userId: string }[] = [];
  for (const part of listItems(v)) {
    const m = /^(telegram|zalo|console):(.+)$/.exec(part);
    if (!m) {
      ctx.addIssue({ code: "custom", message: `"${part}" is not channel:id (e.g. telegram:12345; separate several with commas, semicolons or spaces)` });
      return z.NEVER;
    }
    out.push({ channel: m[1]!, userId: m[2]! });
  }
  return out;
});

/**
 * INVITE_CODES' entries, separated like ADMINS (commas, semicolons, spaces or line breaks). Spaces
 * separate entries only when every word around them is an agency-id:code of its own; otherwise the
 * words stay one entry (a code with a space in it, refused below).
 */
function inviteEntries(v: string): string[] {
  return v
    .split(/[,;\n]+/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .flatMap((chunk) => {
      const words = chunk.split(/\s+/);
      return words.every((w) => w.includes(":")) ? words : [chunk];
    });
}

/** "agency-id:code,…" → code → agency id. An entry is named by its position: it holds a code, never printed. */
const inviteCodes = optionalString.transform((v, ctx) => {
  const out = new Map<string, string>();
  if (!v) return out;
  const seen = new Set<string>();
  for (const [n, part] of inviteEntries(v).entries()) {
    const i = part.lastIndexOf(":");
    const fail = (why: string) => {
      ctx.addIssue({ code: "custom", message: `entry ${n + 1} ${why} (the entry is not shown: it holds a code)` });
      return z.NEVER;
    };
    if (i <= 0 || i === part.length - 1) return fail("is not agency-id:code — separate several with commas, semicolons or spaces");
    const code = part.slice(i + 1).trim();
    if (/\s/.test(code)) return fail("has a space in its code");
    if ([...code].length < INVITE_CODE_MIN_LENGTH) return fail(`has a code shorter than ${INVITE_CODE_MIN_LENGTH} characters`);
    if (seen.has(code.toUpperCase())) return fail("repeats the code of an earlier entry (codes are compared without case)");
    seen.add(code.toUpperCase());
    out.set(code, part.slice(0, i).trim());
  }
  return out;
});

const webhookSecretValue = optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{8,256}$/.test(v), {
  message: "must be 8–256 characters of A–Z, a–z, 0–9, _ or -",
});

const dayList = optionalString.transform((v, ctx) => {
  if (!v) return [14, 7, 1];
  const days = v.split(",").map((s) => Number(s.trim()));
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 365)) {
    ctx.addIssue({ code: "custom", message: "must be whole numbers of days, e.g. 14,7,1" });
    return z.NEVER;
  }
  return days;
});

/** "2026-09-02,2027-02-05" or "02/09/2026, 05/02/2027" → ISO dates, sorted. */
const dateList = optionalString.transform((v, ctx) => {
  if (!v) return [] as string[];
  const out: string[] = [];
  for (const part of v.split(",").map((s) => s.trim()).filter(Boolean)) {
    const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(part); // 02/09/2026
    const iso = vn ? `${vn[3]}-${vn[2]!.padStart(2, "0")}-${vn[1]!.padStart(2, "0")}` : part;
    const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : new Date(NaN);
    // 30/02/2026 rolls over to March in Date: a real day reads back the same
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
      ctx.addIssue({ code: "custom", message: `"${part}" is not a date (use 2026-09-02 or 02/09/2026)` });
      return z.NEVER;
    }
    out.push(iso);
  }
  return [...new Set(out)].sort();
});

const hhmm = (fallback: string) =>
  optionalString
    .transform((v) => v ?? fallback)
    .refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: "must be HH:MM (24h)" });

/** A bot token goes into the API's URL path: no spaces, no slashes. */
const token = optionalString.refine((v) => v === undefined || !/[\s/]/.test(v), { message: "must be the token exactly as given, without spaces or slashes" });

/** A time zone Intl knows (the dates of answers and reminders are computed with it). */
const timeZone = optionalString
  .transform((v) => v ?? "Asia/Ho_Chi_Minh")
  .superRefine((v, ctx) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: v });
    } catch {
      ctx.addIssue({ code: "custom", message: `"${v}" is not a time zone (use an IANA name such as Asia/Ho_Chi_Minh)` });
    }
  });

const schema = z.object({
  TELEGRAM_BOT_TOKEN: token,
  TELEGRAM_API_ROOT: url("TELEGRAM_API_ROOT").transform((v) => v ?? "https://api.telegram.org"),
  ZALO_BOT_TOKEN: token,
  ZALO_API_ROOT: url("ZALO_API_ROOT").transform((v) => v ?? "https://bot-api.zaloplatforms.com"),
  /** The bot's display name in Zalo's @ list, when getMe does not give it (to remove a group mention). */
  ZALO_BOT_NAME: optionalString,
  PUBLIC_URL: url("PUBLIC_URL"),
  WEBHOOK_SECRET: webhookSecretValue,
  TELEGRAM_WEBHOOK_SECRET: webhookSecretValue,
  ZALO_WEBHOOK_SECRET: webhookSecretValue,
  HOST: optionalString.refine((v) => v === undefined || /^(?:[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45})$/.test(v), {
    message: "must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0",
  }),
  /** Where dashboard links point (the origin that reaches this server); PUBLIC_URL, then 127.0.0.1:PORT when empty. */
  DASHBOARD_URL: url("DASHBOARD_URL"),
  PORT: optionalString.transform((v) => (v === undefined ? 8080 : Number(v))).refine((n) => Number.isInteger(n) && n >= 0 && n < 65536, {
    message: "must be a port number",
  }),
  DATA_DIR: optionalString.transform((v) => v ?? "data"),
  KNOWLEDGE_DIR: optionalString.transform((v) => v ?? "knowledge"),
  ADMINS: adminList,
  INVITE_CODES: inviteCodes,
  LLM_PROVIDER: z.enum(["none", "openai", "ollama"]).optional().default("none"),
  LLM_BASE_URL: url("LLM_BASE_URL"),
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  EMBEDDINGS_PROVIDER: z.enum(["local", "openai", "ollama"]).optional().default("local"),
  EMBEDDINGS_BASE_URL: url("EMBEDDINGS_BASE_URL"),
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,
  REMINDER_TIME: hhmm("08:00"),
  REMINDER_DAYS: dayList,
  HOLIDAYS: dateList,
  QUIET_HOURS: optionalString
    .transform((v) => v ?? "21:00-07:00")
    .refine((v) => /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: "must be HH:MM-HH:MM" }),
  TIMEZONE: timeZone,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).optional().default("info"),
});

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {}

/** Validate the environment once; a bad value stops the program with a sentence naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty (or blank) means "not set": the default, whatever the variable.
  const given = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === undefined || v.trim() === "" ? undefined : v]));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".") || "configuration"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration — ${lines.join("; ")}. See .env.example.`);
  }
  const c = parsed.data;
  if (c.PUBLIC_URL) {
    // Each channel that runs (every one, when no token is set yet) needs a secret: its own, or one derived from WEBHOOK_SECRET.
    const running = WEBHOOK_CHANNELS.filter((ch) => (ch === "telegram" ? c.TELEGRAM_BOT_TOKEN : c.ZALO_BOT_TOKEN) !== undefined);
    const missing = (running.length ? running : WEBHOOK_CHANNELS).filter((ch) => webhookSecret(c, ch) === undefined);
    if (missing.length) {
      const own = missing.map((ch) => `${ch.toUpperCase()}_WEBHOOK_SECRET`).join(" and ");
      throw new ConfigError(
        `Invalid configuration — WEBHOOK_SECRET is required when PUBLIC_URL is set (webhooks must be verified), or ${own}. See .env.example.`,
      );
    }
  }
  if (c.TELEGRAM_WEBHOOK_SECRET && c.TELEGRAM_WEBHOOK_SECRET === c.ZALO_WEBHOOK_SECRET) {
    throw new ConfigError("Invalid configuration — TELEGRAM_WEBHOOK_SECRET and ZALO_WEBHOOK_SECRET must differ (each platform gets its own). See .env.example.");
  }
  if (c.LLM_PROVIDER !== "none" && !c.LLM_MODEL) {
    throw new ConfigError(`Invalid configuration — LLM_MODEL is required when LLM_PROVIDER=${c.LLM_PROVIDER}. See .env.example.`);
  }
  return c;
}

export const WEBHOOK_CHANNELS = ["telegram", "zalo"] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

/**
 * The secret a channel's webhook carries: TELEGRAM_WEBHOOK_SECRET / ZALO_WEBHOOK_SECRET when set,
 * otherwise derived from WEBHOOK_SECRET so that no platform learns another's:
 *   base64url(HMAC-SHA256(key = WEBHOOK_SECRET, message = "kehoach-bot/webhook/<channel>"))
 * (43 characters of A–Z a–z 0–9 _ -). The bot gives it to the platform itself (setWebhook).
 */
export function webhookSecret(
  c: Pick<Config, "WEBHOOK_SECRET" | "TELEGRAM_WEBHOOK_SECRET" | "ZALO_WEBHOOK_SECRET">,
  channel: WebhookChannel,
): string | undefined {
  const own = channel === "telegram" ? c.TELEGRAM_WEBHOOK_SECRET : c.ZALO_WEBHOOK_SECRET;
  if (own) return own;
  if (!c.WEBHOOK_SECRET) return undefined;
  return createHmac("sha256", c.WEBHOOK_SECRET).update(`kehoach-bot/webhook/${channel}`).digest("base64url");
}

/**
 * The address the HTTP server listens on: HOST when set; otherwise every interface when webhooks
 * must be reached from outside (PUBLIC_URL), and 127.0.0.1 (this machine only) when not.
 */
export function listenHost(c: Pick<Config, "HOST" | "PUBLIC_URL">): string {
  return c.HOST ?? (c.PUBLIC_URL ? "0.0.0.0" : "127.0.0.1");
}

/** The folders the configuration names exist (KNOWLEDGE_DIR: the plans must be there to be read). */
export function checkConfigPaths(c: Pick<Config, "KNOWLEDGE_DIR">): void {
  const dir = resolve(c.KNOWLEDGE_DIR);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // missing or unreadable: said below
  }
  if (!isDir) {
    throw new ConfigError(`Invalid configuration — KNOWLEDGE_DIR: "${c.KNOWLEDGE_DIR}" is not a folder (looked for ${dir}); set it to the folder holding the plans. See .env.example.`);
  }
}

/** Load .env from the working directory if present (never committed), then validate. */
export function loadConfigFromProcess(): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const c = loadConfig(process.env);
  checkConfigPaths(c);
  return c;
}

/** For the programs' entry points: the configuration, or undefined after printing which variable is wrong. */
export function loadConfigOrExplain(): Config | undefined {
  try {
    return loadConfigFromProcess();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return undefined;
  }
}

/** Whether an npm script (`npm start`) launched this process: then npm is the parent, and its going away means stop. */
export function launchedByNpm(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.npm_lifecycle_event);
}
