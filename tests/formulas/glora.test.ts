/**
 * GLoRA: golden numbers (tests/golden/modern.json; the oracle, peft 0.21.0 + transformers 5.18.0, where
 * marked), the bias-only paths C, D, E, plain-Linear-only wrapping, the releases that have it, bad options.
 */
import { expect, test } from "vitest";
import { glora } from "../../formulas/peft/glora.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";

const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });
const bert = buildInventory(findPreset("bert-base-uncased")!.config, { task: "SEQ_CLS" });

test("vector m5-glora-default-qwen2.5-0.5b: q_proj and v_proj have a bias, so C (lora) and D, E (constant) exist", () => {
  const qwen = buildInventory(findPreset("qwen2.5-0.5b")!.config, { task: "CAUSAL_LM" });
  const { breakdown } = evaluate(glora, qwen, { task_type: "CAUSAL_LM" });
  expect(breakdown.trainable).toBe(1_425_888);
  expect(breakdown.allParams).toBe(495_458_656);
});

test("vector m5-glora-default-llama-3.2-1b: no biases, so only A and B", () => {
  const { breakdown } = evaluate(glora, llama, { task_type: "CAUSAL_LM" });
  expect(breakdown.trainable).toBe(1_703_936);
  expect(breakdown.parts.map((p) => p.name.split(".").pop()).sort()).toEqual(["glora_A", "glora_A", "glora_B", "glora_B"]);
});

test("vector m5-glora-r4-vector-llama-3.2-1b: vector A and B are d_out each", () => {
  const { breakdown } = evaluate(glora, llama, { r: 4, target_modules: ["k_proj", "o_proj", "q_proj", "v_proj"], config_A_B: "vector", config_C: "vector", config_D_E: "vector", task_type: "CAUSAL_LM" });
  expect(breakdown.trainable).toBe(163_840);
});

// oracle: peft 0.21.0 + transformers 5.18.0, bert-base-uncased (SEQ_CLS model, no task_type), options as given
test.each([
  [{ r: 4, config_A_B: "constant", config_C: "vector", config_D_E: "vector", target_modules: ["query", "dense"] }, 195_938, 109_679_716],
  [{ r: 4, config_A_B: "none", config_C: "lora", config_D_E: "none", target_modules: ["query"], bias: "glora_only" }, 46_128, 109_520_690],
])("oracle case %j", (raw, trainable, all) => {
  const { breakdown } = evaluate(glora, bert, raw);
  expect([breakdown.trainable, breakdown.allParams]).toEqual([trainable, all]);
});

test("only a plain torch Linear is wrapped: Conv1D and Linear subclasses are refused, as PEFT checks type(...) is nn.Linear", () => {
  const gpt2 = buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM" });
  expect(errorOf(() => evaluate(glora, gpt2, { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  const falcon = buildInventory(findPreset("falcon-7b")!.config, { task: "CAUSAL_LM" });
  // falcon's projections are FalconLinear, a subclass of nn.Linear
  expect(falcon.modules.find((m) => m.name.endsWith("query_key_value"))?.className).toBe("FalconLinear");
  expect(errorOf(() => evaluate(glora, falcon, { target_modules: ["query_key_value"] })).message).toMatch(/not a plain torch.nn.Linear/);
});

test("in PEFT since 0.20.0: older releases are refused", () => {
  const ctx = { peft: parseVersion("0.19.0", "peft"), transformers: parseVersion("5.18.0", "transformers") };
  expect(errorOf(() => evaluate(glora, llama, {}, ctx)).code).toBe("METHOD_NOT_IN_RELEASE");
});

test.each([{ config_A_B: "full" }, { config_C: "constant" }, { config_D_E: "lora" }, { r: -1 }])("schema violation %j", (bad) => {
  expect(() => evaluate(glora, llama, { ...bad })).toThrow(OptionsError);
});
