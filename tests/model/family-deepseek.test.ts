/**
 * DeepSeek-V2 / DeepSeek-V3 (deepseek_v2, deepseek_v3): the transformers 5.18.0 module trees, group for group in
 * named_modules() order, with the totals `oracle inventory` printed (transformers 5.18.0, meta-device build).
 * Tiny configs exercise every switch: q_lora_rank null (q_proj) or set, attention_bias, mlp_bias (V2 only),
 * first_k_dense_replace, n_shared_experts, tied embeddings; the published DeepSeek-V3 config pins the real sizes.
 */
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { activeParams } from "../../src/model/active.js";
import type { Inventory } from "../../src/model/types.js";
import { build, errorOf, groups, mod, T4, T5, total } from "./helpers.js";

const tinyV2 = {
  model_type: "deepseek_v2", vocab_size: 100, hidden_size: 64, intermediate_size: 96, num_hidden_layers: 3, num_attention_heads: 4,
  first_k_dense_replace: 1, q_lora_rank: null, attention_bias: true, mlp_bias: true, n_routed_experts: 4, n_shared_experts: 2,
  moe_intermediate_size: 16, kv_lora_rank: 32, qk_nope_head_dim: 16, qk_rope_head_dim: 8, v_head_dim: 12, num_experts_per_tok: 2,
  tie_word_embeddings: true,
};
const tinyV3 = {
  ...tinyV2, model_type: "deepseek_v3", num_key_value_heads: 2, q_lora_rank: 24, n_group: 2, topk_group: 1, tie_word_embeddings: false,
};

// DeepSeek-V3's published config.json (shared/reference/configs/deepseek-v3.json), the parameter-relevant keys
const DEEPSEEK_V3 = {
  model_type: "deepseek_v3", first_k_dense_replace: 3, hidden_size: 7168, intermediate_size: 18432, kv_lora_rank: 512, moe_intermediate_size: 2048,
  n_routed_experts: 256, n_shared_experts: 1, num_attention_heads: 128, num_experts_per_tok: 8, num_hidden_layers: 61, num_key_value_heads: 128,
  num_nextn_predict_layers: 1, q_lora_rank: 1536, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128, vocab_size: 129280,
  tie_word_embeddings: false,
};

describe("module trees of transformers 5.18.0 (oracle inventory)", () => {
  test("tiny DeepSeek-V2: q_proj (q_lora_rank null), biases, one dense layer, tied lm_head: 109,656", () => {
    const inv = build(tinyV2);
    expect(groups(inv)).toEqual([
      "model.embed_tokens Embedding 100x64 x1",
      "model.layers.*.self_attn.q_proj Linear 64->96 x3",
      "model.layers.*.self_attn.kv_a_proj_with_mqa Linear 64->40+b x3",
      "model.layers.*.self_attn.kv_a_layernorm DeepseekV2RMSNorm weight[32] x3",
      "model.layers.*.self_attn.kv_b_proj Linear 32->112 x3",
      "model.layers.*.self_attn.o_proj Linear 48->64+b x3",
      "model.layers.*.mlp.gate_proj Linear 64->96+b x1",
      "model.layers.*.mlp.up_proj Linear 64->96+b x1",
      "model.layers.*.mlp.down_proj Linear 96->64+b x1",
      "model.layers.*.input_layernorm DeepseekV2RMSNorm weight[64] x3",
      "model.layers.*.post_attention_layernorm DeepseekV2RMSNorm weight[64] x3",
      "model.layers.*.mlp.experts DeepseekV2Experts gate_up_proj[4,32,64] down_proj[4,64,16] x2",
      "model.layers.*.mlp.gate DeepseekV2TopkRouter weight[4,64] x2",
      "model.layers.*.mlp.shared_experts.gate_proj Linear 64->32+b x2",
      "model.layers.*.mlp.shared_experts.up_proj Linear 64->32+b x2",
      "model.layers.*.mlp.shared_experts.down_proj Linear 32->64+b x2",
      "model.norm DeepseekV2RMSNorm weight[64] x1",
      "lm_head Linear 64->100 x1 tied",
    ]);
    expect([inv.modelClass, total(inv), inv.outputEmbeddings]).toEqual(["DeepseekV2ForCausalLM", 109_656, "lm_head"]);
    expect(mod(inv, "lm_head")!.params[0]!.tiedTo).toBe("model.embed_tokens.weight");
  });

  test("tiny DeepSeek-V3: low-rank query with q_a_layernorm, no MLP biases (mlp_bias is not a V3 key): 108,776", () => {
    const inv = build(tinyV3);
    expect(groups(inv)).toEqual([
      "model.embed_tokens Embedding 100x64 x1",
      "model.layers.*.self_attn.q_a_proj Linear 64->24+b x3",
      "model.layers.*.self_attn.q_a_layernorm DeepseekV3RMSNorm weight[24] x3",
      "model.layers.*.self_attn.q_b_proj Linear 24->96 x3",
      "model.layers.*.self_attn.kv_a_proj_with_mqa Linear 64->40+b x3",
      "model.layers.*.self_attn.kv_a_layernorm DeepseekV3RMSNorm weight[32] x3",
      "model.layers.*.self_attn.kv_b_proj Linear 32->112 x3",
      "model.layers.*.self_attn.o_proj Linear 48->64+b x3",
      "model.layers.*.mlp.gate_proj Linear 64->96 x1",
      "model.layers.*.mlp.up_proj Linear 64->96 x1",
      "model.layers.*.mlp.down_proj Linear 96->64 x1",
      "model.layers.*.input_layernorm DeepseekV3RMSNorm weight[64] x3",
      "model.layers.*.post_attention_layernorm DeepseekV3RMSNorm weight[64] x3",
      "model.layers.*.mlp.experts DeepseekV3Experts gate_up_proj[4,32,64] down_proj[4,64,16] x2",
      "model.layers.*.mlp.gate DeepseekV3TopkRouter weight[4,64] x2",
      "model.layers.*.mlp.shared_experts.gate_proj Linear 64->32 x2",
      "model.layers.*.mlp.shared_experts.up_proj Linear 64->32 x2",
      "model.layers.*.mlp.shared_experts.down_proj Linear 32->64 x2",
      "model.norm DeepseekV3RMSNorm weight[64] x1",
      "lm_head Linear 64->100 x1",
    ]);
    expect([inv.modelClass, total(inv)]).toEqual(["DeepseekV3ForCausalLM", 108_776]);
  });

  test("heads: V2 score 109,784; V3 score 102,504, token score with bias 102,506", () => {
    const v2 = build(tinyV2, "SEQ_CLS");
    expect([v2.modelClass, total(v2), groups(v2).at(-1)]).toEqual(["DeepseekV2ForSequenceClassification", 109_784, "score Linear 64->2 x1"]);
    const v3 = build(tinyV3, "SEQ_CLS");
    expect([v3.modelClass, total(v3), v3.outputEmbeddings]).toEqual(["DeepseekV3ForSequenceClassification", 102_504, undefined]);
    const tok = build(tinyV3, "TOKEN_CLS");
    expect([tok.modelClass, total(tok), groups(tok).at(-1)]).toEqual(["DeepseekV3ForTokenClassification", 102_506, "score Linear 64->2+b x1"]);
  });

  test("bare model: no prefix, no head", () => {
    const inv = build(tinyV3, "FEATURE_EXTRACTION");
    expect([inv.modelClass, inv.inputEmbeddings, inv.layersPath, inv.outputEmbeddings]).toEqual(["DeepseekV3Model", "embed_tokens", "layers", undefined]);
    expect(total(inv)).toBe(108_776 - 100 * 64);
  });

  test("transformers has no QUESTION_ANS head for either, and no TOKEN_CLS head for V2", () => {
    expect(errorOf(() => build(tinyV2, "QUESTION_ANS")).code).toBe("UNSUPPORTED_TASK");
    expect(errorOf(() => build(tinyV3, "QUESTION_ANS")).code).toBe("UNSUPPORTED_TASK");
    expect(errorOf(() => build(tinyV2, "TOKEN_CLS")).message).toMatch(/no TOKEN_CLS head for model_type "deepseek_v2"/);
  });
});

describe("published sizes and config-class defaults (oracle inventory, transformers 5.18.0)", () => {
  test("DeepSeek-V3: 671,026,404,352 (the MTP layer is not built), 3 dense layers, 58 MoE layers", () => {
    const inv = build(DEEPSEEK_V3);
    expect(total(inv)).toBe(671_026_404_352);
    expect(inv.modules.filter((m) => m.className === "DeepseekV3Experts")).toHaveLength(58);
    expect(mod(inv, "model.layers.3.mlp.experts")!.params.map((p) => p.shape)).toEqual([[256, 4096, 7168], [256, 7168, 2048]]);
    expect(inv.modules.some((m) => m.name.startsWith("model.layers.61"))).toBe(false);
    expect(inv.experts).toMatchObject({ perToken: 8, total: 256 });
    // routed experts count 8/256 per token; the rest fully
    const routed = 58 * 256 * 3 * 7168 * 2048;
    expect(activeParams(inv)).toBe(671_026_404_352 - routed + (routed / 256) * 8);
  });

  test("DeepseekV3Config() is DeepSeek-V3", () => {
    expect(total(build({ model_type: "deepseek_v3" }))).toBe(671_026_404_352);
  });

  test("DeepseekV2Config(): 38,612,307,968; num_experts_per_tok unset, so no active count", () => {
    const inv = build({ model_type: "deepseek_v2" });
    expect(total(inv)).toBe(38_612_307_968);
    expect(mod(inv, "model.layers.0.mlp.experts")!.params.map((p) => p.shape)).toEqual([[64, 2814, 4096], [64, 4096, 1407]]);
    expect(mod(inv, "model.layers.0.mlp.shared_experts.up_proj")).toMatchObject({ inFeatures: 4096, outFeatures: 2814 });
    expect(inv.experts).toBeUndefined();
    expect(inv.notes?.join(" ")).toMatch(/num_experts_per_tok is unset/);
  });

  test("head_dim is the config attribute PEFT reads: qk_rope_head_dim unless config.json sets it", () => {
    expect(build({ model_type: "deepseek_v3" }).dims.headDim).toBe(64);
    expect(build({ model_type: "deepseek_v3", qk_rope_head_dim: 32 }).dims.headDim).toBe(32);
    expect(build({ model_type: "deepseek_v3", head_dim: 128 }).dims.headDim).toBe(128);
  });

  test("attribute_map aliases: num_experts (V2), num_local_experts (V3)", () => {
    expect(build({ ...tinyV2, n_routed_experts: undefined, num_experts: 6 }).dims.numLocalExperts).toBe(6);
    expect(build({ ...tinyV3, n_routed_experts: undefined, num_local_experts: 6 }).dims.numLocalExperts).toBe(6);
  });

  test("first_k_dense_replace ≥ layers: every layer dense, no expert metadata", () => {
    const inv = build({ ...tinyV3, first_k_dense_replace: 3 });
    expect(inv.experts).toBeUndefined();
    expect(inv.modules.some((m) => m.name.includes("experts"))).toBe(false);
  });
});

describe("refusals and config errors", () => {
  test("transformers 4.x is not modelled (4.43 had neither model type)", () => {
    const e = errorOf(() => build(tinyV3, "CAUSAL_LM", undefined, T4));
    expect(e.code).toBe("UNSUPPORTED_MODEL_TYPE");
    expect(e.message).toMatch(/4\.43 had no deepseek_v3/);
  });

  test("the per-expert layout is refused", () => {
    expect(errorOf(() => buildInventory(tinyV2, { expertLayout: "per-expert" })).message).toMatch(/per-expert/);
  });

  test.each([
    [{ ...tinyV3, num_experts_per_tok: 5 }, /"num_experts_per_tok" \(5\) is larger than "n_routed_experts" \(4\)/],
    [{ ...tinyV2, hidden_size: 66 }, /"hidden_size" \(66\) is not divisible by "num_attention_heads" \(4\)/],
    [{ ...tinyV3, q_lora_rank: 0 }, /"q_lora_rank" must be a positive integer/],
    [{ ...tinyV3, kv_lora_rank: "512" }, /"kv_lora_rank" must be an integer/],
    [{ ...tinyV3, first_k_dense_replace: -1 }, /"first_k_dense_replace" must be at least 0/],
  ])("%j", (cfg, message) => {
    expect(() => build(cfg)).toThrow(message);
  });
});

describe("PEFT on these trees (oracle count: peft 0.21.0 + transformers 5.18.0)", () => {
  const ctx = { peft: [0, 21, 0] as const, transformers: T5 };
  const count = (cfg: Record<string, unknown>, peftType: string, options: Record<string, unknown>) => {
    const { breakdown } = evaluate(formulaForPeftType(peftType)!, build(cfg), { task_type: "CAUSAL_LM", ...options }, ctx);
    return [breakdown.trainable, breakdown.allParams];
  };

  test("LoRA r=4 all-linear on tiny V2 (q_proj, shared experts, dense MLP; fused experts and router rewritten to target_parameters): 15,488", () => {
    expect(count(tinyV2, "LORA", { r: 4, target_modules: "all-linear" })).toEqual([15_488, 125_144]);
  });

  test("LoRA r=2 on gate (router → gate.weight) and q_a_proj, tiny V3: 800", () => {
    expect(count(tinyV3, "LORA", { r: 2, target_modules: ["gate", "q_a_proj"] })).toEqual([800, 109_576]);
  });

  test("prefix tuning reads config.json's head_dim when it is set (16 here, not qk_rope_head_dim 8): 960", () => {
    expect(count({ ...tinyV3, head_dim: 16 }, "PREFIX_TUNING", { num_virtual_tokens: 5 })).toEqual([960, 109_736]);
  });
});
