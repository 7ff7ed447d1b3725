// A terminal chat with the same dialogue core (`npm run chat`): each line is a
// private-chat turn, stored in the inbox like a platform's update before it is
// answered; replies print below it, choices as numbered lines. Message ids are
// unique across runs, so a restarted chat is never taken for a repeat of the last.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { DialogueCore, OutMessage, Outbox, Turn } from "../core/types.js";
import { silentLogger, type Logger } from "../log.js";
import { choicesAsLines, createChannelRuntime, errorText, type Inbox, type Platform } from "./runtime.js";

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
  /** Where lines wait until answered (the store's inbox); in memory when absent. */
  inbox?: Inbox;
  log?: Logger;
}

/** A line as the inbox keeps it. */
interface ConsoleLine {
  id: string;
  text: string;
  date: string;
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
  // Unique across runs: the time this chat opened, a random part, then the line's number.
  const run = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  let n = 0;
  let closing = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  const platform: Platform = {
    channel: "console",
    textLimit: Number.MAX_SAFE_INTEGER,
    async sendMessage(_chatId, m) {
      write(renderForConsole([m]));
    },
    classify: (err) => ({ status: "failed", error: errorText(err) }),
    identify: (u) => {
      const line = u as Partial<ConsoleLine> | null;
      return typeof line?.id === "string" ? { chatId: CONSOLE_CHAT_ID, messageId: line.id } : { skip: "not a console line" };
    },
    toTurn: (u) => {
      const line = u as ConsoleLine;
      const turn: Turn = {
        channel: "console",
        chatId: CONSOLE_CHAT_ID,
        chatType: "private",
        userId: opts.userId ?? "console-user",
        userName: opts.userName ?? "",
        text: line.text,
        messageId: line.id,
        date: new Date(line.date),
      };
      return { turn };
    },
  };
  const runtime = createChannelRuntime({ dialogue: opts.dialogue, platform, log: opts.log ?? silentLogger(), inbox: opts.inbox, concurrency: 1 });

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

  // Listen before anything is awaited: lines piped in are buffered, not missed.
  const lines = rl[Symbol.asyncIterator]();
  void (async () => {
    // A line typed before a crash is answered first.
    runtime.start();
    await runtime.idle();
    rl.prompt();
    for await (const line of { [Symbol.asyncIterator]: () => lines }) {
      if (EXIT_WORDS.has(line.trim().toLowerCase())) {
        close();
        break;
      }
      runtime.accept([{ id: `${run}-${++n}`, text: line, date: new Date().toISOString() } satisfies ConsoleLine]);
      await runtime.idle();
      if (!closing) rl.prompt();
    }
    // Lines piped in are all answered before the chat ends.
    await runtime.idle();
    await runtime.stop();
    write(CONSOLE_TEXTS.bye);
    resolveClosed();
  })();

  return {
    closed,
    close,
    textLimit: Number.MAX_SAFE_INTEGER,
    async send(chatId, messages) {
      if (closing) return { status: "failed", error: "the console chat is closed" };
      return runtime.send(chatId, messages);
    },
  };
}
