/**
 * DBRX (dbrx): the transformers 5.18.0 module tree group for group in named_modules() order, with the totals
 * `oracle inventory` printed (transformers 5.18.0, meta-device build), the 2-D stacked expert parameters, the
 * heads transformers has, and PEFT's prompt-learning lookups in DBRX's config dict (n_heads / n_layers only).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { formulaForPeftType } from "../../formulas/index.js";
import { evaluate } from "../../formulas/types.js";
import { activeParams } from "../../src/model/active.js";
import type { Version } from "../../src/versions.js";
import { build, errorOf, groups, mod, T4, T5, total } from "./helpers.js";

/** the modern vectors' model (DbrxConfig defaults; attn_config carries the rope_theta transformers 5.18 reads) */
const DEFAULTS = { model_type: "dbrx", attn_config: { kv_n_heads: 1, rope_theta: 10000.0 }, ffn_config: { ffn_hidden_size: 3584, moe_num_experts: 4, moe_top_k: 1 } };
/** DBRX-sized: d_model 6144, 48 heads / 8 kv, 40 blocks, 16 experts of 10752, top 4, vocab 100352 */
const DBRX_SIZED = {
  model_type: "dbrx", d_model: 6144, n_heads: 48, n_layers: 40, max_seq_len: 32768, vocab_size: 100352,
  attn_config: { kv_n_heads: 8, rope_theta: 500000.0 }, ffn_config: { ffn_act_fn: { name: "silu" }, ffn_hidden_size: 10752, moe_num_experts: 16, moe_top_k: 4 },
};

const prefix = (options: Record<string, unknown>, peft: Version = [0, 21, 0]) =>
  evaluate(formulaForPeftType("PREFIX_TUNING")!, build(DEFAULTS), { task_type: "CAUSAL_LM", num_virtual_tokens: 20, ...options }, { peft, transformers: T5 }).breakdown;

/** The modern golden vectors (tests/golden/modern.json) of a model type, by id: pinned so coverage cannot shrink silently. */
function vectorIds(modelType: string): string[] {
  const text = readFileSync(new URL("../golden/modern.json", import.meta.url), "utf8").replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, "null");
  return (JSON.parse(text) as { id: string; model: { model_type?: string } }[]).filter((v) => v.model.model_type === modelType).map((v) => v.id).sort();
}

describe("dbrx (transformers 5.18.0)", () => {
  test("DbrxConfig() defaults: every group as the oracle lists it, 2,459,207,680", () => {
    const inv = build(DEFAULTS);
    expect([inv.modelClass, total(inv), inv.inputEmbeddings, inv.outputEmbeddings, inv.layersPath]).toEqual([
      "DbrxForCausalLM", 2_459_207_680, "transformer.wte", "lm_head", "transformer.blocks",
    ]);
    expect(groups(inv)).toEqual([
      "transformer.wte Embedding 32000x2048 x1",
      "transformer.blocks.*.norm_attn_norm.norm_1 LayerNorm weight[2048] x24",
      "transformer.blocks.*.norm_attn_norm.attn.Wqkv Linear 2048->2304 x24",
      "transformer.blocks.*.norm_attn_norm.attn.out_proj Linear 2048->2048 x24",
      "transformer.blocks.*.norm_attn_norm.norm_2 LayerNorm weight[2048] x24",
      "transformer.blocks.*.ffn.router.layer Linear 2048->4 x24",
      "transformer.blocks.*.ffn.experts.mlp DbrxExpertGLU w1[14336,2048] v1[14336,2048] w2[14336,2048] x24",
      "transformer.norm_f LayerNorm weight[2048] x1",
      "lm_head Linear 2048->32000 x1",
    ]);
    expect(total(build({ model_type: "dbrx" }))).toBe(2_459_207_680);
  });

  test("DBRX-sized config: 131,596,523,520 total (bare model 130,979,960,832), 4 of 16 experts: 36,469,708,800 active", () => {
    const inv = build(DBRX_SIZED);
    expect(total(inv)).toBe(131_596_523_520);
    expect(mod(inv, "transformer.blocks.39.norm_attn_norm.attn.Wqkv")).toMatchObject({ inFeatures: 6144, outFeatures: 6144 + 2 * 8 * 128 });
    expect(activeParams(inv)).toBe(36_469_708_800);
    const base = build(DBRX_SIZED, "FEATURE_EXTRACTION");
    expect([base.modelClass, total(base), base.inputEmbeddings, base.layersPath]).toEqual(["DbrxModel", 130_979_960_832, "wte", "blocks"]);
  });

  test("hidden_size / num_attention_heads / num_hidden_layers are read as d_model / n_heads / n_layers", () => {
    const { d_model, n_heads, n_layers, ...rest } = DBRX_SIZED;
    expect(total(build({ ...rest, hidden_size: d_model, num_attention_heads: n_heads, num_hidden_layers: n_layers }))).toBe(131_596_523_520);
  });

  test("the same tree in transformers 4.43, whatever the expert layout", () => {
    const old = build(DEFAULTS, "CAUSAL_LM", undefined, T4);
    expect(groups(old)).toEqual(groups(build(DEFAULTS)));
  });

  test("only CAUSAL_LM and the bare model; tied embeddings and too many experts per token are refused", () => {
    expect(errorOf(() => build(DEFAULTS, "SEQ_CLS")).code).toBe("UNSUPPORTED_TASK");
    expect(errorOf(() => build({ ...DEFAULTS, tie_word_embeddings: true })).message).toMatch(/DBRX does not support tie_word_embeddings/);
    expect(errorOf(() => build({ ...DEFAULTS, ffn_config: { moe_num_experts: 4, moe_top_k: 5 } })).message).toMatch(/"moe_top_k" \(5\) is larger than "moe_num_experts" \(4\)/);
    expect(errorOf(() => build({ ...DEFAULTS, attn_config: 3 })).message).toMatch(/"attn_config" must be an object/);
  });
});

describe("prompt learning reads DBRX's config dict, which holds d_model / n_heads / n_layers", () => {
  test("no num_attention_heads in the dict: PEFT's ValueError (oracle)", () => {
    expect(errorOf(() => prefix({})).message).toMatch(/Please specify `num_attention_heads`/);
  });

  test("given the heads, prefix tuning uses kv 1 × head_dim 128 (oracle: 122,880)", () => {
    expect(prefix({ num_attention_heads: 16 }).trainable).toBe(122_880);
  });

  test("before peft 0.19 the layer count is not found either", () => {
    expect(errorOf(() => prefix({ num_attention_heads: 16 }, [0, 17, 1])).message).toMatch(/Please specify `num_layers`/);
    expect(prefix({ num_attention_heads: 16, num_layers: 24 }, [0, 17, 1]).trainable).toBe(20 * 24 * 2 * 128);
  });
});

describe("golden vectors (checked in tests/golden/vectors.test.ts)", () => {
  test("dbrx: 3 modern vectors", () => {
    expect(vectorIds("dbrx")).toEqual([
      "fam-lora-r16-alllinear-dbrx-defaults-ropefix",
      "fam-lora-r8-qv-oldnames-dbrx-defaults-ropefix",
      "fam-lora-r8-tp-experts-dbrx-defaults-ropefix",
    ]);
  });
});
