/** The README's library example, verbatim in spirit: the public API gives PEFT's number. */
import { expect, test } from "vitest";
import { buildInventory, evaluate, findFormula, findPreset } from "../src/index.js";

test("LoRA r=16 all-linear on llama-3-8b through the library API", () => {
  const inv = buildInventory(findPreset("llama-3-8b")!.config, { task: "CAUSAL_LM" });
  const { breakdown, options } = evaluate(findFormula("lora")!, inv, { r: 16, target_modules: "all-linear" });
  expect(breakdown.trainable).toBe(41_943_040);
  expect(breakdown.allParams).toBe(8_072_204_288);
  expect((options as { lora_alpha: number }).lora_alpha).toBe(8);
});

test("presets resolve by HF repo id, case-insensitively", () => {
  expect(findPreset("meta-llama/meta-llama-3-8b")?.id).toBe("llama-3-8b");
});
