// Rule protected here: configuration is validated once; a bad value is refused
// with a sentence naming the variable, and defaults are what .env.example says.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

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

  it("a webhook needs its secret", () => {
    expect(() => loadConfig({ PUBLIC_URL: "https://bot.example.vn" })).toThrow(/WEBHOOK_SECRET is required/);
  });
});
