/**
 * Super-Tuning: ⌊d_in·d_out·(1 − sparsity)⌋ entries per wrapped nn.Linear (float arithmetic, truncated), plus a
 * LoRA pair with r. Oracle: peft 0.21.0 + transformers 5.18.0 (golden: m5-supertuning-*).
 */
import { describe, expect, test } from "vitest";
import { supertuning } from "../../formulas/peft/supertuning.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: none of peft 0.17.1 (Super-Tuning arrived in 0.21), 4 of peft 0.21.0", () => {
  expect(goldenVectors("SUPERTUNING")).toEqual([0, 4]);
});

describe("supertuning", () => {
  test("Supra: sparse entries plus r·(d_in + d_out) (source: oracle, llama-3.2-1b.json, {sparsity: 0.95, r: 2, target_modules: [q_proj, down_proj]})", () => {
    const r = countOn(supertuning, "llama-3.2-1b", { sparsity: 0.95, r: 2, target_modules: ["q_proj", "down_proj"] });
    expect([r.trainable, r.all]).toEqual([17_235_952, 1_253_050_352]);
    // int(4194304 · (1 − 0.95)) = 209715 and int(16777216 · 0.05000000000000004) = 838860, as PEFT's floats give
    expect(r.parts["model.layers.*.self_attn.q_proj.supertuning_values"]).toBe(16 * 209_715);
    expect(r.parts["model.layers.*.mlp.down_proj.supertuning_values"]).toBe(16 * 838_860);
  });

  test("sparsity 0 trains every entry", () => {
    expect(countOn(supertuning, "llama-3.2-1b", { sparsity: 0, target_modules: ["k_proj"] }).trainable).toBe(16 * 2048 * 512);
  });

  test("PEFT's refusals: no entry left, lora_alpha without r, a release without it", () => {
    expect(errorOf(() => countOn(supertuning, "bert-base-uncased", { sparsity: 0.999999999, target_modules: ["query"] })).code).toBe("OPTION_OUT_OF_RANGE");
    expect(errorOf(() => countOn(supertuning, "llama-3.2-1b", { lora_alpha: 16 })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(supertuning, "llama-3.2-1b", {}, { peft: "0.20.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
    expect(errorOf(() => countOn(supertuning, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(supertuning, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ sparsity: 1 }, { sparsity: -0.1 }, { r: 0 }, { lora_dropout: 1 }, { select_top: "top" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(supertuning, "llama-3.2-1b", bad)).toThrow(OptionsError);
  });
});
