// A tiny logger: levels, JSON or plain lines, and redaction of anything that
// looks like a bot token (Telegram "123456:AA…", Zalo "<bot_id>:<secret>", or a
// token inside an API URL "/bot<TOKEN>/"). Secrets registered with addSecret()
// are replaced wherever they appear.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line. */
  child(fields: LogFields): Logger;
  /** Never print this value (a token or webhook secret), whatever the line. */
  addSecret(secret: string | undefined): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: "json" | "plain";
  /** Where lines go; defaults to stderr for warn/error and stdout otherwise. */
  write?: (line: string, level: LogLevel) => void;
  secrets?: (string | undefined)[];
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const TOKEN_PATTERNS: RegExp[] = [
  // /bot<TOKEN>/ inside an API URL, whatever the token looks like.
  /(\/bot)[^/\s"']{8,}(?=\/)/g,
  // <digits>:<secret> — Telegram and Zalo bot tokens.
  /\b\d{5,}:[A-Za-z0-9_-]{16,}\b/g,
];

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("[redacted]");
  for (const p of TOKEN_PATTERNS) out = out.replace(p, (_m, prefix?: string) => (typeof prefix === "string" && prefix.startsWith("/") ? `${prefix}[redacted]` : "[redacted]"));
  return out;
}

function errorFields(e: unknown): unknown {
  if (e instanceof Error) {
    return { name: e.name, message: e.message, stack: e.stack?.split("\n").slice(0, 6).join("\n") };
  }
  return e;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = ORDER[opts.level ?? "info"];
  const format = opts.format ?? "plain";
  const secrets = new Set<string>();
  for (const s of opts.secrets ?? []) if (s) secrets.add(s);
  const write =
    opts.write ??
    ((line: string, level: LogLevel) => {
      (level === "warn" || level === "error" ? process.stderr : process.stdout).write(line + "\n");
    });

  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (ORDER[level] < min) return;
      const all: LogFields = { ...base, ...fields };
      for (const [k, v] of Object.entries(all)) if (v instanceof Error || k === "err" || k === "error") all[k] = errorFields(v);
      let line: string;
      if (format === "json") {
        line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...all });
      } else {
        const extra = Object.entries(all)
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join(" ");
        line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? " " + extra : ""}`;
      }
      write(redact(line, secrets), level);
    };
    return {
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
      child: (fields) => make({ ...base, ...fields }),
      addSecret: (s) => {
        if (s) secrets.add(s);
      },
    };
  };
  return make({});
}

/** A logger that prints nothing (tests, benchmarks); it can still collect lines. */
export function silentLogger(collect?: string[]): Logger {
  return createLogger({ level: "debug", format: "json", write: (line) => collect?.push(line) });
}
