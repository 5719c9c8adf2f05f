/**
 * Uni-LoRA beyond the golden vectors (m5-unilora-*): one shared vector whatever is wrapped, Conv1D, the
 * release gate and PEFT's refusals. Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { expect, test } from "vitest";
import { unilora } from "../../formulas/peft/unilora.js";
import { OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";
import { countOn } from "./shared-tensor-helpers.js";

test("gpt2: theta_d_length and nothing else", () => {
  // source: oracle, gpt2.json, {"theta_d_length": 500}
  const r = countOn(unilora, "gpt2", { theta_d_length: 500 });
  expect([r.trainable, r.all]).toEqual([500, 124_440_308]);
  expect(r.parts).toEqual({ unilora_theta_d: 500 });
});

test("the count does not depend on r, the targets or save_indices", () => {
  const few = countOn(unilora, "llama-3.2-1b", { theta_d_length: 1024, target_modules: ["q_proj"] }).trainable;
  const many = countOn(unilora, "llama-3.2-1b", { theta_d_length: 1024, target_modules: "all-linear", r: 64, save_indices: true }).trainable;
  expect([few, many]).toEqual([1024, 1024]);
});

test("layer selection with a regex target_modules is refused (UniLoraConfig)", () => {
  // source: oracle, llama-3.2-1b.json, {"target_modules": ".*q_proj", "layers_to_transform": [0]}: ValueError
  const e = errorOf(() => countOn(unilora, "llama-3.2-1b", { target_modules: ".*q_proj", layers_to_transform: [0] }));
  expect(e).toBeInstanceOf(InputError);
  expect(e.message).toMatch(/layers_to_transform cannot be used when target_modules is a string/);
  expect(errorOf(() => countOn(unilora, "llama-3.2-1b", { target_modules: ".*q_proj", layers_pattern: "layers" })).message).toMatch(/layers_pattern/);
});

test("peft releases before 0.20 have no Uni-LoRA", () => {
  const old = { peft: parseVersion("0.19.0", "peft"), transformers: parseVersion("4.43.3", "transformers") };
  expect(errorOf(() => countOn(unilora, "llama-3.2-1b", {}, { ctx: old })).message).toMatch(/added in 0\.20\.0/);
});

test.each([[{ theta_d_length: 0 }], [{ init_theta_d_bound: 0 }], [{ bias: "all_only" }], [{ unilora_dropout: 1.5 }]])("bad option %j", (options) => {
  expect(() => countOn(unilora, "llama-3.2-1b", options)).toThrow(OptionsError);
});
