/**
 * PSOFT on real models: oracle numbers (peft 0.21.0 + transformers 5.18.0) beyond the golden vectors
 * (m5-psoft-*: r 16 and 32, psoft_orth on and off), the release rules and PEFT's refusals.
 */
import { describe, expect, test } from "vitest";
import { psoft } from "../../formulas/peft/psoft.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

const QWEN = "qwen2.5-0.5b"; // 24 layers; default targets q_proj 896 → 896, v_proj 896 → 128

test("golden vectors: none of peft 0.17.1 (no PSOFT yet), 4 of peft 0.21.0", () => {
  expect(goldenVectors("PSOFT")).toEqual([0, 4]);
});

describe("psoft: oracle numbers (peft 0.21.0 + transformers 5.18.0, qwen2.5-0.5b.json)", () => {
  test.each([
    // source: oracle, {"r": 16}: 120 + 16 + 16 per module
    [{ r: 16 }, 7_296, 494_040_064],
    // source: oracle, {"r": 16, "psoft_orth": false, "psoft_mag_a": false}: 256 + 16 per module
    [{ r: 16, psoft_orth: false, psoft_mag_a: false }, 13_056, 494_045_824],
  ])("%j", (options, trainable, all) => {
    const r = countOn(psoft, QWEN, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
    expect(r.all - r.base).toBe(r.trainable);
  });

  test("the tensors: psoft_R.weight, vector_b, vector_a (A and B are frozen buffers)", () => {
    expect(countOn(psoft, QWEN, { r: 8, target_modules: ["k_proj"], psoft_mag_b: false }).parts).toEqual({ "model.layers.*.self_attn.k_proj.psoft_R.weight": 24 * 28, "model.layers.*.self_attn.k_proj.psoft_R.vector_a": 24 * 8 });
  });

  test("added in peft 0.19; r above min(d_in, d_out) refused from 0.21 (source: oracle, {\"r\": 200, \"target_modules\": [\"v_proj\"]}), built before", () => {
    expect(errorOf(() => countOn(psoft, QWEN, {}, { peft: "0.18.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
    const e = errorOf(() => countOn(psoft, QWEN, { r: 200, target_modules: ["v_proj"] }));
    expect([e.code, e.message]).toEqual(["OPTION_OUT_OF_RANGE", "psoft: r=200 exceeds min(in_features, out_features) = 128 of model.layers.0.self_attn.v_proj (PEFT refuses it)"]);
    expect(countOn(psoft, QWEN, { r: 200, target_modules: ["v_proj"] }, { peft: "0.20.0" }).trainable).toBe(24 * (19_900 + 400));
  });
});

describe("psoft: what PEFT refuses", () => {
  test("Cayley-Neumann settings out of range (PsoftConfig.__post_init__)", () => {
    expect(errorOf(() => countOn(psoft, QWEN, { use_cayley_neumann: true, num_cayley_neumann_terms: 0 })).code).toBe("OPTION_OUT_OF_RANGE");
    expect(errorOf(() => countOn(psoft, QWEN, { use_cayley_neumann: true, cayley_neumann_eps: 1.5 })).code).toBe("OPTION_OUT_OF_RANGE");
    // without use_cayley_neumann PEFT only warns that they are unused
    expect(countOn(psoft, QWEN, { r: 16, num_cayley_neumann_terms: 0, cayley_neumann_eps: 1.5 }).trainable).toBe(7_296);
  });

  test("a Conv1D target (source: oracle, gpt2.json: only torch.nn.Linear); regex target with layers; nothing matched", () => {
    expect(errorOf(() => countOn(psoft, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => countOn(psoft, QWEN, { target_modules: ".*q_proj", layers_pattern: "layers", layers_to_transform: [0] })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(psoft, QWEN, { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { ab_svd_init: "lora_init" }, { psoft_svd: "exact" }, { psoft_orth: "no" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(psoft, QWEN, bad)).toThrow(OptionsError);
  });
});
