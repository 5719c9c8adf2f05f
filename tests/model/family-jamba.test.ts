/**
 * Jamba (jamba): Mamba mixers and attention layers by attn_layer_period / offset, sparse MoE feed-forward blocks by
 * expert_layer_period / offset, JambaConfig defaults, heads, both expert layouts, config errors. Module trees and
 * totals are the oracle's (peft 0.21.0 + transformers 5.18.0: `named_modules()` of the model built on meta).
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { formulaForPeftType } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { DEFAULT_VERSIONS } from "../../src/versions.js";
import type { Inventory } from "../../src/model/types.js";
import { build, errorOf, mod, T4, total } from "./helpers.js";

const rows = (inv: Inventory) => inv.modules.map((m) => [m.name, m.className, ...m.params.map((p) => `${p.name}${JSON.stringify(p.shape)}`)].join(" "));
const tiny = {
  model_type: "jamba", hidden_size: 64, intermediate_size: 96, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 100,
  num_experts: 4, attn_layer_period: 2, attn_layer_offset: 1, expert_layer_period: 2, expert_layer_offset: 1, mamba_dt_rank: 8, mamba_d_state: 4,
};
const lora = (inv: Inventory, adapter: Record<string, unknown>) =>
  evaluate(formulaForPeftType("LORA")!, inv, { peft_type: "LORA", task_type: "CAUSAL_LM", ...adapter }, DEFAULT_VERSIONS).breakdown;

describe("jamba as transformers 5.18 builds it (oracle)", () => {
  test("JambaConfig() is 51,570,323,328 parameters: 4 attention + 28 Mamba layers, 16 MoE layers of 16 experts", () => {
    const inv = build({ model_type: "jamba" });
    expect(total(inv)).toBe(51_570_323_328);
    expect(inv.modules.filter((m) => m.name.endsWith(".self_attn.q_proj")).map((m) => m.name)).toEqual([4, 12, 20, 28].map((i) => `model.layers.${i}.self_attn.q_proj`));
    // mamba_dt_rank "auto" = ceil(4096 / 16) = 256: x_proj 8192 -> 256 + 2 * 16
    expect(mod(inv, "model.layers.0.mamba.x_proj")).toMatchObject({ inFeatures: 8192, outFeatures: 288 });
    expect(inv.experts).toMatchObject({ perToken: 2, total: 16 });
  });

  test("module order, classes and shapes of a small config, layers 0-1 (mixer params owned by the mixer, conv1d not a Linear)", () => {
    const inv = build(tiny);
    expect(rows(inv).filter((r) => !/^model\.layers\.[23]\./.test(r))).toEqual([
      "model.embed_tokens Embedding weight[100,64]",
      "model.layers.0.mamba JambaMambaMixer A_log[128,4] D[128]",
      "model.layers.0.mamba.conv1d Conv1d weight[128,1,4] bias[128]",
      "model.layers.0.mamba.in_proj Linear weight[256,64]",
      "model.layers.0.mamba.x_proj Linear weight[16,128]",
      "model.layers.0.mamba.dt_proj Linear weight[128,8] bias[128]",
      "model.layers.0.mamba.out_proj Linear weight[64,128]",
      "model.layers.0.mamba.dt_layernorm JambaRMSNorm weight[8]",
      "model.layers.0.mamba.b_layernorm JambaRMSNorm weight[4]",
      "model.layers.0.mamba.c_layernorm JambaRMSNorm weight[4]",
      "model.layers.0.feed_forward.gate_proj Linear weight[96,64]",
      "model.layers.0.feed_forward.up_proj Linear weight[96,64]",
      "model.layers.0.feed_forward.down_proj Linear weight[64,96]",
      "model.layers.0.input_layernorm JambaRMSNorm weight[64]",
      "model.layers.0.pre_ff_layernorm JambaRMSNorm weight[64]",
      "model.layers.1.self_attn.q_proj Linear weight[64,64]",
      "model.layers.1.self_attn.k_proj Linear weight[32,64]",
      "model.layers.1.self_attn.v_proj Linear weight[32,64]",
      "model.layers.1.self_attn.o_proj Linear weight[64,64]",
      "model.layers.1.feed_forward.router Linear weight[4,64]",
      "model.layers.1.feed_forward.experts JambaExperts gate_up_proj[4,192,64] down_proj[4,64,96]",
      "model.layers.1.input_layernorm JambaRMSNorm weight[64]",
      "model.layers.1.pre_ff_layernorm JambaRMSNorm weight[64]",
      "model.final_layernorm JambaRMSNorm weight[64]",
      "lm_head Linear weight[100,64]",
    ]);
    expect(total(inv)).toBe(280_928);
    expect(mod(inv, "model.layers.0.mamba.conv1d")!.kind).toBe("other");
  });

  test("heads: JambaForSequenceClassification (score, no bias) and JambaModel; no token or QA head", () => {
    expect([total(build(tiny, "SEQ_CLS")), build(tiny, "SEQ_CLS").modelClass]).toEqual([274_656, "JambaForSequenceClassification"]);
    expect([total(build(tiny, "FEATURE_EXTRACTION")), build(tiny, "FEATURE_EXTRACTION").modelClass]).toEqual([274_528, "JambaModel"]);
    expect(mod(build(tiny, "FEATURE_EXTRACTION"), "layers.1.feed_forward.router")).toBeDefined();
    expect(errorOf(() => build(tiny, "TOKEN_CLS")).code).toBe("UNSUPPORTED_TASK");
  });

  test("num_experts 1 makes every layer dense; biases, dt_rank auto, mamba_expand, tied head", () => {
    const inv = build({ ...tiny, num_experts: 1, tie_word_embeddings: true, mamba_proj_bias: true, mamba_conv_bias: false, mamba_dt_rank: "auto", mamba_expand: 3 });
    expect(total(inv)).toBe(189_912);
    expect(inv.experts).toBeUndefined();
    expect(mod(inv, "model.layers.0.mamba.conv1d")!.params.map((p) => p.name)).toEqual(["weight"]);
    expect(mod(inv, "model.layers.0.mamba.in_proj")!.params.map((p) => p.shape)).toEqual([[384, 64], [384]]);
    expect(mod(inv, "model.layers.0.mamba.dt_proj")).toMatchObject({ inFeatures: 4, outFeatures: 192 });
    expect(mod(inv, "lm_head")!.params[0]!.tiedTo).toBe("model.embed_tokens.weight");
  });

  test("other periods and offsets, explicit head_dim", () => {
    const inv = build({ ...tiny, num_hidden_layers: 6, expert_layer_period: 3, expert_layer_offset: 0, attn_layer_period: 3, attn_layer_offset: 2, head_dim: 8 });
    expect(total(inv)).toBe(363_904);
    expect(mod(inv, "model.layers.2.self_attn.q_proj")).toMatchObject({ outFeatures: 32 });
    expect(mod(inv, "model.layers.3.feed_forward.experts")).toBeDefined();
    expect(mod(inv, "model.layers.4.feed_forward.gate_proj")).toBeDefined();
  });
});

describe("expert layouts", () => {
  test("transformers 4.x (and --expert-layout per-expert): router Linear and experts.N.{gate,up,down}_proj, same total", () => {
    const fused = build(tiny);
    const perExpert = build(tiny, "CAUSAL_LM", undefined, T4);
    expect(total(perExpert)).toBe(total(fused));
    expect(mod(perExpert, "model.layers.1.feed_forward.experts.3.up_proj")).toMatchObject({ kind: "linear", inFeatures: 64, outFeatures: 96 });
    expect(mod(perExpert, "model.layers.1.feed_forward.experts")).toBeUndefined();
    expect(perExpert.experts).toMatchObject({ perToken: 2, total: 4 });
    expect(total(buildInventory(tiny, { expertLayout: "per-expert" }))).toBe(total(fused));
  });
});

describe("LoRA on jamba (oracle)", () => {
  test.each([
    // oracle: peft 0.21.0 + transformers 5.18.0, the small config above, LoRA r=4
    ["all-linear: Mamba projections, attention, dense MLPs and the routers", { target_modules: "all-linear" }, 14_304],
    ["old expert names are not rewritten for jamba: the dense MLPs and the routers", { target_modules: ["gate_proj", "up_proj", "down_proj", "router"] }, 4_384],
  ])("%s", (_what, adapter, expected) => {
    expect(lora(build(tiny), { r: 4, ...adapter }).trainable).toBe(expected);
  });
});

describe("config errors name the field", () => {
  test.each([
    [{ attn_layer_offset: 2, attn_layer_period: 2 }, /attn_layer_offset/],
    [{ expert_layer_offset: 3 }, /expert_layer_offset/],
    [{ num_experts_per_tok: 5 }, /num_experts_per_tok/],
  ])("%j", (extra, message) => {
    const e = errorOf(() => build({ ...tiny, ...extra }));
    expect(e.code).toBe("INVALID_CONFIG");
    expect(e.message).toMatch(message);
  });
});
