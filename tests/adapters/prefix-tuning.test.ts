/**
 * AdapterHub prefix tuning (adapters:prefix_tuning): one module per location key. Numbers: AdapterHub vectors
 * (adapters 1.2.0 main 88f18eb + transformers 4.57.6, or 1.0.0 + 4.43.3 where marked).
 */
import { describe, expect, test } from "vitest";
import { adaptersPrefixTuning } from "../../formulas/adapters/prefix-tuning.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { presetInventory, run, total, V10, V12 } from "./method-helpers.js";

describe("adapters:prefix_tuning", () => {
  test.each([
    ["defaults: P·H + H·b + b + b·X + X, X = 12·2·768", "bert-base-uncased", {}, 9872384], // adapters12-prefix-tuning-bert-base-uncased
    ["bottleneck_size 800", "bert-base-uncased", { bottleneck_size: 800 }, 15402272], // adapters12-prefix-tuning-bs800-bert-base-uncased
    ["flat, prefix_length 10: P·X", "bert-base-uncased", { flat: true, prefix_length: 10 }, 184320], // adapters12-prefix-tuning-flat-len10-bert-base-uncased
    ["flat", "roberta-base", { flat: true }, 552960], // adapters12-prefix-tuning-flat-roberta-base
    ["use_gating, shared: Linear(H, 1) per attention", "roberta-base", { use_gating: true }, 9881612], // adapters12-prefix-tuning-gating-roberta-base
    ["use_gating, not shared: Linear(H, 2)", "roberta-base", { use_gating: true, shared_gating: false }, 9890840], // adapters12-prefix-tuning-gating-noshared-roberta-base
    ["roberta-large", "roberta-large", {}, 25770496], // adapters-PrefixTuningConfig-roberta-large (1.0.0)
    ["distilbert flat", "distilbert-base-uncased", { flat: true }, 276480], // adapters12-prefix-tuning-flat-distilbert-base-uncased
    ["deberta-v3", "deberta-v3-base", {}, 9872384], // adapters12-prefix-tuning-deberta-v3-base
    ["Mistral (GQA: 8 key/value heads)", "mistral-7b-v0.1", {}, 35840512], // adapters12-prefix-tuning-mistral-7b-v0.1
    ["Llama flat, prefix_length 10", "llama-3.2-1b", { flat: true, prefix_length: 10 }, 163840], // adapters12-prefix-tuning-flat-len10-llama-3.2-1b
    ["Llama bottleneck_size 800", "llama-3.2-1b", { bottleneck_size: 800 }, 14824224], // adapters12-prefix-tuning-bs800-llama-3.2-1b
  ])("%s", (_label, preset, options, expected) => {
    expect(total(run(adaptersPrefixTuning, preset, options))).toBe(expected);
  });

  test.each([
    ["T5: encoder, self and cross keys", "t5-base", {}, 29617152], // adapters-PrefixTuningConfig-t5-base (1.0.0)
    ["T5: cross_prefix false", "t5-base", { cross_prefix: false }, 19744768], // adapters12-prefix-tuning-nocross-t5-base
    ["T5: encoder_prefix false", "t5-base", { encoder_prefix: false }, 19744768], // adapters12-prefix-tuning-noenc-t5-base
    ["T5: bottleneck_size 800", "t5-base", { bottleneck_size: 800 }, 46206816], // adapters12-prefix-tuning-bs800-t5-base
    ["flan-T5 flat", "flan-t5-base", { flat: true }, 1658880], // adapters12-prefix-tuning-flat-flan-t5-base
    ["mT5 flat", "mt5-base", { flat: true }, 1658880], // adapters12-prefix-tuning-flat-mt5-base
    ["BART", "bart-base", {}, 15433728], // adapters12-prefix-tuning-bart-base
    ["BART flat", "bart-base", { flat: true }, 829440], // adapters12-prefix-tuning-flat-bart-base
    ["GPT-2", "gpt2", {}, 9872384], // adapters12-prefix-tuning-gpt2, adapters-PrefixTuningConfig-gpt2 (1.0.0)
  ])("%s", (_label, preset, options, expected) => {
    expect(total(run(adaptersPrefixTuning, preset, options))).toBe(expected);
  });

  test("1.0.0: prefix_length 10, bottleneck_size 256", () => {
    expect(total(run(adaptersPrefixTuning, "bert-base-uncased", { prefix_length: 10, bottleneck_size: 256 }, V10))).toBe(4941568); // adapters-PrefixTuningConfig-len10-bert-base-uncased
  });

  test("release rule: before the GQA fix (e10ebf0) the prefix spans all attention heads", () => {
    // X = 16 · 2 · 32 · 64 on adapters 1.0.0 instead of 16 · 2 · 8 · 64
    const X = 16 * 2 * 32 * 64;
    expect(total(run(adaptersPrefixTuning, "llama-3.2-1b", { bottleneck_size: 800 }, V10))).toBe(30 * 2048 + 2048 * 800 + 800 + 800 * X + X);
  });

  test("leave_out removes layers from the key's module", () => {
    const X = 6 * 2 * 768;
    expect(total(run(adaptersPrefixTuning, "bert-base-uncased", { leave_out: [0, 1, 2, 3, 4, 5] }))).toBe(30 * 768 + 768 * 512 + 512 + 512 * X + X);
  });

  test("one module per location key, not per layer", () => {
    const p = run(adaptersPrefixTuning, "bert-base-uncased");
    expect(p.parts.map((x) => x.name)).toEqual(["prefix_tuning.self_prefix.wte", "prefix_tuning.self_prefix.control_trans[0]", "prefix_tuning.self_prefix.control_trans[2]"]);
  });

  test("an encoder-only T5 (T5ForTokenClassification) still calls its self-attention the encoder location", () => {
    const inv = presetInventory("t5-base", V12, "TOKEN_CLS");
    expect(total(run(adaptersPrefixTuning, inv, { encoder_prefix: false }))).toBe(0);
    expect(total(run(adaptersPrefixTuning, inv))).toBe(9872384);
  });

  test("GPT-2 with cross-attention: a cross_prefix module next to self_prefix (GPT2AttentionAdaptersMixin)", () => {
    const config = { ...(findPreset("gpt2")!.config as Record<string, unknown> & { model_type: string }), add_cross_attention: true };
    const inv = buildInventory(config, { task: "CAUSAL_LM", transformers: V12.transformers });
    expect(total(run(adaptersPrefixTuning, inv))).toBe(2 * 9872384);
    expect(total(run(adaptersPrefixTuning, inv, { cross_prefix: false }))).toBe(9872384);
  });

    test("Qwen2's plugin interface has no prefix tuning", () => {
    expect(() => run(adaptersPrefixTuning, "qwen2.5-0.5b")).toThrow(InputError);
  });

  test("schema: prefix_length and bottleneck_size positive", () => {
    expect(() => run(adaptersPrefixTuning, "bert-base-uncased", { prefix_length: 0 })).toThrow();
    expect(() => run(adaptersPrefixTuning, "bert-base-uncased", { bottleneck_size: -1 })).toThrow();
  });
});
