/**
 * Granite MoE (granitemoe) and Granite 4.0 hybrid (granitemoehybrid): the transformers 5.18.0 module trees group
 * for group in named_modules() order, with the totals `oracle inventory` printed (transformers 5.18.0, meta-device
 * build). Tiny configs exercise every switch: Mamba and attention layers (legacy names too), no experts, biases,
 * tied embeddings. LoRA and prefix numbers are `oracle count` (peft 0.21.0 + transformers 5.18.0).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Inventory } from "../../src/model/types.js";
import { build, errorOf, groups, mod, T4, T5, total } from "./helpers.js";

const lora = (inv: Inventory, options: Record<string, unknown>) =>
  evaluate(formulaForPeftType("LORA")!, inv, { task_type: "CAUSAL_LM", ...options }, { peft: [0, 21, 0], transformers: T5 }).breakdown;

const tinyMoe = {
  model_type: "granitemoe", vocab_size: 1000, hidden_size: 256, intermediate_size: 128, num_hidden_layers: 3, num_attention_heads: 8,
  num_key_value_heads: 2, num_local_experts: 4, num_experts_per_tok: 2, attention_bias: true, tie_word_embeddings: true,
};
const tinyHybrid = {
  model_type: "granitemoehybrid", vocab_size: 1000, hidden_size: 256, intermediate_size: 128, num_hidden_layers: 4, num_attention_heads: 8,
  num_key_value_heads: 2, num_local_experts: 4, num_experts_per_tok: 2, shared_intermediate_size: 96, layer_types: ["mamba", "attention", "mamba", "mamba"],
  mamba_n_heads: 16, mamba_n_groups: 2, mamba_d_state: 32, mamba_d_conv: 4, mamba_expand: 2, mamba_conv_bias: false, mamba_proj_bias: true,
  attention_bias: true, position_embedding_type: "rope", tie_word_embeddings: true,
};
const denseHybrid = {
  ...tinyHybrid, num_local_experts: 0, layer_types: ["linear_attention", "full_attention", "full_attention", "linear_attention"],
  mamba_conv_bias: true, mamba_proj_bias: false, attention_bias: false, tie_word_embeddings: false,
};

/** The modern golden vectors (tests/golden/modern.json) of a model type, by id: pinned so coverage cannot shrink silently. */
function vectorIds(modelType: string): string[] {
  const text = readFileSync(new URL("../golden/modern.json", import.meta.url), "utf8").replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, "null");
  return (JSON.parse(text) as { id: string; model: { model_type?: string } }[]).filter((v) => v.model.model_type === modelType).map((v) => v.id).sort();
}

describe("granitemoe (transformers 5.18.0)", () => {
  test("GraniteMoeConfig() defaults: 37,039,116,288", () => {
    expect(total(build({ model_type: "granitemoe" }))).toBe(37_039_116_288);
  });

  test("tiny config: attention, norms, then block_sparse_moe router (bare weight) and fused experts; 1,933,952", () => {
    const inv = build(tinyMoe);
    expect([inv.modelClass, total(inv)]).toEqual(["GraniteMoeForCausalLM", 1_933_952]);
    expect(groups(inv)).toEqual([
      "model.embed_tokens Embedding 1000x256 x1",
      "model.layers.*.self_attn.q_proj Linear 256->256+b x3",
      "model.layers.*.self_attn.k_proj Linear 256->64+b x3",
      "model.layers.*.self_attn.v_proj Linear 256->64+b x3",
      "model.layers.*.self_attn.o_proj Linear 256->256+b x3",
      "model.layers.*.input_layernorm GraniteMoeRMSNorm weight[256] x3",
      "model.layers.*.post_attention_layernorm GraniteMoeRMSNorm weight[256] x3",
      "model.layers.*.block_sparse_moe.router GraniteMoeTopKRouter weight[4,256] x3",
      "model.layers.*.block_sparse_moe.experts GraniteMoeExperts gate_up_proj[4,256,256] down_proj[4,256,128] x3",
      "model.norm GraniteMoeRMSNorm weight[256] x1",
      "lm_head Linear 256->1000 x1 tied",
    ]);
    const base = build(tinyMoe, "FEATURE_EXTRACTION");
    expect([base.modelClass, total(base), base.layersPath]).toEqual(["GraniteMoeModel", 1_933_952, "layers"]);
    expect(inv.experts).toMatchObject({ perToken: 2, total: 4 });
  });

  test("only CAUSAL_LM and the bare model; transformers 4.x and the per-expert layout are refused", () => {
    expect(errorOf(() => build(tinyMoe, "SEQ_CLS")).code).toBe("UNSUPPORTED_TASK");
    const old = errorOf(() => build(tinyMoe, "CAUSAL_LM", undefined, T4));
    expect([old.code, old.message]).toEqual(["UNSUPPORTED_MODEL_TYPE", expect.stringMatching(/transformers 4.43 had no granitemoe/)]);
    expect(errorOf(() => buildInventory(tinyMoe, { expertLayout: "per-expert" })).code).toBe("UNSUPPORTED_OPTION");
    expect(errorOf(() => build({ ...tinyMoe, num_experts_per_tok: 5 })).message).toMatch(/"num_experts_per_tok" \(5\) is larger than "num_local_experts" \(4\)/);
  });
});

describe("granitemoehybrid (transformers 5.18.0)", () => {
  test("GraniteMoeHybridConfig() defaults: 32 Mamba layers, 38,601,064,448", () => {
    const inv = build({ model_type: "granitemoehybrid" });
    expect(total(inv)).toBe(38_601_064_448);
    expect(mod(inv, "model.layers.31.mamba.in_proj")).toMatchObject({ inFeatures: 4096, outFeatures: 8192 + 8192 + 512 + 128 });
    expect(inv.modules.some((m) => m.name.includes("self_attn"))).toBe(false);
  });

  test("Mamba and attention layers (legacy names), biases, tied head: every group as the oracle lists it, 3,598,528", () => {
    const inv = build(tinyHybrid);
    expect([inv.modelClass, total(inv)]).toEqual(["GraniteMoeHybridForCausalLM", 3_598_528]);
    expect(groups(inv)).toEqual([
      "model.embed_tokens Embedding 1000x256 x1",
      "model.layers.*.input_layernorm GraniteMoeHybridRMSNorm weight[256] x4",
      "model.layers.*.post_attention_layernorm GraniteMoeHybridRMSNorm weight[256] x4",
      "model.layers.*.block_sparse_moe.router GraniteMoeHybridTopKRouter weight[4,256] x4",
      "model.layers.*.block_sparse_moe.experts GraniteMoeHybridExperts gate_up_proj[4,256,256] down_proj[4,256,128] x4",
      "model.layers.*.shared_mlp.input_linear Linear 256->192 x4",
      "model.layers.*.shared_mlp.output_linear Linear 96->256 x4",
      "model.layers.*.mamba GraniteMoeHybridMambaLayer dt_bias[16] A_log[16] D[16] x3",
      "model.layers.*.mamba.conv1d Conv1d weight[640,1,4] x3",
      "model.layers.*.mamba.in_proj Linear 256->1168+b x3",
      "model.layers.*.mamba.norm GraniteMoeHybridRMSNormGated weight[512] x3",
      "model.layers.*.mamba.out_proj Linear 512->256+b x3",
      "model.layers.*.self_attn.q_proj Linear 256->256+b x1",
      "model.layers.*.self_attn.k_proj Linear 256->64+b x1",
      "model.layers.*.self_attn.v_proj Linear 256->64+b x1",
      "model.layers.*.self_attn.o_proj Linear 256->256+b x1",
      "model.norm GraniteMoeHybridRMSNorm weight[256] x1",
      "lm_head Linear 256->1000 x1 tied",
    ]);
    expect(inv.modules.filter((m) => m.name.startsWith("model.layers.1.")).map((m) => m.name.slice(15))).toEqual([
      "input_layernorm", "post_attention_layernorm", "block_sparse_moe.router", "block_sparse_moe.experts", "shared_mlp.input_linear",
      "shared_mlp.output_linear", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
    ]);
    const base = build(tinyHybrid, "FEATURE_EXTRACTION");
    expect([base.modelClass, total(base)]).toEqual(["GraniteMoeHybridModel", 3_598_528]);
  });

  test("no experts (num_local_experts 0): no block_sparse_moe, no expert metadata; 2,004,576", () => {
    const inv = build(denseHybrid);
    expect(total(inv)).toBe(2_004_576);
    expect(groups(inv).slice(3, 6)).toEqual([
      "model.layers.*.shared_mlp.input_linear Linear 256->192 x4",
      "model.layers.*.shared_mlp.output_linear Linear 96->256 x4",
      "model.layers.*.mamba GraniteMoeHybridMambaLayer dt_bias[16] A_log[16] D[16] x2",
    ]);
    expect(mod(inv, "model.layers.0.mamba.conv1d")!.params.map((p) => p.name)).toEqual(["weight", "bias"]);
    expect(inv.experts).toBeUndefined();
  });

  test("layers_block_type is read as layer_types", () => {
    const { layer_types, ...rest } = tinyHybrid;
    expect(total(build({ ...rest, layers_block_type: layer_types }))).toBe(3_598_528);
  });

  test("LoRA (oracle): all-linear adapts mamba in/out, shared MLP and attention, never conv1d or the router", () => {
    const inv = build(tinyHybrid);
    expect([lora(inv, { r: 4, target_modules: "all-linear" }).trainable, lora(inv, { r: 4, target_modules: "all-linear" }).allParams]).toEqual([45_760, 3_644_288]);
    const b = lora(inv, { r: 4, target_modules: ["q_proj", "in_proj"], target_parameters: ["experts.gate_up_proj", "experts.down_proj", "router.weight"] });
    expect(b.trainable).toBe(80_640);
    // PEFT: "Targeting a Conv1d with groups=640 and rank 4 ..." (ValueError); peftcount does not adapt nn.Conv1d at all
    expect(errorOf(() => lora(inv, { r: 4, target_modules: ["conv1d"] }))).toMatchObject({ code: "UNSUPPORTED_TARGET", message: expect.stringMatching(/is a Conv1d/) });
  });

  test("prefix tuning (oracle): kv heads 2 × head_dim 32 per layer, 10 tokens → 5,120", () => {
    const inv = build(tinyHybrid);
    const { breakdown } = evaluate(formulaForPeftType("PREFIX_TUNING")!, inv, { task_type: "CAUSAL_LM", num_virtual_tokens: 10 }, { peft: [0, 21, 0], transformers: T5 });
    expect(breakdown.trainable).toBe(5_120);
  });

  test.each([
    [{ layer_types: ["mamba"] }, /"layer_types" must list one layer type per layer \(4\)/],
    [{ layer_types: ["mamba", "moe", "mamba", "mamba"] }, /"layer_types" holds "moe"/],
    [{ mamba_n_heads: 24 }, /"mamba_expand \* hidden_size" \(512\) is not divisible by "mamba_n_heads" \(24\)/],
    [{ mamba_d_head: 16 }, /"mamba_d_head" · "mamba_n_heads" \(16 · 16\) is not mamba_expand · hidden_size \(512\)/],
    [{ num_local_experts: -1 }, /"num_local_experts" must be at least 0/],
  ])("config error %j", (patch, message) => {
    expect(errorOf(() => build({ ...tinyHybrid, ...patch })).message).toMatch(message);
  });

  test("mamba_d_head \"auto\" or consistent is accepted; transformers 4.x refused", () => {
    expect(total(build({ ...tinyHybrid, mamba_d_head: 32 }))).toBe(3_598_528);
    expect(total(build({ ...tinyHybrid, mamba_d_head: "auto" }))).toBe(3_598_528);
    expect(errorOf(() => build(tinyHybrid, "CAUSAL_LM", undefined, T4)).code).toBe("UNSUPPORTED_MODEL_TYPE");
  });
});

describe("golden vectors (checked in tests/golden/vectors.test.ts)", () => {
  test("granitemoe: 4 modern vectors", () => {
    expect(vectorIds("granitemoe")).toEqual([
      "fam-lora-r16-alllinear-granitemoe-defaults",
      "fam-lora-r8-qv-tp-experts-granitemoe-defaults",
      "fam-lora-r8-tp-experts-granitemoe-defaults",
      "fam-prefix-20-granitemoe-defaults",
    ]);
  });
  test("granitemoehybrid: 4 modern vectors", () => {
    expect(vectorIds("granitemoehybrid")).toEqual([
      "fam-lora-r8-attn-granitemoehybrid-defaults",
      "fam-lora-r8-qv-oldnames-granitemoehybrid-defaults",
      "fam-lora-r8-qv-tp-experts-granitemoehybrid-defaults",
      "fam-prefix-20-granitemoehybrid-defaults",
    ]);
  });
});
