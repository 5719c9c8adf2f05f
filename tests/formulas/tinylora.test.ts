/**
 * TinyLoRA beyond the golden vectors (m5-tinylora-*): weight_tying groups (Python's round), Embedding and
 * Conv1D targets, "all-linear". Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { expect, test } from "vitest";
import { roundHalfEven, tinylora, tinyloraGroups } from "../../formulas/peft/tinylora.js";
import { OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";
import { countOn } from "./shared-tensor-helpers.js";

test.each([
  // source: oracle, llama-3.2-1b.json, {"target_modules": ["q_proj"], "layers_to_transform": [0, 1, 2, 3, 4], "weight_tying": 0.5, "u": 10}
  // 5 layers · 0.5 = 2.5 → round() = 2 groups
  ["llama-3.2-1b", { target_modules: ["q_proj"], layers_to_transform: [0, 1, 2, 3, 4], weight_tying: 0.5, u: 10 }, 20, 1_235_814_420],
  // source: oracle, llama-3.2-1b.json, {"target_modules": ["embed_tokens", "q_proj"], "u": 10}: the tied embedding is one more layer
  ["llama-3.2-1b", { target_modules: ["embed_tokens", "q_proj"], u: 10 }, 170, 1_235_814_570],
  // source: oracle, gpt2.json, {"u": 10} (default c_attn, Conv1D)
  ["gpt2", { u: 10 }, 120, 124_439_928],
  // source: oracle, gpt2.json, {"target_modules": "all-linear", "weight_tying": 0.7, "u": 8}: 48 · 0.3 = 14.4 → 14 groups
  ["gpt2", { target_modules: "all-linear", weight_tying: 0.7, u: 8 }, 112, 124_439_920],
] as const)("%s %j", (model, options, trainable, all) => {
  const r = countOn(tinylora, model, options);
  expect([r.trainable, r.all]).toEqual([trainable, all]);
  expect(r.parts).toEqual({ tinylora_v: trainable });
});

test("roberta all-linear with task_type SEQ_CLS: the 72 encoder layers, not the head (a saved copy)", () => {
  // source: oracle, roberta-base.json SEQ_CLS, {"target_modules": "all-linear", "u": 1, "task_type": "SEQ_CLS"}
  const r = countOn(tinylora, "roberta-base", { target_modules: "all-linear", u: 1, task_type: "SEQ_CLS" });
  expect([r.trainable, r.all]).toEqual([592_202, 125_239_372]);
  expect(r.parts["tinylora_v"]).toBe(72);
});

test.each([
  // source: oracle, bert-base-uncased.json FEATURE_EXTRACTION, {"target_modules": ["query", "value"], "weight_tying": 0.3, "u": 10}: round(16.8) = 17
  [0.3, 170],
  // source: oracle, same, "weight_tying": 1.0: one v for all 24 layers
  [1.0, 10],
])("bert, 24 layers, weight_tying %d", (weight_tying, trainable) => {
  const r = countOn(tinylora, "bert-base-uncased", { target_modules: ["query", "value"], weight_tying, u: 10 }, { task: "FEATURE_EXTRACTION" });
  expect([r.trainable, r.base]).toEqual([trainable, 109_482_240]);
});

test("round() as Python 3: halves to even", () => {
  expect([0.5, 1.5, 2.5, 3.5, 14.400000000000002, 16.8, 2.4999999999999996].map(roundHalfEven)).toEqual([0, 2, 2, 4, 14, 17, 2]);
  expect([tinyloraGroups(5, 0.5), tinyloraGroups(3, 0.5), tinyloraGroups(1, 0.9), tinyloraGroups(24, 0)]).toEqual([2, 2, 1, 24]);
});

test("r (the frozen SVD rank) and the projection settings do not change the count", () => {
  const plain = countOn(tinylora, "qwen2.5-0.5b", {});
  expect(countOn(tinylora, "qwen2.5-0.5b", { r: 8, save_projection: false, projection_seed: 1, init_weights: "uniform" })).toEqual(plain);
  // source: vector m5-tinylora-default-qwen2.5-0.5b
  expect(plain.trainable).toBe(3_072);
});

test("peft releases before 0.19 have no TinyLoRA", () => {
  const old = { peft: parseVersion("0.18.0", "peft"), transformers: parseVersion("4.43.3", "transformers") };
  expect(errorOf(() => countOn(tinylora, "llama-3.2-1b", {}, { ctx: old }))).toBeInstanceOf(InputError);
});

test.each([[{ u: 0 }], [{ weight_tying: 1.5 }], [{ init_weights: "normal" }], [{ bias: "lora_only" }]])("bad option %j", (options) => {
  expect(() => countOn(tinylora, "llama-3.2-1b", options)).toThrow(OptionsError);
});
