// The store keeps everything durable behind typed repositories: migrations run
// once each in a transaction, tasks mirror the knowledge base without losing
// history, and user strings are stored verbatim through bound parameters.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, migrations, openDatabase, openStore, type Migration, type Store, type TaskInput } from "../../src/store/index.js";

const T0 = new Date("2026-03-10T02:00:00.000Z");
const task = (id: string, over: Partial<TaskInput> = {}): TaskInput => ({
  id,
  plan: "bac-ninh-ubnd-2026",
  name: `Nhiệm vụ ${id}`,
  leadAgencies: [{ id: "so-khoa-hoc-va-cong-nghe" }],
  coordinatorAgencies: [{ id: "so-tai-chinh" }],
  deadline: { due: "2026-06-30", raw: "Tháng 6/2026" },
  ...over,
});

let dirs: string[] = [];
let stores: Store[] = [];
afterEach(() => {
  for (const s of stores) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  stores = [];
});
const mem = () => {
  const s = openStore(":memory:", { clock: () => T0 });
  stores.push(s);
  return s;
};
const tmpFile = () => {
  const d = mkdtempSync(join(tmpdir(), "kehoach-store-"));
  dirs.push(d);
  return join(d, "nested", "bot.sqlite");
};

describe("reminders' ledger", () => {
  it("refuses a second delivery row for the same reminder (chat, rule, subject, window)", () => {
    const db = openDatabase(":memory:");
    migrate(db, migrations);
    const insert = () =>
      db
        .prepare(
          "INSERT INTO reminder_deliveries (chat, rule, subject, due_window, status, run_id, claimed_at, lease_until) VALUES ('telegram:-100','due-soon','BN-1','2026-03-16@14','sent','x','t','t')",
        )
        .run();
    insert();
    expect(insert).toThrow(/UNIQUE/);
    db.close();
  });
});

describe("migrations", () => {
  it("apply each version once, in a transaction, and record it", () => {
    const db = openDatabase(":memory:");
    const all = migrations.map((m) => m.version);
    expect(all[0]).toBe(1);
    // 003 the inbox, 004 access, 005 the dashboard, 006 the digest messages' daily count, 007 the ask context, 008 the store's own facts: the latest is 8.
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(migrations.map((m) => m.name).slice(2)).toEqual(["inbox", "access", "dashboard", "digest-messages", "ask-context", "store-meta"]);
    expect(migrate(db, migrations)).toEqual(all);
    expect(migrate(db, migrations)).toEqual([]);
    const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    db.close();
  });

  it("roll back a failing migration completely", () => {
    const db = openDatabase(":memory:");
    const bad: Migration = {
      version: 999,
      name: "bad",
      up(d) {
        d.exec("CREATE TABLE half_done (x INTEGER)");
        throw new Error("boom");
      },
    };
    expect(() => migrate(db, [...migrations, bad])).toThrow("boom");
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get()).toEqual({ v: Math.max(...migrations.map((m) => m.version)) });
    db.close();
  });

  it("refuse two migrations with one version", () => {
    const db = openDatabase(":memory:");
    expect(() => migrate(db, [...migrations, { version: 1, name: "dup", up() {} }])).toThrow(/share version 1/);
    db.close();
  });

  it("open a file with WAL, foreign keys and a busy timeout", () => {
    const s = openStore(tmpFile());
    stores.push(s);
    expect(s.pragma("journal_mode")).toBe("wal");
    expect(s.pragma("foreign_keys")).toBe(1);
    expect(s.pragma("busy_timeout")).toBe(5000);
    expect(s.pragma("synchronous")).toBe(2); // FULL
  });
});

describe("users", () => {
  it("register, approve, and keep one row per channel user", () => {
    const s = mkStore();
    const u = s.users.register({ channel: "zalo", channelUserId: "z1", name: "Chị Lan", agencyId: "so-tai-chinh", approved: false, now: T0 });
    expect(u).toMatchObject({ channel: "zalo", channelUserId: "z1", name: "Chị Lan", agencyId: "so-tai-chinh", role: "user", approved: false });
    expect(s.users.pending().map((p) => [p.id, p.userId])).toEqual([[u.registrationId, u.id]]);
    const admin = s.users.ensureAdmin({ channel: "telegram", channelUserId: "1", name: "Admin", now: T0 });
    const ok = s.users.approve(u.registrationId!, admin.id, T0);
    expect(ok).toMatchObject({ ok: true, outcome: "approved", user: { approved: true, approvedBy: admin.id, approvedAt: T0.toISOString() } });
    s.users.register({ channel: "zalo", channelUserId: "z1", name: "Lan", agencyId: "so-noi-vu", approved: false, now: T0 });
    expect(s.users.all()).toHaveLength(2);
    expect(s.users.get("zalo", "z1")).toMatchObject({ name: "Lan", agencyId: "so-noi-vu", approved: false });
  });

  it("store SQL-looking and broken strings verbatim", () => {
    const s = mkStore();
    // Unpaired surrogates never reach the store: the dialogue strips them with nfc() first.
    const evil = "'; DROP TABLE users;-- 😀 \"x\" \\ %_";
    s.users.register({ channel: "telegram", channelUserId: evil, name: evil, agencyId: null, approved: false, now: T0 });
    expect(s.users.get("telegram", evil)?.name).toBe(evil);
    expect(s.users.all()).toHaveLength(1);
  });

  function mkStore() {
    return mem();
  }
});

describe("tasks mirror", () => {
  it("upsert by id, archive what disappeared, keep its history, restore it when it returns", () => {
    const s = mem();
    expect(s.tasks.syncTasks([task("BN-1"), task("BN-2")], T0)).toEqual({ inserted: 2, updated: 0, unchanged: 0, archived: 0, restored: 0 });
    const u = s.users.register({ channel: "console", channelUserId: "u", name: "A", agencyId: null, approved: true, now: T0 });
    s.updates.insert({ taskId: "BN-2", userId: u.id, status: "dang_thuc_hien", percent: 40, reportedAt: T0.toISOString(), channel: "console" });

    const later = new Date("2026-04-01T00:00:00.000Z");
    expect(s.tasks.syncTasks([task("BN-1", { name: "Đổi tên" })], later)).toEqual({ inserted: 0, updated: 1, unchanged: 0, archived: 1, restored: 0 });
    expect(s.tasks.list().map((t) => t.id)).toEqual(["BN-1"]);
    expect(s.tasks.get("BN-2")).toMatchObject({ archivedAt: later.toISOString() });
    expect(s.updates.history("BN-2")).toHaveLength(1);

    expect(s.tasks.syncTasks([task("BN-1", { name: "Đổi tên" }), task("BN-2")], later)).toEqual({ inserted: 0, updated: 0, unchanged: 1, archived: 0, restored: 1 });
    expect(s.tasks.get("BN-2")).toEqual({
      id: "BN-2",
      plan: "bac-ninh-ubnd-2026",
      name: "Nhiệm vụ BN-2",
      leadIds: ["so-khoa-hoc-va-cong-nghe"],
      coordinatorIds: ["so-tai-chinh"],
      due: "2026-06-30",
      deadlineRaw: "Tháng 6/2026",
      archivedAt: null,
      firstSeenAt: T0.toISOString(),
      updatedAt: later.toISOString(),
    });
  });

  it("a sync from the knowledge version the mirror already holds is skipped; a new version, or a task written outside a sync, syncs again", () => {
    const s = mem();
    expect(s.tasks.syncTasks([task("BN-1"), task("BN-2")], T0, "v1")).toMatchObject({ inserted: 2 });
    // Same version: nothing compared, nothing written — even if the list handed in differs.
    const later = new Date("2026-04-01T00:00:00.000Z");
    expect(s.tasks.syncTasks([task("BN-1", { name: "Đổi tên" })], later, "v1")).toEqual({ inserted: 0, updated: 0, unchanged: 1, archived: 0, restored: 0 });
    expect(s.tasks.get("BN-1")!.name).toBe("Nhiệm vụ BN-1");
    // A new version syncs.
    expect(s.tasks.syncTasks([task("BN-1", { name: "Đổi tên" })], later, "v2")).toEqual({ inserted: 0, updated: 1, unchanged: 0, archived: 1, restored: 0 });
    // A task upserted outside a sync (a status update for a task the mirror lacked): the next sync of v2 runs again.
    s.tasks.upsert(task("BN-3"), later);
    expect(s.tasks.syncTasks([task("BN-1", { name: "Đổi tên" })], later, "v2")).toEqual({ inserted: 0, updated: 0, unchanged: 1, archived: 1, restored: 0 });
    expect(s.tasks.get("BN-3")).toMatchObject({ archivedAt: later.toISOString() });
    // No version given: always a full sync.
    expect(s.tasks.syncTasks([task("BN-1", { name: "Lại đổi" })], later)).toMatchObject({ updated: 1 });
  });
});

describe("status updates", () => {
  it("insert exact values, refuse unknown tasks and users (foreign keys) and bad statuses", () => {
    const s = mem();
    s.tasks.syncTasks([task("BN-1")], T0);
    const u = s.users.register({ channel: "telegram", channelUserId: "7", name: "Anh Minh", agencyId: "so-khoa-hoc-va-cong-nghe", approved: true, now: T0 });
    const row = s.updates.insert({
      taskId: "BN-1", userId: u.id, status: "cham_tien_do", percent: 35, done: "Đã họp", obstacles: "Thiếu vốn",
      proposal: "'; DROP TABLE status_updates;--", expectedBy: "2026-07-31", reportedAt: T0.toISOString(),
      channel: "telegram", chatId: "7", messageId: "99",
    });
    expect(row).toEqual({
      id: 1, taskId: "BN-1", userId: u.id, status: "cham_tien_do", percent: 35, done: "Đã họp", obstacles: "Thiếu vốn",
      proposal: "'; DROP TABLE status_updates;--", expectedBy: "2026-07-31", reportedAt: T0.toISOString(),
      channel: "telegram", chatId: "7", messageId: "99",
    });
    expect(s.updates.latest("BN-1")).toMatchObject({ id: 1, userName: "Anh Minh", userAgencyId: "so-khoa-hoc-va-cong-nghe" });
    const base = { userId: u.id, status: "dang_thuc_hien" as const, percent: 1, reportedAt: T0.toISOString(), channel: "telegram" };
    expect(() => s.updates.insert({ ...base, taskId: "NOPE" })).toThrow(/FOREIGN KEY/);
    expect(() => s.updates.insert({ ...base, taskId: "BN-1", userId: 999 })).toThrow(/FOREIGN KEY/);
    expect(() => s.updates.insert({ ...base, taskId: "BN-1", percent: 101 })).toThrow(/CHECK/);
    expect(() => s.updates.insert({ ...base, taskId: "BN-1", status: "xong" as never })).toThrow(/CHECK/);
    expect(s.updates.count()).toBe(1);
  });

  it("latest per task is the newest by report time, then by id", () => {
    const s = mem();
    s.tasks.syncTasks([task("BN-1"), task("BN-2")], T0);
    const u = s.users.register({ channel: "console", channelUserId: "u", name: "A", agencyId: null, approved: true, now: T0 });
    const put = (taskId: string, percent: number, at: string) =>
      s.updates.insert({ taskId, userId: u.id, status: "dang_thuc_hien", percent, reportedAt: at, channel: "console" });
    put("BN-1", 10, "2026-03-01T00:00:00.000Z");
    put("BN-1", 30, "2026-03-05T00:00:00.000Z");
    put("BN-1", 20, "2026-03-05T00:00:00.000Z");
    put("BN-2", 50, "2026-02-01T00:00:00.000Z");
    const latest = s.updates.latestByTask();
    expect(latest.get("BN-1")?.percent).toBe(20);
    expect(latest.get("BN-2")?.percent).toBe(50);
    expect(s.updates.history("BN-1").map((h) => h.percent)).toEqual([20, 30, 10]);
    expect(s.updates.countsByTask()).toEqual(new Map([["BN-1", 3], ["BN-2", 1]]));
  });

  it("a task is completed only while its latest update says hoàn thành", () => {
    const s = mem();
    s.tasks.syncTasks([task("BN-1"), task("BN-2"), task("BN-3")], T0);
    const u = s.users.register({ channel: "console", channelUserId: "u", name: "A", agencyId: null, approved: true, now: T0 });
    const put = (taskId: string, status: "hoan_thanh" | "cham_tien_do", at: string) =>
      s.updates.insert({ taskId, userId: u.id, status, percent: status === "hoan_thanh" ? 100 : 60, reportedAt: at, channel: "console" });
    put("BN-1", "hoan_thanh", "2026-03-01T00:00:00.000Z");
    put("BN-2", "hoan_thanh", "2026-03-01T00:00:00.000Z");
    put("BN-2", "cham_tien_do", "2026-03-02T00:00:00.000Z"); // reopened: no longer complete
    expect(s.updates.completedTaskIds()).toEqual(new Set(["BN-1"]));
  });
});

describe("sessions, seen updates, audit", () => {
  it("round-trip a form session and expire idle ones", () => {
    const s = mem();
    const key = { channel: "zalo", chatId: "c", userId: "u" };
    s.sessions.put({ ...key, form: "capnhat", version: 1, step: 2, values: { task: "BN-1", note: "😀" }, startedAt: T0.toISOString(), updatedAt: T0.toISOString() });
    expect(s.sessions.get(key)).toMatchObject({ form: "capnhat", step: 2, values: { task: "BN-1", note: "😀" } });
    expect(s.sessions.deleteIdle(new Date(T0.getTime() + 1))).toBe(1);
    expect(s.sessions.get(key)).toBeUndefined();
  });

  it("remember processed updates durably", () => {
    const path = tmpFile();
    const a = openStore(path);
    expect(a.seen.firstTime("telegram:1")).toBe(true);
    expect(a.seen.firstTime("telegram:1")).toBe(false);
    a.close();
    const b = openStore(path);
    stores.push(b);
    expect(b.seen.firstTime("telegram:1")).toBe(false);
    expect(b.seen.firstTime("telegram:2")).toBe(true);
  });

  it("log audit entries with JSON details", () => {
    const s = mem();
    s.audit.log({ actor: "telegram:1", action: "approve", subject: "user:2", detail: { agency: "so-tai-chinh" } });
    expect(s.audit.recent()).toEqual([
      { id: 1, at: T0.toISOString(), actor: "telegram:1", action: "approve", subject: "user:2", detail: { agency: "so-tai-chinh" } },
    ]);
  });
});

describe("the inbox", () => {
  const entry = (over: Partial<{ chatId: string; updateId: string | null; messageId: string | null }> = {}) => ({
    channel: "telegram",
    chatId: "c1",
    updateId: "u1",
    messageId: "m1",
    payload: '{"update_id":1}',
    ...over,
  });

  it("stores updates in arrival order and leaves out a repeat by update id or by message id in its chat", () => {
    const s = mem();
    expect(s.inbox.add([entry(), entry({ updateId: "u2", messageId: "m2" })]).map((r) => r.id)).toEqual([1, 2]);
    expect(s.inbox.add([entry()])).toEqual([]); // same update id
    expect(s.inbox.add([entry({ updateId: "u9", messageId: "m2" })])).toEqual([]); // same message, new update id
    expect(s.inbox.add([entry({ chatId: "c2", updateId: null, messageId: "m2" })]).map((r) => r.id)).toEqual([3]); // another chat's m2
    expect(s.inbox.add([entry({ chatId: "c3", updateId: null, messageId: null }), entry({ chatId: "c3", updateId: null, messageId: null })])).toHaveLength(2);
    expect(s.inbox.open("telegram").map((r) => [r.id, r.chatId])).toEqual([[1, "c1"], [2, "c1"], [3, "c2"], [4, "c3"], [5, "c3"]]);
    expect(s.inbox.openCounts()).toEqual({ telegram: 5 });
  });

  it("records each step, and what was sent when done; a done update is no longer open and is pruned after its time", () => {
    const s = mem();
    const [row] = s.inbox.add([entry()]);
    expect(s.inbox.begin(row!.id)).toBe(1);
    expect(s.inbox.begin(row!.id)).toBe(2);
    s.inbox.answer(row!.id, '[{"text":"một"},{"text":"hai"}]');
    s.inbox.progress(row!.id, 1);
    expect(s.inbox.open("telegram")[0]).toMatchObject({ attempts: 2, reply: '[{"text":"một"},{"text":"hai"}]', sent: 1 });
    s.inbox.finish(row!.id, { outcome: "delivered", sent: 2 });
    expect(s.inbox.get(row!.id)).toMatchObject({ outcome: "delivered", sent: 2, reply: '[{"text":"một"},{"text":"hai"}]', doneAt: T0.toISOString(), updateId: "u1", messageId: "m1" });
    expect(s.inbox.open("telegram")).toEqual([]);
    expect(s.inbox.prune(new Date(T0.getTime() - 1))).toBe(0);
    expect(s.inbox.prune(new Date(T0.getTime() + 1))).toBe(1);
    // Once pruned, the id is forgotten: a delivery that late is new.
    expect(s.inbox.add([entry()])).toHaveLength(1);
  });

  it("keeps the store's synchronous=FULL for everything else (the inbox's later steps relax it only for themselves)", () => {
    const d = mkdtempSync(join(tmpdir(), "kehoach-inbox-"));
    dirs.push(d);
    const s = openStore(join(d, "bot.sqlite"));
    stores.push(s);
    const [row] = s.inbox.add([entry()]);
    s.inbox.begin(row!.id);
    s.inbox.finish(row!.id, { outcome: "silent", reply: "[]" });
    expect(s.pragma("synchronous")).toBe(2);
  });
});

describe("the ask context", () => {
  it("keeps one state per key, replaced by the next answer, and survives reopening the file", () => {
    const d = mkdtempSync(join(tmpdir(), "kehoach-askctx-"));
    dirs.push(d);
    const path = join(d, "bot.sqlite");
    const a = openStore(path);
    a.askContext.put("telegram:1:2", '{"ids":["BN-1.1"]}', "2026-11-23T01:00:00.000Z");
    a.askContext.put("telegram:1:2", '{"ids":["BN-7.22"]}', "2026-11-23T01:05:00.000Z");
    a.askContext.put("zalo:9:9", '{"ids":[]}', "2026-11-20T00:00:00.000Z");
    a.close();
    const b = openStore(path);
    stores.push(b);
    expect(b.askContext.get("telegram:1:2")).toEqual({ state: '{"ids":["BN-7.22"]}', at: "2026-11-23T01:05:00.000Z" });
    expect(b.askContext.get("telegram:1:3")).toBeUndefined();
    expect(b.askContext.prune(new Date("2026-11-22T00:00:00.000Z"))).toBe(1);
    expect(b.askContext.get("zalo:9:9")).toBeUndefined();
    expect(b.askContext.get("telegram:1:2")?.state).toBe('{"ids":["BN-7.22"]}');
  });
});
