/**
 * VB-LoRA beyond the golden vectors (vblora-*, r5-vblora-*, m5-vblora-*): Conv1D, bias="vblora_only", the bank
 * counted once, the divisibility PEFT requires. Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { expect, test } from "vitest";
import { vblora } from "../../formulas/peft/vblora.js";
import { OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { errorOf } from "../model/helpers.js";
import { countOn } from "./shared-tensor-helpers.js";

test.each([
  // source: oracle, gpt2.json, {"vector_length": 256, "num_vectors": 64, "r": 4} (c_attn 768 → 2304: 3 and 9 sub-vectors)
  [{ vector_length: 256, num_vectors: 64, r: 4 }, 53_248, 124_493_056],
  // source: oracle, gpt2.json, {"vector_length": 128, "num_vectors": 32, "r": 2, "bias": "vblora_only", "target_modules": ["c_attn", "c_proj"]}
  [{ vector_length: 128, num_vectors: 32, r: 2, bias: "vblora_only", target_modules: ["c_attn", "c_proj"] }, 100_864, 124_494_592],
] as const)("gpt2 %j", (options, trainable, all) => {
  const r = countOn(vblora, "gpt2", options);
  expect([r.trainable, r.all]).toEqual([trainable, all]);
});

test("logits per layer, one bank for the whole adapter", () => {
  const r = countOn(vblora, "gpt2", { vector_length: 256, num_vectors: 64, r: 4 });
  expect(r.parts).toEqual({
    "transformer.h.*.attn.c_attn.vblora_logits_A": 12 * 4 * 3 * 64,
    "transformer.h.*.attn.c_attn.vblora_logits_B": 12 * 9 * 4 * 64,
    vblora_vector_bank: 64 * 256,
  });
  // topk and save_only_topk_weights decide what is used and saved, not what trains
  expect(countOn(vblora, "gpt2", { vector_length: 256, num_vectors: 64, r: 4, topk: 5, save_only_topk_weights: true })).toEqual(r);
});

test("a d_in or d_out that vector_length does not divide is refused, as PEFT does", () => {
  // source: oracle, gpt2.json, {"vector_length": 100}: ValueError `in_features` 768 must be divisible by `vector_length` 100
  const e = errorOf(() => countOn(vblora, "gpt2", { vector_length: 100 }));
  expect(e).toBeInstanceOf(InputError);
  expect(e.message).toMatch(/in_features 768, not divisible by vector_length 100/);
  expect(errorOf(() => countOn(vblora, "llama-3.2-1b", { vector_length: 2048, target_modules: ["k_proj"] })).message).toMatch(/out_features 512/);
});

test.each([[{ num_vectors: 0 }], [{ vector_length: -1 }], [{ topk: 0 }], [{ bias: "lora_only" }]])("bad option %j", (options) => {
  expect(() => countOn(vblora, "llama-3.2-1b", options)).toThrow(OptionsError);
});
