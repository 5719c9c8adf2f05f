/**
 * AdapterHub LoRA / VeRA / DoRA (adapters:lora). Numbers: AdapterHub vectors (adapters 1.2.0 main 88f18eb +
 * transformers 4.57.6 unless marked 1.0.0), FEATURE_EXTRACTION / CAUSAL_LM models, trainable = Σ parts.
 */
import { describe, expect, test } from "vitest";
import { adaptersLora } from "../../formulas/adapters/lora.js";
import { adaptersMtlLora } from "../../formulas/adapters/mtl-lora.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { run, total, V10, V12 } from "./method-helpers.js";

describe("adapters:lora on BERT-like models", () => {
  test.each([
    ["defaults (q, v)", "bert-base-uncased", {}, 294912], // adapters-LoRAConfig-bert-base-uncased (1.0.0), adapters12-lora-hfseqcls-bert head excluded
    ["attn_matrices q, k, v", "bert-base-uncased", { attn_matrices: ["q", "k", "v"] }, 442368], // adapters12-lora-qkv-bert-base-uncased
    ["output_lora", "bert-base-uncased", { output_lora: true }, 663552], // adapters12-lora-output-bert-base-uncased
    ["use_gating: Linear(in, 1) per module", "bert-base-uncased", { use_gating: true }, 313368], // adapters12-lora-gating-bert-base-uncased
    ["leave_out [0, 1]", "bert-base-uncased", { leave_out: [0, 1] }, 245760], // adapters12-lora-leaveout-bert-base-uncased
    ["FFN only", "bert-base-uncased", { selfattn_lora: false, intermediate_lora: true, output_lora: true }, 737280], // adapters12-lora-noselfattn-ffn-bert-base-uncased
    ["r 16 on q, k, v", "roberta-base", { r: 16, alpha: 16, attn_matrices: ["q", "k", "v"] }, 884736], // adapters-LoRAConfig-r16-attn-roberta-base (1.0.0)
    ["roberta-large", "roberta-large", {}, 786432], // adapters-LoRAConfig-roberta-large (1.0.0)
    ["distilbert q, k, v", "distilbert-base-uncased", { attn_matrices: ["q", "k", "v"] }, 221184], // adapters12-lora-qkv-distilbert-base-uncased
    ["distilbert intermediate", "distilbert-base-uncased", { intermediate_lora: true }, 331776], // adapters12-lora-intermediate-distilbert-base-uncased
    ["deberta-v3", "deberta-v3-base", {}, 294912], // adapters12-lora-deberta-v3-base
  ])("%s", (_label, preset, options, expected) => {
    expect(total(run(adaptersLora, preset, options))).toBe(expected);
  });
});

describe("adapters:lora on decoder models", () => {
  test("Llama: q, v with GQA widths", () => expect(total(run(adaptersLora, "llama-3.2-1b"))).toBe(851968)); // adapters12-lora-llama-3.2-1b
  test("Llama: output_lora is up_proj in AdapterHub's Llama mixin", () => expect(total(run(adaptersLora, "llama-3.2-1b", { output_lora: true }))).toBe(2162688)); // adapters12-lora-output-llama-3.2-1b
  test("Llama: r 16, q, k, v, both FFN projections", () =>
    expect(total(run(adaptersLora, "llama-3.2-1b", { r: 16, alpha: 32, attn_matrices: ["q", "k", "v"], intermediate_lora: true, output_lora: true }))).toBe(7602176)); // adapters12-lora-r16-qkv-ffn-llama-3.2-1b
  test("Llama: leave_out", () => expect(total(run(adaptersLora, "llama-3.2-1b", { leave_out: [0, 1] }))).toBe(745472)); // adapters12-lora-leaveout-llama-3.2-1b
  test("Qwen2 (plugin interface): intermediate is up_proj", () => expect(total(run(adaptersLora, "qwen2.5-0.5b", { intermediate_lora: true }))).toBe(1646592)); // adapters12-lora-intermediate-qwen2.5-0.5b
  test("Mistral", () => expect(total(run(adaptersLora, "mistral-7b-v0.1"))).toBe(3407872)); // adapters12-lora-mistral-7b-v0.1
});

describe("adapters:lora on encoder-decoder models and fused q/k/v", () => {
  test.each([
    ["T5: self- and cross-attention q, v", "t5-base", {}, 884736], // adapters12-lora-t5-base, adapters-LoRAConfig-t5-base (1.0.0)
    ["T5: q, k, v", "t5-base", { attn_matrices: ["q", "k", "v"] }, 1327104], // adapters12-lora-qkv-t5-base
    ["T5: leave_out counts encoder layers first", "t5-base", { leave_out: [0, 1] }, 835584], // adapters12-lora-leaveout-t5-base
    ["T5: intermediate is wi", "t5-base", { intermediate_lora: true }, 1622016], // adapters12-lora-intermediate-t5-base
    ["T5: r 16, q, k, v, both FFN projections", "t5-base", { r: 16, alpha: 32, attn_matrices: ["q", "k", "v"], intermediate_lora: true, output_lora: true }, 5603328], // adapters12-lora-r16-qkv-ffn-t5-base
    ["mT5", "mt5-base", {}, 884736], // adapters12-lora-mt5-base
    ["BART: q, k, v in self- and cross-attention", "bart-base", { attn_matrices: ["q", "k", "v"] }, 663552], // adapters12-lora-qkv-bart-base
    ["BART: r 16 with FFN", "bart-base", { r: 16, alpha: 32, attn_matrices: ["q", "k", "v"], intermediate_lora: true, output_lora: true }, 2801664], // adapters12-lora-r16-qkv-ffn-bart-base
    ["GPT-2: merged c_attn, n = 2 thirds", "gpt2", {}, 294912], // adapters12-lora-gpt2
    ["GPT-2: merged c_attn, n = 3", "gpt2", { attn_matrices: ["q", "k", "v"] }, 442368], // adapters12-lora-qkv-gpt2
    ["GPT-2: c_fc", "gpt2", { intermediate_lora: true }, 663552], // adapters12-lora-intermediate-gpt2
  ])("%s", (_label, preset, options, expected) => {
    expect(total(run(adaptersLora, preset, options))).toBe(expected);
  });
  test("release rule: the merged layer's n counts only q, k, v on 1.2.0 (30ddab0); 1.0.0 counted every entry", () => {
    const o = { attn_matrices: ["q", "k", "v", "o"] };
    expect(total(run(adaptersLora, "gpt2", o))).toBe(442368);
    expect(total(run(adaptersLora, "gpt2", o, V10))).toBe(12 * (4 * 8 * 768 + 768 * 4 * 8));
  });
  test("GPT-2 cross-attention (add_cross_attention) gets no LoRA: AdapterHub's GPT-2 mixin wraps only the self-attention c_attn", () => {
    const config = { ...(findPreset("gpt2")!.config as Record<string, unknown> & { model_type: string }), add_cross_attention: true };
    const inv = buildInventory(config, { task: "CAUSAL_LM", transformers: V12.transformers });
    expect(total(run(adaptersLora, inv))).toBe(294912);
  });
    test("merged gating: Linear(in, n) per c_attn", () => {
    expect(total(run(adaptersLora, "gpt2", { use_gating: true })) - 294912).toBe(12 * (768 * 2 + 2));
  });
});

describe("DoRA and VeRA (adapters 1.2.0)", () => {
  test("DoRA adds a magnitude of the output width per module", () => {
    expect(total(run(adaptersLora, "bert-base-uncased", { use_dora: true }))).toBe(313344); // adapters12-mat-dora-bert-base-uncased
    expect(total(run(adaptersLora, "llama-3.2-1b", { use_dora: true }))).toBe(892928); // adapters12-mat-dora-llama-3.2-1b
  });
  test("VeRA trains r² + out² per module and freezes one shared A / B shaped like the first module", () => {
    const bert = run(adaptersLora, "bert-base-uncased", { vera_d: 0.1, vera_b: 0, init_weights: "vera" }); // adapters12-vera-bert-base-uncased
    expect([total(bert), bert.frozenAdded]).toEqual([14157312, 12288]);
    const llama = run(adaptersLora, "llama-3.2-1b", { vera_d: 0.1, vera_b: 0, init_weights: "vera" }); // adapters12-vera-llama-3.2-1b
    expect([total(llama), llama.frozenAdded]).toEqual([71305216, 32768]);
  });
  test("DoRA on GPT-2's Conv1D layers fails in AdapterHub (weight stored [in, out]): refused", () => {
    expect(() => run(adaptersLora, "gpt2", { use_dora: true })).toThrow(/DoRA on transformer\.h\.0\.attn\.c_attn/);
    expect(() => run(adaptersLora, "gpt2", { use_dora: true, selfattn_lora: false, intermediate_lora: true })).toThrow(/c_fc/);
  });
  test("DVoRA = VeRA + DoRA", () => {
    const p = run(adaptersLora, "bert-base-uncased", { vera_d: 0.1, vera_b: 0, init_weights: "vera", use_dora: true }); // adapters12-mat-dvora-bert-base-uncased
    expect([total(p), p.frozenAdded]).toEqual([14175744, 12288]);
  });
  test("release rule: adapters 1.0.0 has no VeRA / DoRA and builds plain LoRA, with a warning", () => {
    const p = run(adaptersLora, "bert-base-uncased", { vera_d: 0.1, vera_b: 0, use_dora: true }, V10);
    expect(total(p)).toBe(294912);
    expect(p.frozenAdded).toBeUndefined();
    expect((p.warnings ?? []).join()).toMatch(/1\.2\.0/);
  });
});

describe("refusals (AdapterHub's own)", () => {
  test("unknown init_weights", () => expect(() => run(adaptersLora, "bert-base-uncased", { init_weights: "xavier" })).toThrow(InputError));
  test("vera init is new in 1.2.0", () => expect(() => run(adaptersLora, "bert-base-uncased", { init_weights: "vera" }, V10)).toThrow(/Unknown init_weights/));
  test("schema: composition_mode must be add or scale, r positive", () => {
    expect(() => run(adaptersLora, "bert-base-uncased", { composition_mode: "mul" })).toThrow();
    expect(() => run(adaptersLora, "bert-base-uncased", { r: 0 })).toThrow();
  });
  test("nothing matched is a warning, not a silent 0", () => {
    const p = run(adaptersLora, "bert-base-uncased", { attn_matrices: [] });
    expect(total(p)).toBe(0);
    expect((p.warnings ?? []).join()).toMatch(/no module/);
  });
});

describe("adapters:mtl_lora (1.2.0)", () => {
  test("per module r·in + k·out·r + r + k", () => {
    // bert q, v: 24 modules of 768 → 768; n_up_projection 3
    expect(total(run(adaptersMtlLora, "bert-base-uncased", { n_up_projection: 3 }))).toBe(24 * (8 * 768 + 3 * 768 * 8 + 8 + 3));
    expect(total(run(adaptersMtlLora, "bert-base-uncased"))).toBe(294912 + 24 * (8 + 1));
  });
  test("refused where AdapterHub fails or lacks it", () => {
    expect(() => run(adaptersMtlLora, "bert-base-uncased", { task_specific_matrix_type: "linear" })).toThrow(/TaskSpecificLinear/);
    expect(() => run(adaptersMtlLora, "bert-base-uncased", { use_dora: true })).toThrow(InputError);
    expect(() => run(adaptersMtlLora, "qwen2.5-0.5b")).toThrow(/mtl_lora/);
    expect(() => run(adaptersMtlLora, "bert-base-uncased", {}, V10)).toThrow(/1\.2\.0/);
  });
});
