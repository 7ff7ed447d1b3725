// Rule protected here: a notice for another chat goes out through that chat's
// channel; a channel that is not running, or a send that fails, is logged and
// the other notices still go out.
import { describe, expect, it } from "vitest";
import { createNotifier } from "../../src/core/notify.js";
import type { Delivery, OutMessage, Outbox } from "../../src/core/types.js";
import { silentLogger } from "../../src/log.js";

class RecordingOutbox implements Outbox {
  readonly textLimit = 4096;
  sent: Array<{ chatId: string; messages: OutMessage[] }> = [];
  failFor = new Set<string>();
  async send(chatId: string, messages: OutMessage[]): Promise<Delivery> {
    if (this.failFor.has(chatId)) return { status: "failed", error: `chat ${chatId} blocked the bot` };
    this.sent.push({ chatId, messages });
    return { status: "delivered" };
  }
}

describe("createNotifier", () => {
  it("delivers each notice through its channel and carries on past failures", async () => {
    const telegram = new RecordingOutbox();
    telegram.failFor.add("13");
    const lines: string[] = [];
    const notify = createNotifier({ telegram }, silentLogger(lines));
    await notify([
      { channel: "telegram", chatId: "13", messages: [{ text: "một" }] },
      { channel: "zalo", chatId: "z1", messages: [{ text: "hai" }] },
      { channel: "telegram", chatId: "42", messages: [{ text: "ba" }] },
    ]);
    expect(telegram.sent).toEqual([{ chatId: "42", messages: [{ text: "ba" }] }]);
    expect(lines.join("\n")).toContain("notice not delivered");
    expect(lines.join("\n")).toContain("chat 13 blocked the bot");
    expect(lines.join("\n")).toContain("notice skipped: channel not running");
  });
});
