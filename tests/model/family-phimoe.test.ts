/**
 * Phi-3.5-MoE (phimoe): the transformers 5.18.0 module tree group for group in named_modules() order, with the
 * totals `oracle inventory` printed (transformers 5.18.0, meta-device build), the heads transformers has, the
 * router that is an nn.Linear subclass, the transformers-4 per-expert layout and its release floor.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { activeParams } from "../../src/model/active.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Inventory } from "../../src/model/types.js";
import { build, errorOf, groups, mod, T4, T5, total } from "./helpers.js";

/** microsoft/Phi-3.5-MoE-instruct config.json (copy: sgl-project/ome@d9492cfc pkg/hfutil/modelconfig/testdata/phimoe.json), rope_scaling left out (count-neutral) */
const PHI_35_MOE = {
  model_type: "phimoe", attention_bias: true, hidden_size: 4096, intermediate_size: 6400, lm_head_bias: true, max_position_embeddings: 131072,
  num_attention_heads: 32, num_experts_per_tok: 2, num_hidden_layers: 32, num_key_value_heads: 8, num_local_experts: 16, rms_norm_eps: 1e-5,
  sliding_window: 131072, tie_word_embeddings: false, vocab_size: 32064,
};

/** The modern golden vectors (tests/golden/modern.json) of a model type, by id: pinned so coverage cannot shrink silently. */
function vectorIds(modelType: string): string[] {
  const text = readFileSync(new URL("../golden/modern.json", import.meta.url), "utf8").replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, "null");
  return (JSON.parse(text) as { id: string; model: { model_type?: string } }[]).filter((v) => v.model.model_type === modelType).map((v) => v.id).sort();
}

describe("phimoe (transformers 5.18.0)", () => {
  test("Phi-3.5-MoE-instruct: every group as the oracle lists it, 41,873,153,344 parameters", () => {
    const inv = build(PHI_35_MOE);
    expect(inv.modelClass).toBe("PhimoeForCausalLM");
    expect(total(inv)).toBe(41_873_153_344);
    expect(groups(inv)).toEqual([
      "model.embed_tokens Embedding 32064x4096 x1",
      "model.layers.*.self_attn.q_proj Linear 4096->4096+b x32",
      "model.layers.*.self_attn.k_proj Linear 4096->1024+b x32",
      "model.layers.*.self_attn.v_proj Linear 4096->1024+b x32",
      "model.layers.*.self_attn.o_proj Linear 4096->4096+b x32",
      "model.layers.*.mlp.router PhimoeTopKRouter 4096->16 x32",
      "model.layers.*.mlp.experts PhimoeExperts gate_up_proj[16,12800,4096] down_proj[16,4096,6400] x32",
      "model.layers.*.input_layernorm LayerNorm weight[4096] bias[4096] x32",
      "model.layers.*.post_attention_layernorm LayerNorm weight[4096] bias[4096] x32",
      "model.norm LayerNorm weight[4096] bias[4096] x1",
      "lm_head Linear 4096->32064+b x1",
    ]);
    expect(mod(inv, "model.layers.0.mlp.router")!.kind).toBe("linear");
  });

  test("PhimoeConfig() defaults (no biases): 41,872,793,600; 2 of 16 experts active", () => {
    const inv = build({ model_type: "phimoe" });
    expect(total(inv)).toBe(41_872_793_600);
    expect(inv.dims).toMatchObject({ numKeyValueHeads: 8, headDim: 128, maxPositionEmbeddings: 131072, numLocalExperts: 16, numExpertsPerTok: 2 });
    const experts = 32 * 16 * 3 * 4096 * 6400;
    expect(activeParams(inv)).toBe(41_872_793_600 - experts + experts / 8);
  });

  test("heads: SEQ_CLS score without bias, bare PhimoeModel; no TOKEN_CLS or QA class", () => {
    const cls = build(PHI_35_MOE, "SEQ_CLS", 2);
    expect([cls.modelClass, total(cls)]).toEqual(["PhimoeForSequenceClassification", 41_741_795_328]);
    expect(mod(cls, "score")!.params.map((p) => p.shape)).toEqual([[2, 4096]]);
    const base = build(PHI_35_MOE, "FEATURE_EXTRACTION");
    expect([base.modelClass, total(base), base.inputEmbeddings, base.outputEmbeddings]).toEqual(["PhimoeModel", 41_741_787_136, "embed_tokens", undefined]);
    for (const task of ["TOKEN_CLS", "QUESTION_ANS"] as const) expect(errorOf(() => build(PHI_35_MOE, task)).code).toBe("UNSUPPORTED_TASK");
  });

  test("LoRA adapts the router as a Linear (oracle: SEQ_CLS, r=4 on router, 534,528 trainable)", () => {
    const inv = build(PHI_35_MOE, "SEQ_CLS", 2);
    const { breakdown } = evaluate(formulaForPeftType("LORA")!, inv, { task_type: "SEQ_CLS", r: 4, target_modules: ["router"] }, { peft: [0, 21, 0], transformers: T5 });
    expect([breakdown.trainable, breakdown.allParams]).toEqual([534_528, 41_742_329_856]);
  });
});

describe("phimoe in transformers 4.x", () => {
  test("4.43 has no phimoe: refused, naming the release that added it", () => {
    const e = errorOf(() => build({ model_type: "phimoe" }, "CAUSAL_LM", undefined, T4));
    expect([e.code, e.message]).toEqual(["UNSUPPORTED_MODEL_TYPE", "transformers 4.43.3 has no phimoe model (it arrived in transformers 4.46.0)"]);
  });

  test("from 4.46 (and with --expert-layout per-expert): block_sparse_moe.gate and experts.N.w1/w2/w3, same total", () => {
    const cfg = { model_type: "phimoe", hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, num_local_experts: 3, vocab_size: 100 };
    const old = buildInventory(cfg, { transformers: [4, 46, 0] });
    expect(old.modules.filter((m) => m.name.startsWith("model.layers.0.block_sparse_moe")).map((m) => m.name.slice(15))).toEqual([
      "block_sparse_moe.gate", ...[0, 1, 2].flatMap((e) => ["w1", "w2", "w3"].map((w) => `block_sparse_moe.experts.${e}.${w}`)),
    ]);
    expect(mod(old, "model.layers.1.block_sparse_moe.experts.2.w2")).toMatchObject({ inFeatures: 96, outFeatures: 64 });
    expect(total(old)).toBe(total(build(cfg)));
    expect(total(buildInventory(cfg, { expertLayout: "per-expert" }))).toBe(total(old));
  });

  test("num_experts_per_tok above num_local_experts is a config error", () => {
    expect(errorOf(() => build({ model_type: "phimoe", num_experts_per_tok: 17 })).message).toMatch(/"num_experts_per_tok" \(17\) is larger than "num_local_experts" \(16\)/);
  });
});

describe("golden vectors (checked in tests/golden/vectors.test.ts)", () => {
  test("phimoe: 5 modern vectors", () => {
    expect(vectorIds("phimoe")).toEqual([
      "fam-lora-r16-alllinear-phimoe-defaults",
      "fam-lora-r8-attn-oldnames-router-phimoe-defaults",
      "fam-lora-r8-qv-oldnames-phimoe-defaults",
      "fam-lora-r8-tp-experts-phimoe-defaults",
      "fam-prefix-20-phimoe-defaults",
    ]);
  });
});
