/**
 * Model transforms (src/model/transforms) on real presets: the pruning figure, the rounding rule, GQA
 * modes, PELA's rank and skip rules, shared depth, hashing budgets; every transformed inventory keeps a consistent
 * anatomy, and LoRA (PEFT's matching) counts on it as on a model of those shapes.
 */
import { describe, expect, test } from "vitest";
import { lora } from "../../../formulas/peft/lora.js";
import { evaluate } from "../../../formulas/types.js";
import { InputError } from "../../../src/errors.js";
import { buildInventory } from "../../../src/model/inventory.js";
import { findPreset } from "../../../src/model/presets/index.js";
import { applyTransforms, TransformSpecError } from "../../../src/model/transforms/index.js";
import { pelaRank } from "../../../src/model/transforms/factorize.js";
import { prunedHeads, prunedWidth } from "../../../src/model/transforms/prune.js";
import { parseAmount } from "../../../src/model/transforms/spec.js";
import { totalParams, type Inventory, type LinearModule } from "../../../src/model/types.js";
import { anatomyProblems } from "../anatomy-check.js";

const model = (id: string, task?: "SEQ_CLS") => buildInventory(findPreset(id)!.config, task ? { task } : {});
const total = (inv: Inventory) => totalParams(inv.modules);
const linear = (inv: Inventory, name: string) => inv.modules.find((m) => m.name === name) as LinearModule;
const loraCount = (inv: Inventory, raw: Record<string, unknown>) => evaluate(lora, inv, raw).breakdown.trainable;
const SEVEN = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

describe("prune", () => {
  // oracle: peft 0.21.0 + transformers 5.18.0, llama-2-7b's config with num_attention_heads = num_key_value_heads = 16,
  // head_dim 128, intermediate_size 5504; LoRA r=8 on the seven projections → trainable 13,664,256, all 3,514,077,184, base 3,500,412,928
  test("issue 11: llama-2-7b (LLaMA-7B's dimensions) at heads=0.5 ffn=0.5 → 3,500,412,928; LoRA r=8 on the seven projections → 13,664,256", () => {
    const inv = applyTransforms(model("llama-2-7b"), ["prune heads=0.5 ffn=0.5"]);
    expect(total(inv)).toBe(3_500_412_928);
    expect(loraCount(inv, { r: 8, target_modules: SEVEN })).toBe(13_664_256);
    expect(linear(inv, "model.layers.0.self_attn.q_proj")).toMatchObject({ inFeatures: 4096, outFeatures: 2048 });
    expect(linear(inv, "model.layers.31.self_attn.o_proj")).toMatchObject({ inFeatures: 2048, outFeatures: 4096 });
    expect(linear(inv, "model.layers.5.mlp.down_proj")).toMatchObject({ inFeatures: 5504, outFeatures: 4096 });
    expect(inv.dims).toMatchObject({ numAttentionHeads: 16, numKeyValueHeads: 16, intermediateSize: 5504 });
    expect(anatomyProblems(inv)).toEqual([]);
    expect(inv.transforms![0]!.summary).toBe("prune: heads 32 → 16 in all 32 layers, FFN 11,008 → 5,504 in all 32 layers; whole heads; 6,738,415,616 → 3,500,412,928 parameters");
  });

  test("rounding: a fraction removes ⌈f·n⌉ (kept ⌊n·(1−f)⌋, torch-pruning's rule), in exact decimal arithmetic", () => {
    expect(prunedWidth(11008, parseAmount("0.3", "ffn"))).toBe(11008 - 3303); // 3302.4 → 3303 removed
    expect(prunedWidth(10, parseAmount("0.3", "ffn"))).toBe(7); // 0.3 · 10 is 3, not 3.0000000000000004 → 4
    expect(prunedWidth(100, parseAmount("0.29", "ffn"))).toBe(71); // 0.29 · 100 = 29 exactly (float: 28.999999999999996)
    expect(prunedWidth(11008, parseAmount("25%", "ffn"))).toBe(8256);
    expect(prunedWidth(11008, parseAmount("1000", "ffn"))).toBe(10008);
    expect(prunedHeads({ heads: 12, kvHeads: 12 }, parseAmount("0.3", "heads"), "groups")).toEqual({ heads: 8, kvHeads: 8 }); // ⌈3.6⌉ = 4 removed
  });

  test("GQA: whole KV groups (default) or query heads within each group", () => {
    const base = model("llama-3-8b"); // 32 heads, 8 KV heads, head_dim 128
    const groups = applyTransforms(base, ["prune heads=0.5"]);
    expect(linear(groups, "model.layers.0.self_attn.q_proj").outFeatures).toBe(16 * 128);
    expect(linear(groups, "model.layers.0.self_attn.k_proj").outFeatures).toBe(4 * 128);
    expect(groups.transforms![0]!.summary).toContain("heads 32 → 16 (KV heads 8 → 4) in all 32 layers; whole KV groups");
    const queries = applyTransforms(base, ["prune heads=16 gqa=queries"]);
    expect(linear(queries, "model.layers.0.self_attn.q_proj").outFeatures).toBe(16 * 128);
    expect(linear(queries, "model.layers.0.self_attn.k_proj").outFeatures).toBe(8 * 128);
    expect(queries.transforms![0]!.summary).toContain("query heads within each KV group");
    expect(anatomyProblems(groups)).toEqual([]);
    expect(anatomyProblems(queries)).toEqual([]);
    expect(() => applyTransforms(base, ["prune heads=6"])).toThrow(/heads=6 is not divisible into whole KV groups of 4 query heads/);
    expect(() => applyTransforms(base, ["prune heads=12 gqa=queries"])).toThrow(/heads=12 is not divisible among the 8 KV groups/);
    // multi-query attention (falcon-7b: 71 query heads, one KV head): auto removes query heads, groups cannot
    const falcon = applyTransforms(model("falcon-7b"), ["prune heads=0.5"]);
    expect(falcon.anatomy!.stacks[0]!.layers[0]!.selfAttention).toMatchObject({ heads: 35, kvHeads: 1 }); // ⌈35.5⌉ = 36 removed
    expect(falcon.transforms![0]!.summary).toContain("query heads within each KV group");
    expect(anatomyProblems(falcon)).toEqual([]);
    expect(() => applyTransforms(model("falcon-7b"), ["prune heads=0.5 gqa=groups"])).toThrow(/would remove all 1 KV groups/);
  });

  test("fused projections and other families keep a consistent anatomy (GPT-2 c_attn, BERT, T5's relative bias)", () => {
    const gpt2 = applyTransforms(model("gpt2"), ["prune heads=0.25 ffn=0.5"]);
    expect(linear(gpt2, "transformer.h.0.attn.c_attn")).toMatchObject({ inFeatures: 768, outFeatures: 3 * 9 * 64 });
    expect(linear(gpt2, "transformer.h.0.mlp.c_proj")).toMatchObject({ inFeatures: 1536, outFeatures: 768 });
    for (const inv of [gpt2, applyTransforms(model("bert-base-uncased"), ["prune heads=4 ffn=0.5"]), applyTransforms(model("t5-small"), ["prune heads=0.5 ffn=1024"])]) expect(anatomyProblems(inv)).toEqual([]);
    const t5 = applyTransforms(model("t5-small"), ["prune heads=0.5"]);
    expect(t5.modules.find((m) => m.name === "encoder.block.0.layer.0.SelfAttention.relative_attention_bias")).toMatchObject({ embeddingDim: 4 });
  });

  test("per-layer lists and layers= ranges (LLM-Pruner prunes layers 4-29 by default)", () => {
    const base = model("llama-2-7b");
    const ranged = applyTransforms(base, ["prune heads=0.5 ffn=0.5 layers=4-29"]);
    expect(linear(ranged, "model.layers.3.mlp.up_proj").outFeatures).toBe(11008);
    expect(linear(ranged, "model.layers.4.mlp.up_proj").outFeatures).toBe(5504);
    expect(linear(ranged, "model.layers.30.self_attn.q_proj").outFeatures).toBe(4096);
    expect(ranged.dims.intermediateSize).toBe(11008); // not uniform: the config's value stays
    const listed = applyTransforms(base, [`prune ffn=${Array.from({ length: 32 }, (_, i) => (i >= 4 && i <= 29 ? "0.5" : "0")).join(",")}`]);
    expect(total(listed)).toBe(total(applyTransforms(base, ["prune ffn=0.5 layers=4-29"])));
    expect(anatomyProblems(ranged)).toEqual([]);
  });

  test("refusals: out of range, nothing to prune, no attention / no dense FFN in the anatomy, list length", () => {
    const base = model("llama-2-7b");
    expect(() => applyTransforms(base, ["prune heads=1.0"])).toThrow(TransformSpecError);
    expect(() => applyTransforms(base, ["prune heads=32"])).toThrow(/would remove all 32 KV groups/);
    expect(() => applyTransforms(base, ["prune"])).toThrow(/nothing to prune/);
    expect(() => applyTransforms(base, ["prune ffn=0.5,0.5"])).toThrow(/lists 2 values for 32 layers/);
    expect(() => applyTransforms(model("mamba-130m"), ["prune heads=0.5"])).toThrow(/has no attention heads to prune/);
    expect(() => applyTransforms(model("olmoe-1b-7b"), ["prune ffn=0.5"])).toThrow(/no dense FFN to prune.*routed experts/);
    expect(() => applyTransforms(base, ["factorize c=2", "prune heads=0.5"])).toThrow(InputError);
  });
});

describe("factorize (PELA)", () => {
  test("rank r = ⌊m·n / (c·(m+n))⌋; names <name>.0 (no bias) and <name>.1 (the bias)", () => {
    expect(pelaRank(768, 3072, { p: 3, q: 1 })).toBe(204); // 2,359,296 / 11,520 = 204.8
    expect(pelaRank(4096, 4096, { p: 2, q: 1 })).toBe(1024);
    const bert = applyTransforms(model("bert-base-uncased", "SEQ_CLS"), ["factorize c=3"]);
    expect(linear(bert, "bert.encoder.layer.0.intermediate.dense.0")).toMatchObject({ inFeatures: 768, outFeatures: 204, params: [{ name: "weight", shape: [204, 768] }] });
    expect(linear(bert, "bert.encoder.layer.0.intermediate.dense.1")).toMatchObject({ inFeatures: 204, outFeatures: 3072, params: [{ name: "weight", shape: [3072, 204] }, { name: "bias", shape: [3072] }] });
    expect(linear(bert, "classifier")).toMatchObject({ inFeatures: 768, outFeatures: 2 }); // < 10 outputs: PELA leaves it
    expect(bert.transforms![0]!.summary).toContain("left: 1 with fewer than 10 outputs");
  });

  test("omit= leaves modules whose name contains a part; GPT-2's Conv1D is not nn.Linear (nothing to do → refused)", () => {
    const inv = applyTransforms(model("llama-2-7b"), ["factorize c=2 omit=lm_head,mlp"]);
    expect(linear(inv, "lm_head").outFeatures).toBe(32000);
    expect(linear(inv, "model.layers.0.mlp.up_proj").outFeatures).toBe(11008);
    expect(linear(inv, "model.layers.0.self_attn.q_proj.0").outFeatures).toBe(1024);
    expect(() => applyTransforms(model("gpt2"), ["factorize c=2 omit=lm_head"])).toThrow(/no nn.Linear layer to factorise/);
    expect(() => applyTransforms(model("gpt2"), ["factorize c=0.5"])).toThrow(/at least 1/);
  });

  test("LoRA on the factors: all-linear wraps both halves", () => {
    const inv = applyTransforms(model("llama-2-7b"), ["factorize c=2 omit=lm_head"]);
    // per layer: 4 attention projections 2 · 8·(4096+1024) and 3 FFN ones 2 · 8·(4096+2970) or 8·(11008+2970)+8·(4096+2970)
    const r = pelaRank(4096, 11008, { p: 2, q: 1 });
    const perLayer = 4 * 2 * 8 * (4096 + 1024) + 2 * (8 * (4096 + r) + 8 * (r + 11008)) + (8 * (11008 + r) + 8 * (r + 4096));
    expect(loraCount(inv, { r: 8, target_modules: "all-linear" })).toBe(32 * perLayer);
  });
});

describe("share", () => {
  test("K unique blocks: shared tensors once, per-use norms (WideNet) once per layer; LoRA wraps each shared module once", () => {
    const base = model("llama-2-7b");
    const layer = (total(base) - 262_144_000 - 4096) / 32;
    const k8 = applyTransforms(base, ["share K=8"]);
    expect(total(k8)).toBe(262_144_000 + 4096 + 8 * layer);
    expect(total(applyTransforms(base, ["share K=8 norms=per-use"]))).toBe(262_144_000 + 4096 + 8 * layer + 24 * 2 * 4096);
    expect(loraCount(k8, { r: 8 })).toBe(8 * 2 * 8 * (4096 + 4096));
    expect(k8.modules.find((m) => m.name === "model.layers.0.self_attn.q_proj")!.aliases).toEqual(["model.layers.1.self_attn.q_proj", "model.layers.2.self_attn.q_proj", "model.layers.3.self_attn.q_proj"]);
    const cyc = applyTransforms(base, ["share K=8 order=cycle"]);
    expect(cyc.modules.find((m) => m.name === "model.layers.0.self_attn.q_proj")!.aliases).toEqual(["model.layers.8.self_attn.q_proj", "model.layers.16.self_attn.q_proj", "model.layers.24.self_attn.q_proj"]);
  });

  test("K = L is the identity; K > L and layers of different shapes are refused", () => {
    const base = model("llama-2-7b");
    expect(applyTransforms(base, ["share K=32"]).modules).toEqual(base.modules);
    expect(() => applyTransforms(base, ["share K=33"])).toThrow(/exceeds the 32 layers/);
    expect(() => applyTransforms(base, ["prune ffn=0.5 layers=0", "share K=1"])).toThrow(/cannot reuse layer 0's block/);
    expect(() => applyTransforms(base, ["share"])).toThrow(/K= .* is required/);
  });
});

describe("hash (ROAST / RPS)", () => {
  test("global budget ⌊c·Σ weights⌋ of the layers' Linear weights; per-module floors each", () => {
    const base = model("llama-2-7b");
    const weights = 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008);
    const inv = applyTransforms(base, ["hash c=0.1"]);
    expect(inv.modules.at(-1)).toMatchObject({ name: "hashed_weights", params: [{ name: "weight", shape: [Math.floor(weights / 10)] }] });
    expect(total(inv)).toBe(total(base) - weights + Math.floor(weights / 10));
    const per = applyTransforms(base, ["hash c=0.3 scope=per-module"]);
    expect(total(per)).toBe(total(base) - weights + 32 * (4 * Math.floor((3 * 4096 * 4096) / 10) + 3 * Math.floor((3 * 4096 * 11008) / 10)));
    // hashed modules are no longer Linear layers: LoRA's default targets match nothing
    expect(() => loraCount(inv, { r: 8 })).toThrow(InputError);
    expect(() => applyTransforms(base, ["hash c=1.5"])).toThrow(/out of range/);
  });
});

describe("factorize and tied heads", () => {
  test("a head tied to the embeddings gets factors of its own (PELA's setattr): the tie is gone and the summary says so", () => {
    const inv = applyTransforms(model("llama-3.2-1b"), ["factorize c=2"]);
    const emb = inv.modules.find((m) => m.name === "model.embed_tokens")!;
    expect(emb.params[0]!.tiedTo).toBeUndefined();
    expect(inv.transforms![0]!.summary).toContain("lm_head was tied to the embeddings: it gets factors of its own (add omit=lm_head to keep it)");
  });
});

describe("library", () => {
  test("the transforms are exported from the package entry", async () => {
    const lib = await import("../../../src/index.js");
    const inv = lib.applyTransforms(lib.buildInventory(lib.findPreset("llama-2-7b")!.config), ["prune heads=0.5 ffn=0.5"]);
    expect(lib.totalParams(inv.modules)).toBe(3_500_412_928);
    expect(lib.TRANSFORMS.map((t) => t.id)).toEqual(["prune", "factorize", "share", "hash"]);
  });
});
