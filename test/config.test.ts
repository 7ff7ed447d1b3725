// Rule protected here: configuration is validated once; a bad value is refused
// with a sentence naming the variable, and defaults are what .env.example says.
import { describe, expect, it } from "vitest";
import { checkConfigPaths, ConfigError, loadConfig } from "../src/config.js";

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
    const c = loadConfig({ ADMINS: "telegram:1;zalo:abc  console:x,\ntelegram:2", INVITE_CODES: "so-tai-chinh:TC26; so-noi-vu:NV26 so-y-te:YT26" });
    expect(c.ADMINS.map((a) => `${a.channel}:${a.userId}`)).toEqual(["telegram:1", "zalo:abc", "console:x", "telegram:2"]);
    expect([...c.INVITE_CODES]).toEqual([["TC26", "so-tai-chinh"], ["NV26", "so-noi-vu"], ["YT26", "so-y-te"]]);
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
});
