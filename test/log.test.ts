// Rule protected: no bot token or secret ever reaches a log line.
import { describe, expect, it } from "vitest";
import { createLogger, redact } from "../src/log.js";

describe("logger", () => {
  it("redacts Telegram-style tokens, tokens in API URLs and registered secrets", () => {
    const lines: string[] = [];
    const log = createLogger({ format: "json", write: (l) => lines.push(l), secrets: ["my-webhook-secret-1"] });
    log.error("call failed", {
      url: "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
      err: new Error("token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw refused"),
      header: "my-webhook-secret-1",
    });
    const line = lines[0]!;
    expect(line).not.toContain("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
    expect(line).not.toContain("my-webhook-secret-1");
    expect(line).toContain("/bot[redacted]/sendMessage");
    expect(JSON.parse(line).msg).toBe("call failed");
  });

  it("redacts a Zalo token in any URL path", () => {
    expect(redact("POST http://127.0.0.1:9/bot7788:zalo-secret-xyz/getUpdates")).toBe("POST http://127.0.0.1:9/bot[redacted]/getUpdates");
  });

  it("drops lines under the configured level", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "warn", write: (l) => lines.push(l) });
    log.info("hidden");
    log.warn("shown", { updateId: "42" });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("WARN  shown updateId=42")).toBe(true);
  });

  it("adds a child's fields to every line", () => {
    const lines: string[] = [];
    createLogger({ format: "json", write: (l) => lines.push(l) }).child({ channel: "zalo" }).info("x");
    expect(JSON.parse(lines[0]!).channel).toBe("zalo");
  });
});
