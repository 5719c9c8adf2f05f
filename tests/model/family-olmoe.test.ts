/**
 * OLMoE (olmoe) as transformers 5.18.0 builds it: module trees, classes, shapes and totals from
 * `oracle inventory` (transformers 5.18.0), PEFT counts from `oracle count` (peft 0.21.0 + transformers 5.18.0).
 */
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { activeParams } from "../../src/model/active.js";
import { buildInventory, type InventoryOptions } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { asOracle, modernVectorIds } from "./oracle-groups.js";

/** c-olmoe-tiny: GQA (k_norm narrower than q_norm), attention biases, tied embeddings */
const TINY = {
  model_type: "olmoe", hidden_size: 64, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
  vocab_size: 100, num_experts: 4, num_experts_per_tok: 2, attention_bias: true, tie_word_embeddings: true,
};
const build = (cfg: Record<string, unknown>, o: InventoryOptions = {}) => buildInventory(cfg, o);
const count = (cfg: Record<string, unknown>, peftType: string, options: Record<string, unknown>, task: InventoryOptions["task"] = "CAUSAL_LM") => {
  const b = evaluate(formulaForPeftType(peftType)!, build(cfg, { task }), { ...options, task_type: task }).breakdown;
  return [b.trainable, b.allParams];
};

describe("module tree (oracle inventory, transformers 5.18.0)", () => {
  test("OlmoeConfig() defaults (OLMoE-1B-7B sizes): full-width q/k norms, TopK router, fused experts", () => {
    expect(asOracle(build({ model_type: "olmoe" }))).toEqual({
    modelClass: "OlmoeForCausalLM",
    total: 13361612800,
    linears: ["lm_head", "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.o_proj", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.v_proj"],
    groups: [
      ["model.embed_tokens", "Embedding", {"weight": [50304, 2048]}, 1],
      ["model.layers.*.self_attn.q_proj", "Linear", {"weight": [2048, 2048]}, 16],
      ["model.layers.*.self_attn.k_proj", "Linear", {"weight": [2048, 2048]}, 16],
      ["model.layers.*.self_attn.v_proj", "Linear", {"weight": [2048, 2048]}, 16],
      ["model.layers.*.self_attn.o_proj", "Linear", {"weight": [2048, 2048]}, 16],
      ["model.layers.*.self_attn.q_norm", "OlmoeRMSNorm", {"weight": [2048]}, 16],
      ["model.layers.*.self_attn.k_norm", "OlmoeRMSNorm", {"weight": [2048]}, 16],
      ["model.layers.*.mlp.gate", "OlmoeTopKRouter", {"weight": [64, 2048]}, 16],
      ["model.layers.*.mlp.experts", "OlmoeExperts", {"gate_up_proj": [64, 4096, 2048], "down_proj": [64, 2048, 2048]}, 16],
      ["model.layers.*.input_layernorm", "OlmoeRMSNorm", {"weight": [2048]}, 16],
      ["model.layers.*.post_attention_layernorm", "OlmoeRMSNorm", {"weight": [2048]}, 16],
      ["model.norm", "OlmoeRMSNorm", {"weight": [2048]}, 1],
      ["lm_head", "Linear", {"weight": [50304, 2048]}, 1],
    ],
  });
  });

  test("tiny config, FEATURE_EXTRACTION: k_norm is (hidden // heads) · kv heads wide, biases on q/k/v/o", () => {
    expect(asOracle(build(TINY, { task: "FEATURE_EXTRACTION" }))).toEqual({
    modelClass: "OlmoeModel",
    total: 106112,
    linears: ["layers.*.self_attn.k_proj", "layers.*.self_attn.o_proj", "layers.*.self_attn.q_proj", "layers.*.self_attn.v_proj"],
    groups: [
      ["embed_tokens", "Embedding", {"weight": [100, 64]}, 1],
      ["layers.*.self_attn.q_proj", "Linear", {"weight": [64, 64], "bias": [64]}, 2],
      ["layers.*.self_attn.k_proj", "Linear", {"weight": [32, 64], "bias": [32]}, 2],
      ["layers.*.self_attn.v_proj", "Linear", {"weight": [32, 64], "bias": [32]}, 2],
      ["layers.*.self_attn.o_proj", "Linear", {"weight": [64, 64], "bias": [64]}, 2],
      ["layers.*.self_attn.q_norm", "OlmoeRMSNorm", {"weight": [64]}, 2],
      ["layers.*.self_attn.k_norm", "OlmoeRMSNorm", {"weight": [32]}, 2],
      ["layers.*.mlp.gate", "OlmoeTopKRouter", {"weight": [4, 64]}, 2],
      ["layers.*.mlp.experts", "OlmoeExperts", {"gate_up_proj": [4, 96, 64], "down_proj": [4, 64, 48]}, 2],
      ["layers.*.input_layernorm", "OlmoeRMSNorm", {"weight": [64]}, 2],
      ["layers.*.post_attention_layernorm", "OlmoeRMSNorm", {"weight": [64]}, 2],
      ["norm", "OlmoeRMSNorm", {"weight": [64]}, 1],
    ],
  });
  });

  test("heads and totals per task (oracle)", () => {
    expect(totalParams(build({ model_type: "olmoe" }, { task: "FEATURE_EXTRACTION" }).modules)).toBe(13_258_590_208);
    expect(totalParams(build({ model_type: "olmoe" }).modules)).toBe(13_361_612_800);
    expect(totalParams(build(TINY).modules)).toBe(106_112);
    for (const task of ["SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS"] as const) expect(() => build(TINY, { task })).toThrow(/no .* head/);
  });

  test("active parameters: 8 of 64 experts", () => {
    const inv = build({ model_type: "olmoe" });
    const routed = 16 * 64 * 3 * 2048 * 2048;
    expect(activeParams(inv)).toBe(13_361_612_800 - routed + routed / 8);
  });

  test("--expert-layout per-expert: transformers 4's gate Linear(h → E) and experts.N.gate/up/down_proj, same total", () => {
    const inv = build(TINY, { expertLayout: "per-expert" });
    expect(inv.modules.find((m) => m.name === "model.layers.1.mlp.gate")).toMatchObject({ kind: "linear", inFeatures: 64, outFeatures: 4 });
    expect(inv.modules.find((m) => m.name === "model.layers.1.mlp.experts.3.down_proj")).toMatchObject({ inFeatures: 48, outFeatures: 64 });
    expect(totalParams(inv.modules)).toBe(106_112);
  });

  test("num_local_experts is an alias of num_experts", () => {
    const inv = build({ ...TINY, num_experts: undefined, num_local_experts: 3 });
    expect(inv.modules.find((m) => m.name === "model.layers.0.mlp.gate")!.params[0]!.shape).toEqual([3, 64]);
  });
});

describe("refusals", () => {
  test("transformers 4.x trees are not built (4.43 had no olmoe)", () => {
    expect(() => build(TINY, { transformers: parseVersion("4.43.3", "transformers") })).toThrow(/transformers 4.43 has no olmoe/);
  });

  test("more experts per token than experts", () => {
    expect(() => build({ ...TINY, num_experts_per_tok: 5 })).toThrow(/num_experts_per_tok/);
  });
});

describe("PEFT counts on the tree (oracle count: peft 0.21.0 + transformers 5.18.0, c-olmoe-tiny)", () => {
  test("LoRA r=4 on transformers-4 names: gate/gate_proj/up_proj/down_proj become target_parameters (gate_up_proj at rank 8)", () => {
    expect(count(TINY, "LORA", { r: 4, target_modules: ["gate_proj", "up_proj", "down_proj", "gate", "q_proj"] })).toEqual([15_392, 121_504]);
  });

  test("LoRA r=4 all-linear: attention plus the rewritten expert and router names", () => {
    expect(count(TINY, "LORA", { r: 4, target_modules: "all-linear" })).toEqual([17_952, 124_064]);
  });

  test("prefix tuning: key/value width num_key_value_heads · hidden/heads", () => {
    expect(count(TINY, "PREFIX_TUNING", { num_virtual_tokens: 5 })).toEqual([640, 106_752]);
  });
});

describe("golden vectors (checked in tests/golden/vectors.test.ts)", () => {
  test("olmoe: 5 modern vectors", () => {
    expect(modernVectorIds("olmoe")).toEqual([
      "fam-lora-r16-alllinear-olmoe-defaults",
      "fam-lora-r8-attn-olmoe-defaults",
      "fam-lora-r8-qv-tp-experts-olmoe-defaults",
      "fam-lora-r8-tp-experts-olmoe-defaults",
      "fam-prefix-20-olmoe-defaults",
    ]);
  });
});
