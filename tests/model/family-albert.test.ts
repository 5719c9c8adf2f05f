/**
 * ALBERT: shared layers counted once, the factorised embeddings, heads per task (module trees pinned module for
 * module by tests/model/inventories.test.ts against transformers 5.18.0), and PEFT on it — oracle: peft 0.21.0 +
 * transformers 5.18.0.
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";

const base = findPreset("albert-base-v2")!.config;
const groups = { model_type: "albert", embedding_size: 64, hidden_size: 256, num_attention_heads: 4, intermediate_size: 512, num_hidden_layers: 6, num_hidden_groups: 2, inner_group_num: 2, vocab_size: 1000, num_labels: 3 };
const lora = findFormula("lora")!;

describe("albert", () => {
  test("albert-base-v2: 11,683,584 bare, 11,685,122 with a 2-label classifier, 11,094,530 for token classification (no pooler)", () => {
    expect(totalParams(buildInventory(base, { task: "FEATURE_EXTRACTION" }).modules)).toBe(11_683_584);
    expect(totalParams(buildInventory(base, { task: "SEQ_CLS" }).modules)).toBe(11_685_122);
    expect(totalParams(buildInventory(base, { task: "TOKEN_CLS" }).modules)).toBe(11_094_530);
  });

  test("12 passes over one physical layer: the tree has one albert_layers entry", () => {
    const inv = buildInventory(base, { task: "FEATURE_EXTRACTION" });
    expect(inv.modules.filter((m) => m.name.endsWith(".attention.query")).map((m) => m.name)).toEqual(["encoder.albert_layer_groups.0.albert_layers.0.attention.query"]);
    expect(inv.dims.numHiddenLayers).toBe(12);
  });

  test("2 groups × 2 inner layers: four physical layers (oracle: 2,287,872 bare, 2,288,643 SEQ_CLS with 3 labels)", () => {
    const inv = buildInventory(groups, { task: "FEATURE_EXTRACTION" });
    expect(totalParams(inv.modules)).toBe(2_287_872);
    expect(inv.modules.filter((m) => m.name.endsWith(".ffn")).length).toBe(4);
    expect(totalParams(buildInventory(groups, { task: "SEQ_CLS" }).modules)).toBe(2_288_643);
  });

  test("LoRA r=8 on query,value with a SEQ_CLS head: 26,114 of 11,711,236 (oracle)", () => {
    const { breakdown } = evaluate(lora, buildInventory(base, { task: "SEQ_CLS" }), { target_modules: ["query", "value"], r: 8, task_type: "SEQ_CLS" });
    expect([breakdown.trainable, breakdown.allParams]).toEqual([26_114, 11_711_236]);
  });

  test("PEFT has no default targets for albert; all-linear on a token classifier wraps the head PEFT must also save (TypeError)", () => {
    expect(() => evaluate(lora, buildInventory(base, { task: "SEQ_CLS" }), { task_type: "SEQ_CLS" })).toThrow(/target_modules/);
    expect(() => evaluate(lora, buildInventory(groups, { task: "TOKEN_CLS" }), { target_modules: "all-linear", r: 4, task_type: "TOKEN_CLS" })).toThrow(/classifier/);
  });

  test("num_hidden_groups above num_hidden_layers is refused", () => {
    expect(() => buildInventory({ ...groups, num_hidden_groups: 7 })).toThrow(/num_hidden_groups/);
  });
});
