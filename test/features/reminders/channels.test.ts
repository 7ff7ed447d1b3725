// Rule protected here: a digest reaches the group through the real channel
// adapters (over the fake Telegram and Zalo Bot API servers), split at line
// boundaries within each platform's limit (4,096 / 2,000), every reminder in
// exactly one message; a message the platform refuses leaves its reminders
// claimable, and the next run delivers them once.
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramAdapter } from "../../../src/channels/telegram.js";
import { createZaloAdapter } from "../../../src/channels/zalo/adapter.js";
import { ZaloClient } from "../../../src/channels/zalo/client.js";
import type { DialogueCore } from "../../../src/core/types.js";
import { silentLogger } from "../../../src/log.js";
import { createReminders } from "../../../src/features/reminders/index.js";
import { moreLine } from "../../../src/features/reminders/digest.js";
import { openStore, type Store } from "../../../src/store/index.js";
import { startFakeTelegram, type FakeTelegram } from "../../../src/fakes/telegram-api.js";
import { startFakeZalo, type FakeZalo } from "../../../src/fakes/zalo-api.js";
import { fixtureKnowledge, instantTimer, KHCN, manualClock, STATUSES, task, testConfig, vn, BN } from "./fixtures.js";

const TG_TOKEN = "123456:TEST-telegram-token-abcdefghij";
const ZALO_TOKEN = "987654321:TEST-zalo-token-abcdefghijkl";
const silent: DialogueCore = { handle: async () => [] };

// 40 more Sở KH&CN tasks due 09/03/2026 with long names: a digest of ~7,000 characters.
const extra = Array.from({ length: 40 }, (_, i) =>
  task(`BN-9.${i + 1}`, BN, `Triển khai nền tảng số dùng chung cho hoạt động khoa học, công nghệ và đổi mới sáng tạo, hạng mục ${i + 1}`, KHCN, "2026-03-09"),
);
const knowledge = fixtureKnowledge(extra);

const open: { close(): unknown }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function world() {
  const tgFake: FakeTelegram = await startFakeTelegram({ token: TG_TOKEN });
  const zaloFake: FakeZalo = await startFakeZalo({ token: ZALO_TOKEN });
  open.push(tgFake, zaloFake);
  const telegram = createTelegramAdapter({ token: TG_TOKEN, apiRoot: tgFake.apiRoot, dialogue: silent, commands: [], log: silentLogger(), throttle: false, maxRetryAttempts: 1 });
  const zalo = createZaloAdapter({ client: new ZaloClient({ token: ZALO_TOKEN, apiRoot: zaloFake.apiRoot }), dialogue: silent, log: silentLogger(), perChatGapMs: 0, maxRetries: 0 });
  const clock = manualClock(vn("2026-01-15 09:00"));
  const store: Store = openStore(":memory:", { clock: clock.now });
  open.push(store);
  const reminders = createReminders({
    store,
    statuses: () => STATUSES,
    knowledge,
    outboxes: { telegram, zalo },
    config: testConfig(),
    clock: clock.now,
    timer: instantTimer(),
    log: silentLogger(),
  });
  for (const [channel, chatId] of [["telegram", "-100"], ["zalo", "g1"]] as const) {
    reminders.repo.ensureChat(channel, chatId, clock.now());
    reminders.repo.subscribe(`${channel}:${chatId}`, [{ kind: "agency", id: KHCN.id }], "test", clock.now());
  }
  return { tgFake, zaloFake, reminders, clock };
}

const idsIn = (texts: string[]) => texts.flatMap((t) => [...t.matchAll(/^• (\S+) ·/gm)].map((m) => m[1]!));
const expectedIds = ["BN-3", "BG-5", ...extra.map((t) => t.id), "BN-1", "BN-4"];

describe("delivery through the channel adapters", () => {
  it("Telegram (4,096) and Zalo (2,000): split at line boundaries, each reminder once, in digest order", async () => {
    const w = await world();
    w.clock.set(vn("2026-03-02 08:00"));
    const report = await w.reminders.run({ at: w.clock.now() });
    const zaloDigest = report.digests.find((d) => d.chat === "zalo:g1")!;
    expect(report.digests.map((d) => [d.chat, d.status, d.items.length + d.capped])).toEqual([
      ["telegram:-100", "sent", 44],
      ["zalo:g1", "sent", 44],
    ]);

    const tg = w.tgFake.sent.map((m) => ({ chat: String(m.chat_id), text: String(m.text) }));
    expect(tg.every((m) => m.chat === "-100")).toBe(true);
    expect(tg.length).toBe(2);
    expect(tg.every((m) => m.text.length <= 4096)).toBe(true);
    expect(idsIn(tg.map((m) => m.text))).toEqual(expectedIds);
    expect(tg[0]!.text.startsWith("🔔 NHẮC VIỆC NGÀY 02/03/2026 (phần 1/2)")).toBe(true);
    expect(tg[1]!.text.startsWith("🔔 NHẮC VIỆC NGÀY 02/03/2026 (phần 2/2)")).toBe(true);

    // Zalo: three messages a day at most (the whole digest would take four); the last names the rest.
    const zaloTexts = () => w.zaloFake.sent.filter((c) => c.method === "sendMessage").map((c) => ({ chat: String(c.body.chat_id), text: String(c.body.text) }));
    const zl = zaloTexts();
    expect(zl.every((m) => m.chat === "g1")).toBe(true);
    expect(zl.length).toBe(3);
    expect(zl.every((m) => m.text.length <= 2000)).toBe(true);
    const shown = idsIn(zl.map((m) => m.text));
    expect(shown).toEqual(expectedIds.slice(0, shown.length));
    expect(zaloDigest.capped).toBe(44 - shown.length);
    expect(zaloDigest.capped).toBeGreaterThan(0);
    expect(zl.map((m) => m.text.split("\n")[0])).toEqual([1, 2, 3].map((i) => `🔔 NHẮC VIỆC NGÀY 02/03/2026 (phần ${i}/3)`));
    expect(zl[2]!.text).toContain(`\n${moreLine(44 - shown.length)}\nCập nhật tiến độ: /capnhat <mã>`);

    // a second run the same day sends nothing
    await w.reminders.run({ at: vn("2026-03-02 09:00") });
    expect(w.tgFake.sent.length + zaloTexts().length).toBe(5);

    // the next working day, Zalo gets the reminders left out, once; Telegram nothing new
    await w.reminders.run({ at: vn("2026-03-03 08:00") });
    const next = zaloTexts().slice(3);
    expect(next.length).toBeGreaterThan(0);
    expect(next.length).toBeLessThanOrEqual(3);
    expect(idsIn(next.map((m) => m.text))).toEqual(expectedIds.slice(shown.length));
    expect(w.tgFake.sent.length).toBe(2);
  });

  it("a message the platform refuses leaves exactly its reminders claimable; the next run sends only those", async () => {
    const w = await world();
    // The third Zalo message is refused by the (fake) platform; `delivered` keeps what the adapter got through.
    const delivered: string[] = [];
    const zsent = () => delivered;
    w.clock.set(vn("2026-03-02 08:00"));
    let n = 0;
    const original = w.reminders.deps.outboxes.zalo!;
    w.reminders.deps.outboxes.zalo = {
      textLimit: original.textLimit,
      send: async (chatId, messages) => {
        if (++n === 3) w.zaloFake.failNext("sendMessage", { error_code: 400, description: "Bad Request: temporary refusal" });
        const d = await original.send(chatId, messages);
        if (d.status === "delivered") delivered.push(...messages.map((m) => m.text));
        return d;
      },
    };
    const first = await w.reminders.run({ at: w.clock.now() });
    const z = first.digests.find((d) => d.chat === "zalo:g1")!;
    expect(z.status).toBe("partial");
    const before = idsIn(zsent());
    expect(zsent()).toHaveLength(2);
    const rows = w.reminders.repo.deliveries().filter((d) => d.chat === "zalo:g1");
    expect(rows.filter((r) => r.status === "sent").map((r) => r.subject)).toEqual(before);
    expect(rows.filter((r) => r.status === "failed").length).toBe(44 - before.length);

    // 15 minutes later the group is retried: only missing reminders, once, and within the day's
    // three messages (two went out already, so one more).
    w.clock.set(vn("2026-03-02 08:16"));
    const second = await w.reminders.run({ at: w.clock.now() });
    expect(second.digests.map((d) => [d.chat, d.status])).toEqual([["zalo:g1", "sent"]]);
    expect(zsent()).toHaveLength(3);
    // The next day brings the rest: every reminder once over the two days.
    w.clock.set(vn("2026-03-03 08:00"));
    await w.reminders.run({ at: w.clock.now() });
    const all = idsIn(zsent());
    expect([...all].sort()).toEqual([...expectedIds].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(w.tgFake.sent).toHaveLength(2);
    // the fake saw what got through + the 1 refused
    expect(w.zaloFake.sent.filter((c) => c.method === "sendMessage").length).toBe(delivered.length + 1);
  });
});
