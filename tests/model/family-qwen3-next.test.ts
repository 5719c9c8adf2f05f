/**
 * Qwen3-Next (qwen3_next): gated DeltaNet and gated full-attention layers by layer_types, fused MoE with a shared
 * expert, dense layers, Qwen3NextConfig defaults, heads, refusals. Module trees and totals are the oracle's
 * (peft 0.21.0 + transformers 5.18.0: `named_modules()` of the model built on meta).
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { formulaForPeftType } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { DEFAULT_VERSIONS } from "../../src/versions.js";
import type { Inventory } from "../../src/model/types.js";
import { build, errorOf, mod, T4, total } from "./helpers.js";

const rows = (inv: Inventory) => inv.modules.map((m) => [m.name, m.className, ...m.params.map((p) => `${p.name}${JSON.stringify(p.shape)}`)].join(" "));
const count = (inv: Inventory, peftType: string, adapter: Record<string, unknown>) =>
  evaluate(formulaForPeftType(peftType)!, inv, { peft_type: peftType, task_type: inv.task, ...adapter }, DEFAULT_VERSIONS).breakdown;
const tiny = {
  model_type: "qwen3_next", hidden_size: 64, intermediate_size: 96, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 100,
  num_experts: 4, num_experts_per_tok: 2, head_dim: 16, linear_key_head_dim: 8, linear_value_head_dim: 8, linear_num_key_heads: 2, linear_num_value_heads: 4,
  moe_intermediate_size: 32, shared_expert_intermediate_size: 48, mlp_only_layers: [1],
};

describe("qwen3_next as transformers 5.18 builds it (oracle)", () => {
  test("Qwen3NextConfig() is 79,674,391,296 parameters: 512 experts of 512, head_dim 256, every 4th layer full attention", () => {
    const inv = build({ model_type: "qwen3_next" });
    expect(total(inv)).toBe(79_674_391_296);
    expect(mod(inv, "model.layers.3.self_attn.q_proj")).toMatchObject({ inFeatures: 2048, outFeatures: 2 * 16 * 256 });
    expect(mod(inv, "model.layers.2.linear_attn.in_proj_qkvz")).toMatchObject({ outFeatures: 2 * 2048 + 2 * 4096 });
    expect(inv.experts).toMatchObject({ perToken: 10, total: 512 });
  });

  test("module order, classes and shapes of a small config (layers 0, 1 and layer 3's attention)", () => {
    const inv = build(tiny);
    expect(rows(inv).filter((r) => /^model\.layers\.[01]\./.test(r) || r.startsWith("model.layers.3.self_attn"))).toEqual([
      "model.layers.0.linear_attn Qwen3NextGatedDeltaNet dt_bias[4] A_log[4]",
      "model.layers.0.linear_attn.conv1d Conv1d weight[64,1,4]",
      "model.layers.0.linear_attn.in_proj_qkvz Linear weight[96,64]",
      "model.layers.0.linear_attn.in_proj_ba Linear weight[8,64]",
      "model.layers.0.linear_attn.norm Qwen3NextRMSNormGated weight[8]",
      "model.layers.0.linear_attn.out_proj Linear weight[64,32]",
      "model.layers.0.mlp.gate Qwen3NextTopKRouter weight[4,64]",
      "model.layers.0.mlp.experts Qwen3NextExperts gate_up_proj[4,64,64] down_proj[4,64,32]",
      "model.layers.0.mlp.shared_expert.gate_proj Linear weight[48,64]",
      "model.layers.0.mlp.shared_expert.up_proj Linear weight[48,64]",
      "model.layers.0.mlp.shared_expert.down_proj Linear weight[64,48]",
      "model.layers.0.mlp.shared_expert_gate Linear weight[1,64]",
      "model.layers.0.input_layernorm Qwen3NextRMSNorm weight[64]",
      "model.layers.0.post_attention_layernorm Qwen3NextRMSNorm weight[64]",
      "model.layers.1.linear_attn Qwen3NextGatedDeltaNet dt_bias[4] A_log[4]",
      "model.layers.1.linear_attn.conv1d Conv1d weight[64,1,4]",
      "model.layers.1.linear_attn.in_proj_qkvz Linear weight[96,64]",
      "model.layers.1.linear_attn.in_proj_ba Linear weight[8,64]",
      "model.layers.1.linear_attn.norm Qwen3NextRMSNormGated weight[8]",
      "model.layers.1.linear_attn.out_proj Linear weight[64,32]",
      "model.layers.1.mlp.gate_proj Linear weight[96,64]",
      "model.layers.1.mlp.up_proj Linear weight[96,64]",
      "model.layers.1.mlp.down_proj Linear weight[64,96]",
      "model.layers.1.input_layernorm Qwen3NextRMSNorm weight[64]",
      "model.layers.1.post_attention_layernorm Qwen3NextRMSNorm weight[64]",
      "model.layers.3.self_attn.q_proj Linear weight[128,64]",
      "model.layers.3.self_attn.k_proj Linear weight[32,64]",
      "model.layers.3.self_attn.v_proj Linear weight[32,64]",
      "model.layers.3.self_attn.o_proj Linear weight[64,64]",
      "model.layers.3.self_attn.q_norm Qwen3NextRMSNorm weight[16]",
      "model.layers.3.self_attn.k_norm Qwen3NextRMSNorm weight[16]",
    ]);
    expect(total(inv)).toBe(177_488);
    expect(mod(inv, "model.layers.0.linear_attn.conv1d")!.kind).toBe("other");
  });

  test.each([
    ["SEQ_CLS", 171_216, "Qwen3NextForSequenceClassification", "model.embed_tokens"],
    ["TOKEN_CLS", 171_218, "Qwen3NextForTokenClassification", "model.embed_tokens"],
    ["QUESTION_ANS", 171_218, "Qwen3NextForQuestionAnswering", "transformer.embed_tokens"],
    ["FEATURE_EXTRACTION", 171_088, "Qwen3NextModel", "embed_tokens"],
  ] as const)("%s head: %i parameters (%s)", (task, expected, cls, embed) => {
    const inv = build(tiny, task);
    expect([total(inv), inv.modelClass, inv.inputEmbeddings]).toEqual([expected, cls, embed]);
  });

  test("full_attention_interval and decoder_sparse_step without layer_types; attention_bias; tied head", () => {
    const inv = build({ ...tiny, decoder_sparse_step: 2, full_attention_interval: 2, attention_bias: true, tie_word_embeddings: true, mlp_only_layers: null });
    expect(total(inv)).toBe(163_360);
    expect(mod(inv, "model.layers.1.self_attn.k_proj")!.params.map((p) => p.shape)).toEqual([[32, 64], [32]]);
    expect(mod(inv, "model.layers.0.mlp.gate_proj")).toMatchObject({ outFeatures: 96 });
    expect(mod(inv, "model.layers.1.mlp.experts")).toBeDefined();
  });

  test("num_experts 0: every layer dense, no expert metadata; explicit layer_types", () => {
    const inv = build({ ...tiny, num_experts: 0, layer_types: ["full_attention", "linear_attention", "full_attention", "linear_attention"] });
    expect(total(inv)).toBe(137_888);
    expect(inv.experts).toBeUndefined();
    expect(mod(inv, "model.layers.0.self_attn.q_norm")).toBeDefined();
  });
});

describe("refusals", () => {
  test("transformers 4.x and the per-expert layout are not modelled", () => {
    expect(errorOf(() => build(tiny, "CAUSAL_LM", undefined, T4)).code).toBe("UNSUPPORTED_MODEL_TYPE");
    expect(errorOf(() => buildInventory(tiny, { expertLayout: "per-expert" })).code).toBe("UNSUPPORTED_OPTION");
  });

  test.each([
    [{ layer_types: ["full_attention"] }, /layer_types/],
    [{ layer_types: ["full_attention", "x", "full_attention", "full_attention"] }, /"x"/],
    [{ mlp_only_layers: "1" }, /mlp_only_layers/],
    [{ num_experts_per_tok: 5 }, /num_experts_per_tok/],
  ])("%j", (extra, message) => {
    const e = errorOf(() => build({ ...tiny, ...extra }));
    expect(e.code).toBe("INVALID_CONFIG");
    expect(e.message).toMatch(message);
  });
});

describe("PEFT on qwen3_next (oracle: peft 0.21.0 + transformers 5.18.0, small config above, r=4)", () => {
  test("LoRA on attention and DeltaNet projections with the QA head saved", () => {
    expect(count(build(tiny, "QUESTION_ANS"), "LORA", { r: 4, target_modules: ["q_proj", "v_proj", "in_proj_qkvz"] }).trainable).toBe(3_202);
  });
  test("transformers-4 expert names become target_parameters (gate_up_proj at rank 2r), dense MLP names stay", () => {
    expect(count(build(tiny), "LORA", { r: 4, target_modules: ["gate_proj", "up_proj", "down_proj", "gate"] }).trainable).toBe(17_712);
  });
  test("prefix tuning: head_dim 16 x 2 key/value heads per layer", () => {
    expect(count(build(tiny), "PREFIX_TUNING", { num_virtual_tokens: 5 }).trainable).toBe(1_280);
  });
});
