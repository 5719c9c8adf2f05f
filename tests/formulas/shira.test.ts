/**
 * SHiRA: r·(d_in + d_out) sparse entries per wrapped nn.Linear, whatever the mask. Oracle: peft 0.21.0 +
 * transformers 5.18.0 (golden: shira-r8-roberta-base, r5-shira-*, m5-shira-*).
 */
import { describe, expect, test } from "vitest";
import { shira } from "../../formulas/peft/shira.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: 1 of peft 0.17.1, 5 of peft 0.21.0", () => {
  expect(goldenVectors("SHIRA")).toEqual([1, 5]);
});

describe("shira", () => {
  test("r·(d_in + d_out) per module; a custom mask_type selects as many entries (same count)", () => {
    const r = countOn(shira, "llama-3.2-1b", { r: 4, target_modules: ["k_proj"] });
    expect(r.parts).toEqual({ "model.layers.*.self_attn.k_proj.shira_weight": 16 * 4 * (2048 + 512) });
    expect(countOn(shira, "llama-3.2-1b", { r: 4, target_modules: ["k_proj"], mask_type: "my_mask" }).trainable).toBe(r.trainable);
  });

  test("peft 0.17.1 counts as 0.21 (golden shira-r8-roberta-base: 887,042 in both eras)", () => {
    const options = { r: 8, target_modules: ["query", "value"], task_type: "SEQ_CLS" };
    expect(countOn(shira, "roberta-base", options, { task: "SEQ_CLS", peft: "0.17.1", transformers: "4.43.3" }).trainable).toBe(887_042);
  });

  test("Conv1D is refused (source: oracle, gpt2.json, {r: 4, target_modules: [c_attn]}: TypeError, only torch.nn.Linear)", () => {
    expect(errorOf(() => countOn(shira, "gpt2", { r: 4, target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("more entries than the weight has is refused (update_layer ValueError)", () => {
    // k_proj 2048 → 512: r·2560 ≤ 1,048,576 holds up to r = 409
    expect(countOn(shira, "llama-3.2-1b", { r: 409, target_modules: ["k_proj"] }).trainable).toBe(16 * 409 * 2560);
    expect(errorOf(() => countOn(shira, "llama-3.2-1b", { r: 410, target_modules: ["k_proj"] })).code).toBe("OPTION_OUT_OF_RANGE");
  });

  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(shira, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { r: -1 }, { r: 2.5 }, { mask_type: 3 }, { init_weights: "no" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(shira, "llama-3.2-1b", { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
