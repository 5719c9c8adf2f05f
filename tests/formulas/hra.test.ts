/**
 * HRA on real models: oracle numbers (peft 0.21.0 + transformers 5.18.0) beyond the golden vectors (hra-*,
 * r5-hra-*, m5-hra-*: r 8 and 16, apply_GS, default targets of both eras), and PEFT's refusals.
 */
import { describe, expect, test } from "vitest";
import { hra } from "../../formulas/peft/hra.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: 2 of peft 0.17.1, 6 of peft 0.21.0", () => {
  expect(goldenVectors("HRA")).toEqual([2, 6]);
});

describe("hra: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, qwen2.5-0.5b.json, {"r": 7, "target_modules": ["q_proj"]}: an odd r only warns about the initialisation
    ["qwen2.5-0.5b", { r: 7, target_modules: ["q_proj"] }, undefined, 150_528, 494_183_296],
    // source: oracle, llama-3.2-1b.json, {"r": 4, "target_modules": ["q_proj", "down_proj"], "layers_to_transform": [0, 3]}: d_in 2048 and 8192
    ["llama-3.2-1b", { r: 4, target_modules: ["q_proj", "down_proj"], layers_to_transform: [0, 3] }, undefined, 81_920, 1_235_896_320],
    // source: oracle, bert-base-uncased.json (SEQ_CLS, no task_type), {"r": 8, "bias": "hra_only"}: default query/value + their biases
    ["bert-base-uncased", { r: 8, bias: "hra_only" }, "SEQ_CLS", 165_888, 109_631_234],
  ] as const)("%s %j", (preset, options, task, trainable, all) => {
    const r = countOn(hra, preset, options, task ? { task } : {});
    expect([r.trainable, r.all]).toEqual([trainable, all]);
  });

  test("one hra_u of d_in × r per wrapped Linear; apply_GS changes nothing; peft 0.17.1 counts the same", () => {
    const r = countOn(hra, "llama-3.2-1b", { r: 16, target_modules: ["o_proj"] });
    expect(r.parts).toEqual({ "model.layers.*.self_attn.o_proj.hra_u": 16 * 2048 * 16 });
    expect(countOn(hra, "llama-3.2-1b", { r: 16, apply_GS: true, target_modules: ["o_proj"] }, { peft: "0.17.1" }).trainable).toBe(r.trainable);
  });
});

describe("hra: what PEFT refuses", () => {
  test("a Conv1D target (source: oracle, gpt2.json, default targets c_attn: TypeError)", () => {
    expect(errorOf(() => countOn(hra, "gpt2", {})).code).toBe("UNSUPPORTED_TARGET");
  });

  test("layers_to_transform with a regex target_modules (HRAConfig.__post_init__)", () => {
    expect(errorOf(() => countOn(hra, "llama-3.2-1b", { target_modules: ".*q_proj", layers_to_transform: [0] })).code).toBe("CONFLICTING_OPTIONS");
  });

  test("targets matching nothing are an error, not 0", () => {
    expect(errorOf(() => countOn(hra, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { r: 2.5 }, { apply_GS: 1 }, { bias: "lora_only" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(hra, "llama-3.2-1b", { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
