// Configuration enters here, once, validated with zod. Nothing else reads process.env.
// An empty value means the default, for every variable.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

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

const inviteCodes = optionalString.transform((v, ctx) => {
  const out = new Map<string, string>();
  if (!v) return out;
  for (const part of listItems(v)) {
    const i = part.lastIndexOf(":");
    if (i <= 0 || i === part.length - 1) {
      ctx.addIssue({ code: "custom", message: `"${part}" is not agency-id:code (separate several with commas, semicolons or spaces)` });
      return z.NEVER;
    }
    out.set(part.slice(i + 1), part.slice(0, i));
  }
  return out;
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
  WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{8,256}$/.test(v), {
    message: "must be 8–256 characters of A–Z, a–z, 0–9, _ or -",
  }),
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
  if (c.PUBLIC_URL && !c.WEBHOOK_SECRET) {
    throw new ConfigError("Invalid configuration — WEBHOOK_SECRET is required when PUBLIC_URL is set (webhooks must be verified). See .env.example.");
  }
  if (c.LLM_PROVIDER !== "none" && !c.LLM_MODEL) {
    throw new ConfigError(`Invalid configuration — LLM_MODEL is required when LLM_PROVIDER=${c.LLM_PROVIDER}. See .env.example.`);
  }
  return c;
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
