/**
 * FourierFT: n_frequency coefficients per wrapped Linear / Conv1D, per-module overrides, PEFT's refusals.
 * Oracle numbers: peft 0.21.0 + transformers 5.18.0 (golden vectors: fourierft-*, r5-fourierft-*, m5-fourierft-*).
 */
import { describe, expect, test } from "vitest";
import { fourierft } from "../../formulas/peft/fourierft.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: 3 of peft 0.17.1, 7 of peft 0.21.0", () => {
  expect(goldenVectors("FOURIERFT")).toEqual([3, 7]);
});

describe("fourierft: oracle numbers", () => {
  test("GPT-2's default target is the Conv1D mlp.c_proj (source: oracle, gpt2.json, {\"n_frequency\": 100})", () => {
    const r = countOn(fourierft, "gpt2", { n_frequency: 100 });
    expect([r.trainable, r.all]).toEqual([1_200, 124_441_008]);
    expect(r.parts).toEqual({ "transformer.h.*.mlp.c_proj.fourierft_spectrum": 1_200 });
  });

  test("n_frequency_pattern: a full module name, then a suffix key (source: oracle, llama-3.2-1b.json, n_frequency 100, q_proj + v_proj, pattern {model.layers.0.self_attn.q_proj: 7, v_proj: 9})", () => {
    const r = countOn(fourierft, "llama-3.2-1b", { n_frequency: 100, target_modules: ["q_proj", "v_proj"], n_frequency_pattern: { "model.layers.0.self_attn.q_proj": 7, v_proj: 9 } });
    expect([r.trainable, r.all]).toEqual([1_651, 1_235_816_051]);
    expect(r.parts).toEqual({ "model.layers.*.self_attn.q_proj.fourierft_spectrum": 7 + 15 * 100, "model.layers.*.self_attn.v_proj.fourierft_spectrum": 16 * 9 });
  });

  test("bias fourier_only trains the wrapped modules' biases; peft 0.17.1 counts the same", () => {
    const options = { n_frequency: 1000, target_modules: ["query", "value"], bias: "fourier_only", task_type: "SEQ_CLS" };
    // golden: fourierft-n1000-bias-roberta-base (both eras): 634,562
    expect(countOn(fourierft, "roberta-base", options, { task: "SEQ_CLS" }).trainable).toBe(634_562);
    expect(countOn(fourierft, "roberta-base", options, { task: "SEQ_CLS", peft: "0.17.1", transformers: "4.43.3" }).trainable).toBe(634_562);
  });
});

describe("fourierft: what PEFT refuses", () => {
  test("n_frequency above d_in·d_out of a module (update_layer ValueError)", () => {
    const e = errorOf(() => countOn(fourierft, "llama-3.2-1b", { n_frequency: 2048 * 512 + 1, target_modules: ["k_proj"] }));
    expect(e.code).toBe("OPTION_OUT_OF_RANGE");
    expect(e.message).toMatch(/k_proj/);
    expect(countOn(fourierft, "llama-3.2-1b", { n_frequency: 2048 * 512, target_modules: ["k_proj"] }).trainable).toBe(16 * 2048 * 512);
  });

  test("layers_to_transform or layers_pattern with a regex target_modules; layers_pattern alone", () => {
    expect(errorOf(() => countOn(fourierft, "llama-3.2-1b", { target_modules: ".*q_proj", layers_to_transform: [0] })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(fourierft, "llama-3.2-1b", { target_modules: ".*q_proj", layers_pattern: "layers" })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(fourierft, "llama-3.2-1b", { target_modules: ["q_proj"], layers_pattern: "layers" })).code).toBe("CONFLICTING_OPTIONS");
  });

  test("layers_to_transform=0 with layers_pattern: refused before peft 0.21 (#3425), counted from 0.21", () => {
    const options = { n_frequency: 10, target_modules: ["q_proj"], layers_to_transform: 0, layers_pattern: "layers" };
    expect(countOn(fourierft, "llama-3.2-1b", options).trainable).toBe(10);
    expect(errorOf(() => countOn(fourierft, "llama-3.2-1b", options, { peft: "0.20.0" })).code).toBe("CONFLICTING_OPTIONS");
  });

  test("an embedding target, and targets matching nothing, are errors", () => {
    expect(errorOf(() => countOn(fourierft, "llama-3.2-1b", { target_modules: ["embed_tokens"] })).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => countOn(fourierft, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ n_frequency: 0 }, { n_frequency: 1.5 }, { n_frequency_pattern: { q_proj: 0 } }, { bias: "lora_only" }, { scaling: "high" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(fourierft, "llama-3.2-1b", { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
