/**
 * C3A on real models: oracle numbers (peft 0.21.0 + transformers 5.18.0) beyond the golden vectors
 * (c3a-*, r5-c3a-*, m5-c3a-*: block sizes 64 and 256, default targets of both eras), block_size_pattern,
 * and PEFT's refusals.
 */
import { describe, expect, test } from "vitest";
import { c3a } from "../../formulas/peft/c3a.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: 1 of peft 0.17.1, 4 of peft 0.21.0", () => {
  expect(goldenVectors("C3A")).toEqual([1, 4]);
});

describe("c3a: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test("block_size_pattern: a `.*\\.KEY$` match, else the full module name as a key (source: oracle, llama-3.2-1b.json)", () => {
    // {"block_size": 256, "block_size_pattern": {"q_proj": 128, "model.layers.0.self_attn.v_proj": 64}}: default q/v targets
    const r = countOn(c3a, "llama-3.2-1b", { block_size: 256, block_size_pattern: { q_proj: 128, "model.layers.0.self_attn.v_proj": 64 } });
    expect([r.trainable, r.all]).toEqual([602_112, 1_236_416_512]);
    // 16 q_proj at b 128, 15 v_proj at b 256, layer 0's v_proj at b 64
    expect(r.trainable).toBe(16 * ((2048 * 2048) / 128) + 15 * ((2048 * 512) / 256) + (2048 * 512) / 64);
  });

  test("bias c3a_only trains the wrapped layers' biases (source: oracle, bert-base-uncased.json, SEQ_CLS, block 64, query/value)", () => {
    const r = countOn(c3a, "bert-base-uncased", { block_size: 64, bias: "c3a_only", task_type: "SEQ_CLS", target_modules: ["query", "value"] }, { task: "SEQ_CLS" });
    expect([r.trainable, r.all]).toEqual([241_154, 109_706_500]);
  });

  test("peft 0.17.1 counts as 0.21.0; the config has no exclude_modules (PEFT drops it)", () => {
    const options = { block_size: 64, target_modules: ["q_proj", "k_proj"] };
    const now = countOn(c3a, "llama-3.2-1b", options).trainable;
    expect(countOn(c3a, "llama-3.2-1b", options, { peft: "0.17.1" }).trainable).toBe(now);
    expect(countOn(c3a, "llama-3.2-1b", { ...options, exclude_modules: ["k_proj"] }).trainable).toBe(now);
  });
});

describe("c3a: what PEFT refuses", () => {
  test("a block size that does not divide a width (source: oracle, qwen2.5-0.5b.json, block 256 on q_proj: 896)", () => {
    const e = errorOf(() => countOn(c3a, "qwen2.5-0.5b", { block_size: 256, target_modules: ["q_proj"] }));
    expect([e.code, e.message]).toEqual(["OPTION_OUT_OF_RANGE", "c3a: block size 256 does not divide the input width 896 of model.layers.0.self_attn.q_proj (PEFT refuses it)"]);
    expect(errorOf(() => countOn(c3a, "qwen2.5-0.5b", { block_size: 7, target_modules: ["k_proj"] })).message).toMatch(/output width 128/);
  });

  test("a Conv1D target (source: oracle, gpt2.json, default mlp.c_proj: TypeError); nothing matched", () => {
    expect(errorOf(() => countOn(c3a, "gpt2", { block_size: 64 })).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => countOn(c3a, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ block_size: 0 }, { block_size_pattern: { q_proj: -1 } }, { init_weights: "orthogonal" }, { bias: "lora_only" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(c3a, "llama-3.2-1b", bad)).toThrow(OptionsError);
  });
});
