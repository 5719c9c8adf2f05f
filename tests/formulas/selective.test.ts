/**
 * Selective fine-tuning: chosen base modules train in place, tied tensors once, nothing added.
 * Numbers are sums of published shapes (Llama-3.2-1B: hidden 2048, kv 512, MLP 8192, 16 layers, tied head).
 */
import { describe, expect, test } from "vitest";
import { selective } from "../../formulas/classic/selective.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";
import { errorOf } from "../model/helpers.js";

const inv = (preset: string, task?: Task) => buildInventory(findPreset(preset)!.config, task ? { task } : {});
const llama = inv("llama-3.2-1b");
const run = (options: Record<string, unknown>, i = llama) => {
  const { breakdown } = evaluate(selective, i, options);
  expect(breakdown.allParams).toBe(totalParams(i.modules));
  expect(breakdown.parts.reduce((s, p) => s + p.count, 0)).toBe(breakdown.trainable);
  expect(breakdown.parts.every((p) => p.kind === "base")).toBe(true);
  return breakdown;
};

const LAYER = 2 * 2048 * 2048 + 2 * 2048 * 512 + 3 * 2048 * 8192 + 2 * 2048;
const EMBED = 128_256 * 2048;

describe("selective", () => {
  test("the last k layers", () => {
    expect(run({ last_layers: 2 }).trainable).toBe(2 * LAYER);
    expect(run({ last_layers: 16 }).trainable).toBe(16 * LAYER);
  });

  test("every norm (33 RMSNorms), as LN tuning's copies count them (vector m5-lntuning-explicit-llama-3.2-1b: 67,584)", () => {
    expect(run({ norms: true }).trainable).toBe(67_584);
  });

  test("a tied LM head trains the embedding matrix it shares: counted once, with the embedding or not", () => {
    expect(run({ modules: ["lm_head"] }).trainable).toBe(EMBED);
    expect(run({ modules: ["lm_head", "embed_tokens"] }).trainable).toBe(EMBED);
    expect(run({ head: true }).trainable).toBe(EMBED);
    // untied (Llama-3.1-8B): two matrices
    expect(run({ modules: ["lm_head", "embed_tokens"] }, inv("llama-3.1-8b")).trainable).toBe(2 * 128_256 * 4096);
  });

  test("names are exact or .suffix (\"norm\" is model.norm only), containers included; a string is a full-path regex", () => {
    expect(run({ modules: ["norm"] }).trainable).toBe(2048);
    expect(run({ modules: ["mlp"] }).trainable).toBe(16 * 3 * 2048 * 8192);
    expect(run({ modules: "model\\.layers\\.(0|1)\\.self_attn" }).trainable).toBe(2 * (2 * 2048 * 2048 + 2 * 2048 * 512));
  });

  test("the union of the selections counts each tensor once", () => {
    // layer 15 whole, the 31 other norms (30 in layers 0-14, model.norm), the MLPs of layers 0-14
    expect(run({ last_layers: 1, norms: true, modules: ["mlp"] }).trainable).toBe(LAYER + 31 * 2048 + 15 * 3 * 2048 * 8192);
  });

  test("T5: the last layer of both stacks; heads of classification tasks", () => {
    const t5 = inv("t5-small");
    const one = run({ last_layers: 1 }, t5);
    const block5 = t5.modules.filter((m) => /^(encoder|decoder)\.block\.5\./.test(m.name)).reduce((s, m) => s + m.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0), 0);
    expect(one.trainable).toBe(block5);
    expect(new Set(one.parts.map((p) => p.name.split(".")[0]))).toEqual(new Set(["encoder", "decoder"]));
    expect(run({ head: true }, inv("roberta-base", "SEQ_CLS")).trainable).toBe(768 * 768 + 768 + 768 * 2 + 2);
    expect(run({ head: true }, inv("deberta-v3-base", "SEQ_CLS")).trainable).toBe(768 * 768 + 768 + 768 * 2 + 2);
  });

  test("MoE: routed experts count k/E of their parameters in the active view", () => {
    const moe = buildInventory(findPreset("mixtral-8x7b")!.config, { expertLayout: "per-expert" });
    const b = run({ modules: ["w1"] }, moe);
    expect(b.activeTrainable).toBe((b.trainable / 8) * 2);
  });

  test("refused: nothing selected, too many layers, unknown names, a headless model", () => {
    expect(errorOf(() => evaluate(selective, llama, {})).code).toBe("NO_TARGET_MATCHED");
    expect(errorOf(() => evaluate(selective, llama, { last_layers: 17 })).message).toMatch(/has 16 layers/);
    expect(errorOf(() => evaluate(selective, llama, { modules: ["norm", "LayerNorm"] })).code).toBe("UNKNOWN_MODULE");
    expect(errorOf(() => evaluate(selective, llama, { modules: "nothing.*" })).code).toBe("NO_TARGET_MATCHED");
    expect(errorOf(() => evaluate(selective, inv("llama-3.2-1b", "FEATURE_EXTRACTION"), { head: true })).code).toBe("NO_TARGET_MATCHED");
  });

  test.each([{ last_layers: -1 }, { last_layers: 1.5 }, { modules: [3] }, { norms: "yes" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => evaluate(selective, llama, bad)).toThrow(OptionsError);
  });
});
