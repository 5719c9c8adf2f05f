/**
 * The MoE families (mixtral, qwen2_moe, qwen3_moe): defaults of each transformers config class, both
 * expert layouts, dense/sparse layer selection, heads per model type, the expert metadata used for
 * "active parameters", and config errors that name the field.
 */
import { describe, expect, test } from "vitest";
import { buildInventory } from "../../src/model/inventory.js";
import type { InventoryOptions } from "../../src/model/inventory.js";
import { type Inventory, numel, totalParams } from "../../src/model/types.js";

/** per-expert unless a test asks for fused (the library default, as current transformers builds experts) */
const build = (cfg: Record<string, unknown>, opts: InventoryOptions = {}) => buildInventory(cfg, { expertLayout: "per-expert", ...opts });
const mod = (inv: Inventory, name: string) => {
  const m = inv.modules.find((x) => x.name === name);
  if (!m) throw new Error(`no module ${name}`);
  return m;
};
/** Everything counted fully except routed experts, which count perToken/total. */
function activeParams(inv: Inventory): number {
  const e = inv.experts!;
  let routed = 0;
  for (const m of inv.modules) if (e.pattern.test(m.name)) for (const p of m.params) routed += numel(p.shape);
  return totalParams(inv.modules) - routed + (routed / e.total) * e.perToken;
}
const tiny = (type: string, extra: Record<string, unknown> = {}) => ({
  model_type: type, hidden_size: 64, intermediate_size: 96, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2,
  vocab_size: 100, ...extra,
});

describe("defaults of the transformers config classes", () => {
  test("MixtralConfig() is Mixtral-8x7B: 46,702,792,704", () => {
    const inv = build({ model_type: "mixtral" });
    expect(totalParams(inv.modules)).toBe(46_702_792_704);
    expect([inv.dims.numLocalExperts, inv.dims.numExpertsPerTok]).toEqual([8, 2]);
  });

  test("Qwen2MoeConfig() is Qwen1.5-MoE-A2.7B: 14,315,784,192 total, 2,689,173,504 active", () => {
    const inv = build({ model_type: "qwen2_moe" });
    expect(totalParams(inv.modules)).toBe(14_315_784_192);
    expect(activeParams(inv)).toBe(2_689_173_504);
  });

  test("Qwen3MoeConfig(): 128 experts of 768, head_dim = 2048 / 32 = 64, q/k norms", () => {
    const inv = build({ model_type: "qwen3_moe" });
    const layer = 2 * 2048 * 2048 + 2 * 2048 * 256 + 2 * 64 + 2 * 2048 + 128 * 2048 + 128 * 3 * 2048 * 768;
    expect(totalParams(inv.modules)).toBe(2 * 151936 * 2048 + 24 * layer + 2048);
    expect(mod(inv, "model.layers.0.self_attn.k_norm").params[0]!.shape).toEqual([64]);
    expect(mod(inv, "model.layers.0.self_attn.k_norm").className).toBe("Qwen3MoeRMSNorm");
    expect(inv.experts).toMatchObject({ perToken: 8, total: 128 });
  });
});

describe("per-expert layout (transformers 4.43, what the reference vectors use)", () => {
  test("Mixtral: block_sparse_moe.gate Linear(h→E) without bias and experts.N.w1/w2/w3", () => {
    const inv = build(tiny("mixtral", { num_local_experts: 3, num_experts_per_tok: 2 }));
    expect(mod(inv, "model.layers.2.block_sparse_moe.gate")).toMatchObject({ kind: "linear", inFeatures: 64, outFeatures: 3 });
    expect(mod(inv, "model.layers.2.block_sparse_moe.gate").params).toHaveLength(1);
    expect(mod(inv, "model.layers.2.block_sparse_moe.experts.2.w1")).toMatchObject({ inFeatures: 64, outFeatures: 96 });
    expect(mod(inv, "model.layers.2.block_sparse_moe.experts.2.w2")).toMatchObject({ inFeatures: 96, outFeatures: 64 });
    expect(mod(inv, "model.layers.2.block_sparse_moe.experts.2.w3")).toMatchObject({ inFeatures: 64, outFeatures: 96 });
    expect(inv.modules.filter((m) => m.name.includes(".experts.")).length).toBe(4 * 3 * 3);
  });

  test("Qwen2-MoE: q/k/v biases, routed + shared expert, shared_expert_gate Linear(h→1)", () => {
    const inv = build(tiny("qwen2_moe", { num_experts: 4, num_experts_per_tok: 2, moe_intermediate_size: 32, shared_expert_intermediate_size: 48 }));
    expect(mod(inv, "model.layers.0.self_attn.k_proj").params.map((p) => p.shape)).toEqual([[32, 64], [32]]);
    expect(mod(inv, "model.layers.0.self_attn.o_proj").params).toHaveLength(1);
    expect(mod(inv, "model.layers.0.mlp.gate")).toMatchObject({ inFeatures: 64, outFeatures: 4 });
    expect(mod(inv, "model.layers.0.mlp.experts.3.down_proj")).toMatchObject({ inFeatures: 32, outFeatures: 64 });
    expect(mod(inv, "model.layers.0.mlp.shared_expert.up_proj")).toMatchObject({ inFeatures: 64, outFeatures: 48 });
    expect(mod(inv, "model.layers.0.mlp.shared_expert_gate")).toMatchObject({ inFeatures: 64, outFeatures: 1 });
  });

  test("decoder_sparse_step and mlp_only_layers make layers dense with intermediate_size", () => {
    const inv = build(tiny("qwen2_moe", { num_experts: 4, num_experts_per_tok: 2, decoder_sparse_step: 2, mlp_only_layers: [3] }));
    // (i + 1) % 2 == 0 → layers 1 and 3 sparse, but 3 is listed as MLP-only
    expect(mod(inv, "model.layers.0.mlp.gate_proj")).toMatchObject({ outFeatures: 96 });
    expect(mod(inv, "model.layers.1.mlp.gate")).toMatchObject({ outFeatures: 4 });
    expect(mod(inv, "model.layers.2.mlp.up_proj")).toMatchObject({ outFeatures: 96 });
    expect(mod(inv, "model.layers.3.mlp.down_proj")).toMatchObject({ inFeatures: 96 });
    expect(inv.modules.some((m) => m.name.startsWith("model.layers.3.mlp.experts"))).toBe(false);
    expect(inv.experts).toBeDefined();
  });

  test("num_experts 0 makes every Qwen layer dense and leaves no expert metadata", () => {
    const inv = build(tiny("qwen3_moe", { num_experts: 0 }));
    expect(inv.experts).toBeUndefined();
    expect(inv.modules.some((m) => m.name.includes("experts"))).toBe(false);
  });

  test("Qwen3-MoE: attention_bias adds q/k/v/o biases; head_dim is read; num_local_experts is an alias", () => {
    const inv = build(tiny("qwen3_moe", { attention_bias: true, head_dim: 32, num_local_experts: 6, num_experts_per_tok: 2 }));
    expect(mod(inv, "model.layers.0.self_attn.q_proj").params.map((p) => p.shape)).toEqual([[128, 64], [128]]);
    expect(mod(inv, "model.layers.0.self_attn.o_proj").params.map((p) => p.shape)).toEqual([[64, 128], [64]]);
    expect(inv.dims.numLocalExperts).toBe(6);
  });
});

describe("fused layout (current transformers)", () => {
  test("Mixtral: mlp.gate router and mlp.experts with 3-D gate_up_proj / down_proj, same total", () => {
    const cfg = { model_type: "mixtral" };
    const fused = build(cfg, { expertLayout: "fused" });
    expect(mod(fused, "model.layers.31.mlp.experts")).toMatchObject({ kind: "other", className: "MixtralExperts" });
    expect(mod(fused, "model.layers.31.mlp.experts").params.map((p) => [p.name, p.shape])).toEqual([
      ["gate_up_proj", [8, 2 * 14336, 4096]],
      ["down_proj", [8, 4096, 14336]],
    ]);
    expect(mod(fused, "model.layers.0.mlp.gate")).toMatchObject({ kind: "other", className: "MixtralTopKRouter" });
    expect(mod(fused, "model.layers.0.mlp.gate").params[0]!.shape).toEqual([8, 4096]);
    expect(fused.modules.some((m) => m.name.includes("block_sparse_moe"))).toBe(false);
    expect(totalParams(fused.modules)).toBe(totalParams(build(cfg).modules));
    expect(fused.notes?.join(" ")).toMatch(/fused/);
  });

  test("no Linear is left inside the routed experts or the router; shared expert stays Linear", () => {
    const inv = build({ model_type: "qwen2_moe" }, { expertLayout: "fused" });
    const linears = inv.modules.filter((m) => m.kind === "linear").map((m) => m.name);
    expect(linears.some((n) => /\.experts|\.mlp\.gate$/.test(n))).toBe(false);
    expect(linears).toContain("model.layers.0.mlp.shared_expert.gate_proj");
    expect(linears).toContain("model.layers.0.mlp.shared_expert_gate");
    expect(mod(inv, "model.layers.0.mlp.experts").params[0]!.shape).toEqual([60, 2 * 1408, 2048]);
    expect(activeParams(inv)).toBe(2_689_173_504);
  });
});

describe("expert metadata", () => {
  test("the pattern matches routed experts in both layouts, never the shared expert", () => {
    const { pattern } = build({ model_type: "qwen2_moe" }).experts!;
    for (const n of ["model.layers.0.block_sparse_moe.experts.7.w1", "model.layers.3.mlp.experts.59.down_proj", "model.layers.3.mlp.experts"])
      expect(pattern.test(n), n).toBe(true);
    for (const n of ["model.layers.3.mlp.shared_expert.gate_proj", "model.layers.3.mlp.shared_expert_gate", "model.layers.3.mlp.gate"])
      expect(pattern.test(n), n).toBe(false);
  });

  test("Mixtral-8x7B uses 2 of 8 experts: 12,879,925,248 active", () => {
    expect(activeParams(build({ model_type: "mixtral" }))).toBe(12_879_925_248);
  });
});

describe("heads", () => {
  test("SEQ_CLS score without bias, TOKEN_CLS score with bias, bare model without prefix", () => {
    const cls = build({ model_type: "mixtral", num_labels: 5 }, { task: "SEQ_CLS" });
    expect(cls.modelClass).toBe("MixtralForSequenceClassification");
    expect(mod(cls, "score").params.map((p) => p.shape)).toEqual([[5, 4096]]);
    const tok = build({ model_type: "qwen2_moe" }, { task: "TOKEN_CLS", numLabels: 7 });
    expect(tok.modelClass).toBe("Qwen2MoeForTokenClassification");
    expect(mod(tok, "score").params.map((p) => p.shape)).toEqual([[7, 2048], [7]]);
    const base = build({ model_type: "qwen3_moe" }, { task: "FEATURE_EXTRACTION" });
    expect(base.modelClass).toBe("Qwen3MoeModel");
    expect([base.inputEmbeddings, base.layersPath, base.outputEmbeddings]).toEqual(["embed_tokens", "layers", undefined]);
  });

  test("CAUSAL_LM: lm_head is the output embedding; tie_word_embeddings ties it", () => {
    const inv = build(tiny("mixtral", { tie_word_embeddings: true }));
    expect(inv.outputEmbeddings).toBe("lm_head");
    expect(mod(inv, "lm_head").params[0]!.tiedTo).toBe("model.embed_tokens.weight");
  });

  test("QUESTION_ANS: Qwen3-MoE under transformer.; Mixtral / Qwen2-MoE only from transformers 4.47, under model.", () => {
    const qa = build({ model_type: "qwen3_moe" }, { task: "QUESTION_ANS" });
    expect(qa.modelClass).toBe("Qwen3MoeForQuestionAnswering");
    expect(mod(qa, "transformer.layers.0.mlp.experts.0.gate_proj")).toBeDefined();
    expect(mod(qa, "qa_outputs").params.map((p) => p.shape)).toEqual([[2, 2048], [2]]);
    for (const t of ["mixtral", "qwen2_moe"]) {
      expect(() => build({ model_type: t }, { task: "QUESTION_ANS", transformers: [4, 43, 3] })).toThrow(
        new RegExp(`transformers 4.43.3 has no QUESTION_ANS head for model_type "${t}"`),
      );
      expect(build({ model_type: t }, { task: "QUESTION_ANS", transformers: [4, 47, 0] }).modelClass).toMatch(/ForQuestionAnswering$/);
    }
    // oracle inventory (transformers 5.18.0), tests/golden/inventories-5.json mixtral-8x7b@qa: 46,571,728,898
    const mixtral = buildInventory({ model_type: "mixtral" }, { task: "QUESTION_ANS" });
    expect([mixtral.modelClass, totalParams(mixtral.modules)]).toEqual(["MixtralForQuestionAnswering", 46_571_728_898]);
    expect(mod(mixtral, "model.layers.0.mlp.experts").className).toBe("MixtralExperts");
  });
});

describe("config errors name the field", () => {
  test.each([
    [{ model_type: "mixtral", num_experts_per_tok: 9 }, /"num_experts_per_tok" \(9\) is larger than "num_local_experts" \(8\)/],
    [{ model_type: "mixtral", num_local_experts: 0 }, /"num_local_experts" must be a positive integer/],
    [{ model_type: "qwen2_moe", num_experts: "60" }, /"num_experts" must be an integer/],
    [{ model_type: "qwen2_moe", mlp_only_layers: "0,1" }, /"mlp_only_layers" must be a list of layer indices/],
    [{ model_type: "qwen2_moe", mlp_only_layers: [1.5] }, /"mlp_only_layers" must be a list/],
    [{ model_type: "qwen2_moe", decoder_sparse_step: 0 }, /"decoder_sparse_step" must be a positive integer/],
    [{ model_type: "qwen3_moe", moe_intermediate_size: -1 }, /"moe_intermediate_size" must be a positive integer/],
    [{ model_type: "mixtral", num_attention_heads: 32, num_key_value_heads: 5 }, /"num_attention_heads" \(32\) is not divisible by "num_key_value_heads" \(5\)/],
  ])("%j", (cfg, message) => {
    expect(() => build(cfg)).toThrow(message);
  });
});

describe("default expert layout", () => {
  test("is fused, as current transformers builds experts: no per-expert Linear, same total", () => {
    const cfg = tiny("mixtral", { num_local_experts: 4, num_experts_per_tok: 2 });
    const byDefault = buildInventory(cfg);
    expect(byDefault.modules.some((m) => /\.experts\.\d+\./.test(m.name))).toBe(false);
    expect(byDefault.notes?.[0]).toMatch(/--expert-layout per-expert/);
    expect(totalParams(byDefault.modules)).toBe(totalParams(build(cfg).modules));
  });
});
