/**
 * OLMo 2 (olmo2) as transformers 5.18.0 builds it: module trees, classes, shapes and totals from
 * `oracle inventory` (transformers 5.18.0), PEFT counts from `oracle count` (peft 0.21.0 + transformers 5.18.0).
 */
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory, type InventoryOptions } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { asOracle, modernVectorIds } from "./oracle-groups.js";

/** c-olmo2-tiny: GQA, head_dim 24 (not hidden/heads = 16), attention biases, tied embeddings */
const TINY = {
  model_type: "olmo2", hidden_size: 64, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
  head_dim: 24, vocab_size: 100, attention_bias: true, tie_word_embeddings: true,
};
const build = (cfg: Record<string, unknown>, o: InventoryOptions = {}) => buildInventory(cfg, o);
const count = (cfg: Record<string, unknown>, peftType: string, options: Record<string, unknown>, task: InventoryOptions["task"] = "CAUSAL_LM") => {
  const b = evaluate(formulaForPeftType(peftType)!, build(cfg, { task }), { ...options, task_type: task }).breakdown;
  return [b.trainable, b.allParams];
};

describe("module tree (oracle inventory, transformers 5.18.0)", () => {
  test("Olmo2Config() defaults: q/k norms over the whole projection, post-attention and post-feedforward norms only", () => {
    expect(asOracle(build({ model_type: "olmo2" }))).toEqual({
    modelClass: "Olmo2ForCausalLM",
    total: 6888624128,
    linears: ["lm_head", "model.layers.*.mlp.down_proj", "model.layers.*.mlp.gate_proj", "model.layers.*.mlp.up_proj", "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.o_proj", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.v_proj"],
    groups: [
      ["model.embed_tokens", "Embedding", {"weight": [50304, 4096]}, 1],
      ["model.layers.*.self_attn.q_proj", "Linear", {"weight": [4096, 4096]}, 32],
      ["model.layers.*.self_attn.k_proj", "Linear", {"weight": [4096, 4096]}, 32],
      ["model.layers.*.self_attn.v_proj", "Linear", {"weight": [4096, 4096]}, 32],
      ["model.layers.*.self_attn.o_proj", "Linear", {"weight": [4096, 4096]}, 32],
      ["model.layers.*.self_attn.q_norm", "Olmo2RMSNorm", {"weight": [4096]}, 32],
      ["model.layers.*.self_attn.k_norm", "Olmo2RMSNorm", {"weight": [4096]}, 32],
      ["model.layers.*.mlp.gate_proj", "Linear", {"weight": [11008, 4096]}, 32],
      ["model.layers.*.mlp.up_proj", "Linear", {"weight": [11008, 4096]}, 32],
      ["model.layers.*.mlp.down_proj", "Linear", {"weight": [4096, 11008]}, 32],
      ["model.layers.*.post_attention_layernorm", "Olmo2RMSNorm", {"weight": [4096]}, 32],
      ["model.layers.*.post_feedforward_layernorm", "Olmo2RMSNorm", {"weight": [4096]}, 32],
      ["model.norm", "Olmo2RMSNorm", {"weight": [4096]}, 1],
      ["lm_head", "Linear", {"weight": [50304, 4096]}, 1],
    ],
  });
  });

  test("tiny config, SEQ_CLS: q_norm heads · head_dim, k_norm kv heads · head_dim, score without bias", () => {
    expect(asOracle(build(TINY, { task: "SEQ_CLS" }))).toEqual({
    modelClass: "Olmo2ForSequenceClassification",
    total: 62944,
    linears: ["model.layers.*.mlp.down_proj", "model.layers.*.mlp.gate_proj", "model.layers.*.mlp.up_proj", "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.o_proj", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.v_proj", "score"],
    groups: [
      ["model.embed_tokens", "Embedding", {"weight": [100, 64]}, 1],
      ["model.layers.*.self_attn.q_proj", "Linear", {"weight": [96, 64], "bias": [96]}, 2],
      ["model.layers.*.self_attn.k_proj", "Linear", {"weight": [48, 64], "bias": [48]}, 2],
      ["model.layers.*.self_attn.v_proj", "Linear", {"weight": [48, 64], "bias": [48]}, 2],
      ["model.layers.*.self_attn.o_proj", "Linear", {"weight": [64, 96], "bias": [64]}, 2],
      ["model.layers.*.self_attn.q_norm", "Olmo2RMSNorm", {"weight": [96]}, 2],
      ["model.layers.*.self_attn.k_norm", "Olmo2RMSNorm", {"weight": [48]}, 2],
      ["model.layers.*.mlp.gate_proj", "Linear", {"weight": [48, 64]}, 2],
      ["model.layers.*.mlp.up_proj", "Linear", {"weight": [48, 64]}, 2],
      ["model.layers.*.mlp.down_proj", "Linear", {"weight": [64, 48]}, 2],
      ["model.layers.*.post_attention_layernorm", "Olmo2RMSNorm", {"weight": [64]}, 2],
      ["model.layers.*.post_feedforward_layernorm", "Olmo2RMSNorm", {"weight": [64]}, 2],
      ["model.norm", "Olmo2RMSNorm", {"weight": [64]}, 1],
      ["score", "Linear", {"weight": [2, 64]}, 1],
    ],
  });
  });

  test("heads and totals per task (oracle)", () => {
    const cases = [
      ["CAUSAL_LM", "Olmo2ForCausalLM", 6_888_624_128, 62_816],
      ["SEQ_CLS", "Olmo2ForSequenceClassification", 6_682_587_136, 62_944],
      ["FEATURE_EXTRACTION", "Olmo2Model", 6_682_578_944, 62_816],
    ] as const;
    for (const [task, cls, defaults, tiny] of cases) {
      const inv = build({ model_type: "olmo2" }, { task });
      expect([inv.modelClass, totalParams(inv.modules), totalParams(build(TINY, { task }).modules)]).toEqual([cls, defaults, tiny]);
    }
    for (const task of ["TOKEN_CLS", "QUESTION_ANS"] as const) expect(() => build(TINY, { task })).toThrow(/no .* head/);
  });
});

describe("refusals", () => {
  test("transformers 4.x trees are not built (4.43 had no olmo2; it arrived in 4.47.0)", () => {
    expect(() => build(TINY, { transformers: parseVersion("4.47.0", "transformers") })).toThrow(/it arrived in 4.47.0/);
  });
});

describe("PEFT counts on the tree (oracle count: peft 0.21.0 + transformers 5.18.0, c-olmo2-tiny)", () => {
  test("LoRA r=4 all-linear on SEQ_CLS (score saved, not wrapped)", () => {
    expect(count(TINY, "LORA", { r: 4, target_modules: "all-linear" }, "SEQ_CLS")).toEqual([7168, 70_112]);
  });

  test("prefix tuning: head_dim from config.json (24) times 2 kv heads", () => {
    expect(count(TINY, "PREFIX_TUNING", { num_virtual_tokens: 5 })).toEqual([960, 63_776]);
  });
});

describe("golden vectors (checked in tests/golden/vectors.test.ts)", () => {
  test("olmo2: 2 modern vectors", () => {
    expect(modernVectorIds("olmo2")).toEqual([
      "fam-lora-r8-attn-olmo2-defaults",
      "fam-prefix-20-olmo2-defaults",
    ]);
  });
});
