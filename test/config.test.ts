// Rule protected here: configuration is validated once; a bad value is refused
// with a sentence naming the variable, and defaults are what .env.example says.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkConfigPaths, ConfigError, listenHost, loadConfig, webhookSecret } from "../src/config.js";

/** The message of the ConfigError a configuration raises. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error(`accepted: ${Object.keys(env).join(", ")}`);
}

describe("loadConfig", () => {
  it("defaults: official API roots, port 8080, data/, 08:00 reminders 14/7/1 days before, no holidays", () => {
    const c = loadConfig({});
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(c.ZALO_API_ROOT).toBe("https://bot-api.zaloplatforms.com");
    expect(c.PORT).toBe(8080);
    expect(c.DATA_DIR).toBe("data");
    expect(c.REMINDER_TIME).toBe("08:00");
    expect(c.REMINDER_DAYS).toEqual([14, 7, 1]);
    expect(c.HOLIDAYS).toEqual([]);
    expect(c.ADMINS).toEqual([]);
  });

  it("reads admins and holidays written the way people write them", () => {
    const c = loadConfig({ ADMINS: "telegram:123, zalo:abc", HOLIDAYS: "02/09/2026, 2026-01-01,1/5/2026" });
    expect(c.ADMINS).toEqual([
      { channel: "telegram", userId: "123" },
      { channel: "zalo", userId: "abc" },
    ]);
    expect(c.HOLIDAYS).toEqual(["2026-01-01", "2026-05-01", "2026-09-02"]);
  });

  it.each([
    ["PORT", "tám nghìn"],
    ["PORT", "70000"],
    ["HOLIDAYS", "30/02/2026"],
    ["HOLIDAYS", "Tết"],
    ["ADMINS", "123456"],
    ["REMINDER_DAYS", "14,bảy"],
    ["QUIET_HOURS", "21h-7h"],
    ["TELEGRAM_API_ROOT", "not a url"],
  ])("refuses %s=%s with a sentence naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}`));
  });

  it("reads an empty or blank value as the default, for every variable", () => {
    const c = loadConfig({ LLM_PROVIDER: "", EMBEDDINGS_PROVIDER: " ", LOG_LEVEL: "", TIMEZONE: "", PORT: "", REMINDER_TIME: "", ADMINS: "" });
    expect(c).toMatchObject({ LLM_PROVIDER: "none", EMBEDDINGS_PROVIDER: "local", LOG_LEVEL: "info", TIMEZONE: "Asia/Ho_Chi_Minh", PORT: 8080, REMINDER_TIME: "08:00", ADMINS: [] });
  });

  it("takes ADMINS and INVITE_CODES separated by commas, semicolons or spaces", () => {
    const c = loadConfig({ ADMINS: "telegram:1;zalo:abc  console:x,\ntelegram:2", INVITE_CODES: "so-tai-chinh:TAICHINH26; so-noi-vu:NOIVU-2026 so-y-te:YTE-2026" });
    expect(c.ADMINS.map((a) => `${a.channel}:${a.userId}`)).toEqual(["telegram:1", "zalo:abc", "console:x", "telegram:2"]);
    expect([...c.INVITE_CODES]).toEqual([["TAICHINH26", "so-tai-chinh"], ["NOIVU-2026", "so-noi-vu"], ["YTE-2026", "so-y-te"]]);
  });

  it("checks TIMEZONE with Intl, naming the variable", () => {
    expect(loadConfig({ TIMEZONE: "Asia/Bangkok" }).TIMEZONE).toBe("Asia/Bangkok");
    expect(() => loadConfig({ TIMEZONE: "Hanoi" })).toThrow('Invalid configuration — TIMEZONE: "Hanoi" is not a time zone (use an IANA name such as Asia/Ho_Chi_Minh). See .env.example.');
  });

  it("refuses a token with spaces or slashes (it goes into the API's URL)", () => {
    expect(() => loadConfig({ ZALO_BOT_TOKEN: "12/34" })).toThrow(/ZALO_BOT_TOKEN: must be the token exactly as given/);
  });

  it("needs KNOWLEDGE_DIR to be a folder", () => {
    expect(() => checkConfigPaths({ KNOWLEDGE_DIR: "knowledge" })).not.toThrow();
    expect(() => checkConfigPaths({ KNOWLEDGE_DIR: "package.json" })).toThrow(/^Invalid configuration — KNOWLEDGE_DIR: "package.json" is not a folder/);
    expect(() => checkConfigPaths({ KNOWLEDGE_DIR: "no-such-dir" })).toThrow(ConfigError);
  });

  it("a webhook needs its secret", () => {
    expect(() => loadConfig({ PUBLIC_URL: "https://bot.example.vn" })).toThrow(/WEBHOOK_SECRET is required/);
  });

  it("each platform gets its own webhook secret: configured apart, or derived from WEBHOOK_SECRET", () => {
    const c = loadConfig({ PUBLIC_URL: "https://bot.example.vn", WEBHOOK_SECRET: "one_shared_secret_1" });
    const tg = webhookSecret(c, "telegram")!;
    const zalo = webhookSecret(c, "zalo")!;
    expect(tg).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(zalo).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tg).not.toBe(zalo);
    expect(tg).not.toContain("one_shared_secret_1");
    // the documented derivation: base64url(HMAC-SHA256(WEBHOOK_SECRET, "kehoach-bot/webhook/<channel>"))
    expect(tg).toBe(createHmac("sha256", "one_shared_secret_1").update("kehoach-bot/webhook/telegram").digest("base64url"));
    const apart = loadConfig({ PUBLIC_URL: "https://bot.example.vn", TELEGRAM_WEBHOOK_SECRET: "telegram_secret_1", ZALO_WEBHOOK_SECRET: "zalo_secret_0001" });
    expect([webhookSecret(apart, "telegram"), webhookSecret(apart, "zalo")]).toEqual(["telegram_secret_1", "zalo_secret_0001"]);
    // only the running channel needs one
    expect(() => loadConfig({ PUBLIC_URL: "https://x.vn", TELEGRAM_BOT_TOKEN: "1:a", TELEGRAM_WEBHOOK_SECRET: "telegram_secret_1" })).not.toThrow();
    expect(refusal({ PUBLIC_URL: "https://x.vn", ZALO_BOT_TOKEN: "1:a", TELEGRAM_WEBHOOK_SECRET: "telegram_secret_1" })).toMatch(/ZALO_WEBHOOK_SECRET/);
    expect(refusal({ TELEGRAM_WEBHOOK_SECRET: "same_secret_01", ZALO_WEBHOOK_SECRET: "same_secret_01" })).toMatch(/must differ/);
  });

  it("errors about secrets name the variable, never the value", () => {
    for (const [name, value] of [
      ["WEBHOOK_SECRET", "short"],
      ["WEBHOOK_SECRET", "has spaces in it"],
      ["TELEGRAM_WEBHOOK_SECRET", "tg$ecret!!"],
      ["ZALO_WEBHOOK_SECRET", "zl"],
    ] as const) {
      const message = refusal({ [name]: value });
      expect(message).toContain(name);
      expect(message).not.toContain(value);
    }
    const same = refusal({ TELEGRAM_WEBHOOK_SECRET: "same_secret_01", ZALO_WEBHOOK_SECRET: "same_secret_01" });
    expect(same).not.toContain("same_secret_01");
  });

  it("INVITE_CODES: a malformed entry is named by its position, its code never printed; codes need 8 characters", () => {
    const cases: [string, RegExp][] = [
      ["so-tai-chinh:GOODCODE1,SECRETNOCOLON", /INVITE_CODES: entry 2 is not agency-id:code/],
      ["so-tai-chinh:SHORT7x", /INVITE_CODES: entry 1 has a code shorter than 8 characters/],
      ["so-tai-chinh:HAS SPACE1", /INVITE_CODES: entry 1 has a space/],
      ["so-tai-chinh:SAMECODE1,so-noi-vu:samecode1", /INVITE_CODES: entry 2 repeats the code/],
    ];
    for (const [value, why] of cases) {
      const message = refusal({ INVITE_CODES: value });
      expect(message).toMatch(why);
      for (const secret of ["SECRETNOCOLON", "SHORT7x", "HAS SPACE1", "SAMECODE1", "samecode1", "GOODCODE1"]) expect(message).not.toContain(secret);
    }
    expect([...loadConfig({ INVITE_CODES: "so-tai-chinh:TAICHINH26, so-noi-vu:NOIVU-2026" }).INVITE_CODES]).toEqual([
      ["TAICHINH26", "so-tai-chinh"],
      ["NOIVU-2026", "so-noi-vu"],
    ]);
  });

  it("HOST: 127.0.0.1 unless webhooks need more, or as set", () => {
    expect(listenHost(loadConfig({}))).toBe("127.0.0.1");
    expect(listenHost(loadConfig({ PUBLIC_URL: "https://bot.example.vn", WEBHOOK_SECRET: "one_shared_secret_1" }))).toBe("0.0.0.0");
    expect(listenHost(loadConfig({ HOST: "10.0.0.5" }))).toBe("10.0.0.5");
    expect(refusal({ HOST: "not a host!" })).toMatch(/HOST: must be an IP address or a host name/);
  });
});
