/**
 * (IA)³ on real models: numbers from the oracle (peft 0.21.0 + transformers 5.18.0) for cases the golden
 * vectors do not cover (Conv1D, all-linear, a regex feedforward_modules), and PEFT's own refusals.
 * The default targets of both eras are covered by tests/golden (ia3-*, r5-ia3-*, m5-ia3-*).
 */
import { describe, expect, test } from "vitest";
import { ia3 } from "../../formulas/peft/ia3.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";
import { errorOf } from "../model/helpers.js";

const inv = (preset: string, task?: "SEQ_CLS") => buildInventory(findPreset(preset)!.config, task ? { task } : {});
const count = (preset: string, options: Record<string, unknown>, task?: "SEQ_CLS") => {
  const i = inv(preset, task);
  const { breakdown } = evaluate(ia3, i, options);
  return { trainable: breakdown.trainable, all: breakdown.allParams, base: totalParams(i.modules), parts: breakdown.parts };
};

describe("ia3: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, gpt2.json, {"target_modules": "all-linear"} (feedforward_modules from PEFT's table: mlp.c_proj)
    ["gpt2", { target_modules: "all-linear" }, 110_592, 124_550_400],
    // source: oracle, gpt2.json, {"target_modules": ["c_attn", "c_fc"], "feedforward_modules": ["c_fc"]} (Conv1D both)
    ["gpt2", { target_modules: ["c_attn", "c_fc"], feedforward_modules: ["c_fc"] }, 36_864, 124_476_672],
    // source: oracle, llama-3.2-1b.json, {"target_modules": ["q_proj", "down_proj"], "feedforward_modules": ".*down_proj"}
    ["llama-3.2-1b", { target_modules: ["q_proj", "down_proj"], feedforward_modules: ".*down_proj" }, 163_840, 1_235_978_240],
  ] as const)("%s %j", (preset, options, trainable, all) => {
    const r = count(preset, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
    expect(r.all - r.base).toBe(r.trainable);
  });

  test("a feed-forward module is scaled on its input (1 × d_in), any other on its output (d_out × 1)", () => {
    // GPT-2: c_attn 768 → 2304 (Conv1D), c_fc 768 → 3072 (Conv1D), 12 layers
    const asOutput = count("gpt2", { target_modules: ["c_attn", "c_fc"], feedforward_modules: [] });
    expect(asOutput.trainable).toBe(12 * (2304 + 3072));
    const parts = Object.fromEntries(count("gpt2", { target_modules: ["c_attn", "c_fc"], feedforward_modules: ["c_fc"] }).parts.map((p) => [p.name, p.count]));
    expect(parts).toEqual({ "transformer.h.*.attn.c_attn.ia3_l": 12 * 2304, "transformer.h.*.mlp.c_fc.ia3_l": 12 * 768 });
  });

  test("feedforward_modules entries match by plain endswith: BERT's output.dense also marks attention.output.dense", () => {
    // source: vector m5-ia3-default-bert-base-uncased (SEQ_CLS, task_type SEQ_CLS): 12 · (768 + 768 + 768 + 3072) + 1,538 head copy
    const r = count("bert-base-uncased", { task_type: "SEQ_CLS" }, "SEQ_CLS");
    expect(r.trainable).toBe(66_050);
    expect(r.all).toBe(109_549_828);
  });
});

describe("ia3: what PEFT refuses", () => {
  test("feedforward_modules not a subset of target_modules (IA3Config.__post_init__)", () => {
    const e = errorOf(() => evaluate(ia3, inv("llama-3.2-1b"), { target_modules: ["q_proj"], feedforward_modules: ["down_proj"] }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/subset.*"down_proj"/);
  });

  test("an embedding target (IA3's _create_new_module raises)", () => {
    const e = errorOf(() => evaluate(ia3, inv("llama-3.2-1b"), { target_modules: ["embed_tokens", "q_proj"], feedforward_modules: [] }));
    expect(e.code).toBe("UNSUPPORTED_TARGET");
  });

  test("no feedforward_modules default for the model_type, even with explicit targets", () => {
    expect(errorOf(() => evaluate(ia3, inv("distilbert-base-uncased"), { target_modules: ["q_lin"] })).code).toBe("NO_DEFAULT_TARGETS");
    // an explicit feedforward list is enough
    expect(evaluate(ia3, inv("distilbert-base-uncased"), { target_modules: ["q_lin"], feedforward_modules: [] }).breakdown.trainable).toBe(6 * 768);
  });

  test("targets matching nothing are an error, not 0", () => {
    expect(errorOf(() => evaluate(ia3, inv("llama-3.2-1b"), { target_modules: ["nope"], feedforward_modules: [] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ feedforward_modules: 3 }, { init_ia3_weights: "yes" }, { target_modules: [1] }, { task_type: "MLM" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => evaluate(ia3, inv("llama-3.2-1b"), bad)).toThrow(OptionsError);
  });
});
