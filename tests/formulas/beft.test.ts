/**
 * BEFT: one d_out vector per wrapped nn.Linear. Golden: m5-beft-* (peft 0.21.0 + transformers 5.18.0).
 */
import { describe, expect, test } from "vitest";
import { beft } from "../../formulas/peft/beft.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: none of peft 0.17.1 (BEFT arrived in 0.20), 4 of peft 0.21.0", () => {
  expect(goldenVectors("BEFT")).toEqual([0, 4]);
});

describe("beft", () => {
  test("d_out per module, with or without a bias of its own (golden m5-beft-default-qwen2.5-0.5b: v_proj 128 × 24 = 3,072)", () => {
    const r = countOn(beft, "qwen2.5-0.5b", {});
    expect(r.parts).toEqual({ "model.layers.*.self_attn.v_proj.beft_bias": 3_072 });
    expect(countOn(beft, "llama-3.2-1b", { target_modules: ["o_proj"] }).trainable).toBe(16 * 2048);
  });

  test("in peft 0.20, not in 0.19", () => {
    expect(countOn(beft, "qwen2.5-0.5b", {}, { peft: "0.20.0" }).trainable).toBe(3_072);
    expect(errorOf(() => countOn(beft, "qwen2.5-0.5b", {}, { peft: "0.19.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
  });

  test("PEFT has no default targets for GPT-2, and refuses Conv1D", () => {
    expect(errorOf(() => countOn(beft, "gpt2", {})).code).toBe("NO_DEFAULT_TARGETS");
    expect(errorOf(() => countOn(beft, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(beft, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ target_modules: 1 }, { init_weights: "zeros" }, { modules_to_save: "lm_head" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(beft, "llama-3.2-1b", bad)).toThrow(OptionsError);
  });
});
