/**
 * VeRA beyond the golden vectors (vera-*, r5-vera-*, m5-vera-*): Conv1D, bias="vera_only", "all-linear" with
 * layers_to_transform, and PEFT's refusals. Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { describe, expect, test } from "vitest";
import { vera } from "../../formulas/peft/vera.js";
import { OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";
import { countOn, type ModelId } from "./shared-tensor-helpers.js";

const PEFT_0_17 = { peft: parseVersion("0.17.1", "peft"), transformers: parseVersion("4.43.3", "transformers") };

describe("vera: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, gpt2.json, {"r": 16} (default target c_attn, Conv1D 768 → 2304): 12 · (2304 + 16)
    ["gpt2", { r: 16 }, 27_840, 124_467_648],
    // source: oracle, gpt2.json, {"r": 16, "target_modules": "all-linear", "bias": "vera_only"}: wrapped layers' biases train
    ["gpt2", { r: 16, target_modules: "all-linear", bias: "vera_only" }, 166_656, 124_523_520],
    // source: oracle, roberta-base.json SEQ_CLS, {"r": 16, "bias": "vera_only"} without task_type: the head stays frozen
    ["roberta-base", { r: 16, bias: "vera_only" }, 37_248, 124_665_986],
    // source: oracle, llama-3.2-1b.json, {"r": 8, "target_modules": "all-linear", "layers_to_transform": [0]}: PEFT shortens
    // the 112 names to 7 suffixes, which obey layers_to_transform: layer 0 only
    ["llama-3.2-1b", { r: 8, target_modules: "all-linear", layers_to_transform: [0] }, 23_608, 1_235_838_008],
    // source: oracle, llama-3.2-1b.json, {"r": 8, "target_modules": ["q_proj"], "layers_pattern": "layers", "layers_to_transform": 0}
    ["llama-3.2-1b", { r: 8, target_modules: ["q_proj"], layers_pattern: "layers", layers_to_transform: 0 }, 2_056, 1_235_816_456],
    // source: oracle, roberta-base.json SEQ_CLS, {"r": 4, "target_modules": "all-linear", "task_type": "SEQ_CLS"}: 72 layers + head copy
    ["roberta-base", { r: 4, target_modules: "all-linear", task_type: "SEQ_CLS" }, 675_362, 125_322_532],
  ] as const)("%s %j", (model, options, trainable, all) => {
    const r = countOn(vera, model as ModelId, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
    // the shared projections are buffers: everything added trains
    if (!("task_type" in options)) expect(r.all - r.base).toBe(r.trainable - biasOf(r.parts));
  });

  test("per layer d_out + r, whatever save_projection or projection_prng_key", () => {
    const r = countOn(vera, "llama-3.2-1b", { r: 64, target_modules: ["q_proj", "k_proj"] });
    expect(r.parts).toEqual({ "model.layers.*.self_attn.q_proj.vera_lambda_b": 16 * 2048, "model.layers.*.self_attn.q_proj.vera_lambda_d": 16 * 64, "model.layers.*.self_attn.k_proj.vera_lambda_b": 16 * 512, "model.layers.*.self_attn.k_proj.vera_lambda_d": 16 * 64 });
    expect(countOn(vera, "llama-3.2-1b", { r: 64, target_modules: ["q_proj", "k_proj"], save_projection: false, projection_prng_key: 7 })).toEqual(r);
  });
});

const biasOf = (parts: Record<string, number>) => Object.entries(parts).filter(([k]) => k.endsWith(".bias")).reduce((s, [, v]) => s + v, 0);

describe("vera: what PEFT refuses", () => {
  test("an Embedding target (VeRA wraps Linear and Conv1D only)", () => {
    const e = errorOf(() => countOn(vera, "llama-3.2-1b", { target_modules: ["embed_tokens", "q_proj"] }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/embed_tokens.*cannot wrap/);
  });

  test("layers_pattern without layers_to_transform; before peft 0.21 (#3425) layers_to_transform=0 counted as missing", () => {
    expect(errorOf(() => countOn(vera, "llama-3.2-1b", { target_modules: ["q_proj"], layers_pattern: "layers" })).message).toMatch(/layers_pattern/);
    const zero = { target_modules: ["q_proj"], layers_pattern: "layers", layers_to_transform: 0 };
    expect(errorOf(() => countOn(vera, "llama-3.2-1b", zero, { ctx: PEFT_0_17 })).message).toMatch(/layers_to_transform/);
    expect(countOn(vera, "llama-3.2-1b", { ...zero, r: 8 }).trainable).toBe(2_056);
  });

  test.each([[{ r: 0 }], [{ bias: "lora_only" }], [{ vera_dropout: 2 }]])("bad option %j", (options) => {
    expect(() => countOn(vera, "llama-3.2-1b", options)).toThrow(OptionsError);
  });
});
