// Rule protected here: migration 005's task_latest (kept by a trigger) always names
// the same latest update per task as a search through every update would — the
// newest reported_at, ties broken by the higher id — and counts every update,
// including those stored before the migration ran; links and sessions are used once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, migrations, openDatabase, openStore, STATUS_KEYS, type Store } from "../../src/store/index.js";

const T0 = new Date("2026-03-10T02:00:00.000Z");

function seed(store: Store, n: number, seed = 7) {
  let a = seed;
  const rnd = () => ((a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const ids = ["BN-1", "BN-2", "BN-3", "DM-4", "LC-5"];
  for (const id of ids) store.tasks.upsert({ id, plan: "p", name: id, leadAgencies: [], coordinatorAgencies: [], deadline: { due: null, raw: "" } }, T0);
  const u = store.users.register({ channel: "telegram", channelUserId: "1", name: "A", agencyId: null, approved: true, now: T0 });
  for (let i = 0; i < n; i++) {
    // few distinct instants, out of order: ties on reported_at are common
    const at = new Date(T0.getTime() - Math.floor(rnd() * 6) * 3_600_000).toISOString();
    store.updates.insert({ taskId: ids[Math.floor(rnd() * ids.length)]!, userId: u.id, status: STATUS_KEYS[Math.floor(rnd() * 5)]!, percent: i % 101, reportedAt: at, channel: "telegram" });
  }
}

function bruteForce(store: Store) {
  const latest = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const u of store.updates.all()) {
    counts.set(u.taskId, (counts.get(u.taskId) ?? 0) + 1);
    const cur = latest.get(u.taskId);
    const c = cur === undefined ? undefined : store.updates.get(cur)!;
    if (!c || u.reportedAt > c.reportedAt || (u.reportedAt === c.reportedAt && u.id > c.id)) latest.set(u.taskId, u.id);
  }
  return { latest, counts };
}

describe("task_latest", () => {
  it("names each task's latest update and counts its updates, as a full search would", () => {
    const store = openStore(":memory:", { clock: () => T0 });
    seed(store, 400);
    const want = bruteForce(store);
    expect(new Map([...store.updates.latestByTask()].map(([k, v]) => [k, v.id]))).toEqual(want.latest);
    expect(store.updates.countsByTask()).toEqual(want.counts);
    expect(store.updates.latest("BN-1")!.id).toBe(want.latest.get("BN-1"));
    store.close();
  });

  it("is filled from the updates already stored when the migration runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "kehoach-latest-"));
    try {
      const path = join(dir, "bot.sqlite");
      const db = openDatabase(path);
      migrate(db, migrations.filter((m) => m.version < 5));
      db.exec("INSERT INTO users (channel, channel_user_id, name, created_at, updated_at) VALUES ('telegram', '1', 'A', 't', 't')");
      for (const id of ["BN-1", "BN-2"]) db.prepare("INSERT INTO tasks (id, plan, name, first_seen_at, updated_at) VALUES (?, 'p', ?, 't', 't')").run(id, id);
      const add = db.prepare("INSERT INTO status_updates (task_id, user_id, status, percent, reported_at, channel) VALUES (?, 1, 'dang_thuc_hien', ?, ?, 'telegram')");
      add.run("BN-1", 10, "2026-03-01T00:00:00.000Z");
      add.run("BN-1", 20, "2026-03-03T00:00:00.000Z"); // the latest of BN-1
      add.run("BN-1", 30, "2026-03-02T00:00:00.000Z");
      add.run("BN-2", 40, "2026-03-05T00:00:00.000Z");
      add.run("BN-2", 50, "2026-03-05T00:00:00.000Z"); // same instant, higher id: the latest of BN-2
      db.close();
      const store = openStore(path, { clock: () => T0 });
      expect([...store.updates.latestByTask()].map(([k, v]) => [k, v.percent])).toEqual([["BN-1", 20], ["BN-2", 50]]);
      expect(store.updates.countsByTask()).toEqual(new Map([["BN-1", 3], ["BN-2", 2]]));
      store.updates.insert({ taskId: "BN-1", userId: 1, status: "hoan_thanh", percent: 100, reportedAt: "2026-03-02T12:00:00.000Z", channel: "telegram" });
      expect(store.updates.latest("BN-1")!.percent).toBe(20); // older than the latest: counted, not latest
      expect(store.updates.countsByTask().get("BN-1")).toBe(4);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("dashboard links", () => {
  it("open one session, once, before they expire", () => {
    const store = openStore(":memory:", { clock: () => T0 });
    const u = store.users.register({ channel: "telegram", channelUserId: "1", name: "A", agencyId: null, approved: true, now: T0 });
    store.dashboard.addLink({ tokenHash: "h1", userId: u.id, issuedVia: "cli", createdAt: T0, expiresAt: new Date(T0.getTime() + 600_000) });
    const at = (ms: number) => ({ idHash: `s${ms}`, createdAt: new Date(T0.getTime() + ms), expiresAt: new Date(T0.getTime() + ms + 1000) });
    expect(store.dashboard.redeem("h1", at(1))).toEqual({ ok: true, userId: u.id });
    expect(store.dashboard.redeem("h1", at(2))).toEqual({ ok: false, why: "used" });
    expect(store.dashboard.redeem("nope", at(3))).toEqual({ ok: false, why: "unknown" });
    store.dashboard.addLink({ tokenHash: "h2", userId: u.id, issuedVia: "cli", createdAt: T0, expiresAt: new Date(T0.getTime() + 600_000) });
    expect(store.dashboard.redeem("h2", at(600_000))).toEqual({ ok: false, why: "expired" });
    expect(store.dashboard.session("s1", new Date(T0.getTime() + 500))?.userId).toBe(u.id);
    expect(store.dashboard.session("s1", new Date(T0.getTime() + 1001))).toBeUndefined();
    expect(store.dashboard.session("s2", T0)).toBeUndefined();
    expect(store.dashboard.prune(new Date(T0.getTime() + 700_000))).toBe(3);
    store.close();
  });
});
