/**
 * LoKr: PEFT's factorization(), the w1 / w2 full-or-decomposed rules, golden numbers (tests/golden vectors;
 * the oracle, peft 0.21.0 + transformers 5.18.0, where marked) and bad options.
 */
import { describe, expect, test } from "vitest";
import { lokr } from "../../formulas/peft/lokr.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { factorization } from "../../src/peft/lycoris.js";
import { errorOf } from "../model/helpers.js";

const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });

describe("factorization (the examples of PEFT's docstring, and its edge cases)", () => {
  test.each([
    [256, -1, [16, 16]],
    [128, -1, [8, 16]],
    [127, -1, [1, 127]],
    [128, 4, [4, 32]],
    // a factor dividing the dimension is taken as is, even as the larger member
    [128, 64, [64, 2]],
    // a factor not dividing it bounds the search
    [2048, 3, [2, 1024]],
    [4096, -1, [64, 64]],
    [1, -1, [1, 1]],
    [896, -1, [28, 32]],
  ] as const)("factorization(%i, %i) = %j", (dim, factor, expected) => {
    expect(factorization(dim, factor)).toEqual(expected);
  });
});

describe("golden counts", () => {
  test("vector m5-lokr-default-llama-3.2-1b: default targets, r=8 (w1 full, w2 decomposed)", () => {
    const { breakdown } = evaluate(lokr, llama, { r: 8, alpha: 8, decompose_factor: -1, task_type: "CAUSAL_LM" });
    expect(breakdown.trainable).toBe(53_248);
    expect(breakdown.allParams).toBe(1_235_867_648);
  });

  test("vector m5-lokr-r16-both-llama-3.2-1b: decompose_both", () => {
    const { breakdown } = evaluate(lokr, llama, { r: 16, alpha: 8, decompose_both: true, target_modules: ["k_proj", "o_proj", "q_proj", "v_proj"], task_type: "CAUSAL_LM" });
    expect(breakdown.trainable).toBe(163_840);
  });

  // oracle: peft 0.21.0 + transformers 5.18.0, llama-3.2-1b, each options object as given
  test.each([
    [{ r: 4, decompose_factor: 3, target_modules: ["q_proj", "k_proj"] }, 213_120, 1_236_027_520],
    [{ r: 2, decompose_factor: 64, decompose_both: true, target_modules: ["q_proj", "k_proj", "down_proj"] }, 20_736, 1_235_835_136],
    [{ r: 600, target_modules: ["k_proj", "gate_proj"] }, 204_800, 1_236_019_200],
  ])("oracle case %j", (raw, trainable, all) => {
    const { breakdown } = evaluate(lokr, llama, raw);
    expect([breakdown.trainable, breakdown.allParams]).toEqual([trainable, all]);
  });

  test("a large r makes both Kronecker factors full (lokr_w1 + lokr_w2)", () => {
    const names = evaluate(lokr, llama, { r: 600, target_modules: ["k_proj"] }).breakdown.parts.map((p) => p.name.split(".").pop());
    expect(names.sort()).toEqual(["lokr_w1", "lokr_w2"]);
  });
});

test("transformers' Conv1D (gpt2) is refused, as PEFT raises a TypeError", () => {
  const gpt2 = buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM" });
  expect(errorOf(() => evaluate(lokr, gpt2, { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
});

test("rank_dropout_scale, init_weights=\"lycoris\" and use_effective_conv2d do not change a Linear count", () => {
  const plain = evaluate(lokr, llama, { target_modules: ["q_proj"] }).breakdown.trainable;
  expect(evaluate(lokr, llama, { target_modules: ["q_proj"], rank_dropout_scale: true, init_weights: "lycoris", use_effective_conv2d: true }).breakdown.trainable).toBe(plain);
});

test("layers_pattern without layers_to_transform is refused (LoKrConfig)", () => {
  expect(errorOf(() => evaluate(lokr, llama, { target_modules: ["q_proj"], layers_pattern: "layers" })).code).toBe("CONFLICTING_OPTIONS");
});

test.each([{ r: 0 }, { decompose_factor: 1.5 }, { decompose_both: "yes" }, { init_weights: "pissa" }])("schema violation %j", (bad) => {
  expect(() => evaluate(lokr, llama, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
});
