/**
 * DeLoRA: golden numbers (tests/golden/modern.json; the oracle, peft 0.21.0 + transformers 5.18.0, where
 * marked), the releases that have it, PEFT's refusals and bad options.
 */
import { expect, test } from "vitest";
import { delora } from "../../formulas/peft/delora.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";

const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });
const bert = buildInventory(findPreset("bert-base-uncased")!.config, { task: "SEQ_CLS" });
const peft = (v: string) => ({ peft: parseVersion(v, "peft"), transformers: parseVersion("5.18.0", "transformers") });

test("vector m5-delora-default-bert-base-uncased: query, value ×12 at r·(in + out) + 1, plus the classifier", () => {
  const { breakdown } = evaluate(delora, bert, { r: 8, task_type: "SEQ_CLS" });
  expect(breakdown.trainable).toBe(296_474);
  expect(breakdown.allParams).toBe(109_780_252);
});

test("vector m5-delora-r16-alllinear-llama-3.2-1b: one delora_lambda per wrapped Linear", () => {
  const { breakdown } = evaluate(delora, llama, { r: 16, target_modules: "all-linear", task_type: "CAUSAL_LM" });
  expect(breakdown.trainable).toBe(11_272_304);
  const lambdas = breakdown.parts.filter((p) => p.name.endsWith("delora_lambda")).reduce((s, p) => s + p.count, 0);
  expect(lambdas).toBe(16 * 7);
});

// oracle: peft 0.21.0 + transformers 5.18.0, llama-3.2-1b, {"r": 4, "target_modules": ["q_proj", "v_proj"], "rank_pattern": {"v_proj": 2}, "bias": "delora_only"}
test("rank_pattern and bias=delora_only (Llama's projections have no bias)", () => {
  const { breakdown } = evaluate(delora, llama, { r: 4, target_modules: ["q_proj", "v_proj"], rank_pattern: { v_proj: 2 }, bias: "delora_only" });
  expect([breakdown.trainable, breakdown.allParams]).toEqual([344_096, 1_236_158_496]);
});

test("in PEFT since 0.18.0: an older release is refused", () => {
  expect(errorOf(() => evaluate(delora, llama, { target_modules: ["q_proj"] }, peft("0.17.1"))).code).toBe("METHOD_NOT_IN_RELEASE");
  expect(evaluate(delora, llama, { target_modules: ["q_proj"] }, peft("0.18.0")).breakdown.trainable).toBe((8 * 4096 + 1) * 16);
});

test("refusals: Conv1D targets, layers_to_transform with a regex, layers_pattern alone", () => {
  const gpt2 = buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM" });
  expect(errorOf(() => evaluate(delora, gpt2, { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  expect(errorOf(() => evaluate(delora, llama, { target_modules: ".*q_proj", layers_to_transform: [0] })).code).toBe("CONFLICTING_OPTIONS");
  expect(errorOf(() => evaluate(delora, llama, { target_modules: ["q_proj"], layers_pattern: "layers" })).code).toBe("CONFLICTING_OPTIONS");
});

test.each([{ r: 0 }, { rank_pattern: { q_proj: -1 } }, { bias: "lora_only" }])("schema violation %j", (bad) => {
  expect(() => evaluate(delora, llama, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
});
