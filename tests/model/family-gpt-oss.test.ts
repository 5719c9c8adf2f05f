/**
 * GPT-OSS (gpt_oss) as transformers 5.18.0 builds it: module trees, classes, shapes and totals from
 * `oracle inventory` (transformers 5.18.0), PEFT counts from `oracle count` (peft 0.21.0 + transformers 5.18.0).
 */
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { activeParams } from "../../src/model/active.js";
import { buildInventory, type InventoryOptions } from "../../src/model/inventory.js";
import { featuresOf, totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { asOracle, modernVectorIds } from "./oracle-groups.js";

/** c-gptoss-tiny: head_dim 24 (not hidden/heads = 16), no attention biases, tied embeddings */
const TINY = {
  model_type: "gpt_oss", hidden_size: 64, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
  head_dim: 24, vocab_size: 100, num_local_experts: 4, num_experts_per_tok: 2, attention_bias: false, tie_word_embeddings: true,
};
const build = (cfg: Record<string, unknown>, o: InventoryOptions = {}) => buildInventory(cfg, o);
const count = (cfg: Record<string, unknown>, peftType: string, options: Record<string, unknown>, task: InventoryOptions["task"] = "CAUSAL_LM") => {
  const b = evaluate(formulaForPeftType(peftType)!, build(cfg, { task }), { ...options, task_type: task }).breakdown;
  return [b.trainable, b.allParams];
};

describe("module tree (oracle inventory, transformers 5.18.0)", () => {
  test("GptOssConfig() defaults (gpt-oss-120b sizes): sinks per attention, router with bias, transposed experts with biases", () => {
    expect(asOracle(build({ model_type: "gpt_oss" }))).toEqual({
    modelClass: "GptOssForCausalLM",
    total: 116829156672,
    linears: ["lm_head", "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.o_proj", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.v_proj"],
    groups: [
      ["model.embed_tokens", "Embedding", {"weight": [201088, 2880]}, 1],
      ["model.layers.*.self_attn", "GptOssAttention", {"sinks": [64]}, 36],
      ["model.layers.*.self_attn.q_proj", "Linear", {"weight": [4096, 2880], "bias": [4096]}, 36],
      ["model.layers.*.self_attn.k_proj", "Linear", {"weight": [512, 2880], "bias": [512]}, 36],
      ["model.layers.*.self_attn.v_proj", "Linear", {"weight": [512, 2880], "bias": [512]}, 36],
      ["model.layers.*.self_attn.o_proj", "Linear", {"weight": [2880, 4096], "bias": [2880]}, 36],
      ["model.layers.*.mlp.router", "GptOssTopKRouter", {"weight": [128, 2880], "bias": [128]}, 36],
      ["model.layers.*.mlp.experts", "GptOssExperts", {"gate_up_proj": [128, 2880, 5760], "gate_up_proj_bias": [128, 5760], "down_proj": [128, 2880, 2880], "down_proj_bias": [128, 2880]}, 36],
      ["model.layers.*.input_layernorm", "GptOssRMSNorm", {"weight": [2880]}, 36],
      ["model.layers.*.post_attention_layernorm", "GptOssRMSNorm", {"weight": [2880]}, 36],
      ["model.norm", "GptOssRMSNorm", {"weight": [2880]}, 1],
      ["lm_head", "Linear", {"weight": [201088, 2880]}, 1],
    ],
  });
  });

  test("tiny config, TOKEN_CLS: score with bias, head_dim from the config", () => {
    expect(asOracle(build(TINY, { task: "TOKEN_CLS" }))).toEqual({
    modelClass: "GptOssForTokenClassification",
    total: 119250,
    linears: ["model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.o_proj", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.v_proj", "score"],
    groups: [
      ["model.embed_tokens", "Embedding", {"weight": [100, 64]}, 1],
      ["model.layers.*.self_attn", "GptOssAttention", {"sinks": [4]}, 2],
      ["model.layers.*.self_attn.q_proj", "Linear", {"weight": [96, 64]}, 2],
      ["model.layers.*.self_attn.k_proj", "Linear", {"weight": [48, 64]}, 2],
      ["model.layers.*.self_attn.v_proj", "Linear", {"weight": [48, 64]}, 2],
      ["model.layers.*.self_attn.o_proj", "Linear", {"weight": [64, 96]}, 2],
      ["model.layers.*.mlp.router", "GptOssTopKRouter", {"weight": [4, 64], "bias": [4]}, 2],
      ["model.layers.*.mlp.experts", "GptOssExperts", {"gate_up_proj": [4, 64, 96], "gate_up_proj_bias": [4, 96], "down_proj": [4, 48, 64], "down_proj_bias": [4, 64]}, 2],
      ["model.layers.*.input_layernorm", "GptOssRMSNorm", {"weight": [64]}, 2],
      ["model.layers.*.post_attention_layernorm", "GptOssRMSNorm", {"weight": [64]}, 2],
      ["model.norm", "GptOssRMSNorm", {"weight": [64]}, 1],
      ["score", "Linear", {"weight": [2, 64], "bias": [2]}, 1],
    ],
  });
  });

  test("heads and totals per task (oracle)", () => {
    const cases = [
      ["CAUSAL_LM", "GptOssForCausalLM", 116_829_156_672, 119_120],
      ["SEQ_CLS", "GptOssForSequenceClassification", 116_250_028_992, 119_248],
      ["TOKEN_CLS", "GptOssForTokenClassification", 116_250_028_994, 119_250],
      ["FEATURE_EXTRACTION", "GptOssModel", 116_250_023_232, 119_120],
    ] as const;
    for (const [task, cls, defaults, tiny] of cases) {
      const inv = build({ model_type: "gpt_oss" }, { task });
      expect([inv.modelClass, totalParams(inv.modules), totalParams(build(TINY, { task }).modules)]).toEqual([cls, defaults, tiny]);
    }
  });

  test("published configs: gpt-oss-20b 20,914,757,184 and gpt-oss-120b 116,829,156,672 (modern vectors' baseParams)", () => {
    const pub = { model_type: "gpt_oss", num_hidden_layers: 24, num_local_experts: 32, experts_per_token: 4, num_experts_per_tok: 4 };
    expect(totalParams(build(pub).modules)).toBe(20_914_757_184);
    expect(totalParams(build({ ...pub, num_hidden_layers: 36, num_local_experts: 128 }).modules)).toBe(116_829_156_672);
  });

  test("active parameters: routed experts count 4/32 (gpt-oss-20b: everything else in full, embeddings included)", () => {
    const inv = build({ model_type: "gpt_oss", num_hidden_layers: 24, num_local_experts: 32 });
    const routed = 24 * 32 * (2880 * 5760 + 5760 + 2880 * 2880 + 2880);
    expect(activeParams(inv)).toBe(20_914_757_184 - routed + (routed * 4) / 32);
    expect(inv.experts).toMatchObject({ perToken: 4, total: 32 });
  });

  test("num_experts is an alias of num_local_experts; a null num_key_value_heads means num_attention_heads", () => {
    const inv = build({ ...TINY, num_local_experts: undefined, num_experts: 3, num_key_value_heads: null });
    expect(inv.modules.find((m) => m.name === "model.layers.0.mlp.router")!.params[0]!.shape).toEqual([3, 64]);
    expect(featuresOf(inv.modules.find((m) => m.name === "model.layers.0.self_attn.k_proj")!).outFeatures).toBe(4 * 24);
  });
});

describe("refusals", () => {
  test("no question-answering head (transformers has none for gpt_oss)", () => {
    expect(() => build(TINY, { task: "QUESTION_ANS" })).toThrow(/no QUESTION_ANS head/);
  });

  test("transformers 4.x trees are not built (4.43 had no gpt_oss; it arrived in 4.55.0)", () => {
    expect(() => build(TINY, { transformers: parseVersion("4.57.1", "transformers") })).toThrow(/transformers 4.43 has no gpt_oss; it arrived in 4.55.0/);
  });

  test("more experts per token than experts", () => {
    expect(() => build({ ...TINY, num_experts_per_tok: 5 })).toThrow(/num_experts_per_tok/);
  });
});

describe("PEFT counts on the tree (oracle count: peft 0.21.0 + transformers 5.18.0, c-gptoss-tiny)", () => {
  test("LoRA r=4 on q_proj + target_parameters gate_up_proj_bias (2-D) and router weight: 2,624", () => {
    expect(count(TINY, "LORA", { r: 4, target_modules: ["q_proj"], target_parameters: ["mlp.experts.gate_up_proj_bias", "mlp.router.weight"] })).toEqual([2624, 121_744]);
  });

  test("LoRA r=4 all-linear on SEQ_CLS: attention only, experts and router are not Linear", () => {
    expect(count(TINY, "LORA", { r: 4, target_modules: "all-linear" }, "SEQ_CLS")).toEqual([4480, 123_728]);
  });

  test('bias="all" unfreezes parameters named bias (router.bias), not the experts\' gate_up_proj_bias / down_proj_bias', () => {
    expect(count(TINY, "LORA", { r: 4, target_modules: ["q_proj"], bias: "all" })).toEqual([1288, 120_400]);
    expect(count({ ...TINY, attention_bias: true }, "LORA", { r: 4, target_modules: ["q_proj"], bias: "lora_only" })).toEqual([1472, 120_912]);
  });

  test("prefix tuning: key/value width num_key_value_heads · head_dim (24 from the config; GptOssConfig's 64 when absent)", () => {
    expect(count(TINY, "PREFIX_TUNING", { num_virtual_tokens: 5 })).toEqual([960, 120_080]);
    const { head_dim: _, ...noHeadDim } = TINY;
    expect(count(noHeadDim, "PREFIX_TUNING", { num_virtual_tokens: 5 })).toEqual([2560, 183_120]);
  });
});

describe("golden vectors (checked in tests/golden/vectors.test.ts)", () => {
  test("gpt_oss: 9 modern vectors", () => {
    expect(modernVectorIds("gpt_oss")).toEqual([
      "fam-lora-r16-alllinear-gpt-oss-120b",
      "fam-lora-r8-attn-gpt-oss-120b",
      "fam-lora-r8-attn-gpt-oss-20b",
      "fam-lora-r8-qv-oldnames-gpt-oss-120b",
      "fam-lora-r8-qv-tp-experts-gpt-oss-120b",
      "fam-lora-r8-qv-tp-experts-gpt-oss-20b",
      "fam-lora-r8-tp-experts-and-biases-gpt-oss-120b",
      "fam-lora-r8-tp-experts-gpt-oss-20b",
      "fam-prefix-20-gpt-oss-120b",
    ]);
  });
});
