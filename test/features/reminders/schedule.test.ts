// Rule protected: a periodic reporting duty falls due on the dates the plan
// wrote — monthly before the 20th, quarterly before the 15th of the quarter's
// last month, yearly before 20/11 (Bắc Ninh); 6-monthly before 15/6 and 1/12
// (Bắc Giang); undated periods at the end of the period.
import { describe, expect, it } from "vitest";
import { occurrences } from "../../../src/features/reminders/schedule.js";
import { dayNumber } from "../../../src/text/dates.js";

const Y2026 = [dayNumber("2026-01-01"), dayNumber("2026-12-31")] as const;
const all = (r: Parameters<typeof occurrences>[0]) => occurrences(r, ...Y2026);

describe("schedule expansion", () => {
  it("Bắc Ninh: monthly 20, quarterly 15 of the last month, yearly 20/11", () => {
    expect(all({ period: "month", day: 20, month: null, raw: "" })).toHaveLength(12);
    expect(all({ period: "month", day: 20, month: null, raw: "" }).slice(0, 3)).toEqual(["2026-01-20", "2026-02-20", "2026-03-20"]);
    expect(all({ period: "quarter", day: 15, month: 3, raw: "" })).toEqual(["2026-03-15", "2026-06-15", "2026-09-15", "2026-12-15"]);
    expect(all({ period: "year", day: 20, month: 11, raw: "" })).toEqual(["2026-11-20"]);
  });

  it("Bắc Giang: 15/6 and 1/12, as the ingestion writes them (one yearly rule per date) or as half-year rules", () => {
    expect([...all({ period: "year", day: 15, month: 6, raw: "" }), ...all({ period: "year", day: 1, month: 12, raw: "" })]).toEqual([
      "2026-06-15",
      "2026-12-01",
    ]);
    expect(all({ period: "half", day: 15, month: 6, raw: "" })).toEqual(["2026-06-15", "2026-12-15"]);
    expect(all({ period: "half", day: 1, month: 12, raw: "" })).toEqual(["2026-12-01"]); // a month of the year
  });

  it("undated periods fall on the period's last day; day 31 is clamped", () => {
    expect(all({ period: "half", day: null, month: null, raw: "" })).toEqual(["2026-06-30", "2026-12-31"]);
    expect(all({ period: "quarter", day: null, month: null, raw: "" })).toEqual(["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]);
    expect(all({ period: "year", day: null, month: 9, raw: "" })).toEqual(["2026-09-30"]);
    expect(all({ period: "month", day: 31, month: null, raw: "" }).slice(1, 4)).toEqual(["2026-02-28", "2026-03-31", "2026-04-30"]);
  });

  it("a range across a year end", () => {
    expect(occurrences({ period: "month", day: 20, month: null, raw: "" }, dayNumber("2026-12-18"), dayNumber("2027-01-25"))).toEqual([
      "2026-12-20",
      "2027-01-20",
    ]);
  });
});
