/**
 * MiSS on real models: oracle numbers (peft 0.21.0 + transformers 5.18.0) beyond the golden vectors
 * (miss-*, r5-miss-*, m5-miss-*: default, "bat" and "mini" blocks of both eras), the 0.21 refusal of r > d_in,
 * and PEFT's other refusals.
 */
import { describe, expect, test } from "vitest";
import { miss } from "../../formulas/peft/miss.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

const QWEN = "qwen2.5-0.5b"; // 24 layers; q_proj 896 → 896, k_proj 896 → 128

test("golden vectors: 3 of peft 0.17.1, 7 of peft 0.21.0", () => {
  expect(goldenVectors("MISS")).toEqual([3, 7]);
});

describe("miss: oracle numbers (peft 0.21.0 + transformers 5.18.0, qwen2.5-0.5b.json)", () => {
  test.each([
    // source: oracle, {"r": 64, "init_weights": false, "target_modules": ["q_proj"]}: r × d_out
    [{ r: 64, init_weights: false, target_modules: ["q_proj"] }, 1_376_256, 495_409_024],
    // source: oracle, {"r": 64, "mini_r": 8, "init_weights": "mini", "target_modules": ["k_proj"]}: r × mini_r
    [{ r: 64, mini_r: 8, init_weights: "mini", target_modules: ["k_proj"] }, 12_288, 494_045_056],
    // source: oracle, {"r": 64, "init_weights": "bat", "target_modules": ["k_proj"]}: (128 / 64) × 64 × 64
    [{ r: 64, init_weights: "bat", target_modules: ["k_proj"] }, 196_608, 494_229_376],
  ])("%j", (options, trainable, all) => {
    const r = countOn(miss, QWEN, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
    expect(r.all - r.base).toBe(r.trainable);
  });

  test("the block is miss_block, and bat has as many entries as the default block", () => {
    const plain = countOn(miss, QWEN, { r: 64, target_modules: ["k_proj"] });
    expect(plain.parts).toEqual({ "model.layers.*.self_attn.k_proj.miss_block": 24 * 64 * 128 });
    expect(countOn(miss, QWEN, { r: 64, init_weights: "bat", target_modules: ["k_proj"] }).trainable).toBe(plain.trainable);
  });
});

describe("miss: what PEFT refuses", () => {
  test("r above d_in from peft 0.21 (source: oracle, {\"r\": 1000, \"target_modules\": [\"q_proj\"]}); 0.20 builds the block", () => {
    const options = { r: 1000, target_modules: ["q_proj"] };
    expect(errorOf(() => countOn(miss, QWEN, options)).message).toMatch(/r=1000 exceeds in_features 896/);
    expect(countOn(miss, QWEN, options, { peft: "0.20.0" }).trainable).toBe(24 * 1000 * 896);
  });

  test.each([
    // source: oracle, {"r": 100, "init_weights": "bat", "target_modules": ["q_proj"]}: not divisible into [r, r] blocks
    [{ r: 100, init_weights: "bat" }, /"bat" needs in_features 896 and out_features 896 to be multiples of r=100/],
    // source: oracle, {"r": 64, "mini_r": 5, "init_weights": "mini", "target_modules": ["q_proj"]}
    [{ r: 64, mini_r: 5, init_weights: "mini" }, /"mini" needs out_features 896 to be a multiple of mini_r=5/],
  ])("%j", (options, message) => {
    const e = errorOf(() => countOn(miss, QWEN, { target_modules: ["q_proj"], ...options }));
    expect(e.code).toBe("OPTION_OUT_OF_RANGE");
    expect(e.message).toMatch(message);
  });

  test("a Conv1D target, a regex target with layers_to_transform, targets matching nothing", () => {
    expect(errorOf(() => countOn(miss, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => countOn(miss, QWEN, { target_modules: ".*q_proj", layers_to_transform: 0 })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(miss, QWEN, { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { mini_r: 0 }, { init_weights: "pissa" }, { bias: "bone_only" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(miss, QWEN, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
