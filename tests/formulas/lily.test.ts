/**
 * Lily beyond the golden vectors (m5-lily-*): how PEFT groups the shared A / B (by the target_modules entry a
 * layer matched, as injection left it, and by shape), stride_A runs, refusals.
 * Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { describe, expect, test } from "vitest";
import { lily } from "../../formulas/peft/lily.js";
import { OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { errorOf } from "../model/helpers.js";
import { countOn, type ModelId } from "./shared-tensor-helpers.js";

const fullNames = (proj: string) => Array.from({ length: 16 }, (_, i) => `model.layers.${i}.self_attn.${proj}`);

describe("lily: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, llama-3.2-1b.json, {"target_modules": "all-linear", "r": 16, "stride_A": 2, "num_B": 2}: the 112 names
    // are shortened to 7 suffixes, so each projection kind shares: 8 A and 1 B per kind
    ["llama-3.2-1b", { target_modules: "all-linear", r: 16, stride_A: 2, num_B: 2 }, 3_378_688, 1_239_193_088],
    // source: oracle, llama-3.2-1b.json cut to 2 layers, same options: 14 names (< 20) stay full names, nothing is shared
    ["llama-2-layers", { target_modules: "all-linear", r: 16, stride_A: 2, num_B: 2 }, 2_163_136, 386_476_480],
    // source: oracle, llama-3.2-1b.json, {"target_modules": ".*\\.(q_proj|o_proj)", "r": 16, "stride_A": 2, "num_B": 3}:
    // a regex is one entry, so q_proj and o_proj (both 2048 × 2048) form one group of 32 layers
    ["llama-3.2-1b", { target_modules: ".*\\.(q_proj|o_proj)", r: 16, stride_A: 2, num_B: 3 }, 624_128, 1_236_438_528],
    // source: oracle, llama-3.2-1b.json, {"target_modules": ["q_proj", "o_proj"], "r": 16, "stride_A": 3, "num_B": 3, "layers_to_transform": [0, 1, 2, 5, 7]}
    ["llama-3.2-1b", { target_modules: ["q_proj", "o_proj"], r: 16, stride_A: 3, num_B: 3, layers_to_transform: [0, 1, 2, 5, 7] }, 328_160, 1_236_142_560],
    // source: oracle, llama-3.2-1b.json, 32 full names of q_proj / o_proj, {"r": 8, "stride_A": 4, "num_B": 2}: shortened to
    // ["o_proj", "q_proj"], so they share as the suffixes would
    ["llama-3.2-1b", { target_modules: [...fullNames("q_proj"), ...fullNames("o_proj")], r: 8, stride_A: 4, num_B: 2 }, 197_120, 1_236_011_520],
    // source: oracle, the first 4 of each (8 full names, < 20): every layer its own group
    ["llama-3.2-1b", { target_modules: [...fullNames("q_proj").slice(0, 4), ...fullNames("o_proj").slice(0, 4)], r: 8, stride_A: 4, num_B: 2 }, 393_344, 1_236_207_744],
    // source: oracle, roberta-base.json SEQ_CLS, {"target_modules": "all-linear", "r": 4, "stride_A": 3, "num_B": 2, "task_type": "SEQ_CLS"}:
    // shortened to dense / key / out_proj / query / value, so the three "dense" shapes form three groups; the head is a copy
    ["roberta-base", { target_modules: "all-linear", r: 4, stride_A: 3, num_B: 2, task_type: "SEQ_CLS" }, 758_594, 125_405_764],
  ] as const)("%s %j", (model, options, trainable, all) => {
    const r = countOn(lily, model as ModelId, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
    if (!("task_type" in options)) expect(r.all - r.base).toBe(r.trainable);
  });

  test("per group of n layers: ⌈n/stride_A⌉ A, one B; a router per layer", () => {
    // q_proj 2048 → 2048 on 16 layers, r 16, stride 3, num_B 4: A ⌈16/3⌉ = 6
    const r = countOn(lily, "llama-3.2-1b", { target_modules: ["q_proj"], r: 16, stride_A: 3, num_B: 4 });
    expect(r.parts).toEqual({
      "model.layers.*.self_attn.q_proj.lily_router": 16 * 16 * 4,
      "model.layers.*.self_attn.q_proj.lily_A": 6 * 16 * 2048,
      "model.layers.*.self_attn.q_proj.lily_B": 4 * 16 * 2048,
    });
  });
});

describe("lily: what PEFT refuses or leaves open", () => {
  test("Conv1D (Lily wraps nn.Linear only)", () => {
    // source: oracle, gpt2.json, {"target_modules": ["c_attn"]}: NotImplementedError
    const e = errorOf(() => countOn(lily, "gpt2", { target_modules: ["c_attn"] }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/c_attn.*cannot wrap/);
  });

  test("a layer matching several entries: PEFT's choice follows Python's set order, so the count warns", () => {
    const r = countOn(lily, "bert-base-uncased", { target_modules: ["dense", "output.dense"] });
    const several = r.warnings.filter((w) => /several target_modules entries/.test(w));
    expect(several).toHaveLength(1);
    expect(several[0]).toMatch(/^lily: 24 layer\(s\) \(e\.g\. bert\.encoder\.layer\.0\.attention\.output\.dense\) end with several target_modules entries \(dense, output\.dense\)/);
  });

  test("layers_pattern alone", () => {
    expect(errorOf(() => countOn(lily, "llama-3.2-1b", { layers_pattern: "layers" })).message).toMatch(/layers_pattern/);
  });

  test.each([[{ num_B: 1 }], [{ stride_A: 0 }], [{ r: 0 }]])("bad option %j", (options) => {
    expect(() => countOn(lily, "llama-3.2-1b", options)).toThrow(OptionsError);
  });
});
