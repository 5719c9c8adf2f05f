/**
 * AdapterHub (IA)^3 (adapters:ia3: LoRAConfig with composition_mode "scale"). Numbers: AdapterHub vectors
 * (adapters 1.2.0 main 88f18eb + transformers 4.57.6, or 1.0.0 + 4.43.3 where marked).
 */
import { describe, expect, test } from "vitest";
import { adaptersIa3 } from "../../formulas/adapters/ia3.js";
import { adaptersLora } from "../../formulas/adapters/lora.js";
import { InputError } from "../../src/errors.js";
import { run, total } from "./method-helpers.js";

describe("adapters:ia3", () => {
  test("defaults: k, v and the intermediate projection, one vector of the output width each", () => {
    expect(total(run(adaptersIa3, "bert-base-uncased"))).toBe(55296); // adapters12-ia3-bert-base-uncased
    expect(total(run(adaptersIa3, "roberta-base"))).toBe(55296); // adapters-IA3Config-roberta-base (1.0.0)
  });
  test("Llama's AdapterHub mixin wraps down_proj as intermediate: hidden-wide vectors", () => {
    expect(total(run(adaptersIa3, "llama-3.2-1b"))).toBe(49152); // adapters12-ia3-llama-3.2-1b: 16 · (512 + 512 + 2048)
  });
  test("Qwen2's plugin interface wraps up_proj as intermediate: intermediate-wide vectors", () => {
    expect(total(run(adaptersIa3, "qwen2.5-0.5b"))).toBe(122880); // adapters12-ia3-qwen2.5-0.5b: 24 · (128 + 128 + 4864)
  });
  test("T5 (self-, cross-attention, wi), flan-T5 (gated: wi_1), BART, GPT-2 (merged c_attn)", () => {
    expect(total(run(adaptersIa3, "t5-base"))).toBe(129024); // adapters12-ia3-t5-base, adapters-IA3Config-t5-base (1.0.0)
    expect(total(run(adaptersIa3, "flan-t5-base"))).toBe(104448); // adapters12-ia3-flan-t5-base
    expect(total(run(adaptersIa3, "bart-base"))).toBe(64512); // adapters12-ia3-bart-base
    expect(total(run(adaptersIa3, "gpt2"))).toBe(55296); // adapters12-ia3-gpt2
  });
  test("a saved IA3 config read by adapters:lora counts the same (architecture lora, composition_mode scale)", () => {
    const saved = { selfattn_lora: true, intermediate_lora: true, output_lora: false, r: 1, alpha: 1, attn_matrices: ["k", "v"], composition_mode: "scale", init_weights: "ia3" };
    expect(total(run(adaptersLora, "bert-base-uncased", saved))).toBe(55296);
  });
  test("use_gating adds Linear(in, 1) per module", () => {
    expect(total(run(adaptersIa3, "bert-base-uncased", { use_gating: true })) - 55296).toBe(36 * 769);
  });
});

describe("adapters:ia3 refusals (methods/lora.py IA3)", () => {
  test("r must be 1", () => expect(() => run(adaptersIa3, "bert-base-uncased", { r: 2 })).toThrow(/r == 1/));
  test("no dropout", () => expect(() => run(adaptersIa3, "bert-base-uncased", { dropout: 0.1 })).toThrow(InputError));
  test("no DoRA", () => expect(() => run(adaptersIa3, "bert-base-uncased", { use_dora: true })).toThrow(/DoRA/));
  test("no vera init", () => expect(() => run(adaptersIa3, "bert-base-uncased", { init_weights: "vera" })).toThrow(/init_weights/));
});
