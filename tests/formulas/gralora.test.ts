/**
 * GraLoRA: golden numbers (tests/golden/modern.json; the oracle, peft 0.21.0 + transformers 5.18.0, where
 * marked), hybrid_r, PEFT's divisibility refusals, the releases that have it, and bad options.
 */
import { expect, test } from "vitest";
import { gralora } from "../../formulas/peft/gralora.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";

const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });
const gpt2 = buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM" });

test("vector m5-gralora-default-llama-3.2-1b: r=32, k=2 on q_proj, v_proj: the same as LoRA r=32", () => {
  const { breakdown } = evaluate(gralora, llama, { task_type: "CAUSAL_LM" });
  expect(breakdown.trainable).toBe(3_407_872);
  expect(breakdown.allParams).toBe(1_239_222_272);
});

test("vector m5-gralora-r16-hybrid4-llama-3.2-1b: (r + hybrid_r)·(in + out)", () => {
  const { breakdown } = evaluate(gralora, llama, { r: 16, hybrid_r: 4, target_modules: ["k_proj", "o_proj", "q_proj", "v_proj"], task_type: "CAUSAL_LM" });
  expect(breakdown.trainable).toBe(4_259_840);
  expect(breakdown.parts.map((p) => p.name.split(".").pop())).toEqual(expect.arrayContaining(["gralora_A_general", "gralora_B_general"]));
});

// oracle: peft 0.21.0 + transformers 5.18.0, gpt2, {"r": 8, "gralora_k": 4, "hybrid_r": 2, "target_modules": ["c_attn", "c_fc"]}
test("gpt2 Conv1D layers", () => {
  const { breakdown } = evaluate(gralora, gpt2, { r: 8, gralora_k: 4, hybrid_r: 2, target_modules: ["c_attn", "c_fc"] });
  expect([breakdown.trainable, breakdown.allParams]).toEqual([829_440, 125_269_248]);
});

test("refusals: r not divisible by gralora_k, a layer width not divisible by it (oracle: PEFT raises both)", () => {
  expect(errorOf(() => evaluate(gralora, llama, { r: 9, gralora_k: 2, target_modules: ["q_proj"] })).message).toMatch(/r=9 is not divisible/);
  expect(errorOf(() => evaluate(gralora, gpt2, { r: 10, gralora_k: 5, target_modules: ["c_attn"] })).message).toMatch(/in_features=768/);
});

test("in PEFT since 0.19.0: older releases are refused", () => {
  const ctx = { peft: parseVersion("0.18.0", "peft"), transformers: parseVersion("5.18.0", "transformers") };
  expect(errorOf(() => evaluate(gralora, llama, { target_modules: ["q_proj"] }, ctx)).code).toBe("METHOD_NOT_IN_RELEASE");
});

test.each([{ gralora_k: 0 }, { hybrid_r: -1 }, { r: 0 }, { bias: "lora_only" }])("schema violation %j", (bad) => {
  expect(() => evaluate(gralora, llama, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
});
