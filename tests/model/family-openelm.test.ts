/**
 * OpenELM (Apple, remote code): layer-wise scaling reproduced bit for bit — np.linspace + Python's round(v, 2) +
 * make_divisible — and the module tree of modeling_openelm.py. OpenELM-270M's 271,527,168 is the figure
 * (the checkpoint's tensors); the other presets are what the same code instantiates (model cards: 450M, 1.1B, 3B).
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { findFormula } from "../../formulas/index.js";
import { makeDivisible } from "../../src/model/families/openelm.js";
import { linspace, pyRound } from "../../src/model/families/python-numbers.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";

const cfg = (id: string) => findPreset(id)!.config;

describe("Python number rules", () => {
  test("round(v, 2) rounds the double's exact value half to even", () => {
    expect([pyRound(0.125, 2), pyRound(0.375, 2), pyRound(2.675, 2), pyRound(0.7333333333333334, 2), pyRound(-0.125, 2)]).toEqual([0.12, 0.38, 2.67, 0.73, -0.12]);
  });
  test("np.linspace(0.5, 4.0, 16) rounded: the published 270M ffn_multipliers", () => {
    expect(linspace(0.5, 4.0, 16).map((v) => pyRound(v, 2))).toEqual([0.5, 0.73, 0.97, 1.2, 1.43, 1.67, 1.9, 2.13, 2.37, 2.6, 2.83, 3.07, 3.3, 3.53, 3.77, 4.0]);
  });
  test("make_divisible: nearest multiple, bumped when more than 10 % below", () => {
    expect([makeDivisible(640, 256), makeDivisible(934.4, 256), makeDivisible(100, 64), makeDivisible(10, 8)]).toEqual([768, 1024, 128, 16]);
  });
});

describe("openelm", () => {
  test.each([
    ["openelm-270m", 271_527_168],
    ["openelm-450m", 457_179_136],
    ["openelm-1.1b", 1_079_891_456],
    ["openelm-3b", 3_036_647_424],
  ])("%s: %i", (id, n) => expect(totalParams(buildInventory(cfg(id)).modules)).toBe(n));

  test("270M: query heads 12×5, 16×7, 20×4 (the published num_query_heads), kv heads a quarter, FFN 768 → 5120", () => {
    const layers = buildInventory(cfg("openelm-270m")).anatomy!.stacks[0]!.layers;
    expect(layers.map((l) => l.selfAttention!.heads)).toEqual([12, 12, 12, 12, 12, 16, 16, 16, 16, 16, 16, 16, 20, 20, 20, 20]);
    expect(layers.map((l) => l.selfAttention!.kvHeads)).toEqual([3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5]);
    expect([layers[0]!.ffn!.intermediateSize, layers[15]!.ffn!.intermediateSize]).toEqual([768, 5120]);
    const inv = buildInventory(cfg("openelm-270m"));
    expect(inv.modules.find((m) => m.name === "transformer.layers.0.attn.qkv_proj")).toMatchObject({ inFeatures: 1280, outFeatures: (12 + 6) * 64 });
    expect(inv.modules.find((m) => m.name === "transformer.layers.15.ffn.proj_1")).toMatchObject({ outFeatures: 10240 });
  });

  test("shared input/output layers: no lm_head; unshared: both the unused transformer.classifier and lm_head exist", () => {
    expect(buildInventory(cfg("openelm-270m")).outputEmbeddings).toBeUndefined();
    const unshared = buildInventory({ ...cfg("openelm-270m"), share_input_output_layers: false });
    expect(totalParams(unshared.modules) - 271_527_168).toBe(2 * 32000 * 1280);
  });

  test("LoRA r=8 on qkv_proj,out_proj: Σ r·(in+out) over layers of different widths", () => {
    const inv = buildInventory(cfg("openelm-270m"));
    const layers = inv.anatomy!.stacks[0]!.layers;
    const expected = layers.reduce((s, l) => s + 8 * (1280 + (l.selfAttention!.heads + 2 * l.selfAttention!.kvHeads) * 64) + 8 * (l.selfAttention!.heads * 64 + 1280), 0);
    expect(evaluate(findFormula("lora")!, inv, { target_modules: ["qkv_proj", "out_proj"], r: 8 }).breakdown.trainable).toBe(expected);
    expect(expected).toBe(650_240);
  });

  test("prompt learning: PEFT finds no sizes in OpenELM's config and asks for them", () => {
    expect(() => evaluate(findFormula("prompt-tuning")!, buildInventory(cfg("openelm-270m")), { num_virtual_tokens: 8 })).toThrow(/num_layers|token_dim/);
  });

  test("bad multipliers are refused with the key", () => {
    expect(() => buildInventory({ ...cfg("openelm-270m"), qkv_multipliers: [0.5, 0.7, 1.0] })).toThrow(/qkv_multipliers/);
  });
});
