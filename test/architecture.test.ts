// Rule protected here: the arrows between rooms go one way (ARCHITECTURE.md):
// no import cycle, the core imports no feature, channel or store, channels only
// translate, the lower rooms never reach up. The rules live in
// .dependency-cruiser.cjs; this test makes CI fail on any violation.
import { createRequire } from "node:module";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const config = require("../.dependency-cruiser.cjs") as IConfiguration;

describe("the import graph of src/", () => {
  it("breaks none of the architecture rules", async () => {
    const result = await cruise(["src"], { ruleSet: { forbidden: config.forbidden }, ...config.options, validate: true, tsConfig: { fileName: "tsconfig.json" } });
    if (typeof result.output === "string") throw new Error(result.output);
    const violations = result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
    // The graph really was read (a misconfigured cruise would find nothing to break).
    expect(result.output.modules.length).toBeGreaterThan(80);
  }, 60_000);
});
