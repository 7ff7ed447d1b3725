// Rules protected here: a reminder is delivered once per group per due window,
// across restarts, crashes and overlapping runs; after downtime the missed
// reminders go out once, as ONE catch-up digest; digests go out on working days
// at the group's time, never in quiet hours; a muted group gets nothing; a failed
// send is retried with backoff, logged, and stays claimable for the next run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Outbox } from "../../../src/core/types.js";
import { createLogger } from "../../../src/log.js";
import { createReminders, type Reminders } from "../../../src/features/reminders/index.js";
import { openStore, type Store } from "../../../src/store/index.js";
import { fixtureKnowledge, instantTimer, KHCN, manualClock, recordingOutbox, STATUSES, TC, testConfig, vn } from "./fixtures.js";

const knowledge = fixtureKnowledge();
const cleanup: (() => void)[] = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});

interface World {
  store: Store;
  clock: ReturnType<typeof manualClock>;
  tg: ReturnType<typeof recordingOutbox>;
  zl: ReturnType<typeof recordingOutbox>;
  reminders: Reminders;
  logs: string[];
}

/** Two groups subscribed on 2026-01-15: Telegram -100 follows Sở KH&CN, Zalo g1 follows Sở Tài chính. */
function world(opts: { path?: string; tg?: Outbox; zl?: Outbox; env?: Record<string, string>; subscribe?: boolean } = {}): World {
  const clock = manualClock(vn("2026-01-15 09:00"));
  const store = openStore(opts.path ?? ":memory:", { clock: clock.now });
  cleanup.push(() => store.close());
  const tg = recordingOutbox();
  const zl = recordingOutbox(undefined, 2000);
  const logs: string[] = [];
  const reminders = createReminders({
    store,
    statuses: () => STATUSES,
    knowledge,
    outboxes: { telegram: opts.tg ?? tg, zalo: opts.zl ?? zl },
    config: testConfig(opts.env),
    clock: clock.now,
    timer: instantTimer(),
    log: createLogger({ level: "debug", format: "plain", write: (l) => logs.push(l) }),
  });
  if (opts.subscribe !== false) {
    reminders.repo.ensureChat("telegram", "-100", clock.now());
    reminders.repo.subscribe("telegram:-100", [{ kind: "agency", id: KHCN.id }], "telegram:1", clock.now());
    reminders.repo.ensureChat("zalo", "g1", clock.now());
    reminders.repo.subscribe("zalo:g1", [{ kind: "agency", id: TC.id }], "zalo:7", clock.now());
  }
  return { store, clock, tg, zl, reminders, logs };
}

async function runAt(w: World, local: string) {
  w.clock.set(vn(local));
  return w.reminders.run({ at: w.clock.now() });
}

const ids = (text: string) => [...text.matchAll(/^• (\S+) ·/gm)].map((m) => m[1]);

describe("when digests go out", () => {
  it("at 08:00 on a working day: one digest per group with exactly its items", async () => {
    const w = world();
    const r = await runAt(w, "2026-03-02 08:00");
    expect(r.digests.map((d) => [d.chat, d.status, d.messages])).toEqual([
      ["telegram:-100", "sent", 1],
      ["zalo:g1", "sent", 1],
    ]);
    expect(w.tg.sent.map((m) => m.chatId)).toEqual(["-100"]);
    expect(ids(w.tg.sent[0]!.text)).toEqual(["BN-3", "BG-5", "BN-1", "BN-4"]);
    expect(w.zl.sent).toEqual([
      {
        chatId: "g1",
        text: [
          "🔔 NHẮC VIỆC NGÀY 02/03/2026",
          "",
          "⏰ SẮP ĐẾN HẠN",
          "📅 Hạn 09/03/2026 (còn 7 ngày)",
          "• BN-2 · Bố trí kinh phí chuyển đổi số · Sở Tài chính · hạn 09/03/2026",
          "",
          "Cập nhật tiến độ: /capnhat <mã>, ví dụ /capnhat BN-2. Xem trước: /nhacviec · Tắt nhắc: /tatnhac",
        ].join("\n"),
      },
    ]);
    expect(r.messagesSent).toBe(2);
  });

  it("not before the group's time, not on a weekend, never in quiet hours", async () => {
    const w = world();
    expect((await runAt(w, "2026-03-02 07:59")).due).toBe(0);
    expect((await runAt(w, "2026-02-28 08:00")).skipped).toBe("not-a-working-day"); // Saturday
    expect((await runAt(w, "2026-03-01 10:00")).skipped).toBe("not-a-working-day"); // Sunday
    expect((await runAt(w, "2026-03-02 21:30")).skipped).toBe("quiet-hours");
    expect((await runAt(w, "2026-03-03 06:30")).skipped).toBe("quiet-hours");
    expect(w.tg.calls + w.zl.calls).toBe(0);
  });

  it("a configured holiday (HOLIDAYS) is skipped like a weekend, and the next working day is no catch-up for it", async () => {
    const w = world({ env: { HOLIDAYS: "03/03/2026, 2026-03-04" } });
    expect((await runAt(w, "2026-03-02 08:00")).digests).toHaveLength(2);
    expect((await runAt(w, "2026-03-03 08:00")).skipped).toBe("not-a-working-day");
    expect((await runAt(w, "2026-03-04 08:00")).skipped).toBe("not-a-working-day");
    const thu = await runAt(w, "2026-03-05 08:00");
    expect(thu.digests.length).toBeGreaterThan(0);
    expect(thu.digests.every((d) => d.catchUpSince === null)).toBe(true);
    expect(w.reminders.preview("telegram", "-100", vn("2026-03-02 09:00")).nextDate).toBe("2026-03-05");
  });

  it("a group's own time of day (07:30) is honoured", async () => {
    const w = world();
    w.reminders.repo.setTimeOfDay("zalo:g1", "07:30", w.clock.now());
    const r = await runAt(w, "2026-03-02 07:45");
    expect(r.digests.map((d) => d.chat)).toEqual(["zalo:g1"]);
  });

  it("a muted group gets nothing; unmuted, it gets what is due", async () => {
    const w = world();
    w.reminders.repo.setMuted("telegram:-100", true, w.clock.now());
    await runAt(w, "2026-03-02 08:00");
    expect(w.tg.calls).toBe(0);
    w.reminders.repo.setMuted("telegram:-100", false, w.clock.now());
    await runAt(w, "2026-03-03 08:00");
    expect(w.tg.sent).toHaveLength(1);
    expect(ids(w.tg.sent[0]!.text)).toEqual(["BN-3", "BG-5", "BN-1", "BN-4"]); // BG-5 due today, still the 1-day stage
  });
});

describe("exactly once", () => {
  it("a second run the same day, or the next day in the same windows, sends nothing new", async () => {
    const w = world();
    await runAt(w, "2026-03-02 08:00");
    await runAt(w, "2026-03-02 08:01");
    await w.reminders.run({ at: vn("2026-03-02 09:00") });
    expect(w.tg.calls + w.zl.calls).toBe(2);
    // Tuesday: BN-3 still in overdue week #1, BG-5 in its 1-day stage, BN-1 in its 14-day stage, BN-4 stale #1: nothing new
    const tue = await runAt(w, "2026-03-03 08:00");
    expect(tue.digests).toEqual([]);
    expect(w.tg.calls + w.zl.calls).toBe(2);
    // every delivery row is 'sent', once
    const rows = w.reminders.repo.deliveries();
    expect(rows.map((r) => `${r.chat}|${r.rule}|${r.subject}|${r.due_window}|${r.status}`)).toEqual([
      "telegram:-100|overdue|BN-3|2026-02-20#1|sent",
      "telegram:-100|due-soon|BG-5|2026-03-03@1|sent",
      "telegram:-100|due-soon|BN-1|2026-03-16@14|sent",
      "telegram:-100|stale|BN-4|2026-01-15#1|sent",
      "zalo:g1|due-soon|BN-2|2026-03-09@7|sent",
    ]);
  });

  it("across a restart in the middle of a run: the group served before the crash is not served again; the other is served once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reminders-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "bot.db");
    // Process A: Telegram goes out, then the process dies while sending to Zalo (the send never returns).
    const hang: Outbox = { textLimit: 2000, send: () => new Promise(() => {}) };
    const a = world({ path, zl: hang });
    a.clock.set(vn("2026-03-02 08:00"));
    void a.reminders.run({ at: a.clock.now() });
    await new Promise((r) => setTimeout(r, 50));
    expect(a.tg.calls).toBe(1);
    const claimed = a.reminders.repo.deliveries().filter((d) => d.status === "claimed");
    expect(claimed.map((d) => `${d.chat}|${d.subject}`)).toEqual(["zalo:g1|BN-2"]);
    a.store.close();
    cleanup.shift();

    // Process B starts 1 minute later: the dead run's claim is still leased → nothing doubles, Zalo waits.
    const b = world({ path, subscribe: false });
    const early = await runAt(b, "2026-03-02 08:01");
    expect(early.digests.map((d) => [d.chat, d.status])).toEqual([["zalo:g1", "busy"]]);
    expect(b.tg.calls + b.zl.calls).toBe(0);
    // After the lease (10 min), B takes the claim over and sends BN-2 once; Telegram is not sent again.
    const later = await runAt(b, "2026-03-02 08:11");
    expect(later.digests.map((d) => [d.chat, d.status])).toEqual([["zalo:g1", "sent"]]);
    expect(b.tg.calls).toBe(0);
    expect(b.zl.sent.map((m) => [m.chatId, ids(m.text)])).toEqual([["g1", ["BN-2"]]]);
    await runAt(b, "2026-03-02 08:20");
    expect(b.zl.calls).toBe(1);
    expect(b.reminders.repo.deliveries().every((d) => d.status === "sent")).toBe(true);
  });

  it("overlapping runs never both send a reminder", async () => {
    const w = world();
    w.clock.set(vn("2026-03-02 08:00"));
    const [x, y] = await Promise.all([w.reminders.run({ at: w.clock.now() }), w.reminders.run({ at: w.clock.now() })]);
    expect(w.tg.calls).toBe(1);
    expect(w.zl.calls).toBe(1);
    const sent = [...x.digests, ...y.digests].filter((d) => d.status === "sent").map((d) => d.chat).sort();
    expect(sent).toEqual(["telegram:-100", "zalo:g1"]);
  });
});

describe("after downtime", () => {
  it("a week down: ONE catch-up digest per group, with the reminders of the current windows", async () => {
    const w = world();
    await runAt(w, "2026-03-02 08:00");
    w.tg.sent.length = 0;
    w.zl.sent.length = 0;
    const r = await runAt(w, "2026-03-09 08:00");
    expect(r.digests.map((d) => [d.chat, d.catchUpSince, d.messages])).toEqual([
      ["telegram:-100", "2026-03-02", 1],
      ["zalo:g1", "2026-03-02", 1],
    ]);
    expect(w.tg.sent).toHaveLength(1);
    expect(w.zl.sent).toHaveLength(1);
    const tg = w.tg.sent[0]!.text;
    expect(tg).toContain("(Tổng hợp bù: hệ thống tạm dừng sau ngày 02/03/2026; các nhắc việc bị lỡ được gộp vào tin này.)");
    // BG-5 (due 03/03) is now overdue; BN-3 is in overdue week #2; BN-1 reached its 7-day stage; BN-4 was already reminded.
    expect(ids(tg)).toEqual(["BN-3", "BG-5", "BN-1"]);
    expect(r.digests[0]!.items.map((i) => `${i.rule}|${i.id}|${i.window}`)).toEqual([
      "overdue|BN-3|2026-02-20#2",
      "overdue|BG-5|2026-03-03#0",
      "due-soon|BN-1|2026-03-16@7",
    ]);
    expect(ids(w.zl.sent[0]!.text)).toEqual(["BN-2"]); // due today: the 1-day stage
    // Monday after a normal Friday is not a catch-up
    await runAt(w, "2026-03-13 08:00");
    const mon = await w.reminders.run({ at: vn("2026-03-16 08:00"), dryRun: true });
    expect(mon.digests.every((d) => d.catchUpSince === null)).toBe(true);
  });
});

describe("failures", () => {
  it("a send the channel asks to retry is retried after the wait it names, logged, and the reminders stay claimable for the next run", async () => {
    let broken = true;
    const flaky = recordingOutbox(() => (broken ? { status: "retry", afterMs: 1000, error: "connect ECONNREFUSED" } : undefined), 2000);
    const w = world({ zl: flaky });
    const r = await runAt(w, "2026-03-02 08:00");
    const z = r.digests.find((d) => d.chat === "zalo:g1")!;
    expect(z.status).toBe("failed");
    expect(flaky.calls).toBe(4); // maxAttempts
    expect(w.reminders.repo.deliveries().filter((d) => d.chat === "zalo:g1").map((d) => [d.status, d.attempts, d.last_error])).toEqual([
      ["failed", 1, "connect ECONNREFUSED"],
    ]);
    expect(w.logs.filter((l) => l.includes("retrying"))).toHaveLength(3);
    expect(w.logs.some((l) => l.includes("digest not delivered"))).toBe(true);
    // Deferred 15 min, then the next run sends it once.
    broken = false;
    expect((await runAt(w, "2026-03-02 08:10")).digests).toEqual([]);
    const again = await runAt(w, "2026-03-02 08:16");
    expect(again.digests.map((d) => [d.chat, d.status])).toEqual([["zalo:g1", "sent"]]);
    expect(flaky.sent.map((m) => ids(m.text))).toEqual([["BN-2"]]);
    expect(w.tg.calls).toBe(1);
  });

  it("a refusal that retrying cannot fix (bot removed: 403) is not retried within the run", async () => {
    const refused = recordingOutbox(() => ({ status: "failed", error: "Forbidden: bot was kicked" }));
    const w = world({ tg: refused });
    const r = await runAt(w, "2026-03-02 08:00");
    expect(refused.calls).toBe(1);
    expect(r.digests.find((d) => d.chat === "telegram:-100")!.status).toBe("failed");
  });

  it("the wait the channel names (the platform's retry_after) is obeyed", async () => {
    let n = 0;
    const limited = recordingOutbox(() => (++n === 1 ? { status: "retry", afterMs: 42_000, error: "Too Many Requests" } : undefined), 2000);
    const timer = instantTimer();
    const clock = manualClock(vn("2026-01-15 09:00"));
    const store = openStore(":memory:", { clock: clock.now });
    cleanup.push(() => store.close());
    const r = createReminders({ store, statuses: () => STATUSES, knowledge, outboxes: { zalo: limited }, config: testConfig(), clock: clock.now, timer });
    r.repo.ensureChat("zalo", "g1", clock.now());
    r.repo.subscribe("zalo:g1", [{ kind: "agency", id: TC.id }], "zalo:7", clock.now());
    await r.run({ at: vn("2026-03-02 08:00") });
    expect(timer.slept).toContain(42_000);
    expect(limited.sent).toHaveLength(1);
  });
});

describe("dry run", () => {
  it("computes without claiming or sending", async () => {
    const w = world();
    w.clock.set(vn("2026-03-02 08:00"));
    const r = await w.reminders.run({ at: w.clock.now(), dryRun: true });
    expect(r.digests.map((d) => [d.chat, d.status, d.items.length])).toEqual([
      ["telegram:-100", "dry-run", 4],
      ["zalo:g1", "dry-run", 1],
    ]);
    expect(w.reminders.repo.deliveries()).toEqual([]);
    expect(w.tg.calls + w.zl.calls).toBe(0);
  });
});
