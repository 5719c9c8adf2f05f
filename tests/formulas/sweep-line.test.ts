/**
 * A sweep of a method affine in its knob counts two values and draws the line (src/peft/count-line.ts): `count`
 * runs twice for any number of values, the points equal `evaluate`, and a method or option without the
 * property (BD-LoRA's r / nblocks) is counted at every value.
 */
import { expect, test } from "vitest";
import { lora } from "../../formulas/peft/lora.js";
import { planMethod } from "../../formulas/sweep.js";
import { evaluate, type Formula } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";

const inv = buildInventory(findPreset("qwen3-235b-a22b")!.config, { expertLayout: "per-expert" });

function counted(formula: Formula): { formula: Formula; calls: () => number } {
  let n = 0;
  return { formula: { ...formula, count: (i, o, c) => (n++, formula.count(i, o, c)) }, calls: () => n };
}

test("LoRA all-linear on qwen3-235b per expert: 2 counts for 50 ranks, each point exact", () => {
  const { formula, calls } = counted(lora as unknown as Formula);
  const at = planMethod(formula, inv, { target_modules: "all-linear", use_dora: true }, "r");
  const ranks = Array.from({ length: 50 }, (_, i) => 3 * i + 1);
  const points = ranks.map((r) => at(r));
  expect(calls()).toBe(2);
  ranks.forEach((r, i) => expect(points[i]).toEqual(evaluate(lora, inv, { target_modules: "all-linear", use_dora: true, r }).breakdown));
  // r = 4, by hand: 94 layers × (q, k, v, o, router and 128 experts × gate, up, down), r·(d_in + d_out) each =
  // 2,200,704·r per layer, plus DoRA's d_out = 930,944 per layer
  expect(points[1]!.trainable).toBe(94 * (4 * 2_200_704 + 930_944));
  expect(points[0]!.activeTrainable).toBeLessThan(points[0]!.trainable);
});

test("BD-LoRA refuses some r (r / nblocks): every value is counted", () => {
  const { formula, calls } = counted(lora as unknown as Formula);
  const at = planMethod(formula, inv, { target_modules: ["q_proj", "v_proj"], use_bdlora: { target_modules_bd_a: ["q_proj"], target_modules_bd_b: ["v_proj"], nblocks: 2 } }, "r");
  for (const r of [2, 4, 6, 8]) at(r);
  expect(calls()).toBe(4);
  expect(() => at(3)).toThrow(/nblocks/);
});
