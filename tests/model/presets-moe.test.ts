/** Built-in MoE presets: published totals, both expert layouts, active parameters per token. */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { MOE_PRESETS } from "../../src/model/presets/moe.js";
import { type Inventory, numel, totalParams } from "../../src/model/types.js";

function activeParams(inv: Inventory): number {
  const e = inv.experts!;
  let routed = 0;
  for (const m of inv.modules) if (e.pattern.test(m.name)) for (const p of m.params) routed += numel(p.shape);
  return totalParams(inv.modules) - routed + (routed / e.total) * e.perToken;
}

const ACTIVE: Record<string, number> = {
  "mixtral-8x7b": 12_879_925_248,
  "mixtral-8x22b": 39_152_031_744,
  "qwen1.5-moe-a2.7b": 2_689_173_504,
  "qwen3-30b-a3b": 3_353_032_704,
  "qwen3-235b-a22b": 22_190_763_520,
};

describe("MoE presets", () => {
  test("the ids are exactly the promised ones", () => {
    expect(MOE_PRESETS.map((p) => p.id)).toEqual(Object.keys(ACTIVE));
  });

  test.each(MOE_PRESETS.map((p) => [p.id, p] as const))("%s: published total = our inventory, in both layouts", (id, p) => {
    const perExpert = buildInventory(p.config, { expertLayout: "per-expert" });
    const fused = buildInventory(p.config, { expertLayout: "fused" });
    expect(totalParams(perExpert.modules)).toBe(p.publishedParams);
    expect(totalParams(fused.modules)).toBe(p.publishedParams);
    expect(activeParams(perExpert)).toBe(ACTIVE[id]);
    expect(activeParams(fused)).toBe(ACTIVE[id]);
    // the active figure quoted in the note is the one we compute
    expect(p.note).toContain(ACTIVE[id]!.toLocaleString("en-US"));
  });

  test.each([
    ["mistralai/Mixtral-8x7B-v0.1", "mixtral-8x7b"],
    ["mistralai/mixtral-8x22b-v0.1", "mixtral-8x22b"],
    ["Qwen/Qwen1.5-MoE-A2.7B", "qwen1.5-moe-a2.7b"],
    ["Qwen/Qwen3-30B-A3B", "qwen3-30b-a3b"],
    ["Qwen/Qwen3-235B-A22B", "qwen3-235b-a22b"],
  ])("%s resolves to %s", (name, id) => {
    expect(findPreset(name)?.id).toBe(id);
  });
});
