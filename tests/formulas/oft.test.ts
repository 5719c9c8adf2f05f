/**
 * OFT on real models: oracle numbers (peft 0.21.0 + transformers 5.18.0) for what the golden vectors do not
 * cover (adjusted block sizes, embeddings, block_share on an embedding), the release rules, PEFT's refusals.
 * Block sizes, r, coft, block_share and oft_only biases of both eras: tests/golden (oft-*, r5-oft-*, m5-oft-*).
 */
import { describe, expect, test } from "vitest";
import { oft, oftBlocks } from "../../formulas/peft/oft.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

const QWEN = "qwen2.5-0.5b"; // hidden 896, 24 layers, q_proj 896 → 896

test("golden vectors: 5 of peft 0.17.1, 9 of peft 0.21.0", () => {
  expect(goldenVectors("OFT")).toEqual([5, 9]);
});

describe("oft: oracle numbers (peft 0.21.0 + transformers 5.18.0, qwen2.5-0.5b.json)", () => {
  test.each([
    // source: oracle, {"oft_block_size": 60, "target_modules": ["q_proj"]}: 60 ∤ 896 → 56 (tie 56/64: the lower), 16 blocks × 1,540
    [{ oft_block_size: 60, target_modules: ["q_proj"] }, 591_360, 494_624_128],
    // source: oracle, {"r": 5, "oft_block_size": 0, "target_modules": ["q_proj"]}: r → 4, b = 224
    [{ r: 5, oft_block_size: 0, target_modules: ["q_proj"] }, 2_397_696, 496_430_464],
    // source: oracle, {"oft_block_size": 2000, "target_modules": ["q_proj"]}: b → 896, one block
    [{ oft_block_size: 2000, target_modules: ["q_proj"] }, 9_623_040, 503_655_808],
    // source: oracle, {"r": 2000, "oft_block_size": 0, "target_modules": ["q_proj"]}: r → 896, b = 1: 1×1 blocks hold nothing
    [{ r: 2000, oft_block_size: 0, target_modules: ["q_proj"] }, 0, 494_032_768],
    // source: oracle, {"oft_block_size": 64, "target_modules": ["embed_tokens", "q_proj"]}: oft_embedding_R 14 × 2,016
    [{ oft_block_size: 64, target_modules: ["embed_tokens", "q_proj"] }, 705_600, 494_738_368],
    // source: oracle, {"oft_block_size": 64, "block_share": true, "target_modules": ["embed_tokens", "q_proj"]}: one block each
    [{ oft_block_size: 64, block_share: true, target_modules: ["embed_tokens", "q_proj"] }, 50_400, 494_083_168],
  ])("%j", (options, trainable, all) => {
    const r = countOn(oft, QWEN, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
    expect(r.all - r.base).toBe(r.trainable);
  });

  test("an adjusted block size or r is counted with PEFT's warning", () => {
    expect(countOn(oft, QWEN, { oft_block_size: 60, target_modules: ["q_proj"] }).warnings).toContain("oft_block_size 60 does not divide 896: PEFT adjusts it to 56");
    expect(countOn(oft, QWEN, { r: 5, oft_block_size: 0, target_modules: ["q_proj"] }).warnings).toContain("r 5 does not divide 896: PEFT adjusts it to 4");
    expect(countOn(oft, QWEN, { oft_block_size: 64, target_modules: ["q_proj"] }).warnings).toEqual([]);
  });

  test("the embedding's tensor is oft_embedding_R, over its width", () => {
    const r = countOn(oft, QWEN, { oft_block_size: 64, target_modules: ["embed_tokens", "q_proj"] });
    expect(r.parts).toEqual({ "model.embed_tokens.oft_embedding_R": 14 * 2016, "model.layers.*.self_attn.q_proj.oft_R": 24 * 14 * 2016 });
  });

  test("PEFT's divisor adjustment: nearest divisor, the lower on a tie, the width itself when too large", () => {
    expect(oftBlocks(896, { r: 0, oft_block_size: 60 })).toMatchObject({ r: 16, b: 56 });
    expect(oftBlocks(768, { r: 0, oft_block_size: 50 })).toMatchObject({ r: 16, b: 48 });
    expect(oftBlocks(768, { r: 0, oft_block_size: 32 })).toEqual({ r: 24, b: 32 });
    expect(oftBlocks(7, { r: 3, oft_block_size: 0 })).toMatchObject({ r: 1, b: 7 });
    expect(oftBlocks(7, { r: 9, oft_block_size: 0 })).toMatchObject({ r: 7, b: 1 });
  });
});

describe("oft: releases", () => {
  test("the strict upper triangle is stored in every release: 0.17.1 counts as 0.21.0", () => {
    const options = { oft_block_size: 32, coft: true, target_modules: ["q_proj", "v_proj"] };
    expect(countOn(oft, QWEN, options, { peft: "0.17.1" }).trainable).toBe(countOn(oft, QWEN, options).trainable);
  });

  test("embeddings are wrapped from peft 0.19 (#3005); before, PEFT refuses them", () => {
    const options = { oft_block_size: 64, target_modules: ["embed_tokens", "q_proj"] };
    expect(countOn(oft, QWEN, options, { peft: "0.19.0" }).trainable).toBe(705_600);
    expect(errorOf(() => countOn(oft, QWEN, options, { peft: "0.18.0" })).code).toBe("UNSUPPORTED_TARGET");
  });
});

describe("oft: what PEFT refuses", () => {
  test("r and oft_block_size both set, or both 0 (OFTConfig.__post_init__)", () => {
    expect(errorOf(() => countOn(oft, QWEN, { r: 4, oft_block_size: 32, target_modules: ["q_proj"] })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(oft, QWEN, { r: 0, oft_block_size: 0, target_modules: ["q_proj"] })).code).toBe("CONFLICTING_OPTIONS");
  });

  test("a Conv1D target (source: oracle, gpt2.json, c_attn: TypeError, only Linear / Conv2d / Embedding)", () => {
    expect(errorOf(() => countOn(oft, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("layers_pattern without layers_to_transform", () => {
    expect(errorOf(() => countOn(oft, QWEN, { target_modules: ["q_proj"], layers_pattern: "layers" })).code).toBe("CONFLICTING_OPTIONS");
  });

  test("targets matching nothing are an error, not 0", () => {
    expect(errorOf(() => countOn(oft, QWEN, { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: -1 }, { oft_block_size: 1.5 }, { bias: "lora_only" }, { module_dropout: 2 }, { block_share: "yes" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(oft, QWEN, { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
