/**
 * PVeRA beyond the golden vectors (m5-pvera-*): Conv1D, the release gate, refusals.
 * Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { expect, test } from "vitest";
import { pvera } from "../../formulas/peft/pvera.js";
import { OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";
import { countOn } from "./shared-tensor-helpers.js";

test("Conv1D: d_out + 2r per layer (the latent's mean and spread); the projections are buffers", () => {
  // source: oracle, gpt2.json, {"r": 8} (default target c_attn 768 → 2304): 12 · (2304 + 16)
  const r = countOn(pvera, "gpt2", { r: 8 });
  expect([r.trainable, r.all]).toEqual([27_840, 124_467_648]);
  expect(r.parts).toEqual({ "transformer.h.*.attn.c_attn.pvera_lambda_b": 12 * 2304, "transformer.h.*.attn.c_attn.pvera_lambda_d": 12 * 16 });
  expect(r.all - r.base).toBe(r.trainable);
});

test("sample_at_inference (a per-module dict in peft 0.19) and generator_seed change nothing", () => {
  const plain = countOn(pvera, "llama-3.2-1b", { r: 64, target_modules: ["q_proj"] });
  expect(countOn(pvera, "llama-3.2-1b", { r: 64, target_modules: ["q_proj"], sample_at_inference: { "model.layers.0.self_attn.q_proj": true }, generator_seed: 3 })).toEqual(plain);
  expect(plain.trainable).toBe(16 * (2048 + 128));
});

test("peft releases before 0.19 have no PVeRA", () => {
  const old = { peft: parseVersion("0.18.0", "peft"), transformers: parseVersion("4.43.3", "transformers") };
  const e = errorOf(() => countOn(pvera, "llama-3.2-1b", {}, { ctx: old }));
  expect(e).toBeInstanceOf(InputError);
  expect(e.message).toMatch(/added in 0\.19\.0/);
});

test("refusals: an Embedding target, layers_pattern alone, bad options", () => {
  expect(errorOf(() => countOn(pvera, "llama-3.2-1b", { target_modules: ["embed_tokens"] })).message).toMatch(/cannot wrap/);
  expect(errorOf(() => countOn(pvera, "llama-3.2-1b", { layers_pattern: "layers" })).message).toMatch(/layers_pattern/);
  for (const bad of [{ r: 0 }, { bias: "vera_only" }, { sample_at_inference: "yes" }]) expect(() => countOn(pvera, "llama-3.2-1b", bad)).toThrow(OptionsError);
});
