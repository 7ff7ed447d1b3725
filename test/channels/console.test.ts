// Rule protected: the console chat is the same conversation as the platforms —
// each line a private turn through the same core, choices as numbered lines that
// the number answers, and every piped line answered before the chat ends.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CONSOLE_TEXTS, renderForConsole, startConsoleChat } from "../../src/channels/console.js";
import type { DialogueCore, Turn } from "../../src/core/types.js";

function run(lines: string[], dialogue: DialogueCore) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (c: Buffer) => (text += c.toString("utf8")));
  const chat = startConsoleChat({ dialogue, input, output, welcome: false });
  input.end(lines.map((l) => l + "\n").join(""));
  return chat.closed.then(() => text);
}

describe("console chat", () => {
  it("sends each line as a private turn and prints the reply", async () => {
    const turns: Turn[] = [];
    const out = await run(["xin chào", "BN-7.22"], {
      async handle(t) {
        turns.push(t);
        return [{ text: `đáp: ${t.text}` }];
      },
    });
    expect(turns.map((t) => [t.channel, t.chatType, t.text])).toEqual([
      ["console", "private", "xin chào"],
      ["console", "private", "BN-7.22"],
    ]);
    // Ids unique across runs: this run's mark, then the line's number.
    expect(turns[0]!.messageId).toMatch(/^[0-9a-z]+-1$/);
    expect(turns[1]!.messageId).toBe(turns[0]!.messageId.replace(/-1$/, "-2"));
    expect(out).toContain(`${CONSOLE_TEXTS.bot}đáp: xin chào\n`);
    expect(out).toContain(`${CONSOLE_TEXTS.bot}đáp: BN-7.22\n`);
    expect(out.trimEnd().endsWith(CONSOLE_TEXTS.bye)).toBe(true);
  });

  it("stops at /thoat without sending it to the core", async () => {
    const seen: string[] = [];
    await run(["một", "/thoat", "hai"], {
      async handle(t) {
        seen.push(t.text);
        return [];
      },
    });
    expect(seen).toEqual(["một"]);
  });

  it("renders choices as numbered lines, as on Zalo", () => {
    expect(renderForConsole([{ text: "Chọn:", choices: [{ label: "A", value: "a" }, { label: "B", value: "b" }] }])).toBe(
      `${CONSOLE_TEXTS.bot}Chọn:\n\n  1. A\n  2. B\n\n  ${CONSOLE_TEXTS.choose}`,
    );
  });
});
