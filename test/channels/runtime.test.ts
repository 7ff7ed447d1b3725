// Rule protected: the shared channel runtime never loses an update it accepted
// and never answers one twice on its own: updates wait in the inbox until done,
// each chat in arrival order, a bounded number of chats at a time; a restart
// answers what was never answered, sends what was decided but not sent (without
// deciding again), and gives up, with an apology, an update that stopped the bot
// every time; a stop begins nothing new and leaves the rest in the inbox.
import { afterEach, describe, expect, it } from "vitest";
import { createChannelRuntime, createMemoryInbox, encodeReply, type Inbox, type Platform } from "../../src/channels/runtime.js";
import { TEXTS } from "../../src/core/dialogue.js";
import type { DialogueCore, OutMessage, Turn } from "../../src/core/types.js";
import { silentLogger } from "../../src/log.js";
import { openStore, type Store } from "../../src/store/index.js";

interface Up {
  id: string;
  chat: string;
  text: string;
}

class RetryLater extends Error {}
class Refused extends Error {}

/** A platform whose updates are { id, chat, text } and whose sends are recorded. */
function fakePlatform() {
  const sent: { chat: string; text: string }[] = [];
  const failures: Error[] = [];
  const platform: Platform = {
    channel: "telegram",
    textLimit: 100,
    async sendMessage(chat, m) {
      const f = failures.shift();
      if (f) throw f;
      sent.push({ chat, text: m.text });
    },
    classify: (err) => (err instanceof RetryLater ? { status: "retry", afterMs: 10, error: "later" } : { status: "failed", error: (err as Error).message }),
    identify: (u) => {
      const up = u as Partial<Up>;
      return typeof up.id === "string" && typeof up.chat === "string" ? { chatId: up.chat, updateId: up.id, messageId: `m-${up.id}` } : { skip: "not an update" };
    },
    toTurn: (u) => {
      const up = u as Up;
      if (up.text === "unreadable") return { skip: "cannot read it" };
      return { turn: { channel: "telegram", chatId: up.chat, chatType: "private", userId: up.chat, userName: "", text: up.text, messageId: `m-${up.id}`, updateId: up.id } };
    },
  };
  return { platform, sent, failures };
}

/** A dialogue that answers "đáp: <text>", optionally after a wait it controls. */
function echo(opts: { delay?: (t: Turn) => Promise<void> } = {}) {
  const turns: Turn[] = [];
  let now = 0;
  let max = 0;
  const dialogue: DialogueCore = {
    async handle(t) {
      turns.push(t);
      now++;
      max = Math.max(max, now);
      try {
        await opts.delay?.(t);
      } finally {
        now--;
      }
      return [{ text: `đáp: ${t.text}` }];
    },
  };
  return { dialogue, turns, maxConcurrent: () => max };
}

let stores: Store[] = [];
afterEach(() => {
  for (const s of stores) s.close();
  stores = [];
});
const storeInbox = (): { store: Store; inbox: Inbox } => {
  const store = openStore(":memory:");
  stores.push(store);
  return { store, inbox: store.inbox };
};
const up = (id: string, chat: string, text = `câu ${id}`): Up => ({ id, chat, text });
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("channel runtime", () => {
  it("answers each chat in arrival order, chats at the same time, at most `concurrency` chats at once", async () => {
    const p = fakePlatform();
    const e = echo({ delay: () => wait(20) });
    const rt = createChannelRuntime({ dialogue: e.dialogue, platform: p.platform, log: silentLogger(), inbox: createMemoryInbox(), concurrency: 2 });
    rt.start();
    rt.accept([up("1", "a"), up("2", "b"), up("3", "a"), up("4", "c"), up("5", "b"), up("6", "a")]);
    await rt.idle();
    expect(e.maxConcurrent()).toBe(2);
    const of = (chat: string) => p.sent.filter((s) => s.chat === chat).map((s) => s.text);
    expect(of("a")).toEqual(["đáp: câu 1", "đáp: câu 3", "đáp: câu 6"]);
    expect(of("b")).toEqual(["đáp: câu 2", "đáp: câu 5"]);
    expect(of("c")).toEqual(["đáp: câu 4"]);
    // The core is told the inbox checked for repeats (so a resumed update is answered).
    expect(e.turns.every((t) => t.deduplicated === true)).toBe(true);
  });

  it("recognises a repeated delivery by its update id or its message id, and answers once", async () => {
    const p = fakePlatform();
    const { store, inbox } = storeInbox();
    const rt = createChannelRuntime({ dialogue: echo().dialogue, platform: p.platform, log: silentLogger(), inbox });
    rt.start();
    expect(rt.accept([up("1", "a")])).toEqual({ stored: 1, repeated: 0, skipped: 0 });
    expect(rt.accept([up("1", "a"), { nope: true }])).toEqual({ stored: 0, repeated: 1, skipped: 1 });
    await rt.idle();
    expect(p.sent).toEqual([{ chat: "a", text: "đáp: câu 1" }]);
    expect(store.inbox.get(1)).toMatchObject({ outcome: "delivered", sent: 1, reply: encodeReply([{ text: "đáp: câu 1" }]) });
  });

  it("stores the webhooks' updates of one event-loop turn in one transaction, each call resolving once stored", async () => {
    const p = fakePlatform();
    const memory = createMemoryInbox();
    const adds: number[] = [];
    const inbox: Inbox = { ...memory, add: (entries) => (adds.push(entries.length), memory.add(entries)) };
    const rt = createChannelRuntime({ dialogue: echo().dialogue, platform: p.platform, log: silentLogger(), inbox });
    rt.start();
    await Promise.all([rt.acceptSoon(up("1", "a")), rt.acceptSoon(up("2", "b")), rt.acceptSoon(up("3", "c"))]);
    expect(adds).toEqual([3]);
    await rt.idle();
    expect(p.sent).toHaveLength(3);
    const failing: Inbox = { ...memory, add: () => { throw new Error("disk full"); } };
    const rt2 = createChannelRuntime({ dialogue: echo().dialogue, platform: p.platform, log: silentLogger(), inbox: failing });
    await expect(rt2.acceptSoon(up("4", "a"))).rejects.toThrow("disk full");
  });

  it("stores before it answers: accepted before start, answered once started", async () => {
    const p = fakePlatform();
    const { store, inbox } = storeInbox();
    const rt = createChannelRuntime({ dialogue: echo().dialogue, platform: p.platform, log: silentLogger(), inbox });
    rt.accept([up("1", "a")]);
    await wait(20);
    expect(p.sent).toEqual([]);
    expect(store.inbox.open("telegram")).toHaveLength(1);
    expect(rt.start()).toBe(1);
    await rt.idle();
    expect(p.sent).toHaveLength(1);
    expect(store.inbox.openCounts()).toEqual({});
  });

  it("after a restart: answers what was never answered, sends what was decided without deciding again, and only the messages not yet sent", async () => {
    const { store, inbox } = storeInbox();
    const [a, b, c] = store.inbox.add([
      { channel: "telegram", chatId: "a", updateId: "1", messageId: null, payload: JSON.stringify(up("1", "a")) },
      { channel: "telegram", chatId: "b", updateId: "2", messageId: null, payload: JSON.stringify(up("2", "b")) },
      { channel: "telegram", chatId: "c", updateId: "3", messageId: null, payload: JSON.stringify(up("3", "c")) },
    ]);
    // b was decided before the crash; c was decided and its first message sent.
    store.inbox.begin(b!.id);
    store.inbox.answer(b!.id, encodeReply([{ text: "quyết định trước" }]));
    store.inbox.begin(c!.id);
    store.inbox.answer(c!.id, encodeReply([{ text: "một" }, { text: "hai" }, { text: "ba" }]));
    store.inbox.progress(c!.id, 1);
    const p = fakePlatform();
    const e = echo();
    const rt = createChannelRuntime({ dialogue: e.dialogue, platform: p.platform, log: silentLogger(), inbox });
    expect(rt.start()).toBe(3);
    await rt.idle();
    expect(e.turns.map((t) => t.chatId)).toEqual(["a"]);
    expect(p.sent).toEqual(
      expect.arrayContaining([
        { chat: "a", text: "đáp: câu 1" },
        { chat: "b", text: "quyết định trước" },
        { chat: "c", text: "hai" },
        { chat: "c", text: "ba" },
      ]),
    );
    expect(p.sent).toHaveLength(4);
    expect([a, b, c].map((r) => store.inbox.get(r!.id)).map((r) => [r?.outcome, r?.sent])).toEqual([
      ["delivered", 1],
      ["delivered", 1],
      ["delivered", 3],
    ]);
  });

  it("gives up, with an apology, an update whose answering stopped the bot three times", async () => {
    const { store, inbox } = storeInbox();
    const [row] = store.inbox.add([{ channel: "telegram", chatId: "a", updateId: "1", messageId: null, payload: JSON.stringify(up("1", "a")) }]);
    for (let i = 0; i < 3; i++) store.inbox.begin(row!.id);
    const p = fakePlatform();
    const e = echo();
    const rt = createChannelRuntime({ dialogue: e.dialogue, platform: p.platform, log: silentLogger(), inbox });
    rt.start();
    await rt.idle();
    expect(e.turns).toEqual([]);
    expect(p.sent).toEqual([{ chat: "a", text: TEXTS.apology }]);
    expect(store.inbox.get(row!.id)).toMatchObject({ outcome: "failed", error: "given up after 3 attempts (delivered)" });
  });

  it("tries a reply again when the platform says later; marks one it refuses failed, and the chat goes on", async () => {
    const { store, inbox } = storeInbox();
    const p = fakePlatform();
    const rt = createChannelRuntime({ dialogue: echo().dialogue, platform: p.platform, log: silentLogger(), inbox });
    rt.start();
    p.failures.push(new RetryLater("429"));
    rt.accept([up("1", "a")]);
    await rt.idle();
    expect(p.sent).toEqual([{ chat: "a", text: "đáp: câu 1" }]);
    expect(store.inbox.get(1)).toMatchObject({ outcome: "delivered" });
    p.failures.push(new Refused("bot was blocked by the user"));
    rt.accept([up("2", "a"), up("3", "a")]);
    await rt.idle();
    expect(store.inbox.get(2)).toMatchObject({ outcome: "failed", sent: 0, error: "bot was blocked by the user" });
    expect(store.inbox.get(3)).toMatchObject({ outcome: "delivered" });
  }, 10_000);

  it("marks an update it cannot read skipped, and one answered with silence silent", async () => {
    const { store, inbox } = storeInbox();
    const p = fakePlatform();
    const silent: DialogueCore = { handle: async () => [] as OutMessage[] };
    const rt = createChannelRuntime({ dialogue: silent, platform: p.platform, log: silentLogger(), inbox });
    rt.start();
    rt.accept([up("1", "a", "unreadable"), up("2", "a", "im lặng")]);
    await rt.idle();
    expect(store.inbox.get(1)).toMatchObject({ outcome: "skipped", error: "cannot read it" });
    expect(store.inbox.get(2)).toMatchObject({ outcome: "silent", reply: "[]" });
    expect(p.sent).toEqual([]);
  });

  it("stop: begins nothing more, leaves what waits in the inbox, and after its deadline names the chats still being answered", async () => {
    const { store, inbox } = storeInbox();
    const p = fakePlatform();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const e = echo({ delay: (t) => (t.chatId === "slow" ? held : Promise.resolve()) });
    const rt = createChannelRuntime({ dialogue: e.dialogue, platform: p.platform, log: silentLogger(), inbox, concurrency: 1 });
    rt.start();
    rt.accept([up("1", "slow"), up("2", "a"), up("3", "b")]);
    await wait(20);
    expect(await rt.stop(50)).toEqual({ unfinished: ["slow"] });
    release();
    await wait(20);
    // The slow one finished; the two waiting were never begun and are still in the inbox.
    expect(p.sent).toEqual([{ chat: "slow", text: "đáp: câu 1" }]);
    expect(store.inbox.open("telegram").map((r) => r.chatId)).toEqual(["a", "b"]);
    // Accepted after the stop: stored, not answered.
    rt.accept([up("4", "c")]);
    expect(store.inbox.open("telegram").map((r) => r.chatId)).toEqual(["a", "b", "c"]);
  });
});
