/** LoRA options that would change the count in ways peftcount does not model are refused, never ignored. */
import { expect, test } from "vitest";
import { lora } from "../../formulas/peft/lora.js";
import { evaluate } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";

const inv = buildInventory(findPreset("llama-3.2-1b")!.config);

test.each([
  [{ arrow_config: { top_k: 3 } }, /arrow_config/],
  [{ use_qalora: true }, /use_qalora/],
])("%j is refused", (extra, message) => {
  expect(() => evaluate(lora, inv, { r: 8, target_modules: ["q_proj"], ...extra })).toThrow(InputError);
  expect(() => evaluate(lora, inv, { r: 8, target_modules: ["q_proj"], ...extra })).toThrow(message);
});

test("the values PEFT writes by default (null, [], false) are accepted and change nothing", () => {
  const plain = evaluate(lora, inv, { r: 8, target_modules: ["q_proj"] }).breakdown.trainable;
  for (const extra of [{ target_parameters: null }, { target_parameters: [] }, { use_qalora: false, qalora_group_size: 16 }])
    expect(evaluate(lora, inv, { r: 8, target_modules: ["q_proj"], ...extra }).breakdown.trainable).toBe(plain);
  // q_proj 2048→2048 on 16 layers: 8·(2048+2048)·16
  expect(plain).toBe(524_288);
});

test("exclude_modules that excludes nothing is counted as PEFT does, with PEFT's warning", () => {
  const { breakdown } = evaluate(lora, inv, { r: 8, target_modules: ["q_proj"], exclude_modules: ["nonexistent"] });
  expect(breakdown.trainable).toBe(524_288);
  expect(breakdown.warnings).toEqual(['exclude_modules=["nonexistent"] excluded nothing (PEFT warns too); check the names']);
  expect(evaluate(lora, inv, { r: 8, target_modules: "all-linear", exclude_modules: ["down_proj"] }).breakdown.warnings).toEqual([]);
});
