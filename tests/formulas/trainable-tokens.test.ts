/**
 * Trainable tokens: |token_indices| × dim per targeted layer. Oracle numbers (peft 0.21.0 + transformers 5.18.0)
 * for explicit targets, tied and untied heads, repeated indices; defaults of both eras: tests/golden.
 */
import { describe, expect, test } from "vitest";
import { trainableTokens } from "../../formulas/peft/trainable-tokens.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { errorOf } from "../model/helpers.js";

const inv = (preset: string, task?: "SEQ_CLS") => buildInventory(findPreset(preset)!.config, task ? { task } : {});
const llama = inv("llama-3.2-1b");

describe("trainable-tokens: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, llama-3.2-1b.json (tied), {"token_indices": [0, 1, 2], "target_modules": ["embed_tokens", "lm_head"]}: the named head keeps its own delta
    ["llama-3.2-1b", { token_indices: [0, 1, 2], target_modules: ["embed_tokens", "lm_head"] }, 12_288, 1_235_826_688],
    // source: oracle, llama-3.2-1b.json, {"token_indices": [0, 1, 2], "target_modules": ["lm_head"]}: a Linear, rows of in_features
    ["llama-3.2-1b", { token_indices: [0, 1, 2], target_modules: ["lm_head"] }, 6_144, 1_235_820_544],
    // source: oracle, gpt2.json, {"token_indices": [0, 1, 2, 3, 4]}: default target transformer.wte; the tied head shares it
    ["gpt2", { token_indices: [0, 1, 2, 3, 4] }, 3_840, 124_443_648],
    // source: oracle, llama-3.1-8b.json (untied), {"token_indices": [5, 6], "target_modules": ["embed_tokens", "lm_head"]}
    ["llama-3.1-8b", { token_indices: [5, 6], target_modules: ["embed_tokens", "lm_head"] }, 16_384, 8_030_277_632],
    // source: oracle, llama-3.2-1b.json, {"token_indices": [1, 1, 2]}: a repeated index keeps its row
    ["llama-3.2-1b", { token_indices: [1, 1, 2] }, 6_144, 1_235_820_544],
  ] as const)("%s %j", (preset, options, trainable, all) => {
    const { breakdown } = evaluate(trainableTokens, inv(preset), options);
    expect([breakdown.trainable, breakdown.allParams]).toEqual([trainable, all]);
  });

  test("parts: one delta per targeted layer", () => {
    expect(evaluate(trainableTokens, llama, { token_indices: [7] }).breakdown.parts).toEqual([{ name: "model.embed_tokens.trainable_tokens_delta", modules: 1, count: 2048, kind: "delta" }]);
  });

  test("a classification head stays frozen even with task_type (the config has no modules_to_save), with a warning", () => {
    // source: vector m5-trainable-tokens-3-bert-base-uncased: 3 × 768, head frozen
    const { breakdown } = evaluate(trainableTokens, inv("bert-base-uncased", "SEQ_CLS"), { token_indices: [0, 1, 2], task_type: "SEQ_CLS" });
    expect(breakdown.trainable).toBe(2_304);
    expect(breakdown.warnings.join("\n")).toMatch(/SEQ_CLS head stays frozen/);
  });
});

describe("trainable-tokens: refused or flagged", () => {
  test("an index past the last row (PEFT's weight[token_indices] raises on a real model)", () => {
    expect(errorOf(() => evaluate(trainableTokens, llama, { token_indices: [128_256] })).code).toBe("INVALID_OPTION");
    expect(evaluate(trainableTokens, llama, { token_indices: [128_255] }).breakdown.trainable).toBe(2048);
  });

  test("no indices: nothing trains, said", () => {
    const { breakdown } = evaluate(trainableTokens, llama, {});
    expect(breakdown.trainable).toBe(0);
    expect(breakdown.warnings).toContain("token_indices is empty: nothing trains");
  });

  test("a target that is not an embedding or Linear, or matches nothing", () => {
    expect(errorOf(() => evaluate(trainableTokens, llama, { token_indices: [0], target_modules: ["norm"] })).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => evaluate(trainableTokens, llama, { token_indices: [0], target_modules: ["wte"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ token_indices: [-1] }, { token_indices: [0.5] }, { token_indices: "0" }, { init_weights: 1 }])("bad option %j is an OptionsError", (bad) => {
    expect(() => evaluate(trainableTokens, llama, bad)).toThrow(OptionsError);
  });
});
