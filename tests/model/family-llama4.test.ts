/**
 * Llama 4 (llama4_text; llama4 through text_config) as transformers 5.18 builds it. Every number is
 * "oracle: peft 0.21.0 + transformers 5.18.0" (`oracle inventory` / `oracle batch` with meta_buffers) on the
 * config written next to it, unless it is arithmetic on shapes stated in the test.
 */
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { activeParams } from "../../src/model/active.js";
import { buildInventory, type InventoryOptions } from "../../src/model/inventory.js";
import { type Inventory, totalParams } from "../../src/model/types.js";

const CTX = { peft: [0, 21, 0], transformers: [5, 18, 0] } as const;
const build = (cfg: Record<string, unknown>, opts: InventoryOptions = {}) => buildInventory(cfg, { transformers: CTX.transformers, ...opts });
const mod = (inv: Inventory, name: string) => {
  const m = inv.modules.find((x) => x.name === name);
  if (!m) throw new Error(`no module ${name}`);
  return m;
};
/** 4 layers, MoE on layers 1 and 3 (interleave step 2), 3 experts of 32, dense MLP of 96. */
const TINY = {
  model_type: "llama4_text", hidden_size: 64, intermediate_size: 32, intermediate_size_mlp: 96, num_hidden_layers: 4, num_attention_heads: 4,
  num_key_value_heads: 2, head_dim: 16, vocab_size: 100, num_local_experts: 3, num_experts_per_tok: 1, interleave_moe_layer_step: 2,
};
const VISION = { hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 2, image_size: 28, patch_size: 14, projector_input_dim: 32, projector_output_dim: 32, vision_output_dim: 32 };
/** TINY without head_dim / num_key_value_heads, 8 query heads: head_dim 128 and 8 KV heads by default */
const { head_dim: _h, num_key_value_heads: _k, ...NO_HEAD_DIM } = { ...TINY, num_attention_heads: 8 };
const lora = (inv: Inventory, options: Record<string, unknown>) =>
  evaluate(formulaForPeftType("LORA")!, inv, { peft_type: "LORA", task_type: "CAUSAL_LM", ...options }, CTX).breakdown;

describe("module tree (oracle inventory of TINY: 148,928 parameters)", () => {
  const inv = build(TINY);

  test("class, total, tasks' names and the order of one dense and one MoE layer", () => {
    expect(inv.modelClass).toBe("Llama4ForCausalLM");
    expect(inv.modelType).toBe("llama4_text");
    expect(totalParams(inv.modules)).toBe(148_928);
    const layer = (i: number) => inv.modules.filter((m) => m.name.startsWith(`model.layers.${i}.`)).map((m) => m.name.slice(`model.layers.${i}.`.length));
    const attn = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"];
    const norms = ["input_layernorm", "post_attention_layernorm"];
    expect(layer(0)).toEqual([...attn, "feed_forward.gate_proj", "feed_forward.up_proj", "feed_forward.down_proj", ...norms]);
    expect(layer(1)).toEqual([
      ...attn, "feed_forward.experts", "feed_forward.router",
      "feed_forward.shared_expert.gate_proj", "feed_forward.shared_expert.up_proj", "feed_forward.shared_expert.down_proj", ...norms,
    ]);
    expect(inv.modules.at(-2)!.name).toBe("model.norm");
    expect(inv.modules.at(-1)!.name).toBe("lm_head");
  });

  test("fused experts [E, h, 2I] / [E, I, h]; router is a Linear subclass h → E; dense MLP is intermediate_size_mlp wide", () => {
    expect(mod(inv, "model.layers.1.feed_forward.experts")).toMatchObject({ kind: "other", className: "Llama4TextExperts" });
    expect(mod(inv, "model.layers.1.feed_forward.experts").params.map((p) => [p.name, p.shape])).toEqual([
      ["gate_up_proj", [3, 64, 64]],
      ["down_proj", [3, 32, 64]],
    ]);
    expect(mod(inv, "model.layers.3.feed_forward.router")).toMatchObject({ kind: "linear", className: "Llama4Router", inFeatures: 64, outFeatures: 3 });
    expect(mod(inv, "model.layers.3.feed_forward.router").params).toHaveLength(1);
    expect(mod(inv, "model.layers.1.feed_forward.shared_expert.up_proj")).toMatchObject({ inFeatures: 64, outFeatures: 32 });
    expect(mod(inv, "model.layers.2.feed_forward.down_proj")).toMatchObject({ inFeatures: 96, outFeatures: 64 });
    expect(mod(inv, "model.layers.0.input_layernorm").className).toBe("Llama4TextRMSNorm");
    expect(inv.modules.some((m) => m.name.includes("qk_norm"))).toBe(false); // Llama4TextL2Norm has no parameters
    expect(inv.experts).toMatchObject({ perToken: 1, total: 3 });
    expect(inv.experts!.pattern.test("model.layers.1.feed_forward.shared_expert.down_proj")).toBe(false);
  });

  test("moe_layers overrides interleave_moe_layer_step (same total, other layers)", () => {
    const moved = build({ ...TINY, moe_layers: [0, 2] });
    expect(totalParams(moved.modules)).toBe(148_928);
    expect(moved.modules.some((m) => m.name === "model.layers.0.feed_forward.router")).toBe(true);
    expect(moved.modules.some((m) => m.name === "model.layers.1.feed_forward.router")).toBe(false);
  });
});

describe("defaults, llama4 configs and heads", () => {
  test("Llama4TextConfig() and Llama4Config() are Llama-4-Scout-17B-16E: 107,769,861,120 total, 17,172,894,720 active", () => {
    for (const cfg of [{ model_type: "llama4_text" }, { model_type: "llama4" }]) {
      const inv = build(cfg);
      expect(totalParams(inv.modules)).toBe(107_769_861_120);
      expect(inv.modelType).toBe("llama4_text");
      // routed experts 48·16·3·5120·8192 count 1/16
      expect(activeParams(inv)).toBe(107_769_861_120 - 96_636_764_160 + 6_039_797_760);
    }
  });

  test("llama4 counts the language model of text_config: its tie_word_embeddings ties (142,528), the top-level key does not (148,928)", () => {
    const mm = (text: Record<string, unknown>, top: Record<string, unknown> = {}) => build({ model_type: "llama4", text_config: text, vision_config: VISION, ...top });
    expect(totalParams(mm(TINY).modules)).toBe(148_928);
    expect(mm(TINY).notes?.join(" ")).toMatch(/vision tower/);
    expect(totalParams(mm({ ...TINY, tie_word_embeddings: true }).modules)).toBe(142_528);
    expect(totalParams(mm(TINY, { tie_word_embeddings: true }).modules)).toBe(148_928);
  });

  test("absent head_dim is 128 and absent num_key_value_heads 8 (class defaults); attention_bias biases q/k/v/o; tied head (1,154,496)", () => {
    const inv = build({ ...NO_HEAD_DIM, attention_bias: true, tie_word_embeddings: true, num_experts_per_tok: 2 });
    expect(mod(inv, "model.layers.0.self_attn.k_proj").params.map((p) => p.shape)).toEqual([[1024, 64], [1024]]);
    expect(mod(inv, "model.layers.0.self_attn.o_proj").params.map((p) => p.shape)).toEqual([[64, 1024], [64]]);
    expect(totalParams(inv.modules)).toBe(1_154_496);
  });

  test("FEATURE_EXTRACTION is Llama4TextModel without prefix (142,528); no SEQ_CLS head in transformers", () => {
    const base = build(TINY, { task: "FEATURE_EXTRACTION" });
    expect(base.modelClass).toBe("Llama4TextModel");
    expect([base.inputEmbeddings, base.layersPath, base.outputEmbeddings]).toEqual(["embed_tokens", "layers", undefined]);
    expect(totalParams(base.modules)).toBe(142_528);
    expect(() => build(TINY, { task: "SEQ_CLS" })).toThrow(/no SEQ_CLS head/);
  });
});

describe("PEFT on Llama 4 (oracle counts)", () => {
  test("all-linear takes the router and every Linear but lm_head: 13,848", () => {
    expect(lora(build(TINY), { r: 4, target_modules: "all-linear" }).trainable).toBe(13_848);
  });

  test("router and gate_proj (dense and shared expert) with moe_layers [0, 2]: 2,584", () => {
    expect(lora(build({ ...TINY, moe_layers: [0, 2] }), { r: 4, target_modules: ["router", "gate_proj"] }).trainable).toBe(2_584);
  });

  test("target_parameters on the fused experts plus a tied lm_head: 10,184 trainable, 1,164,680 all", () => {
    const inv = build({ ...NO_HEAD_DIM, attention_bias: true, tie_word_embeddings: true, num_experts_per_tok: 2 });
    const b = lora(inv, { r: 2, target_modules: ["o_proj", "lm_head"], target_parameters: ["experts.down_proj"] });
    expect([b.trainable, b.allParams]).toEqual([10_184, 1_164_680]);
  });

  test("no target_modules: PEFT has no default for llama4_text (its table says llama4), an error", () => {
    expect(() => lora(build(TINY), { r: 4 })).toThrow(InputError);
    expect(() => lora(build({ model_type: "llama4", text_config: TINY }), { r: 4 })).toThrow(InputError);
  });

  test("prefix tuning sizes use the default head_dim 128 and 8 KV heads: 10·2·4·8·128 = 81,920", () => {
    const b = evaluate(formulaForPeftType("PREFIX_TUNING")!, build(NO_HEAD_DIM), { peft_type: "PREFIX_TUNING", task_type: "CAUSAL_LM", num_virtual_tokens: 10 }, CTX).breakdown;
    expect(b.trainable).toBe(81_920);
  });
});

describe("refusals", () => {
  test("transformers 4.x (no Llama 4 in 4.43) and the per-expert layout are refused", () => {
    expect(() => buildInventory(TINY, { transformers: [4, 43, 3] })).toThrow(/added in 4\.51/);
    expect(() => build(TINY, { expertLayout: "per-expert" })).toThrow(/always fused/);
  });

  test("num_experts_per_tok above num_local_experts and a malformed moe_layers name the field", () => {
    expect(() => build({ ...TINY, num_experts_per_tok: 4 })).toThrow(/num_experts_per_tok/);
    expect(() => build({ ...TINY, moe_layers: "all" })).toThrow(/moe_layers/);
  });
});
