// Rules protected: every registration has its own id and a decision applies to
// exactly that one (a newer submission supersedes it, a decided one stays
// decided, and the store says which); a refused re-registration gives back the
// earlier approved one; invite codes count their uses atomically within their
// limits; wrong attempts lock a key for longer each time, durably; version 4
// brings existing users (their names cleaned) and keeps their ids as registration ids.
import { afterEach, describe, expect, it } from "vitest";
import { migrate, migrations, openDatabase, openStore, type Store } from "../../src/store/index.js";

const T0 = new Date("2026-03-10T02:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let stores: Store[] = [];
afterEach(() => {
  for (const s of stores) s.close();
  stores = [];
});
const mem = () => {
  const s = openStore(":memory:", { clock: () => T0 });
  stores.push(s);
  return s;
};
const reg = (s: Store, name: string, agencyId: string, approved = false, userId = "z1") =>
  s.users.register({ channel: "zalo", channelUserId: userId, name, agencyId, approved, now: T0 });

describe("registrations", () => {
  it("a new submission supersedes the one waiting: approving the old id approves nothing", () => {
    const s = mem();
    const admin = s.users.ensureAdmin({ channel: "telegram", channelUserId: "1", name: "Admin", now: T0 });
    const first = reg(s, "Chị Lan", "so-tai-chinh");
    const second = reg(s, "Chị Lan", "cong-an-tinh");
    expect(second.id).toBe(first.id);
    expect(second.registrationId).not.toBe(first.registrationId);
    expect(s.users.pending().map((r) => [r.id, r.agencyId])).toEqual([[second.registrationId, "cong-an-tinh"]]);

    const old = s.users.approve(first.registrationId!, admin.id, T0);
    expect(old).toMatchObject({ ok: false, reason: "superseded", latest: { id: second.registrationId, agencyId: "cong-an-tinh" } });
    expect(s.users.get("zalo", "z1")).toMatchObject({ approved: false, agencyId: "cong-an-tinh" });

    expect(s.users.approve(second.registrationId!, admin.id, T0)).toMatchObject({ ok: true, outcome: "approved" });
    expect(s.users.approve(second.registrationId!, admin.id, T0)).toMatchObject({ ok: false, reason: "decided" });
    expect(s.users.reject(second.registrationId!, admin.id, T0)).toMatchObject({ ok: false, reason: "decided" });
    expect(s.users.get("zalo", "z1")).toMatchObject({ approved: true, agencyId: "cong-an-tinh", approvedBy: admin.id });
    expect(s.users.approve(999, admin.id, T0)).toEqual({ ok: false, reason: "unknown" });
  });

  it("refusing a re-registration gives back the earlier approved one", () => {
    const s = mem();
    const first = reg(s, "Chị Lan", "so-tai-chinh", true);
    const again = reg(s, "Lan", "cong-an-tinh");
    expect(s.users.get("zalo", "z1")).toMatchObject({ approved: false, agencyId: "cong-an-tinh" });
    const d = s.users.reject(again.registrationId!, null, T0);
    expect(d).toMatchObject({ ok: true, outcome: "restored", restored: { id: first.registrationId, agencyId: "so-tai-chinh" } });
    expect(s.users.get("zalo", "z1")).toMatchObject({ approved: true, name: "Chị Lan", agencyId: "so-tai-chinh", registrationId: first.registrationId });
  });

  it("refusing keeps a person who has status reports (not approved), and removes one who has nothing", () => {
    const s = mem();
    s.tasks.syncTasks([{ id: "BN-1", plan: "bn", name: "x", leadAgencies: [], coordinatorAgencies: [], deadline: { due: null, raw: "" } }], T0);
    // A person who reported before the registrations table existed, now waiting again: no earlier approved registration.
    const u = reg(s, "Anh Minh", "so-tai-chinh");
    s.updates.insert({ taskId: "BN-1", userId: u.id, status: "dang_thuc_hien", percent: 10, reportedAt: T0.toISOString(), channel: "zalo" });
    expect(s.users.reject(u.registrationId!, null, T0)).toMatchObject({ ok: true, outcome: "rejected" });
    expect(s.users.get("zalo", "z1")).toMatchObject({ approved: false });
    expect(s.users.registration(u.registrationId!)?.status).toBe("rejected");
    expect(s.users.pending()).toEqual([]);
    expect(s.updates.count()).toBe(1);

    const v = reg(s, "Khách", "so-noi-vu", false, "z2");
    expect(s.users.reject(v.registrationId!, null, T0)).toMatchObject({ ok: true, outcome: "removed", user: undefined });
    expect(s.users.get("zalo", "z2")).toBeUndefined();
  });
});

describe("invite codes", () => {
  it("count uses atomically within the limit, refuse once expired or revoked", () => {
    const s = mem();
    const i = s.invites.create({ codeHash: "h1", agencyId: "so-tai-chinh", maxUses: 2, expiresAt: at(60), createdBy: "telegram:1", now: T0 });
    expect(s.invites.byHash("h1")?.id).toBe(i.id);
    expect(s.invites.use(i.id, T0)).toBe(true);
    expect(s.invites.use(i.id, T0)).toBe(true);
    expect(s.invites.use(i.id, T0)).toBe(false);
    expect(s.invites.byId(i.id)?.uses).toBe(2);
    expect(s.invites.active(T0)).toEqual([]);

    const j = s.invites.create({ codeHash: "h2", agencyId: "so-noi-vu", maxUses: 5, expiresAt: at(60), createdBy: "telegram:1", now: T0 });
    expect(s.invites.active(T0).map((x) => x.id)).toEqual([j.id]);
    expect(s.invites.use(j.id, at(61))).toBe(false);
    expect(s.invites.revoke(j.id, "telegram:1", T0)).toBe(true);
    expect(s.invites.revoke(j.id, "telegram:1", T0)).toBe(false);
    expect(s.invites.use(j.id, T0)).toBe(false);
    expect(s.invites.byId(j.id)?.uses).toBe(0);
  });
});

describe("attempt limits", () => {
  const policy = { max: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxLockMs: 24 * 3600_000, forgetMs: 24 * 3600_000 };

  it("lock after 5 wrong attempts in 15 minutes, for longer after each lockout, and survive a restart", () => {
    const s = mem();
    for (let i = 0; i < 4; i++) expect(s.limits.fail("k", at(i), policy)).toMatchObject({ failures: i + 1, lockedNow: false, lockedUntil: null });
    expect(s.limits.fail("k", at(4), policy)).toEqual({ failures: 0, lockedNow: true, lockedUntil: at(19).toISOString() });
    expect(s.limits.lockedUntil("k", at(18))).toBe(at(19).toISOString());
    expect(s.limits.lockedUntil("k", at(20))).toBeNull();
    for (let i = 0; i < 4; i++) s.limits.fail("k", at(20 + i), policy);
    expect(s.limits.fail("k", at(24), policy).lockedUntil).toBe(at(24 + 30).toISOString());
    // spread out: 4 in one window, then a quiet window, then 4 again: no lock
    for (let i = 0; i < 4; i++) s.limits.fail("spread", at(i), policy);
    for (let i = 0; i < 4; i++) expect(s.limits.fail("spread", at(30 + i), policy).lockedNow).toBe(false);
    s.limits.clear("spread");
    expect(s.limits.fail("spread", at(40), policy).failures).toBe(1);
  });

  it("prune forgets old counters but never a lockout still running", () => {
    const s = mem();
    s.limits.take("old", T0, 3, 60_000);
    for (let i = 0; i < 5; i++) s.limits.fail("locked", T0, { ...policy, lockMs: 30 * 86_400_000, maxLockMs: 30 * 86_400_000 });
    expect(s.limits.prune(at(60))).toBe(1);
    expect(s.limits.lockedUntil("locked", at(61))).not.toBeNull();
  });

  it("rate-limit: take counts within the window", () => {
    const s = mem();
    expect([1, 2, 3, 4].map(() => s.limits.take("n", T0, 3, 3600_000))).toEqual([true, true, true, false]);
    expect(s.limits.take("n", at(61), 3, 3600_000)).toBe(true);
  });
});

describe("migration 4 on an existing database", () => {
  it("gives every user a registration with their own id, and cleans the names stored", () => {
    const db = openDatabase(":memory:");
    migrate(db, migrations.filter((m) => m.version < 4));
    const add = db.prepare(
      "INSERT INTO users (channel, channel_user_id, name, agency_id, role, approved, created_at, updated_at) VALUES ('telegram', ?, ?, ?, ?, ?, 't', 't')",
    );
    add.run("1", "Quản\u202E trị\u0007", null, "admin", 1);
    add.run("2", "Lê Thị Cúc\u200F", "so-tai-chinh", "user", 1);
    add.run("3", "\u3164\u3164\u3164", "so-noi-vu", "user", 0);
    migrate(db, migrations);
    expect(db.prepare("SELECT id, name, registration_id FROM users ORDER BY id").all()).toEqual([
      { id: 1, name: "Quản trị", registration_id: 1 },
      { id: 2, name: "Lê Thị Cúc", registration_id: 2 },
      { id: 3, name: "(không rõ tên)", registration_id: 3 },
    ]);
    expect(db.prepare("SELECT id, user_id, status FROM registrations ORDER BY id").all()).toEqual([
      { id: 1, user_id: 1, status: "approved" },
      { id: 2, user_id: 2, status: "approved" },
      { id: 3, user_id: 3, status: "pending" },
    ]);
    db.close();
  });
});
