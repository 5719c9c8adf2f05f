/**
 * Compacter and Compacter++ (PHM layers). T5-base: AdapterHub trains 114,112 (Compacter) and 57,088
 * (Compacter++) (vectors adapters12-compacter-t5-base, adapters12-compacterpp-t5-base; reference vector
 * adapters-CompacterConfig-t5-base, adapters 1.0.0). The paper's T5-base column (Mahabadi et al. 2021,
 * Table 1: 0.073 % and 0.047 %) adds the 62 layer norms its configs unfreeze (unfreeze_layer_norms:
 * 62 × 768 = 47,616) over 222,903,552 parameters.
 */
import { describe, expect, test } from "vitest";
import { countAdapterHub } from "../../src/adapters/count.js";
import { HUB10, HUB12, hubInventory, hubTrainable } from "./helpers.js";

const T5 = { task: "SEQ_2_SEQ_LM" } as const;

describe("the Compacter paper's T5-base column", () => {
  test("AdapterHub: 114,112 and 57,088, shared phm_rule (4³) counted once", () => {
    expect(hubTrainable("t5-base", "compacter", T5)).toBe(114_112);
    expect(hubTrainable("t5-base", "compacter++", T5)).toBe(57_088);
    expect(hubTrainable("t5-base", "compacter", { ...T5, ctx: HUB10 })).toBe(114_112);
  });
  test("with the paper's unfreeze_layer_norms: +47,616, i.e. 0.073 % and 0.047 % of 222,903,552", () => {
    const inv = hubInventory("t5-base", "SEQ_2_SEQ_LM");
    const c = countAdapterHub(inv, "compacter", HUB12, { unfreezeLayerNorms: true });
    const cpp = countAdapterHub(inv, "compacter++", HUB12, { unfreezeLayerNorms: true });
    expect([c.trainable, cpp.trainable]).toEqual([114_112 + 47_616, 57_088 + 47_616]);
    expect(((100 * c.trainable) / 222_903_552).toFixed(3)).toBe("0.073");
    expect(((100 * cpp.trainable) / 222_903_552).toFixed(3)).toBe("0.047");
    // the layer norms are base weights: allParams does not grow
    expect(c.allParams).toBe(222_903_552 + 114_112);
    expect(c.parts.find((p) => p.name.startsWith("layer norms"))).toMatchObject({ count: 47_616, modules: 62, kind: "base" });
  });
  test("the shared weights are one part, counted once", () => {
    const b = countAdapterHub(hubInventory("t5-base", "SEQ_2_SEQ_LM"), "compacter", HUB12);
    expect(b.parts.filter((p) => p.kind === "shared")).toEqual([{ name: "shared_parameters (PHM)", modules: 1, count: 64, kind: "shared" }]);
  });
});

describe("PHM options (vectors of adapters 1.2.0, by id)", () => {
  test("phm_dim 8 (adapters12-compacter-phm8-t5-base)", () => expect(hubTrainable("t5-base", "compacter[phm_dim=8]", T5)).toBe(114_560));
  test("factorized_phm_W=False: full W per position (adapters12-compacter-nofactW-t5-base)", () => expect(hubTrainable("t5-base", "compacter[factorized_phm_W=False]", T5)).toBe(480_448));
  test("shared_W_phm: W once per model (adapters12-compacter-sharedW-t5-base)", () => expect(hubTrainable("t5-base", "compacter[shared_W_phm=True]", T5)).toBe(39_664));
  test("phm_rank 4 (adapters12-compacter-rank4-t5-base)", () => expect(hubTrainable("t5-base", "compacter[phm_rank=4]", T5)).toBe(342_208));
  test("learn_phm=False: train_adapter unfreezes the rule anyway (adapters12-compacter-nolearn-t5-base)", () => expect(hubTrainable("t5-base", "compacter[learn_phm=False]", T5)).toBe(114_112));
  test("phm_bias=False (adapters12-compacter-nobias-roberta-base)", () => expect(hubTrainable("roberta-base", "compacter[phm_bias=False]")).toBe(38_080));
  test("shared_phm_rule=False: a rule per PHM layer (adapters12-compacter-noshared-rule-roberta-base)", () => expect(hubTrainable("roberta-base", "compacter[shared_phm_rule=False]")).toBe(60_096));
  test("factorized_phm_rule: n·n·1 + n·1·n instead of n³", () =>
    expect(hubTrainable("t5-base", "compacter[factorized_phm_rule=True]", T5)).toBe(114_112 - 64 + 32));
  test("widths not divisible by phm_dim: AdapterHub's assertion, naming the module", () => {
    expect(() => hubTrainable("bert-base-uncased", "compacter++[phm_dim=5]")).toThrow(/encoder\.layer\.0\.output_adapter\.adapter_down \(768 → 24\) has in_features = 768, not divisible by phm_dim 5/);
    expect(() => hubTrainable("bert-base-uncased", "compacter++[reduction_factor=20]")).toThrow(/adapter_down \(768 → 38\) has out_features = 38, not divisible by phm_dim 4/);
  });
  test("shared_W_phm with factorized_phm_W=False fails in AdapterHub", () =>
    expect(() => hubTrainable("bert-base-uncased", "compacter[shared_W_phm=True, factorized_phm_W=False]")).toThrow(/undefined _in_feats_per_axis/));
  test("shared_W_phm needs one reduction factor", () =>
    expect(() => hubTrainable("bert-base-uncased", { config: { ...compacterPP(), shared_W_phm: true, reduction_factor: { default: 32 } } })).toThrow(/one reduction_factor/));
});

function compacterPP() {
  return { mh_adapter: false, output_adapter: true, reduction_factor: 32, non_linearity: "gelu", phm_layer: true };
}
