// A terminal chat with the same dialogue core (`npm run chat`): each line is a
// private-chat turn; replies print below it, choices as numbered lines.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { DialogueCore, OutMessage, Outbox } from "../core/types.js";
import { choicesAsLines } from "./runtime.js";

export const CONSOLE_CHAT_ID = "console";

export const CONSOLE_TEXTS = {
  welcome: "Trợ lý Kế hoạch — trò chuyện trên máy. Gõ câu hỏi rồi Enter; /huongdan để xem các lệnh; /thoat để thoát.",
  prompt: "Bạn: ",
  bot: "Trợ lý: ",
  choose: "Gõ số để chọn.",
  file: (name: string, bytes: number) => `[Tệp ${name}, ${bytes.toLocaleString("vi-VN")} byte — chỉ gửi được qua Telegram]`,
  bye: "Tạm biệt!",
} as const;

const EXIT_WORDS = new Set(["/thoat", "/thoát", "/exit", "/quit"]);

export interface ConsoleChatOptions {
  dialogue: DialogueCore;
  input?: Readable;
  output?: Writable;
  userId?: string;
  userName?: string;
  /** Print the welcome line (default true). */
  welcome?: boolean;
}

export interface ConsoleChat extends Outbox {
  /** Resolves when the user leaves (/thoat, Ctrl-D, Ctrl-C) or close() is called. */
  readonly closed: Promise<void>;
  close(): void;
}

/** The messages as the terminal shows them. */
export function renderForConsole(messages: OutMessage[]): string {
  const blocks = messages.map((m) => {
    const lines = [m.text.trim()];
    if (m.document) lines.push(CONSOLE_TEXTS.file(m.document.filename, m.document.content.length));
    return choicesAsLines(lines.join("\n"), m.choices, () => CONSOLE_TEXTS.choose);
  });
  const indent = (b: string) => b.split("\n").map((l, i) => (i === 0 || l === "" ? l : `  ${l}`)).join("\n");
  return blocks.map((b) => CONSOLE_TEXTS.bot + indent(b)).join("\n");
}

export function startConsoleChat(opts: ConsoleChatOptions): ConsoleChat {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const rl = createInterface({ input, output, terminal: (output as { isTTY?: boolean }).isTTY === true });
  const write = (text: string) => output.write(text + "\n");
  let n = 0;
  let closing = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  if (opts.welcome !== false) write(CONSOLE_TEXTS.welcome);
  rl.setPrompt(CONSOLE_TEXTS.prompt);

  const close = () => {
    if (closing) return;
    closing = true;
    rl.close();
  };
  rl.on("SIGINT", close);
  rl.on("close", () => {
    closing = true;
  });

  void (async () => {
    rl.prompt();
    for await (const line of rl) {
      if (EXIT_WORDS.has(line.trim().toLowerCase())) {
        close();
        break;
      }
      const out = await opts.dialogue.handle({
        channel: "console",
        chatId: CONSOLE_CHAT_ID,
        chatType: "private",
        userId: opts.userId ?? "console-user",
        userName: opts.userName ?? "",
        text: line,
        messageId: String(++n),
        date: new Date(),
      });
      if (out.length > 0) write(renderForConsole(out));
      if (!closing) rl.prompt();
    }
    // Lines piped in are all answered before the chat ends.
    write(CONSOLE_TEXTS.bye);
    resolveClosed();
  })();

  return {
    closed,
    close,
    textLimit: Number.MAX_SAFE_INTEGER,
    async send(_chatId, messages) {
      if (closing) return { status: "failed", error: "the console chat is closed" };
      if (messages.length > 0) write(renderForConsole(messages));
      return { status: "delivered" };
    },
  };
}
