// Rule protected here: whatever a user sends — empty, huge, emoji, broken
// Unicode, SQL-looking text, unknown commands, numbers — the dialogue core
// answers sensibly or stays silent as the group rules say, and never throws.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Command, FormRouter } from "../../src/core/feature.js";
import { createDialogue, MAX_TEXT_LENGTH, TEXTS } from "../../src/core/dialogue.js";
import { helpList } from "../../src/core/commands/help.js";
import { createSeenUpdates } from "../../src/core/seen-updates.js";
import { THANKS_REPLY } from "../../src/core/small-talk.js";
import type { Turn } from "../../src/core/types.js";
import { ASK_USAGE, createAskCommand } from "../../src/features/ask/command.js";
import type { AskAnswer, AskService } from "../../src/features/ask/index.js";
import { createFormEngine } from "../../src/forms/index.js";
import type { FormDef } from "../../src/forms/types.js";
import { silentLogger } from "../../src/log.js";
import { openStore } from "../../src/store/index.js";

const NOW = new Date("2026-05-04T02:00:00Z");

class FakeAsk implements AskService {
  questions: string[] = [];
  fail = false;
  choices: AskAnswer["choices"];
  answer: string | undefined;
  async ask(question: string): Promise<AskAnswer> {
    this.questions.push(question);
    if (this.fail) throw new Error("index exploded");
    return { question, intent: "test", answer: this.answer ?? `Trả lời: ${question}`, notFound: false, ids: [], choices: this.choices };
  }
}

function setup(opts: { forms?: FormRouter; extra?: Command[]; lines?: string[] } = {}) {
  const ask = new FakeAsk();
  // The core's own commands and /hoi only: features' commands have their own tests.
  const core = createDialogue({
    commands: [createAskCommand(ask), ...(opts.extra ?? [])],
    forms: opts.forms,
    seen: createSeenUpdates(100),
    clock: () => NOW,
    log: silentLogger(opts.lines),
  });
  const commands = core.commands;
  let n = 0;
  const say = (text: string, extra: Partial<Turn> = {}) =>
    core.handle({
      channel: "telegram",
      chatId: "c1",
      chatType: "private",
      userId: "u1",
      userName: "Lan",
      messageId: String(++n),
      updateId: String(1000 + n),
      botUsername: "KeHoachBot",
      text,
      ...extra,
    });
  const texts = async (text: string, extra: Partial<Turn> = {}) => (await say(text, extra)).map((m) => m.text);
  return { ask, core, commands, say, texts };
}

describe("private chat", () => {
  it("treats plain text as a question", async () => {
    const { ask, texts } = setup();
    expect(await texts("Nhiệm vụ BN-7.22 do ai chủ trì?")).toEqual(["Trả lời: Nhiệm vụ BN-7.22 do ai chủ trì?"]);
    expect(ask.questions).toEqual(["Nhiệm vụ BN-7.22 do ai chủ trì?"]);
  });

  it("greets back with the introduction and answers thanks, without searching the plans", async () => {
    const { ask, texts } = setup();
    const [intro] = await texts("/batdau");
    for (const hello of ["xin chào bot", "Chào bạn!", "hello 👋", "Xin chào ạ"]) expect(await texts(hello)).toEqual([intro]);
    for (const thanks of ["cảm ơn", "Cám ơn bot nhiều", "ok cam on nhe", "thanks!"]) expect(await texts(thanks)).toEqual([THANKS_REPLY]);
    expect(ask.questions).toEqual([]);
    // a question that starts with a greeting is still a question
    await texts("chào bạn, BN-7.22 do ai chủ trì?");
    expect(ask.questions).toEqual(["chào bạn, BN-7.22 do ai chủ trì?"]);
  });

  it("answers /hoi with its argument and shows usage without one", async () => {
    const { ask, texts } = setup();
    expect(await texts("/hoi BN-7.22")).toEqual(["Trả lời: BN-7.22"]);
    expect(await texts("/hoi")).toEqual([ASK_USAGE]);
    expect(ask.questions).toEqual(["BN-7.22"]);
  });

  it("matches command names ignoring case and diacritics, and accepts /cmd@OurBot", async () => {
    const { ask, texts } = setup();
    await texts("/Hỏi a");
    await texts("/HOI b");
    await texts("/hỏi@KeHoachBot c");
    await texts("/hoi@kehoachbot d");
    expect(ask.questions).toEqual(["a", "b", "c", "d"]);
  });

  it("matches a two-word alias such as /cập nhật", async () => {
    const capnhat: Command = {
      name: "capnhat",
      aliases: ["cập nhật"],
      summary: "Cập nhật tiến độ",
      help: "Cách dùng: /capnhat",
      run: ({ args }) => [{ text: `capnhat[${args}]` }],
    };
    const { texts } = setup({ extra: [capnhat] });
    expect(await texts("/cập nhật BN-7.22 50%")).toEqual(["capnhat[BN-7.22 50%]"]);
    expect(await texts("/capnhat")).toEqual(["capnhat[]"]);
  });

  it("lists every registered command with its summary in /huongdan", async () => {
    const { texts, commands } = setup();
    const [help] = await texts("/huongdan");
    for (const c of commands) expect(help).toContain(`/${c.name} — ${c.summary}`);
    expect(await texts("/huong_dan")).toEqual([help]);
    expect(await texts("hướng dẫn")).toEqual([help]);
    expect(await texts("Help")).toEqual([help]);
  });

  it("runs only the help and start commands from plain text, not other command names", async () => {
    const tasks: Command = { name: "nhiemvu", summary: "Nhiệm vụ", help: "/nhiemvu", run: () => [{ text: "list" }] };
    const { texts, ask } = setup({ extra: [tasks] });
    expect(await texts("nhiệm vụ")).toEqual(["Trả lời: nhiệm vụ"]);
    expect((await texts("bắt đầu"))[0]?.startsWith("Xin chào")).toBe(true);
    expect(ask.questions).toEqual(["nhiệm vụ"]);
  });

  it("shows one command's usage with /huongdan <lệnh>", async () => {
    const { texts } = setup();
    const [text] = await texts("/huongdan hỏi");
    expect(text).toContain(ASK_USAGE);
    expect(text?.startsWith("/hoi — ")).toBe(true);
  });

  it("answers an unknown command with a short message and the command list", async () => {
    const { texts, commands, ask } = setup();
    expect(await texts("/xoahet tất cả")).toEqual([`Không có lệnh /xoahet.\n\n${helpList(commands)}`]);
    expect(ask.questions).toEqual([]);
  });

  it("greets by name with /batdau", async () => {
    const { texts } = setup();
    const [text] = await texts("/batdau");
    expect(text?.startsWith("Xin chào Lan!")).toBe(true);
    expect(text).toContain("/huongdan");
  });
});

describe("hostile input", () => {
  it("explains that empty text cannot be read", async () => {
    const { texts, ask } = setup();
    expect(await texts("")).toEqual([TEXTS.empty]);
    expect(await texts("   \n\t ")).toEqual([TEXTS.empty]);
    expect(ask.questions).toEqual([]);
  });

  it("refuses text longer than the limit, naming the limit", async () => {
    const { texts, ask } = setup();
    const [text] = await texts("a".repeat(MAX_TEXT_LENGTH + 1));
    expect(text).toBe(TEXTS.tooLong(MAX_TEXT_LENGTH + 1));
    expect(text).toContain("4.000");
    expect(ask.questions).toEqual([]);
    expect(await texts("b".repeat(MAX_TEXT_LENGTH))).toHaveLength(1);
    expect(ask.questions).toEqual(["b".repeat(MAX_TEXT_LENGTH)]);
  });

  it("survives a megabyte of text", async () => {
    const { texts } = setup();
    const [text] = await texts("x".repeat(1_000_000));
    expect(text?.startsWith("Tin nhắn quá dài")).toBe(true);
  });

  it("passes emoji through untouched", async () => {
    const { ask, texts } = setup();
    await texts("👍🏽 nhiệm vụ 🇻🇳");
    expect(ask.questions).toEqual(["👍🏽 nhiệm vụ 🇻🇳"]);
  });

  it("drops broken Unicode and control characters", async () => {
    const { ask, texts } = setup();
    expect(await texts("\uD800")).toEqual([TEXTS.empty]);
    await texts("abc\uDFFF\u0000\u0007d\u202Ee");
    expect(ask.questions).toEqual(["abcde"]);
  });

  it("normalises decomposed Vietnamese to NFC", async () => {
    const { ask, texts } = setup();
    await texts("Sở Khoa học".normalize("NFD"));
    expect(ask.questions).toEqual(["Sở Khoa học"]);
    expect(ask.questions[0]).toBe("Sở Khoa học".normalize("NFC"));
  });

  it("treats SQL-looking text as an ordinary question", async () => {
    const { ask, texts } = setup();
    const sql = "'; DROP TABLE tasks; -- /* */ OR 1=1";
    expect(await texts(sql)).toEqual([`Trả lời: ${sql}`]);
    expect(ask.questions).toEqual([sql]);
  });

  it("shows the command list for a lone slash", async () => {
    const { texts, commands } = setup();
    expect(await texts("/")).toEqual([helpList(commands)]);
  });
});

describe("groups", () => {
  const group = { chatType: "group" as const, chatId: "g1" };

  it("ignores a plain message", async () => {
    const { texts, ask } = setup();
    expect(await texts("Nhiệm vụ BN-7.22 do ai chủ trì?", group)).toEqual([]);
    expect(ask.questions).toEqual([]);
  });

  it("answers a command", async () => {
    const { texts } = setup();
    expect(await texts("/hoi BN-7.22", group)).toEqual(["Trả lời: BN-7.22"]);
  });

  it("ignores a command addressed to another bot", async () => {
    const { texts, ask } = setup();
    expect(await texts("/hoi@OtherBot BN-7.22", group)).toEqual([]);
    expect(ask.questions).toEqual([]);
  });

  it("stays silent on an unknown command not addressed to it", async () => {
    const { texts } = setup();
    expect(await texts("/ban", group)).toEqual([]);
    expect((await texts("/ban@KeHoachBot", group))[0]).toContain("Không có lệnh /ban.");
  });

  it("answers a mention, without the mention in the question", async () => {
    const { texts, ask } = setup();
    expect(await texts("@KeHoachBot Sở KH&CN chủ trì gì?", { ...group, mentionsBot: true })).toEqual(["Trả lời: Sở KH&CN chủ trì gì?"]);
    expect(ask.questions).toEqual(["Sở KH&CN chủ trì gì?"]);
  });

  it("answers a reply to its own message", async () => {
    const { texts } = setup();
    expect(await texts("còn BN-7.23?", { ...group, replyToBot: true })).toEqual(["Trả lời: còn BN-7.23?"]);
  });

  it("asks what is needed when mentioned with nothing else", async () => {
    const { texts } = setup();
    expect(await texts("@KeHoachBot", { ...group, mentionsBot: true })).toEqual([TEXTS.emptyMention]);
  });

  it("ignores a huge plain message instead of refusing it", async () => {
    const { texts } = setup();
    expect(await texts("z".repeat(10_000), group)).toEqual([]);
  });
});

describe("numbers answer offered choices", () => {
  const offered = [
    { label: "BN-7.22 Đa dạng hóa đào tạo", value: "BN-7.22" },
    { label: "BN-7.23 Nền tảng số", value: "BN-7.23" },
  ];

  it("replaces a bare number with the chosen value", async () => {
    const { ask, say, texts } = setup();
    ask.choices = offered;
    const [first] = await say("đào tạo");
    expect(first?.choices).toEqual(offered);
    ask.choices = undefined;
    expect(await texts("2")).toEqual(["Trả lời: BN-7.23"]);
    expect(ask.questions).toEqual(["đào tạo", "BN-7.23"]);
  });

  it("carries the offered choices as data beside the text, which it leaves as written", async () => {
    const { ask, say } = setup();
    ask.choices = offered;
    ask.answer = "Không tìm thấy.\n\nCó phải bạn hỏi:\n• Một dòng khác";
    const [reply] = await say("đào tạo");
    expect(reply?.text).toBe("Không tìm thấy.\n\nCó phải bạn hỏi:\n• Một dòng khác");
    expect(reply?.choices).toEqual(offered);
  });

  it("says which numbers are valid when the number is out of range", async () => {
    const { ask, say } = setup();
    ask.choices = offered;
    await say("đào tạo");
    const [reply] = await say("7");
    expect(reply?.text).toBe(TEXTS.noSuchChoice(7, 2));
    expect(reply?.choices).toEqual(offered);
  });

  it("keeps choices per user: another user's number is a plain question", async () => {
    const { ask, texts } = setup();
    ask.choices = offered;
    await texts("đào tạo");
    ask.choices = undefined;
    expect(await texts("1", { userId: "u2" })).toEqual(["Trả lời: 1"]);
  });

  it("forgets the choices once a reply offers none", async () => {
    const { ask, texts } = setup();
    ask.choices = offered;
    await texts("đào tạo");
    ask.choices = undefined;
    await texts("1");
    expect(await texts("1")).toEqual(["Trả lời: 1"]);
    expect(ask.questions).toEqual(["đào tạo", "BN-7.22", "1"]);
  });
});

describe("duplicates and failures", () => {
  it("answers an update delivered twice only once", async () => {
    const { say, ask } = setup();
    const turn = { messageId: "m7", updateId: "u7" };
    expect(await say("BN-7.22", turn)).toHaveLength(1);
    expect(await say("BN-7.22", turn)).toEqual([]);
    expect(await say("BN-7.22", { messageId: "m7", updateId: "u8" })).toEqual([]);
    expect(ask.questions).toEqual(["BN-7.22"]);
  });

  it("apologises when a handler throws, logs the update id, and serves the next turn", async () => {
    const lines: string[] = [];
    const { ask, texts } = setup({ lines });
    ask.fail = true;
    expect(await texts("BN-7.22", { updateId: "upd-42" })).toEqual([TEXTS.apology]);
    ask.fail = false;
    expect(await texts("BN-7.23")).toEqual(["Trả lời: BN-7.23"]);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "handler failed");
    expect(logged?.updateId).toBe("upd-42");
    expect(JSON.stringify(logged?.err)).toContain("index exploded");
  });

  it("apologises when a command throws synchronously", async () => {
    const boom: Command = { name: "no", summary: "x", help: "x", run: () => { throw new TypeError("bad"); } };
    const { texts } = setup({ extra: [boom] });
    expect(await texts("/no")).toEqual([TEXTS.apology]);
  });
});

describe("forms", () => {
  // The real form engine over an in-memory store, with a one-field form opened by /thu.
  function withForm() {
    const saved: string[] = [];
    const form: FormDef = {
      name: "thu",
      version: 1,
      title: "Thử",
      fields: [
        {
          key: "note",
          label: "Ghi chú",
          prompt: () => "Ghi chú?",
          example: "abc",
          schema: z.string(),
          parse: (text) => ({ ok: true, value: text }),
          format: (v) => String(v),
        },
      ],
      submit(v) {
        saved.push(String(v.note));
        return { ok: true, messages: [{ text: `Đã lưu ${String(v.note)}` }] };
      },
    };
    const store = openStore(":memory:");
    const forms: FormRouter = createFormEngine({ store, forms: [form] });
    const open: Command = { name: "thu", summary: "Thử biểu mẫu", help: "/thu", run: (ctx) => ctx.forms.start("thu") };
    return { forms, open, saved };
  }

  it("lets an open form take plain answers, while another command runs and the form waits", async () => {
    const f = withForm();
    const { texts, ask } = setup({ forms: f.forms, extra: [f.open] });
    expect(await texts("/thu")).toEqual(["(1/1) Ghi chú?"]);
    // a command is not an answer: it runs, and the form is still there afterwards
    expect(await texts("/hoi x")).toEqual(["Trả lời: x"]);
    expect((await texts("50%"))[0]).toContain("1. Ghi chú: 50%");
    expect(await texts("1")).toEqual(["Đã lưu 50%"]);
    expect(f.saved).toEqual(["50%"]);
    expect(ask.questions).toEqual(["x"]);
  });

  it("hears /huy and the word “hủy” typed alone as cancelling the form, and saves nothing", async () => {
    for (const cancel of ["/huy", "hủy", "Huỷ."]) {
      const f = withForm();
      const { texts } = setup({ forms: f.forms, extra: [f.open] });
      await texts("/thu");
      expect(await texts(cancel)).toEqual(["Đã hủy, chưa lưu gì."]);
      expect(await texts("BN-7.22")).toEqual(["Trả lời: BN-7.22"]);
      expect(f.saved).toEqual([]);
    }
  });

  it("answers /huy and /quaylai with no form open", async () => {
    const f = withForm();
    const { texts } = setup({ forms: f.forms, extra: [f.open] });
    expect(await texts("/huy")).toEqual(["Bạn không có biểu mẫu nào đang mở."]);
    expect(await texts("/quaylai")).toEqual(["Bạn không có biểu mẫu nào đang mở."]);
  });

  it("never reads “đúng” (yes) as cancelling", async () => {
    const f = withForm();
    const { texts } = setup({ forms: f.forms, extra: [f.open] });
    await texts("/thu");
    expect((await texts("đúng"))[0]).toContain("1. Ghi chú: đúng");
  });
});
