/**
 * Mamba and Falcon-Mamba (module trees are pinned module for module by tests/model/inventories.test.ts against
 * transformers 5.18.0; these tests pin the published totals, the config-class defaults, the `time_step_rank`
 * rule, the release refusal, and what PEFT does on them — oracle: peft 0.21.0 + transformers 5.18.0).
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";

// state-spaces/mamba-130m-hf config.json
const MAMBA_130M = {
  architectures: ["MambaForCausalLM"], conv_kernel: 4, expand: 2, hidden_act: "silu", hidden_size: 768, intermediate_size: 1536,
  model_type: "mamba", n_layer: 24, num_hidden_layers: 24, state_size: 16, time_step_rank: 48, use_bias: false, use_conv_bias: true, vocab_size: 50280,
};
const lora = findFormula("lora")!;

describe("mamba", () => {
  test("mamba-130m: 129,135,360 (the published count; lm_head tied to backbone.embeddings)", () => {
    const inv = buildInventory(MAMBA_130M);
    expect(totalParams(inv.modules)).toBe(129_135_360);
    expect(inv.outputEmbeddings).toBe("lm_head");
  });

  test("mamba-2.8b: 2,768,345,600 (hidden 2560, 64 layers, time_step_rank auto = 160)", () => {
    const inv = buildInventory({ model_type: "mamba", hidden_size: 2560, num_hidden_layers: 64, vocab_size: 50280 });
    expect(totalParams(inv.modules)).toBe(2_768_345_600);
    expect(inv.modules.find((m) => m.name === "backbone.layers.0.mixer.dt_proj")).toMatchObject({ inFeatures: 160, outFeatures: 5120 });
  });

  test("MambaConfig() and FalconMambaConfig() defaults: 159,308,544 (oracle inventory)", () => {
    expect(totalParams(buildInventory({ model_type: "mamba" }).modules)).toBe(159_308_544);
    expect(totalParams(buildInventory({ model_type: "falcon_mamba" }).modules)).toBe(159_308_544);
  });

  test("use_bias adds in_proj / out_proj biases; use_conv_bias false drops the conv bias (oracle: 2,428,416)", () => {
    const inv = buildInventory({ model_type: "mamba", hidden_size: 256, num_hidden_layers: 3, vocab_size: 1000, state_size: 8, expand: 3, conv_kernel: 3, use_bias: true, use_conv_bias: false, tie_word_embeddings: false });
    expect(totalParams(inv.modules)).toBe(2_428_416);
  });

  test("falcon_mamba needs transformers 4.45; mamba exists in 4.43", () => {
    expect(() => buildInventory({ model_type: "falcon_mamba" }, { transformers: parseVersion("4.43.3", "transformers") })).toThrow(/no falcon_mamba.*4\.45\.0/);
    expect(totalParams(buildInventory(MAMBA_130M, { transformers: parseVersion("4.43.3", "transformers") }).modules)).toBe(129_135_360);
  });

  test("LoRA on x_proj, in_proj, dt_proj: 1,351,680 trainable of 130,487,040 (oracle)", () => {
    const { breakdown } = evaluate(lora, buildInventory(MAMBA_130M), { target_modules: ["x_proj", "in_proj", "dt_proj"] });
    expect([breakdown.trainable, breakdown.allParams]).toEqual([1_351_680, 130_487_040]);
  });

  test("PEFT has no default targets for mamba, and refuses out_proj (all-linear) on Mamba models", () => {
    const inv = buildInventory(MAMBA_130M);
    expect(() => evaluate(lora, inv, {})).toThrow(/target_modules/);
    expect(() => evaluate(lora, inv, { target_modules: "all-linear" })).toThrow(/out_proj.*incompatible with Mamba/);
  });

  test("prompt learning needs num_attention_heads, which a Mamba config lacks (PEFT's ValueError)", () => {
    const inv = buildInventory(MAMBA_130M);
    for (const id of ["prefix-tuning", "prompt-tuning"]) expect(() => evaluate(findFormula(id)!, inv, { num_virtual_tokens: 10 })).toThrow(/num_attention_heads/);
    // given one, both build (oracle): 10 × 768 prompt rows; 10 × 24 layers × 2 × 768 prefix values
    expect(evaluate(findFormula("prompt-tuning")!, inv, { num_virtual_tokens: 10, num_attention_heads: 1 }).breakdown.trainable).toBe(7_680);
    expect(evaluate(findFormula("prefix-tuning")!, inv, { num_virtual_tokens: 10, num_attention_heads: 4 }).breakdown.trainable).toBe(368_640);
  });
});
