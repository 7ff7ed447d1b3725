// Rule protected here: the dashboard counts the way the rest of the bot does —
// a task's state is its latest report; "30 ngày chưa báo cáo" is an unfinished
// task with no report in 30 days; agencies are counted as lead and as
// coordinator apart; filters drop values that name nothing; weeks are local.
import { afterEach, describe, expect, it } from "vitest";
import { agencyTable, filterQuery, filterTasks, overview, parseFilters, snapshot, trend } from "../../../src/features/dashboard/data.js";
import { KHCN, NV, TC, makeBot, seedUser, type Bot } from "../progress/fixtures.js";
import { MANY } from "./fixtures.js";

let bots: Bot[] = [];
afterEach(() => {
  for (const b of bots) b.close();
  bots = [];
});

async function seeded() {
  const b = makeBot({ tasks: MANY });
  bots.push(b);
  seedUser(b.store, { userId: "100", agencyId: KHCN.id });
  b.clock.now = new Date("2026-01-05T02:00:00.000Z"); // a Monday, 09:00 local
  await b.say("/capnhat BN-7.22 20% đang làm");
  await b.say("/capnhat DM-18a 10% đang làm");
  b.clock.now = new Date("2026-01-11T16:59:00.000Z"); // Sunday 23:59 local: still that week
  await b.say("/capnhat DM-18a xong");
  b.clock.now = new Date("2026-01-11T17:00:00.000Z"); // Monday 00:00 local: the next week
  await b.say("/capnhat BN-7.22 50% chậm tiến độ");
  b.clock.now = new Date("2026-03-10T02:00:00.000Z");
  return b;
}

describe("counts", () => {
  it("per plan: latest status, complete, overdue, not reported in 30 days", async () => {
    const b = await seeded();
    const s = snapshot(b.store, b.knowledge, b.clock.now, "Asia/Ho_Chi_Minh", { kind: "all" });
    const o = overview(s);
    expect(o.plans.map((p) => p.id)).toEqual(["bac-ninh-ubnd-2026", "da-mai-dang-uy-2026"]);
    const bn = o.plans[0]!.tally;
    const bnTasks = MANY.filter((t) => t.plan === "bac-ninh-ubnd-2026");
    expect(bn.tasks).toBe(bnTasks.length);
    expect(bn.byStatus.cham_tien_do).toBe(1);
    expect(bn.unreported).toBe(bnTasks.length - 1);
    // BN-7.22 last reported on 11/01: more than 30 days before 10/03, so it counts as not reported
    expect(bn.stale).toBe(bnTasks.length);
    expect(bn.overdue).toBe(bnTasks.filter((t) => t.deadline.due && t.deadline.due < "2026-03-10").length);
    const dm = o.plans[1]!.tally;
    expect(dm.byStatus.hoan_thanh).toBe(1);
    expect(dm.stale).toBe(dm.tasks - 1); // the finished one needs no report
    expect(o.total.tasks).toBe(MANY.length);
  });

  it("per agency: as lead and as coordinator apart; an official's table holds their agency only", async () => {
    const b = await seeded();
    const s = snapshot(b.store, b.knowledge, b.clock.now, "Asia/Ho_Chi_Minh", { kind: "all" });
    const lead = agencyTable(s, "lead", "nv", "desc");
    const coord = agencyTable(s, "coordinator", "nv", "desc");
    const count = (id: string, role: "lead" | "coord") => MANY.filter((t) => (role === "lead" ? t.leadAgencies : t.coordinatorAgencies).some((a) => a.id === id)).length;
    for (const a of [KHCN, TC, NV]) {
      expect(lead.find((r) => r.agencyId === a.id)?.tasks).toBe(count(a.id, "lead"));
      expect(coord.find((r) => r.agencyId === a.id)?.tasks ?? 0).toBe(count(a.id, "coord"));
    }
    expect(lead.map((r) => r.tasks)).toEqual([...lead.map((r) => r.tasks)].sort((x, y) => y - x));
    expect(agencyTable(s, "lead", "ten", "asc").map((r) => r.name)).toEqual([...lead.map((r) => r.name)].sort((x, y) => x.localeCompare(y, "vi")));
    const mine = snapshot(b.store, b.knowledge, b.clock.now, "Asia/Ho_Chi_Minh", { kind: "agency", agencyId: TC.id });
    expect(agencyTable(mine, "coordinator", "nv", "desc").map((r) => r.agencyId)).toEqual([TC.id]);
  });
});

describe("filters", () => {
  it("keeps known values only, and round-trips through the query string", async () => {
    const b = await seeded();
    const q = new URLSearchParams("kh=bac-ninh-ubnd-2026&muc=bac-ninh-ubnd-2026|VII&cq=so-tai-chinh&vai=lead&tt=cham_tien_do&tu=2026-01-01&den=2026-02-30&quahan=1&q=%20dữ%20liệu%20&sap=tyle&chieu=desc&trang=2");
    const f = parseFilters((k) => q.get(k) ?? undefined, b.knowledge);
    expect(f).toEqual({
      plan: "bac-ninh-ubnd-2026", section: "bac-ninh-ubnd-2026|VII", agency: "so-tai-chinh", role: "lead", status: "cham_tien_do",
      from: "2026-01-01", to: undefined, overdue: true, stale: false, q: "dữ liệu", sort: "tyle", dir: "desc", page: 2,
    });
    const bad = new URLSearchParams("kh=nope&cq=<script>&tt=x&tu=01/02/2026&sap=drop&trang=-1&vai=boss");
    expect(parseFilters((k) => bad.get(k) ?? undefined, b.knowledge)).toEqual({ role: "any", overdue: false, stale: false, sort: "han", dir: "asc", page: 1, plan: undefined, section: undefined, agency: undefined, status: undefined, from: undefined, to: undefined, q: undefined });
    const again = new URLSearchParams(filterQuery(f).slice(1));
    expect(parseFilters((k) => again.get(k) ?? undefined, b.knowledge)).toEqual(f);
  });

  it("narrows by status, due period, agency role, words typed without diacritics", async () => {
    const b = await seeded();
    const s = snapshot(b.store, b.knowledge, b.clock.now, "Asia/Ho_Chi_Minh", { kind: "all" });
    const base = parseFilters(() => undefined, b.knowledge);
    expect(filterTasks(s, { ...base, status: "cham_tien_do" }).map((t) => t.id)).toEqual(["BN-7.22"]);
    expect(filterTasks(s, { ...base, status: "hoan_thanh" }).map((t) => t.id)).toEqual(["DM-18a"]);
    const q1 = filterTasks(s, { ...base, from: "2026-06-01", to: "2026-06-30" });
    expect(q1.every((t) => t.due! >= "2026-06-01" && t.due! <= "2026-06-30")).toBe(true);
    expect(q1.map((t) => t.id)).toContain("BN-7.22");
    expect(filterTasks(s, { ...base, agency: TC.id, role: "coordinator" }).every((t) => t.coordinatorIds.includes(TC.id))).toBe(true);
    expect(filterTasks(s, { ...base, q: "co so du lieu" }).map((t) => t.id)).toEqual(["BN-7.22"]);
    const overdue = filterTasks(s, { ...base, overdue: true });
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((t) => t.overdue)).toBe(true);
    const byDue = filterTasks(s, base).map((t) => t.due ?? "9999");
    expect(byDue).toEqual([...byDue].sort());
  });
});

describe("the trend", () => {
  it("counts updates per local week and the share complete at each week's end", async () => {
    const b = await seeded();
    const s = snapshot(b.store, b.knowledge, b.clock.now, "Asia/Ho_Chi_Minh", { kind: "all" });
    const weeks = trend(s, b.store.updates.timeline(), { weeks: 12 });
    expect(weeks[0]).toEqual({ start: "2026-01-05", end: "2026-01-11", updates: 3, done: 1, pct: Math.round(100 / MANY.length) });
    expect(weeks[1]).toMatchObject({ start: "2026-01-12", updates: 1, done: 1 });
    expect(weeks.at(-1)).toMatchObject({ start: "2026-03-09", updates: 0, done: 1 });
    expect(weeks.reduce((a, w) => a + w.updates, 0)).toBe(b.store.updates.count());
    const dm = trend(s, b.store.updates.timeline(), { weeks: 12, plan: "da-mai-dang-uy-2026" });
    expect(dm[0]).toMatchObject({ updates: 2, done: 1, pct: Math.round(100 / MANY.filter((t) => t.plan === "da-mai-dang-uy-2026").length) });
  });
});
