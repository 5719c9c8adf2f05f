/**
 * Bottleneck adapters, option by option. Numbers marked "vector" are AdapterHub's own (tests/golden/adapters.json,
 * adapters 1.2.0 + transformers 4.57.6, by id); the others follow AdapterHub's modules (adapters
 * src/adapters/methods/modeling.py Adapter: adapter_down H·d + d, adapter_up d·H + H, LayerNorm 2H,
 * scaling "channel" H, gate H + 1) where no vector sets the option.
 */
import { describe, expect, test } from "vitest";
import { countAdapterHub } from "../../src/adapters/count.js";
import { InputError } from "../../src/errors.js";
import { HUB10, HUB12, hubInventory, hubTrainable, seqBn } from "./helpers.js";

/** one Pfeiffer adapter on a 768-wide model: 2 · 768 · 48 + 48 + 768 */
const PER = 74_544;

describe("reduction_factor", () => {
  test("a number: d = H // rf (vector adapters12-seq-bn-bert-base-uncased)", () => expect(hubTrainable("bert-base-uncased", "seq_bn")).toBe(894_528));
  test("not a divisor: 768 // 7 = 109 (vector adapters12-seq-bn-rf7-roberta-base)", () => expect(hubTrainable("roberta-base", "seq_bn[reduction_factor=7]")).toBe(2_019_612));
  test("below 1 up-projects: 768 // 0.5 = 1536 (vector adapters12-seq-bn-rf0.5-roberta-base)", () => expect(hubTrainable("roberta-base", seqBn({ reduction_factor: 0.5 }))).toBe(28_339_200));
  test("huge: the width is clamped to 1", () => expect(hubTrainable("bert-base-uncased", seqBn({ reduction_factor: 10_000 }))).toBe(12 * (768 + 1 + 768 + 768)));
  test("per layer with default, AdapterHub layer ids across encoder and decoder (vector adapters12-seq-bn-rfmap-t5-base)", () =>
    expect(hubTrainable("t5-base", seqBn({ reduction_factor: { default: 16, "0": 8, "1": 4, "23": 64 } }), { task: "SEQ_2_SEQ_LM" })).toBe(2_028_828));
  test("a mapping without default that misses a layer is AdapterHub's KeyError", () => {
    expect(() => hubTrainable("bert-base-uncased", seqBn({ reduction_factor: { "0": 8 } }))).toThrow(/no entry for layer 1 and no "default"/);
  });
  test("0 or negative is refused by the schema", () => expect(() => hubTrainable("bert-base-uncased", seqBn({ reduction_factor: 0 }))).toThrow(/reduction_factor/));
});

describe("positions", () => {
  test("mh_adapter alone (vector adapters12-seq-bn-mh-roberta-base)", () => expect(hubTrainable("roberta-base", seqBn({ mh_adapter: true, output_adapter: false }))).toBe(894_528));
  test("both: Houlsby (vector adapters12-double-seq-bn-t5-base)", () => expect(hubTrainable("t5-base", "double_seq_bn", { task: "SEQ_2_SEQ_LM" })).toBe(3_578_112));
  test("leave_out on an encoder (vector adapters12-seq-bn-leaveout-bert-base-uncased)", () => expect(hubTrainable("bert-base-uncased", seqBn({ leave_out: [0, 1, 2, 11] }))).toBe(596_352));
  test("leave_out numbers decoder layers after the encoder's: 23 is T5's last decoder layer (vector adapters12-seq-bn-leaveout-t5-base)", () =>
    expect(hubTrainable("t5-base", seqBn({ leave_out: [0, 1, 2, 23] }), { task: "SEQ_2_SEQ_LM" })).toBe(1_490_880));
  test("cross_adapter adds one adapter per decoder layer of an encoder-decoder", () =>
    expect(hubTrainable("t5-base", seqBn({ cross_adapter: true }), { task: "SEQ_2_SEQ_LM" })).toBe(36 * PER));
  test("cross_adapter changes nothing on an encoder-only model", () => expect(hubTrainable("bert-base-uncased", seqBn({ cross_adapter: true }))).toBe(12 * PER));
  test("no position at all adds nothing", () => expect(hubTrainable("bert-base-uncased", seqBn({ output_adapter: false }))).toBe(0));
});

describe("extras per adapter", () => {
  test("ln_before + ln_after: +2H each (vector adapters12-seq-bn-lnbefore-lnafter-bert-base-uncased)", () => expect(hubTrainable("bert-base-uncased", seqBn({ ln_before: true, ln_after: true }))).toBe(931_392));
  test("ln_after alone (vector adapters12-seq-bn-lnafter-roberta-base)", () => expect(hubTrainable("roberta-base", seqBn({ ln_after: true }))).toBe(912_960));
  test('scaling "learned": +1 (vector adapters12-scaled-par-bn-bert-base-uncased)', () => expect(hubTrainable("bert-base-uncased", "scaled_par_bn")).toBe(7_091_724));
  test('scaling "channel": +H', () => expect(hubTrainable("bert-base-uncased", seqBn({ scaling: "channel" }))).toBe(12 * (PER + 768)));
  test("a constant scaling adds nothing", () => expect(hubTrainable("bert-base-uncased", seqBn({ scaling: 4 }))).toBe(12 * PER));
  test("an unknown scaling string is refused", () => expect(() => hubTrainable("bert-base-uncased", seqBn({ scaling: "per-head" }))).toThrow(/scaling/));
  test("use_gating: + H + 1 (vector adapters12-seq-bn-gating-bert-base-uncased)", () => expect(hubTrainable("bert-base-uncased", seqBn({ use_gating: true }))).toBe(903_756));
  test("use_gating on parallel adapters (vector adapters12-par-bn-gating-roberta-base)", () => expect(hubTrainable("roberta-base", "par_bn[use_gating=True]")).toBe(7_100_940));
  test("is_parallel, residual and layer-norm placement, non_linearity, init_weights, dropout change no count", () =>
    expect(
      hubTrainable("bert-base-uncased", seqBn({ is_parallel: true, original_ln_before: false, original_ln_after: false, residual_before_ln: "post_add", adapter_residual_before_ln: true, non_linearity: "gelu", init_weights: "houlsby", dropout: 0.1 })),
    ).toBe(12 * PER));
});

describe("invertible adapters", () => {
  test("NICE, rf 2, once on the embeddings (vector adapters12-seq-bn-inv-bert-base-uncased)", () => expect(hubTrainable("bert-base-uncased", "seq_bn_inv")).toBe(1_190_592));
  test("GLOW (vector adapters12-seq-bn-inv-glow-roberta-base)", () => expect(hubTrainable("roberta-base", "seq_bn_inv[inv_adapter='glow']")).toBe(1_338_816));
  test("encoder-decoder: one block, on the encoder (vector adapters12-double-seq-bn-inv-flan-t5-base)", () =>
    expect(hubTrainable("flan-t5-base", "double_seq_bn_inv", { task: "SEQ_2_SEQ_LM" })).toBe(3_874_176));
  test("the legacy nested invertible_adapter key", () =>
    expect(hubTrainable("bert-base-uncased", seqBn({ invertible_adapter: { block_type: "nice", reduction_factor: 2 } }))).toBe(1_190_592));
  test("without inv_adapter_reduction_factor AdapterHub fails", () => expect(() => hubTrainable("bert-base-uncased", seqBn({ inv_adapter: "nice" }))).toThrow(/inv_adapter_reduction_factor/));
});

describe("AdapterHub's convention and support", () => {
  test("an HF SEQ_CLS head stays trainable (vector adapters12-seq-bn-hfseqcls-roberta-base)", () => expect(hubTrainable("roberta-base", "seq_bn", { task: "SEQ_CLS" })).toBe(1_486_658));
  test("an untied LM head is frozen again (freeze_embeddings): Llama-2-7B (vector adapters-SeqBnConfig-llama-2-7b, adapters 1.0.0)", () => {
    const b = countAdapterHub(hubInventory("llama-2-7b", "CAUSAL_LM", HUB10), "seq_bn", HUB10);
    expect(b.trainable).toBe(67_248_128);
    expect(b.summaryFullModel).toBe(6_738_415_616 - 4096 * 32_000);
  });
  test("adapter_summary(): #param and Full model", () => {
    const b = countAdapterHub(hubInventory("roberta-base", "SEQ_CLS"), "seq_bn", HUB12);
    expect({ params: b.adapterParams, full: b.summaryFullModel }).toEqual({ params: 894_528, full: 124_055_040 });
  });
  test("Qwen2 goes through the plugin interface (1.2.0): bottleneck yes, original_ln_after=False no", () => {
    expect(hubTrainable("qwen2.5-0.5b", "seq_bn", { task: "CAUSAL_LM" })).toBe(24 * (2 * 896 * 56 + 56 + 896));
    expect(() => hubTrainable("qwen2.5-0.5b", seqBn({ original_ln_after: false }), { task: "CAUSAL_LM" })).toThrow(/original_ln_after=False/);
  });
  test("Qwen2 has no adapter support in 1.0.0", () => {
    expect(() => countAdapterHub(hubInventory("qwen2.5-0.5b", "CAUSAL_LM", HUB10), "seq_bn", HUB10)).toThrow(
      /adapters 1\.0\.0\) has no adapter support for model_type "qwen2" \(supported from adapters 1\.2\.0\)/,
    );
  });
  test("GPT-NeoX has no AdapterHub interface: the error lists the supported model types", () => {
    expect(() => hubTrainable("pythia-160m", "seq_bn", { task: "CAUSAL_LM" })).toThrow(/no adapter support for model_type "gpt_neox"/);
    try {
      hubTrainable("pythia-160m", "seq_bn", { task: "CAUSAL_LM" });
    } catch (e) {
      expect((e as InputError).hint).toMatch(/bert.*gpt2.*llama.*qwen2.*t5.*xlm-roberta/);
    }
  });
  test("a dict without the required BnConfig keys is refused (AdapterHub's TypeError)", () =>
    expect(() => hubTrainable("bert-base-uncased", { reduction_factor: 16 })).toThrow(/mh_adapter is required \(AdapterHub's config class has no default for it\)/));
  test("a wrongly typed option says what it must be and what it was", () => {
    expect(() => hubTrainable("bert-base-uncased", "seq_bn[leave_out='all']")).toThrow(/^adapters:bottleneck \(seq_bn\[leave_out='all'\]\): leave_out must be array \(got "all"\)$/);
    expect(() => hubTrainable("bert-base-uncased", "seq_bn[inv_adapter='real-nvp']")).toThrow(/inv_adapter must be one of "nice", "glow"/);
  });
  test("unknown keys of a dict are kept as attributes by AdapterHub: a warning, not an error", () => {
    const b = countAdapterHub(hubInventory("bert-base-uncased", "FEATURE_EXTRACTION"), seqBn({ my_note: 1 }), HUB12);
    expect(b.warnings.join()).toMatch(/"my_note" is not an option/);
  });
});
