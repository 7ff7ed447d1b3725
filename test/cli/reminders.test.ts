// Rules protected here: `reminders --at <time> [--dry-run] [--json]` computes —
// and without --dry-run sends — exactly what is due at that time, printing one
// { chat, rule, items: [{ id, due, lead }] } per digest section; the scheduler
// started by main.ts sends at start what was missed, once, and stops cleanly.
import { afterEach, describe, expect, it } from "vitest";
import { runRemindersCli } from "../../src/cli/reminders.js";
import { createReminders, startReminderScheduler, type Reminders } from "../../src/features/reminders/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { fixtureKnowledge, instantTimer, KHCN, manualClock, recordingOutbox, STATUSES, TC, testConfig, vn } from "../features/reminders/fixtures.js";

const stores: Store[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
});

function setup() {
  const clock = manualClock(vn("2026-01-15 09:00"));
  const store = openStore(":memory:", { clock: clock.now });
  stores.push(store);
  const tg = recordingOutbox();
  const zl = recordingOutbox(undefined, 2000);
  const reminders: Reminders = createReminders({
    store,
    statuses: () => STATUSES,
    knowledge: fixtureKnowledge(),
    outboxes: { telegram: tg, zalo: zl },
    config: testConfig(),
    clock: clock.now,
    timer: instantTimer(),
  });
  reminders.repo.ensureChat("telegram", "-100", clock.now());
  reminders.repo.subscribe("telegram:-100", [{ kind: "agency", id: KHCN.id }], "t", clock.now());
  reminders.repo.ensureChat("zalo", "g1", clock.now());
  reminders.repo.subscribe("zalo:g1", [{ kind: "agency", id: TC.id }], "t", clock.now());
  return { reminders, tg, zl, clock };
}

async function cli(reminders: Reminders, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRemindersCli(args, { reminders, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const LEAD = "Sở Khoa học và Công nghệ";

describe("reminders CLI", () => {
  it("--dry-run --json prints one object per digest section and sends nothing", async () => {
    const w = setup();
    const r = await cli(w.reminders, ["--at", "2026-03-02T08:00:00+07:00", "--dry-run", "--json"]);
    expect(r.code).toBe(0);
    expect(r.out.map((l) => JSON.parse(l))).toEqual([
      { chat: "telegram:-100", rule: "overdue", items: [{ id: "BN-3", due: "2026-02-20", lead: LEAD }] },
      {
        chat: "telegram:-100",
        rule: "due-soon",
        items: [
          { id: "BG-5", due: "2026-03-03", lead: LEAD },
          { id: "BN-1", due: "2026-03-16", lead: LEAD },
        ],
      },
      { chat: "telegram:-100", rule: "stale", items: [{ id: "BN-4", due: null, lead: LEAD }] },
      { chat: "zalo:g1", rule: "due-soon", items: [{ id: "BN-2", due: "2026-03-09", lead: "Sở Tài chính" }] },
    ]);
    expect(w.tg.calls + w.zl.calls).toBe(0);
    expect(w.reminders.repo.deliveries()).toEqual([]);
  });

  it("without --dry-run it sends; run again, it has nothing left", async () => {
    const w = setup();
    const first = await cli(w.reminders, ["--at", "2026-03-02T08:00:00+07:00", "--json"]);
    expect(first.out).toHaveLength(4);
    expect(w.tg.sent.map((m) => m.chatId)).toEqual(["-100"]);
    expect(w.zl.sent.map((m) => m.chatId)).toEqual(["g1"]);
    const again = await cli(w.reminders, ["--at", "2026-03-02T08:30:00+07:00", "--json"]);
    expect(again.out).toEqual([]);
  });

  it("the table view says why nothing goes out on a Sunday or in quiet hours", async () => {
    const w = setup();
    expect((await cli(w.reminders, ["--at", "2026-03-01T08:00:00+07:00"])).out).toEqual([
      "Nhắc việc lúc 2026-03-01T01:00:00.000Z (Chủ nhật 01/03/2026)",
      "Không gửi: không phải ngày làm việc.",
    ]);
    expect((await cli(w.reminders, ["--at", "2026-03-02T22:00:00+07:00", "--dry-run"])).out[1]).toBe("Không gửi: đang trong giờ nghỉ.");
    const table = (await cli(w.reminders, ["--at", "2026-03-02T08:00:00+07:00", "--dry-run"])).out;
    expect(table[1]).toMatch(/^Nhóm đến giờ nhận: 2; có nội dung: 2; tính toán/);
    expect(table.slice(3)).toEqual([
      "telegram:-100  dry-run     4    1/2/0/1                                1",
      "zalo:g1        dry-run     1    0/1/0/0                                1",
    ]);
  });

  it("bad arguments: a sentence and exit code 2", async () => {
    const w = setup();
    expect(await cli(w.reminders, ["--at", "tomorrow"])).toMatchObject({
      code: 2,
      err: ['--at needs an ISO date-time such as 2026-03-02T08:00:00+07:00, got "tomorrow".'],
    });
    expect((await cli(w.reminders, ["--bogus"])).code).toBe(2);
  });
});

describe("scheduler", () => {
  it("the tick at start sends what is due (one catch-up digest after downtime), later ticks add nothing, stop() is clean", async () => {
    const w = setup();
    // last run on Monday 02/03, then the bot was down until Wednesday 11/03 10:00
    await w.reminders.run({ at: vn("2026-03-02 08:00") });
    w.tg.sent.length = 0;
    w.clock.set(vn("2026-03-11 10:00"));
    const s = startReminderScheduler({ reminders: w.reminders, intervalMs: 60_000 });
    const first = await s.first;
    expect(first!.digests.map((d) => [d.chat, d.catchUpSince, d.messages])).toEqual([
      ["telegram:-100", "2026-03-02", 1],
      ["zalo:g1", "2026-03-02", 1],
    ]);
    expect(w.tg.sent).toHaveLength(1);
    expect(w.tg.sent[0]!.text).toContain("Tổng hợp bù");
    w.clock.advance(60_000);
    expect((await s.tick())!.digests).toEqual([]);
    await s.stop();
    expect(await s.tick()).toBe(null);
  });
});
