/**
 * Mamba-2 (mamba2): the pure state-space backbone under `backbone.`, Mamba2Config defaults, heads, the
 * transformers-5-only refusal, config errors, and what PEFT's prompt learning reads from its config dict.
 * Module trees and totals are the oracle's (peft 0.21.0 + transformers 5.18.0).
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { formulaForPeftType } from "../../formulas/index.js";
import { DEFAULT_VERSIONS } from "../../src/versions.js";
import type { Inventory } from "../../src/model/types.js";
import { build, errorOf, mod, T4, total } from "./helpers.js";

const rows = (inv: Inventory) => inv.modules.map((m) => [m.name, m.className, ...m.params.map((p) => `${p.name}${JSON.stringify(p.shape)}`)].join(" "));
const tiny = { model_type: "mamba2", hidden_size: 64, num_heads: 8, head_dim: 16, state_size: 8, n_groups: 2, num_hidden_layers: 2, vocab_size: 100 };
const count = (inv: Inventory, peftType: string, adapter: Record<string, unknown>) =>
  evaluate(formulaForPeftType(peftType)!, inv, { peft_type: peftType, task_type: "CAUSAL_LM", ...adapter }, DEFAULT_VERSIONS).breakdown;

describe("mamba2 as transformers 5.18 builds it (oracle)", () => {
  test("Mamba2Config() is 7,285,403,648 parameters", () => {
    const inv = build({ model_type: "mamba2" });
    expect(total(inv)).toBe(7_285_403_648);
    // conv_dim = 8192 + 2 * 8 * 128 = 10240; in_proj 4096 -> 8192 + 10240 + 128
    expect(mod(inv, "backbone.layers.63.mixer.in_proj")).toMatchObject({ inFeatures: 4096, outFeatures: 18560 });
    expect(inv.experts).toBeUndefined();
  });

  test("module order, classes and shapes of a small config (layer 0): the mixer owns dt_bias, A_log, D", () => {
    const inv = build(tiny);
    expect(rows(inv).filter((r) => !r.startsWith("backbone.layers.1."))).toEqual([
      "backbone.embeddings Embedding weight[100,64]",
      "backbone.layers.0.norm Mamba2RMSNorm weight[64]",
      "backbone.layers.0.mixer Mamba2Mixer dt_bias[8] A_log[8] D[8]",
      "backbone.layers.0.mixer.conv1d Conv1d weight[160,1,4] bias[160]",
      "backbone.layers.0.mixer.in_proj Linear weight[296,64]",
      "backbone.layers.0.mixer.norm MambaRMSNormGated weight[128]",
      "backbone.layers.0.mixer.out_proj Linear weight[64,128]",
      "backbone.norm_f Mamba2RMSNorm weight[64]",
      "lm_head Linear weight[100,64]",
    ]);
    expect([total(inv), inv.modelClass]).toEqual([69_168, "Mamba2ForCausalLM"]);
    expect(mod(inv, "backbone.layers.0.mixer.conv1d")!.kind).toBe("other");
    expect(mod(inv, "backbone.layers.0.mixer.norm")!.kind).toBe("norm");
  });

  test("Mamba2Model has no prefix; biases, expand, tied head", () => {
    const base = build(tiny, "FEATURE_EXTRACTION");
    expect([total(base), base.modelClass, base.inputEmbeddings]).toEqual([62_768, "Mamba2Model", "embeddings"]);
    const inv = build({ ...tiny, tie_word_embeddings: true, use_bias: true, use_conv_bias: false, expand: 4, num_heads: 16 });
    expect(total(inv)).toBe(115_200);
    expect(mod(inv, "lm_head")!.params[0]!.tiedTo).toBe("backbone.embeddings.weight");
    expect(mod(inv, "backbone.layers.0.mixer.out_proj")!.params.map((p) => p.shape)).toEqual([[64, 256], [64]]);
  });

  test("only CausalLM and the bare model; transformers 4.x is refused (4.43 had no mamba2)", () => {
    expect(errorOf(() => build(tiny, "SEQ_CLS")).code).toBe("UNSUPPORTED_TASK");
    const e = errorOf(() => build(tiny, "CAUSAL_LM", undefined, T4));
    expect(e.code).toBe("UNSUPPORTED_MODEL_TYPE");
    expect(e.message).toMatch(/4\.43 had no mamba2/);
  });

  test("hidden_size * expand must equal num_heads * head_dim (Mamba2Config's ValueError)", () => {
    const e = errorOf(() => build({ ...tiny, num_heads: 4 }));
    expect(e.code).toBe("INVALID_CONFIG");
    expect(e.message).toMatch(/num_heads · head_dim/);
  });
});

describe("PEFT on mamba2 (oracle)", () => {
  test("prefix tuning: no num_key_value_heads in the dict, so hidden-wide prefixes per layer", () => {
    // oracle: peft 0.21.0 + transformers 5.18.0, small config above, prefix tuning 5 virtual tokens: 5 * 2 * 2 * 64
    expect(count(build(tiny), "PREFIX_TUNING", { num_virtual_tokens: 5 }).trainable).toBe(1_280);
  });

  test("LoRA on in_proj", () => {
    // oracle: peft 0.21.0 + transformers 5.18.0, small config above, LoRA r=4 on in_proj: 2 * 4 * (64 + 296)
    expect(count(build(tiny), "LORA", { r: 4, target_modules: ["in_proj"] }).trainable).toBe(2_880);
  });

  test.each([
    // oracle: peft 0.21.0 + transformers 5.18.0, small config above: ValueError "Module 'out_proj' is incompatible with Mamba-based models"
    ["LORA", { r: 4, target_modules: "all-linear" }],
    ["LORA", { r: 4, target_modules: ["out_proj"] }],
    // the same check (tuners_utils `_check_lora_target_modules_mamba`) covers AdaLoRA and RandLoRA
    ["ADALORA", { init_r: 4, target_modules: ["out_proj"], total_step: 10 }],
    ["RANDLORA", { r: 4, target_modules: ["in_proj", "out_proj"] }],
  ])("%s %j: PEFT refuses out_proj / conv1d on Mamba models", (peftType, adapter) => {
    const e = errorOf(() => count(build(tiny), peftType, adapter));
    expect(e.code).toBe("UNSUPPORTED_TARGET");
    expect(e.message).toMatch(/incompatible with Mamba-based models/);
  });

  test("conv1d (an nn.Conv1d, not modelled as a LoRA target) is refused too", () => {
    expect(errorOf(() => count(build(tiny), "LORA", { r: 4, target_modules: ["in_proj", "conv1d"] })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("other methods may adapt out_proj (the check is LoRA-like only): IA3 scales its 64 outputs per layer", () => {
    expect(count(build(tiny), "IA3", { target_modules: ["out_proj"], feedforward_modules: [] }).trainable).toBe(2 * 64);
  });
});


describe("mamba-codestral-7b preset (mistralai/Mamba-Codestral-7B-v0.1's published config.json)", () => {
  test("LoRA r=8 on in_proj: 11,599,872 trainable of 7,297,003,520 (oracle: peft 0.21.0 + transformers 5.18.0 on the verbatim config)", async () => {
    const { findPreset } = await import("../../src/model/presets/index.js");
    const preset = findPreset("mistralai/Mamba-Codestral-7B-v0.1")!;
    expect(preset.id).toBe("mamba-codestral-7b");
    const inv = build(preset.config);
    expect(total(inv)).toBe(7_285_403_648);
    expect(count(inv, "LORA", { r: 8, target_modules: ["in_proj"] })).toMatchObject({ trainable: 11_599_872, allParams: 7_297_003_520 });
  });
});
