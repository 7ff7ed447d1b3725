// Every task row of every table, every labelled task and every indicator of the
// five plans is exactly one record: none lost, none merged, none duplicated.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KNOWLEDGE_DIR, realKnowledge } from "./helpers.js";

const count = (plan: string) => {
  const kb = realKnowledge();
  return {
    tasks: kb.tasks.filter((t) => t.plan === plan).length,
    indicators: kb.indicators.filter((i) => i.plan === plan).length,
    duties: kb.duties.filter((d) => d.plan === plan).length,
  };
};

describe("record counts per plan (counted by hand from the documents)", () => {
  it("UBND tỉnh Bắc Ninh: 162 task rows in Phụ lục II, 58 indicators in Phụ lục I, 5 duties", () => {
    expect(count("bac-ninh-ubnd-2026")).toEqual({ tasks: 162, indicators: 58, duties: 5 });
  });
  it("Đảng ủy phường Đa Mai: 29 labelled tasks (1–17, 18a–18e, 19–24… with 18 split in six), 26 indicators in groups A–E", () => {
    expect(count("da-mai-dang-uy-2026")).toEqual({ tasks: 29, indicators: 26, duties: 15 });
  });
  it("Tỉnh ủy Lai Châu: 23 bullets followed by '+ Đơn vị chủ trì'", () => {
    expect(count("lai-chau-tinh-uy-2026")).toMatchObject({ tasks: 23, indicators: 0 });
  });
  it("the narrative plans have no tables: their assignments are duties", () => {
    expect(count("bac-ninh-thanh-tra-2026")).toEqual({ tasks: 0, indicators: 0, duties: 2 });
    expect(count("bac-giang-ubnd-2025")).toEqual({ tasks: 0, indicators: 0, duties: 6 });
  });

  it("every numbered table row of Bắc Ninh is the first line of exactly one record", () => {
    const lines = readFileSync(join(KNOWLEDGE_DIR, "bac-ninh-ubnd-2026.md"), "utf8").split("\n");
    const rowLines = lines.flatMap((l, i) => (/^\|\s*(?:<b>)?\d+(?:<\/b>)?\s*\|/.test(l) ? [i + 1] : []));
    const kb = realKnowledge();
    const starts = [...kb.tasks, ...kb.indicators].filter((r) => r.plan === "bac-ninh-ubnd-2026").map((r) => r.source.line);
    expect(starts.sort((a, b) => a - b)).toEqual(rowLines);
  });

  it("every labelled task of Đa Mai and Lai Châu starts right before its labels", () => {
    const kb = realKnowledge();
    for (const file of ["da-mai-dang-uy-2026.md", "lai-chau-tinh-uy-2026.txt"]) {
      const lines = readFileSync(join(KNOWLEDGE_DIR, file), "utf8").split("\n");
      const leadLabels = lines.flatMap((l, i) => (/^\s*(?:\*|\+\s)\s*(?:Cơ quan|Đơn vị) chủ trì:/.test(l.normalize("NFC")) ? [i + 1] : []));
      const tasks = kb.tasks.filter((t) => t.source.file === file);
      // Đa Mai task 9 has two label blocks in one record.
      expect(leadLabels.length).toBe(tasks.length + (file.startsWith("da-mai") ? 1 : 0));
      for (const t of tasks) expect(leadLabels.some((l) => l > t.source.line && l <= t.source.endLine)).toBe(true);
    }
  });

  it("ids are unique, even where section + TT repeats", () => {
    const kb = realKnowledge();
    const ids = [...kb.tasks, ...kb.indicators, ...kb.duties, ...kb.passages].map((r) => r.id.toUpperCase());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
