/**
 * BOFT on real models: oracle numbers (peft 0.21.0 + transformers 5.18.0) beyond the golden vectors, the
 * GPU-only butterfly factor, and PEFT's refusals. Block sizes, block counts and factors 1-3 of both eras
 * are in tests/golden (boft-*, r5-boft-*, m5-boft-*; "-cudaext" ids were made with the CUDA extension).
 */
import { describe, expect, test } from "vitest";
import { boft } from "../../formulas/peft/boft.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

const QWEN = "qwen2.5-0.5b"; // hidden 896, 24 layers; q_proj 896 → 896, v_proj 896 → 128

test("golden vectors: 5 of peft 0.17.1, 9 of peft 0.21.0", () => {
  expect(goldenVectors("BOFT")).toEqual([5, 9]);
});

describe("boft: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle --boft-cuda-ext, qwen2.5-0.5b.json, {"boft_block_size": 0, "boft_block_num": 14, "boft_n_butterfly_factor": 2, "target_modules": ["q_proj"]}: b = 64
    [QWEN, { boft_block_size: 0, boft_block_num: 14, boft_n_butterfly_factor: 2, target_modules: ["q_proj"] }, 2_774_016, 496_806_784],
    // source: oracle, qwen2.5-0.5b.json, {"boft_block_size": 7, "target_modules": ["q_proj"]}: odd blocks are fine with factor 1
    [QWEN, { boft_block_size: 7, target_modules: ["q_proj"] }, 172_032, 494_204_800],
    // source: oracle --boft-cuda-ext, llama-3.2-1b.json, {"boft_block_size": 0, "boft_block_num": 32, "boft_n_butterfly_factor": 2, "target_modules": ["k_proj"], "layers_to_transform": [0]}
    ["llama-3.2-1b", { boft_block_size: 0, boft_block_num: 32, boft_n_butterfly_factor: 2, target_modules: ["k_proj"], layers_to_transform: [0] }, 262_656, 1_236_077_056],
  ] as const)("%s %j", (preset, options, trainable, all) => {
    const r = countOn(boft, preset, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
    expect(r.all - r.base).toBe(r.trainable);
  });

  test("boft_R = m · d_in · b and boft_s = d_out per module (source: oracle --boft-cuda-ext, qwen2.5-0.5b.json with 2 layers, b 8, m 3, q/v: 88,064)", () => {
    const r = countOn(boft, QWEN, { boft_block_size: 8, boft_n_butterfly_factor: 3, target_modules: ["q_proj", "v_proj"] }, { overrides: { num_hidden_layers: 2, vocab_size: 1000 } });
    expect(r.trainable).toBe(88_064);
    expect(r.parts).toEqual({ "model.layers.*.self_attn.q_proj.boft_R": 2 * 3 * 896 * 8, "model.layers.*.self_attn.q_proj.boft_s": 2 * 896, "model.layers.*.self_attn.v_proj.boft_R": 2 * 3 * 896 * 8, "model.layers.*.self_attn.v_proj.boft_s": 2 * 128 });
  });

  test("a butterfly factor above 1 is counted as on a GPU, and the row says so (PEFT uses 1 without the CUDA extension)", () => {
    const gpu = countOn(boft, QWEN, { boft_block_size: 8, boft_n_butterfly_factor: 3, target_modules: ["q_proj", "v_proj"] });
    expect(gpu.warnings.some((w) => w.includes("fbd_cuda") && w.includes("boft_n_butterfly_factor=1"))).toBe(true);
    // source: oracle (CPU, no extension), qwen2.5-0.5b.json, {"boft_block_size": 8, "boft_n_butterfly_factor": 3, "target_modules": ["q_proj", "v_proj"]}: factor forced to 1
    const cpu = countOn(boft, QWEN, { boft_block_size: 8, boft_n_butterfly_factor: 1, target_modules: ["q_proj", "v_proj"] });
    expect(cpu.trainable).toBe(368_640);
    expect(cpu.warnings).toEqual([]);
  });

  test("peft 0.17.1 counts as 0.21.0", () => {
    const options = { boft_block_size: 4, boft_n_butterfly_factor: 2, target_modules: ["q_proj"] };
    expect(countOn(boft, QWEN, options, { peft: "0.17.1" }).trainable).toBe(countOn(boft, QWEN, options).trainable);
  });
});

describe("boft: what PEFT refuses (BOFTLayer.update_layer, with the CUDA extension)", () => {
  test.each([
    // source: oracle, {"boft_block_size": 5}: in_features (896) must be divisible by boft_block_size (5)
    [{ boft_block_size: 5 }, /not divisible by boft_block_size 5/],
    // source: oracle --boft-cuda-ext, {"boft_block_size": 7, "boft_n_butterfly_factor": 2}: boft_block_size (7) must be an even number
    [{ boft_block_size: 7, boft_n_butterfly_factor: 2 }, /boft_block_size 7 must be even/],
    // source: oracle --boft-cuda-ext, {"boft_block_size": 8, "boft_n_butterfly_factor": 8}: invalid combination
    [{ boft_block_size: 8, boft_n_butterfly_factor: 8 }, /do not fit/],
    // source: oracle --boft-cuda-ext, {"boft_block_num": 14, "boft_n_butterfly_factor": 3}: not a multiple of 2^2
    [{ boft_block_size: 0, boft_block_num: 14, boft_n_butterfly_factor: 3 }, /not a multiple of 2\^2/],
    [{ boft_block_size: 0, boft_block_num: 7, boft_n_butterfly_factor: 5 }, /too large for boft_block_num 7/],
    [{ boft_block_size: 0, boft_block_num: 128, boft_n_butterfly_factor: 2 }, /boft_block_size 7 must be even/],
    [{ boft_block_size: 0, boft_block_num: 5 }, /not divisible by boft_block_num 5/],
    [{ boft_n_butterfly_factor: 0 }, /positive/],
  ])("%j", (options, message) => {
    const e = errorOf(() => countOn(boft, QWEN, { target_modules: ["q_proj"], ...options }));
    expect(e.code).toBe("OPTION_OUT_OF_RANGE");
    expect(e.message).toMatch(message);
  });

  test("boft_block_size and boft_block_num both set, or both 0 (BOFTConfig.__post_init__)", () => {
    expect(errorOf(() => countOn(boft, QWEN, { boft_block_size: 4, boft_block_num: 4, target_modules: ["q_proj"] })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(boft, QWEN, { boft_block_size: 0, boft_block_num: 0, target_modules: ["q_proj"] })).code).toBe("CONFLICTING_OPTIONS");
  });

  test("a Conv1D target (source: oracle, gpt2.json, c_attn: TypeError) or an embedding", () => {
    expect(errorOf(() => countOn(boft, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => countOn(boft, QWEN, { target_modules: ["embed_tokens"] })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("targets matching nothing are an error, not 0", () => {
    expect(errorOf(() => countOn(boft, QWEN, { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ boft_block_size: -4 }, { boft_block_num: 2.5 }, { bias: "oft_only" }, { boft_dropout: -1 }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(boft, QWEN, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
