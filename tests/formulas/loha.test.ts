/**
 * LoHa: golden numbers (tests/golden vectors; the oracle, peft 0.21.0 + transformers 5.18.0, where marked),
 * rank_pattern, the layers LoHa cannot wrap, and bad options.
 */
import { expect, test } from "vitest";
import { loha } from "../../formulas/peft/loha.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { errorOf } from "../model/helpers.js";

const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });

test("vector m5-loha-r16-attn-llama-3.2-1b: 2·16·(in + out) on q, k, v, o", () => {
  const { breakdown } = evaluate(loha, llama, { r: 16, alpha: 16, target_modules: ["k_proj", "o_proj", "q_proj", "v_proj"], task_type: "CAUSAL_LM" });
  expect(breakdown.trainable).toBe(6_815_744);
  expect(breakdown.allParams).toBe(1_242_630_144);
  expect(breakdown.parts.map((p) => p.name.split(".").pop())).toEqual(expect.arrayContaining(["hada_w1_a", "hada_w1_b", "hada_w2_a", "hada_w2_b"]));
});

test("vector m5-loha-default-qwen2.5-0.5b: PEFT's default targets (q_proj, v_proj)", () => {
  const qwen = buildInventory(findPreset("qwen2.5-0.5b")!.config, { task: "CAUSAL_LM" });
  expect(evaluate(loha, qwen, { task_type: "CAUSAL_LM" }).breakdown.trainable).toBe(1_081_344);
});

// oracle: peft 0.21.0 + transformers 5.18.0, llama-3.2-1b, {"r": 4, "target_modules": ["lm_head", "q_proj"], "rank_pattern": {"lm_head": 2}}
test("rank_pattern gives the (tied) lm_head r=2; q_proj keeps r=4", () => {
  const { breakdown } = evaluate(loha, llama, { r: 4, target_modules: ["lm_head", "q_proj"], rank_pattern: { lm_head: 2 } });
  expect(breakdown.trainable).toBe(1_045_504);
  expect(breakdown.allParams).toBe(1_236_859_904);
});

test("transformers' Conv1D (gpt2) and embeddings are refused, as PEFT raises a TypeError", () => {
  const gpt2 = buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM" });
  expect(errorOf(() => evaluate(loha, gpt2, { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  expect(errorOf(() => evaluate(loha, llama, { target_modules: ["embed_tokens"] })).code).toBe("UNSUPPORTED_TARGET");
});

test("use_effective_conv2d, alpha, dropouts and init_weights do not change a Linear count", () => {
  const plain = evaluate(loha, llama, { target_modules: ["q_proj"] }).breakdown.trainable;
  expect(evaluate(loha, llama, { target_modules: ["q_proj"], use_effective_conv2d: true, alpha: 3, rank_dropout: 0.1, module_dropout: 0.2, init_weights: false }).breakdown.trainable).toBe(plain);
  expect(plain).toBe(2 * 8 * (2048 + 2048) * 16);
});

test("layers_pattern without layers_to_transform is refused (LoHaConfig)", () => {
  expect(() => evaluate(loha, llama, { target_modules: ["q_proj"], layers_pattern: "layers" })).toThrow(InputError);
});

test.each([{ r: 0 }, { r: -2 }, { rank_pattern: { q_proj: 0 } }, { target_modules: 3 }])("schema violation %j", (bad) => {
  expect(() => evaluate(loha, llama, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
});
