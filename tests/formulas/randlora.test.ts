/**
 * RandLoRA beyond the golden vectors (randlora-*, r5-randlora-*, m5-randlora-*): Conv1D, a rank that does not
 * divide the layer size (⌈·⌉ bases). Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { expect, test } from "vitest";
import { randlora, randloraBases } from "../../formulas/peft/randlora.js";
import { OptionsError } from "../../formulas/types.js";
import { countOn } from "./shared-tensor-helpers.js";

test("gpt2 all-linear, r=7: ⌈768/7⌉ = 110 bases on every layer (min dim 768), Conv1D included", () => {
  // source: oracle, gpt2.json, {"r": 7, "target_modules": "all-linear"}
  const r = countOn(randlora, "gpt2", { r: 7, target_modules: "all-linear" });
  expect([r.trainable, r.all]).toEqual([4_092_000, 128_531_808]);
  expect(r.parts["transformer.h.*.mlp.c_fc.randlora_gamma"]).toBe(12 * 110 * 768);
  expect(r.parts["transformer.h.*.mlp.c_fc.randlora_lambda"]).toBe(12 * 7 * 110);
  expect(r.all - r.base).toBe(r.trainable);
});

test("bases: exact when r divides min(d_in, d_out), one more otherwise", () => {
  expect([randloraBases(768, 768, 8), randloraBases(768, 3072, 7), randloraBases(2048, 512, 32), randloraBases(5, 9, 10)]).toEqual([96, 110, 16, 1]);
});

test("sparse, very_sparse, save_projection and the seed change the frozen bases only", () => {
  const plain = countOn(randlora, "qwen2.5-0.5b", { r: 16 });
  expect(countOn(randlora, "qwen2.5-0.5b", { r: 16, sparse: true, very_sparse: true, save_projection: false, projection_prng_key: 9 })).toEqual(plain);
  // source: vector m5-randlora-r16-qwen2.5-0.5b
  expect(plain.trainable).toBe(1_253_376);
});

test("RandLoraConfig never checked layers_pattern against layers_to_transform", () => {
  expect(countOn(randlora, "llama-3.2-1b", { layers_pattern: "layers" }).trainable).toBe(countOn(randlora, "llama-3.2-1b", {}).trainable);
});

test.each([[{ r: 0 }], [{ bias: "vera_only" }], [{ randlora_dropout: -0.1 }]])("bad option %j", (options) => {
  expect(() => countOn(randlora, "llama-3.2-1b", options)).toThrow(OptionsError);
});
