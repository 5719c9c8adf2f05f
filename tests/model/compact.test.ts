/**
 * The compact form of real presets (src/model/compact.ts): how many entries it lists, that its weighted total is
 * the expanded list's, and that the expanded list is what named_modules() yields (names in model order).
 */
import { expect, test } from "vitest";
import { compactOf, modelParams } from "../../src/model/compact.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams, weightOf } from "../../src/model/types.js";

test("qwen3-235b-a22b per expert: 15 entries stand for 36,945 modules", () => {
  const inv = buildInventory(findPreset("qwen3-235b-a22b")!.config, { expertLayout: "per-expert" });
  const compact = compactOf(inv)!;
  expect(compact.modules.length).toBe(15);
  expect(compact.modules.reduce((n, m) => n + weightOf(m), 0)).toBe(36_945);
  expect(inv.modules.length).toBe(36_945);
  expect(modelParams(inv)).toBe(totalParams(inv.modules));
  expect(inv.modules.slice(7, 11).map((m) => m.name)).toEqual(["model.layers.0.mlp.gate", "model.layers.0.mlp.experts.0.gate_proj", "model.layers.0.mlp.experts.0.up_proj", "model.layers.0.mlp.experts.0.down_proj"]);
  expect(inv.modules[36_945 - 5]!.name).toBe("model.layers.93.mlp.experts.127.down_proj");
});

test("a fused layout and a dense model have no compact form", () => {
  expect(compactOf(buildInventory(findPreset("qwen3-235b-a22b")!.config))).toBeUndefined();
  expect(compactOf(buildInventory(findPreset("llama-3-8b")!.config))).toBeUndefined();
});

test("a spread copy is a plain full inventory (a transform can never count on a stale compact form)", () => {
  const inv = buildInventory(findPreset("mixtral-8x7b")!.config, { expertLayout: "per-expert" });
  const copy = { ...inv };
  expect(compactOf(copy)).toBeUndefined();
  expect(copy.modules).toBe(inv.modules);
});
