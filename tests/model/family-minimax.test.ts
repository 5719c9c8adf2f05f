/**
 * MiniMax (minimax): lightning and full attention layers by layer_types, a fused Mixtral-style MoE in every layer,
 * MiniMaxConfig defaults, heads, refusals. Module trees and totals are the oracle's (peft 0.21.0 + transformers
 * 5.18.0: `named_modules()` of the model built on meta).
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
const tiny = { model_type: "minimax", hidden_size: 64, intermediate_size: 96, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 100, num_local_experts: 4 };

describe("minimax as transformers 5.18 builds it (oracle)", () => {
  test("MiniMaxConfig() is 47,373,946,880 parameters", () => {
    const inv = build({ model_type: "minimax" });
    expect(total(inv)).toBe(47_373_946_880);
    expect(mod(inv, "model.layers.1.self_attn.qkv_proj")).toMatchObject({ inFeatures: 4096, outFeatures: 3 * 4096 });
    expect(mod(inv, "model.layers.0.self_attn.k_proj")).toMatchObject({ outFeatures: 1024 });
    expect(inv.experts).toMatchObject({ perToken: 2, total: 8 });
  });

  test("module order of a small config (layers 0-1): self_attn first, norms, then the MoE", () => {
    const inv = build(tiny);
    expect(rows(inv).filter((r) => !r.startsWith("model.layers.2."))).toEqual([
      "model.embed_tokens Embedding weight[100,64]",
      "model.layers.0.self_attn.q_proj Linear weight[64,64]",
      "model.layers.0.self_attn.k_proj Linear weight[32,64]",
      "model.layers.0.self_attn.v_proj Linear weight[32,64]",
      "model.layers.0.self_attn.o_proj Linear weight[64,64]",
      "model.layers.0.input_layernorm MiniMaxRMSNorm weight[64]",
      "model.layers.0.post_attention_layernorm MiniMaxRMSNorm weight[64]",
      "model.layers.0.mlp.gate MiniMaxTopKRouter weight[4,64]",
      "model.layers.0.mlp.experts MiniMaxExperts gate_up_proj[4,192,64] down_proj[4,64,96]",
      "model.layers.1.self_attn.norm MiniMaxRMSNorm weight[64]",
      "model.layers.1.self_attn.qkv_proj Linear weight[192,64]",
      "model.layers.1.self_attn.out_proj Linear weight[64,64]",
      "model.layers.1.self_attn.output_gate Linear weight[64,64]",
      "model.layers.1.input_layernorm MiniMaxRMSNorm weight[64]",
      "model.layers.1.post_attention_layernorm MiniMaxRMSNorm weight[64]",
      "model.layers.1.mlp.gate MiniMaxTopKRouter weight[4,64]",
      "model.layers.1.mlp.experts MiniMaxExperts gate_up_proj[4,192,64] down_proj[4,64,96]",
      "model.norm MiniMaxRMSNorm weight[64]",
      "lm_head Linear weight[100,64]",
    ]);
    expect(total(inv)).toBe(280_320);
  });

  test.each([
    ["SEQ_CLS", 274_048, "MiniMaxForSequenceClassification"],
    ["TOKEN_CLS", 274_050, "MiniMaxForTokenClassification"],
    ["QUESTION_ANS", 274_050, "MiniMaxForQuestionAnswering"],
    ["FEATURE_EXTRACTION", 273_920, "MiniMaxModel"],
  ] as const)("%s head: %i parameters (%s)", (task, expected, cls) => {
    const inv = build(tiny, task);
    expect([total(inv), inv.modelClass]).toEqual([expected, cls]);
  });

  test("explicit head_dim and layer_types, tied head", () => {
    const inv = build({ ...tiny, head_dim: 32, layer_types: ["linear_attention", "linear_attention", "full_attention"], tie_word_embeddings: true });
    expect(total(inv)).toBe(335_552);
    expect(mod(inv, "model.layers.0.self_attn.norm")!.params[0]!.shape).toEqual([128]);
    expect(mod(inv, "model.layers.2.self_attn.o_proj")).toMatchObject({ inFeatures: 128 });
  });

  test("transformers 4.x and the per-expert layout are refused; bad layer_types name the field", () => {
    expect(errorOf(() => build(tiny, "CAUSAL_LM", undefined, T4)).code).toBe("UNSUPPORTED_MODEL_TYPE");
    expect(errorOf(() => buildInventory(tiny, { expertLayout: "per-expert" })).code).toBe("UNSUPPORTED_OPTION");
    expect(errorOf(() => build({ ...tiny, layer_types: ["full_attention"] })).message).toMatch(/layer_types/);
  });
});

describe("PEFT on minimax (oracle: peft 0.21.0 + transformers 5.18.0, small config above, r=4)", () => {
  test("LoRA on both attention kinds with the token head saved", () => {
    expect(count(build(tiny, "TOKEN_CLS"), "LORA", { r: 4, target_modules: ["q_proj", "qkv_proj", "output_gate"] }).trainable).toBe(2_690);
  });
  test("Mixtral-style old names become target_parameters (w1 + w3 -> gate_up_proj at 2r, w2, gate.weight)", () => {
    expect(count(build(tiny), "LORA", { r: 4, target_modules: ["w1", "w2", "w3", "gate", "qkv_proj"] }).trainable).toBe(34_096);
  });
});
