// Rules protected here: a task is reminded at each stage of REMINDER_DAYS (14, 7,
// 1 days before its deadline), once per stage; an unfinished overdue task comes
// back once a week; a report date is announced DUTY_LEAD_DAYS ahead; a task with
// no update for 30 days is "stale"; a finished task is never reminded; a group
// subscribed to one agency sees only that agency's items.
import { describe, expect, it } from "vitest";
import { RuleEngine, isDone, type ReminderItem, type Target } from "../../../src/features/reminders/rules.js";
import { dayNumber } from "../../../src/text/dates.js";
import { BG, BN, fixtureKnowledge, KHCN, STATUSES, TC } from "./fixtures.js";

const knowledge = fixtureKnowledge();
const SINCE = "2026-01-15T02:00:00.000Z";

function items(date: string, targets: Target[], statuses = STATUSES): ReminderItem[] {
  const engine = new RuleEngine(knowledge, (id) => statuses.get(id), dayNumber(date));
  return engine.itemsFor({ chat: "telegram:-1", targets, since: SINCE });
}
const keys = (list: ReminderItem[]) => list.map((i) => `${i.rule}|${i.id}|${i.window}`);

describe("rule windows", () => {
  it("on Monday 2026-03-02 a group following Sở KH&CN gets overdue, 1- and 14-day, and stale items — in digest order", () => {
    expect(keys(items("2026-03-02", [{ kind: "agency", id: KHCN.id }]))).toEqual([
      "overdue|BN-3|2026-02-20#1",
      "due-soon|BG-5|2026-03-03@1",
      "due-soon|BN-1|2026-03-16@14",
      "stale|BN-4|2026-01-15#1",
    ]);
  });

  it("a group subscribed to one agency sees only that agency's items", () => {
    const list = items("2026-03-02", [{ kind: "agency", id: TC.id }]);
    expect(keys(list)).toEqual(["due-soon|BN-2|2026-03-09@7"]);
    expect(list[0]).toMatchObject({ id: "BN-2", due: "2026-03-09", daysLeft: 7, lead: "Sở Tài chính" });
  });

  it("a plan subscription covers every task of the plan and nothing of other plans", () => {
    const ids = items("2026-03-02", [{ kind: "plan", id: BG }]).map((i) => i.id);
    expect(ids).toEqual(["BG-5"]);
    const bn = items("2026-03-02", [{ kind: "plan", id: BN }]).map((i) => i.id);
    expect(bn).toEqual(["BN-3", "BN-2", "BN-1", "BN-4"]);
  });

  it("due-soon moves through the stages 14 → 7 → 1 and each stage has its own window", () => {
    const at = (d: string) => items(d, [{ kind: "agency", id: KHCN.id }]).filter((i) => i.id === "BN-1").map((i) => `${i.rule}|${i.window}`);
    expect(at("2026-03-02")).toEqual(["due-soon|2026-03-16@14"]); // 14 days left
    expect(at("2026-03-08")).toEqual(["due-soon|2026-03-16@14"]); // 8 left: still the 14-day stage
    expect(at("2026-03-09")).toEqual(["due-soon|2026-03-16@7"]);
    expect(at("2026-03-14")).toEqual(["due-soon|2026-03-16@7"]); // 2 left
    expect(at("2026-03-15")).toEqual(["due-soon|2026-03-16@1"]);
    expect(at("2026-03-16")).toEqual(["due-soon|2026-03-16@1"]); // due today: still the last stage
    expect(at("2026-03-17")).toEqual(["overdue|2026-03-16#0"]);
    expect(at("2026-02-28")).toEqual(["stale|2026-01-15#1"]); // 16 days left: no stage yet, so the stale rule speaks
  });

  it("REMINDER_DAYS is honoured (e.g. 3,0)", () => {
    const engine = new RuleEngine(knowledge, (id) => STATUSES.get(id), dayNumber("2026-03-13"), {
      reminderDays: [3, 0],
      dutyLeadDays: 3,
      overdueRepeatDays: 7,
      staleDays: 30,
    });
    const t = knowledge.task("BN-1")!;
    expect(engine.taskItems(t).map((i) => i.window)).toEqual(["2026-03-16@3"]);
  });

  it("an overdue task comes back once a week, never when finished", () => {
    const w = (d: string) => items(d, [{ kind: "agency", id: KHCN.id }]).filter((i) => i.id === "BN-3").map((i) => i.window);
    expect(w("2026-02-21")).toEqual(["2026-02-20#0"]);
    expect(w("2026-02-27")).toEqual(["2026-02-20#0"]);
    expect(w("2026-02-28")).toEqual(["2026-02-20#1"]);
    expect(w("2026-03-09")).toEqual(["2026-02-20#2"]);
    const done = new Map([...STATUSES, ["BN-3", { status: "hoan_thanh", at: "2026-03-01T01:00:00Z" }]]);
    expect(items("2026-03-09", [{ kind: "agency", id: KHCN.id }], done).filter((i) => i.id === "BN-3")).toEqual([]);
  });

  it("'hoàn thành' in any spelling means done", () => {
    expect(["hoan_thanh", "Hoàn thành", "đã hoàn thành", "HOAN THANH"].map(isDone)).toEqual([true, true, true, true]);
    expect(["chua_trien_khai", "dang_thuc_hien", "chưa hoàn thành", ""].map(isDone)).toEqual([false, false, false, false]);
  });

  it("stale: 30 days without an update (from the last update, or from the subscription), repeating every 30 days", () => {
    const stale = (d: string, st = STATUSES) =>
      items(d, [{ kind: "agency", id: KHCN.id }], st).filter((i) => i.rule === "stale").map((i) => `${i.id}|${i.window}`);
    expect(stale("2026-02-13")).toEqual([]); // 29 days after subscribing
    // BN-3 is in its 7-day stage (not stale); BN-6 is finished; BN-7's update (02-20) is newer
    expect(stale("2026-02-16")).toEqual(["BG-5|2026-01-15#1", "BN-1|2026-01-15#1", "BN-4|2026-01-15#1"]);
    expect(stale("2026-03-23")).toEqual(["BN-7|2026-02-20#1", "BN-4|2026-01-15#2"]); // by due date, undated last
  });

  it("a report date is announced from 3 days before it until the day itself (quarterly 15/3 falls on a Sunday)", () => {
    const duties = (d: string, t: Target) => items(d, [t]).filter((i) => i.rule === "duty-due");
    const tc = { kind: "agency" as const, id: TC.id };
    expect(duties("2026-03-11", tc)).toEqual([]);
    const fri = duties("2026-03-13", tc);
    expect(fri.map((i) => `${i.id}|${i.window}|${i.daysLeft}`)).toEqual(["BN-D1|2026-03-15|2"]);
    expect(fri[0]!.name).toBe("Báo cáo định kỳ hàng quý — KH UBND tỉnh Bắc Ninh 2026, gửi Sở Khoa học và Công nghệ");
    expect(fri[0]!.lead).toBe("Các sở, ban, ngành");
    expect(duties("2026-03-17", tc).map((i) => `${i.id}|${i.window}`)).toEqual(["BN-D1|2026-03-20"]);
    // 20/11: the monthly and the yearly report fall together → one item
    const nov = duties("2026-11-18", tc);
    expect(nov.map((i) => i.window)).toEqual(["2026-11-20"]);
    expect(nov[0]!.name).toContain("hàng tháng, hàng năm");
  });

  it("Bắc Giang's 6-monthly reports (15/6 and 1/12) reach the agency named, across a month end", () => {
    const k = { kind: "agency" as const, id: KHCN.id };
    const d = (date: string) => items(date, [k]).filter((i) => i.rule === "duty-due").map((i) => `${i.id}|${i.window}`);
    expect(d("2026-06-12")).toEqual(["BG-D2|2026-06-15", "BN-D1|2026-06-15"]); // and Bắc Ninh's quarterly
    expect(d("2026-11-28")).toEqual(["BG-D2|2026-12-01"]);
    expect(d("2026-11-26")).toEqual([]); // 20/11 passed, 1/12 is 5 days away
    // Sở Tài chính leads nothing in the Bắc Giang plan and is not named: no BG report for it
    expect(items("2026-06-12", [{ kind: "agency", id: TC.id }]).filter((i) => i.id === "BG-D2")).toEqual([]);
  });
});

describe("stale cap", () => {
  it("a digest carries at most N stale tasks; the rest wait for the next days and the digest says so", async () => {
    const { capStale } = await import("../../../src/features/reminders/rules.js");
    const { renderDigest } = await import("../../../src/features/reminders/digest.js");
    const list = items("2026-02-16", [{ kind: "agency", id: KHCN.id }]);
    expect(list.filter((i) => i.rule === "stale").map((i) => i.id)).toEqual(["BG-5", "BN-1", "BN-4"]);
    const capped = capStale(list, 1);
    expect(capped.held).toBe(2);
    expect(capped.items.filter((i) => i.rule === "stale").map((i) => i.id)).toEqual(["BG-5"]);
    const text = renderDigest(capped.items, { date: "2026-02-16", limit: 4096, staleHeld: capped.held })[0]!.text;
    expect(text).toContain("… và 2 nhiệm vụ khác chưa cập nhật, sẽ nhắc trong các ngày tới.");
  });
});
