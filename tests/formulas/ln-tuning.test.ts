/**
 * LN tuning: a trainable deep copy of every targeted module. Oracle numbers (peft 0.21.0 + transformers 5.18.0)
 * for what the golden vectors do not cover: non-norm targets (a container, a tied LM head), all-linear,
 * modules_to_save beside the copies; and the cases PEFT fails on. Defaults of both eras: tests/golden.
 */
import { describe, expect, test } from "vitest";
import { lnTuning } from "../../formulas/peft/ln-tuning.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";
import { errorOf } from "../model/helpers.js";

const inv = (preset: string) => buildInventory(findPreset(preset)!.config);
const llama = inv("llama-3.2-1b");

describe("ln-tuning: oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, gpt2.json, {} (PEFT's table: ln_1, ln_2, ln_f): 25 LayerNorms × 1,536
    ["gpt2", {}, 38_400, 124_478_208],
    // source: oracle, llama-3.2-1b.json, {"target_modules": ["mlp"]}: a container is copied whole
    ["llama-3.2-1b", { target_modules: ["mlp"] }, 805_306_368, 2_041_120_768],
    // source: oracle, llama-3.2-1b.json, {"target_modules": ["embed_tokens", "lm_head", "norm"]}: the tied head's copy is a tensor of its own
    ["llama-3.2-1b", { target_modules: ["embed_tokens", "lm_head", "norm"] }, 525_338_624, 1_761_153_024],
    // source: oracle, llama-3.2-1b.json, {"target_modules": ["norm"], "modules_to_save": ["lm_head"]}
    ["llama-3.2-1b", { target_modules: ["norm"], modules_to_save: ["lm_head"] }, 262_670_336, 1_498_484_736],
    // source: oracle, llama-3.2-1b.json, {"target_modules": "all-linear"}
    ["llama-3.2-1b", { target_modules: "all-linear" }, 973_078_528, 2_208_892_928],
  ] as const)("%s %j", (preset, options, trainable, all) => {
    const i = inv(preset);
    const { breakdown } = evaluate(lnTuning, i, options);
    expect([breakdown.trainable, breakdown.allParams]).toEqual([trainable, all]);
    expect(breakdown.allParams - totalParams(i.modules)).toBe(breakdown.trainable);
  });

  test("parts are copies, one per module pattern", () => {
    const { breakdown } = evaluate(lnTuning, llama, { target_modules: ["input_layernorm", "norm"] });
    expect(breakdown.parts).toEqual([
      { name: "model.layers.*.input_layernorm.ln_tuning_layers", modules: 16, count: 16 * 2048, kind: "copy" },
      { name: "model.norm.ln_tuning_layers", modules: 1, count: 2048, kind: "copy" },
    ]);
  });
});

describe("ln-tuning: refused", () => {
  test("a target inside another target (PEFT raises AttributeError: LNTuningLayer has no attribute `gate_proj`)", () => {
    // source: oracle, llama-3.2-1b.json, {"target_modules": ".*layers\\.0\\.mlp.*"}
    expect(errorOf(() => evaluate(lnTuning, llama, { target_modules: ".*layers\\.0\\.mlp.*" })).code).toBe("NESTED_TARGETS");
  });

  test("modules_to_save overlapping a target (PEFT raises TypeError: modules_to_save cannot be applied to LNTuningLayer)", () => {
    // source: oracle, llama-3.2-1b.json, {"target_modules": ["input_layernorm"], "modules_to_save": ["norm"]}
    expect(errorOf(() => evaluate(lnTuning, llama, { target_modules: ["input_layernorm"], modules_to_save: ["norm"] })).code).toBe("UNSUPPORTED_OPTION");
  });

  test("targets matching nothing are an error; a partly matching list warns as PEFT skips the rest", () => {
    expect(errorOf(() => evaluate(lnTuning, llama, { target_modules: ["LayerNorm"] })).code).toBe("UNKNOWN_TARGET_MODULE");
    expect(errorOf(() => evaluate(lnTuning, llama, { target_modules: "nothing.*" })).code).toBe("NO_TARGET_MATCHED");
    const { breakdown } = evaluate(lnTuning, llama, { target_modules: ["norm", "LayerNorm"] });
    expect(breakdown.trainable).toBe(2048);
    expect(breakdown.warnings.join("\n")).toMatch(/"LayerNorm" matches no module/);
  });

  test("no default targets for the model_type", () => {
    expect(errorOf(() => evaluate(lnTuning, inv("bert-base-uncased"), {})).code).toBe("NO_DEFAULT_TARGETS");
  });

  test.each([{ target_modules: 5 }, { modules_to_save: "lm_head" }, { task_type: "LM" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => evaluate(lnTuning, llama, bad)).toThrow(OptionsError);
  });
});
