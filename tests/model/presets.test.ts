/** Every preset reproduces its published parameter count, for the head that count refers to. */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import { MODEL_PRESETS } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";

describe("presets", () => {
  test("there are at least 30, with unique ids and aliases", () => {
    expect(MODEL_PRESETS.length).toBeGreaterThanOrEqual(30);
    const names = MODEL_PRESETS.flatMap((p) => [p.id, ...p.aliases.map((a) => a.toLowerCase()).filter((a) => a !== p.id)]);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(MODEL_PRESETS.map((p) => [p.id, p] as const))("%s", (_id, p) => {
    const inv = buildInventory(p.config, { task: p.publishedTask, expertLayout: "fused" });
    expect(totalParams(inv.modules)).toBe(p.publishedParams);
    expect(p.source.length).toBeGreaterThan(10);
  });
});
