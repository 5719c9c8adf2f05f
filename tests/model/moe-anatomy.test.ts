/**
 * Every MoE family declares its anatomy, and inspect's per-layer-kind totals computed from it cover the whole
 * model: Σ kinds + embeddings + final norms + head = the model's parameters, nothing left outside, no layer
 * module unplaced, and the routed top-k share per kind adds up to the model's active parameters.
 */
import { describe, expect, it } from "vitest";
import { activeParams } from "../../src/model/active.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";
import { layerKinds } from "../../src/report/inspect-layers.js";
import { layerKindLines } from "../../src/render/inspect-layers.js";

const small = { hidden_size: 64, intermediate_size: 96, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 128 };
const CASES: readonly { name: string; config: Record<string, unknown>; layout?: "fused" | "per-expert"; task?: Task }[] = [
  { name: "mixtral fused", config: { model_type: "mixtral", ...small, num_local_experts: 4, num_experts_per_tok: 2 } },
  { name: "mixtral per-expert", config: { model_type: "mixtral", ...small, num_local_experts: 4, num_experts_per_tok: 2 }, layout: "per-expert" },
  { name: "qwen2_moe (shared expert, a dense layer)", config: { model_type: "qwen2_moe", ...small, num_experts: 6, num_experts_per_tok: 2, moe_intermediate_size: 32, shared_expert_intermediate_size: 48, mlp_only_layers: [1] } },
  { name: "qwen3_moe per-expert, SEQ_CLS", config: { model_type: "qwen3_moe", ...small, head_dim: 16, num_experts: 6, num_experts_per_tok: 2, moe_intermediate_size: 32 }, layout: "per-expert", task: "SEQ_CLS" },
  { name: "deepseek_v3 (dense first layer)", config: { model_type: "deepseek_v3", ...small, num_key_value_heads: 4, n_routed_experts: 8, num_experts_per_tok: 2, n_shared_experts: 1, moe_intermediate_size: 32, first_k_dense_replace: 1, q_lora_rank: 16, kv_lora_rank: 16, qk_nope_head_dim: 8, qk_rope_head_dim: 8, v_head_dim: 8 } },
  { name: "deepseek_v2 q_proj", config: { model_type: "deepseek_v2", ...small, num_key_value_heads: 4, n_routed_experts: 8, num_experts_per_tok: 2, moe_intermediate_size: 32, q_lora_rank: null, kv_lora_rank: 16, qk_nope_head_dim: 8, qk_rope_head_dim: 8, v_head_dim: 8 } },
  { name: "gpt_oss", config: { model_type: "gpt_oss", ...small, head_dim: 16, num_local_experts: 4, num_experts_per_tok: 2 } },
  { name: "olmoe", config: { model_type: "olmoe", ...small, num_experts: 4, num_experts_per_tok: 2 } },
  { name: "llama4_text interleaved", config: { model_type: "llama4_text", ...small, head_dim: 16, intermediate_size_mlp: 128, num_local_experts: 4, num_experts_per_tok: 1, interleave_moe_layer_step: 2 } },
  { name: "phimoe per-expert", config: { model_type: "phimoe", ...small, num_local_experts: 4, num_experts_per_tok: 2 }, layout: "per-expert" },
  { name: "granitemoe", config: { model_type: "granitemoe", ...small, num_local_experts: 4, num_experts_per_tok: 2 } },
  { name: "granitemoehybrid", config: { model_type: "granitemoehybrid", ...small, num_local_experts: 4, num_experts_per_tok: 2, shared_intermediate_size: 48, layer_types: ["mamba", "attention", "mamba", "attention"], mamba_n_heads: 8, mamba_d_head: 16, mamba_d_state: 16, mamba_n_groups: 1 } },
  { name: "dbrx", config: { model_type: "dbrx", d_model: 64, n_heads: 4, n_layers: 2, vocab_size: 128, attn_config: { kv_n_heads: 2 }, ffn_config: { ffn_hidden_size: 96, moe_num_experts: 4, moe_top_k: 2 } } },
  { name: "jamba", config: { model_type: "jamba", ...small, num_hidden_layers: 8, num_experts: 4, num_experts_per_tok: 2, mamba_d_state: 8, mamba_expand: 2, mamba_dt_rank: 8 } },
  { name: "qwen3_next", config: { model_type: "qwen3_next", ...small, head_dim: 16, num_experts: 4, num_experts_per_tok: 2, moe_intermediate_size: 32, shared_expert_intermediate_size: 32, linear_num_key_heads: 2, linear_num_value_heads: 4, linear_key_head_dim: 8, linear_value_head_dim: 8 } },
  { name: "minimax", config: { model_type: "minimax", ...small, head_dim: 16, num_local_experts: 4, num_experts_per_tok: 2 } },
];

describe("MoE anatomy → per-layer-kind totals", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const inv = buildInventory(c.config, { ...(c.layout ? { expertLayout: c.layout } : {}), ...(c.task ? { task: c.task } : {}) });
      expect(inv.anatomy).toBeDefined();
      const k = layerKinds(inv)!;
      expect(k.outside).toBe(0);
      for (const r of k.kinds) expect(r.other, `${c.name}: ${r.kind}`).toBe(0);
      const sum = k.kinds.reduce((s, r) => s + r.total, 0) + k.embeddings + k.finalNorms + k.head;
      expect(sum).toBe(totalParams(inv.modules));
      expect(k.embeddings).toBeGreaterThan(0);
      expect(k.finalNorms).toBeGreaterThan(0);
      const routed = k.kinds.reduce((s, r) => s + r.routed, 0);
      const share = k.kinds.reduce((s, r) => s + r.routedActive, 0);
      if (routed > 0) expect(totalParams(inv.modules) - routed + share).toBe(activeParams(inv));
      expect(layerKindLines(k).length).toBe(k.kinds.length + 2);
    });
  }
});

describe("inspect carries the per-layer-kind totals", () => {
  it("deepseek-v3: dense layers 0-2, MoE + shared layers 3-60 (oracle inventory, transformers 5.18.0)", async () => {
    const { buildInspectReport } = await import("../../src/report/inspect.js");
    const { inspectReportSchema } = await import("../../src/report/inspect.js");
    const { findPreset } = await import("../../src/model/presets/index.js");
    const inv = buildInventory(findPreset("deepseek-v3")!.config);
    const r = buildInspectReport({ id: "deepseek-v3", source: "preset:deepseek-v3" }, inv);
    expect(inspectReportSchema.parse(r)).toBeDefined();
    expect(r.layerKinds!.kinds.map((k) => [k.kind, k.indices, k.total])).toEqual([
      ["attention + dense FFN", "0-2", 1_750_450_176],
      ["attention + MoE + shared", "3-60", 667_422_588_928],
    ]);
    expect(r.layerKinds!.kinds[1]!.routed).toBe(653_908_770_816);
    expect(r.layerKinds!.kinds[1]!.routedActive).toBe(20_434_649_088);
  });
});
