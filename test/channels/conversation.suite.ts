// One conversation, every adapter (Hono's shared-suite style). Rule protected:
// whichever platform carries it, the same conversation behaves the same — the
// right answer in private, silence for plain group chatter, answers split within
// the platform's limit, forged webhooks refused, duplicates answered once, and a
// failing handler never stops the bot.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEXTS } from "../../src/core/dialogue.js";
import { buildWorld, LONG_ANSWER, waitFor, type SuiteWorld } from "./support.js";

export type Mode = "polling" | "webhook";

/** An adapter running against its fake Bot API server, as the suite drives it. */
export interface ChannelHarness {
  /** Longest message the platform accepts. */
  readonly limit: number;
  readonly privateChat: string;
  readonly groupChat: string;
  /** How a user mentions the bot in a group: "@kehoach_test_bot" on Telegram, the display name picked from the @ list on Zalo. */
  readonly mention: string;
  /** Whether the platform delivers group messages not addressed to the bot (Telegram does; Zalo delivers only @-mentions and replies to the bot). */
  readonly deliversGroupChatter: boolean;
  /** Deliver a user's text message the way the mode does (queued for getUpdates, or POSTed to the webhook). */
  deliver(chat: "private" | "group", text: string): Promise<unknown>;
  /** Deliver a group message that replies to one of the bot's messages, as the platform marks it (Zalo: not at all). */
  deliverReply(text: string): Promise<unknown>;
  /** Deliver the same update (or message) again. */
  redeliver(delivery: unknown): Promise<void>;
  /** POST a valid update to our webhook with this secret header (undefined: none); the HTTP status. */
  postWithSecret(secret: string | undefined, text: string): Promise<number>;
  /** Texts the bot sent to a chat, in order. */
  sentTo(chatId: string): string[];
  close(): Promise<void>;
}

export type HarnessFactory = (world: SuiteWorld, mode: Mode) => Promise<ChannelHarness>;

export function conversationSuite(channel: string, make: HarnessFactory, modes: Mode[] = ["webhook", "polling"]): void {
  describe.each(modes)(`${channel} conversation (%s)`, (mode) => {
    let world: SuiteWorld;
    let h: ChannelHarness;

    beforeEach(async () => {
      world = await buildWorld();
      h = await make(world, mode);
    });
    afterEach(async () => {
      await h.close();
    });

    /** Wait for exactly `n` messages in a chat, then a little longer to catch extras. */
    async function expectSent(chatId: string, n: number): Promise<string[]> {
      await waitFor(`${n} message(s) in chat ${chatId}`, () => (h.sentTo(chatId).length >= n ? true : undefined));
      await new Promise((r) => setTimeout(r, 50));
      const sent = h.sentTo(chatId);
      expect(sent).toHaveLength(n);
      return sent;
    }

    it("answers a private question with the task's lead agency", async () => {
      await h.deliver("private", world.question);
      const [answer] = await expectSent(h.privateChat, 1);
      expect(answer).toContain("BN-7.22");
      expect(answer).toContain(world.expectedLead);
    });

    it("ignores a plain group message and answers a group command", async (ctx) => {
      if (!h.deliversGroupChatter) ctx.skip(); // the platform never delivers one
      await h.deliver("group", world.question);
      await h.deliver("group", `/hoi ${world.question}`);
      const [answer] = await expectSent(h.groupChat, 1);
      expect(answer).toContain(world.expectedLead);
    });

    it("answers a group message that mentions the bot, the mention left out of the question", async () => {
      await h.deliver("group", `${h.mention} ${world.question}`);
      const [answer] = await expectSent(h.groupChat, 1);
      expect(answer).toContain(world.expectedLead);
      // The same answer as the question asked in private: the name did not change what was searched.
      await h.deliver("private", world.question);
      const [inPrivate] = await expectSent(h.privateChat, 1);
      expect(answer).toBe(inPrivate);
    });

    it("answers a group command after a mention of the bot", async () => {
      await h.deliver("group", `${h.mention} /batdau`);
      const [hello] = await expectSent(h.groupChat, 1);
      expect(hello?.startsWith("Xin chào")).toBe(true);
    });

    it("answers a group message that replies to the bot", async () => {
      await h.deliverReply(world.question);
      const [answer] = await expectSent(h.groupChat, 1);
      expect(answer).toContain(world.expectedLead);
    });

    it("splits a long answer into pieces within the platform limit", async () => {
      await h.deliver("private", "/baocaodai");
      const pieces = await waitFor("the whole long answer", () => {
        const sent = h.sentTo(h.privateChat);
        return sent.join("\n").length >= LONG_ANSWER.length ? sent : undefined;
      });
      expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(LONG_ANSWER.length / h.limit));
      for (const p of pieces) expect(p.length).toBeLessThanOrEqual(h.limit);
      expect(pieces.join("\n")).toBe(LONG_ANSWER);
    });

    it.skipIf(mode === "polling")("refuses a webhook call with a wrong or missing secret, and handles nothing", async () => {
      expect(await h.postWithSecret("wrong-secret-0000", world.question)).toBe(401);
      expect(await h.postWithSecret(undefined, world.question)).toBe(401);
      await h.deliver("private", "/batdau");
      const [only] = await expectSent(h.privateChat, 1);
      expect(only?.startsWith("Xin chào")).toBe(true);
    });

    it("answers an update delivered twice only once", async () => {
      const first = await h.deliver("private", world.question);
      await h.redeliver(first);
      await h.deliver("private", "/batdau");
      const [answer, hello] = await expectSent(h.privateChat, 2);
      expect(answer).toContain(world.expectedLead);
      expect(hello?.startsWith("Xin chào")).toBe(true);
    });

    it("registers with an invite code and saves a one-line status update", async () => {
      await h.deliver("private", `/dangky ${world.inviteCode}`);
      await expectSent(h.privateChat, 1);
      await h.deliver("private", "Nguyễn Văn An");
      await expectSent(h.privateChat, 2);
      await h.deliver("private", "1");
      const registered = await expectSent(h.privateChat, 3);
      expect(registered[2]).toContain("✅ Đã đăng ký: Nguyễn Văn An");
      await h.deliver("private", "/capnhat BN-7.22 60% đang thực hiện - đã trình dự thảo");
      const sent = await expectSent(h.privateChat, 4);
      expect(sent[3]?.split("\n")[0]).toBe("✅ Đã lưu báo cáo số 1.");
      expect(world.store.updates.get(1)).toMatchObject({ taskId: "BN-7.22", status: "dang_thuc_hien", percent: 60, done: "đã trình dự thảo", chatId: h.privateChat });
    });

    it("apologises for a throwing handler and serves the next update", async () => {
      await h.deliver("private", "/loi");
      await h.deliver("private", world.question);
      const [apology, answer] = await expectSent(h.privateChat, 2);
      expect(apology).toBe(TEXTS.apology);
      expect(answer).toContain(world.expectedLead);
    });
  });
}
