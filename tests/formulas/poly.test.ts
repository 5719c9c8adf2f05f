/**
 * Poly: per wrapped Linear, n_splits·n_skills LoRA pairs over d/n_splits and a router of
 * n_tasks × n_splits·n_skills. Oracle numbers (peft 0.21.0 + transformers 5.18.0) for Multi-Head Routing
 * (n_splits > 1, divisible or not); defaults of both eras: tests/golden (poly-*, r5-poly-*, m5-poly-*).
 */
import { describe, expect, test } from "vitest";
import { poly } from "../../formulas/peft/poly.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { errorOf } from "../model/helpers.js";

const inv = (preset: string) => buildInventory(findPreset(preset)!.config);
const llama = inv("llama-3.2-1b");

describe("poly: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, llama-3.2-1b.json, {"r": 4, "n_splits": 2, "n_skills": 3, "n_tasks": 2, "target_modules": ["q_proj", "v_proj"]}
    [{ r: 4, n_splits: 2, n_skills: 3, n_tasks: 2, target_modules: ["q_proj", "v_proj"] }, 1_278_336, 1_237_092_736],
    // source: oracle, llama-3.2-1b.json, {"r": 4, "n_splits": 3, "n_skills": 2, "n_tasks": 1, "target_modules": ["q_proj", "v_proj"]}: ⌊2048/3⌋, ⌊512/3⌋
    [{ r: 4, n_splits: 3, n_skills: 2, n_tasks: 1, target_modules: ["q_proj", "v_proj"] }, 851_136, 1_236_665_536],
  ] as const)("%j", (options, trainable, all) => {
    const { breakdown } = evaluate(poly, llama, options);
    expect([breakdown.trainable, breakdown.allParams]).toEqual([trainable, all]);
  });

  test("parts: A, B and a router per wrapped module", () => {
    const parts = evaluate(poly, llama, { r: 4, n_skills: 3, n_tasks: 2, target_modules: ["v_proj"] }).breakdown.parts;
    expect(parts.map((p) => [p.name, p.modules, p.count])).toEqual([
      ["model.layers.*.self_attn.v_proj.poly_lora_A", 16, 16 * 3 * 2048 * 4],
      ["model.layers.*.self_attn.v_proj.poly_lora_B", 16, 16 * 3 * 4 * 512],
      ["model.layers.*.self_attn.v_proj.poly_router.module_logits", 16, 16 * 2 * 3],
    ]);
  });
});

describe("poly: refused", () => {
  test("Conv1D (GPT-2) is not an nn.Linear: PEFT raises TypeError", () => {
    // source: oracle, gpt2.json, {"r": 4} and {"r": 4, "target_modules": ["c_attn"]}
    expect(errorOf(() => evaluate(poly, inv("gpt2"), { r: 4 })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("targets matching nothing", () => {
    expect(errorOf(() => evaluate(poly, llama, { target_modules: ["c_attn"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { n_skills: 0 }, { n_splits: 1.5 }, { n_tasks: -1 }, { poly_type: "mhr" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => evaluate(poly, llama, bad)).toThrow(OptionsError);
  });
});
