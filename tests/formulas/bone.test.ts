/**
 * Bone: in peft 0.17 and 0.18 only (removed in 0.19 for MiSS). The golden vectors (bone-*, peft 0.17.1) cover
 * r 32 and 64 and init_weights "bat"; these tests pin the release window, the shapes and PEFT's refusals.
 */
import { describe, expect, test } from "vitest";
import { bone } from "../../formulas/peft/bone.js";
import { miss } from "../../formulas/peft/miss.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

const OLD = { peft: "0.18.0", transformers: "4.57.1" };

test("golden vectors: 3 of peft 0.17.1, none of peft 0.21.0 (removed)", () => {
  expect(goldenVectors("BONE")).toEqual([3, 0]);
});

describe("bone", () => {
  test("peft 0.19 and later do not have it", () => {
    const e = errorOf(() => countOn(bone, "llama-3.2-1b", { target_modules: ["q_proj"] }));
    expect(e.code).toBe("METHOD_NOT_IN_RELEASE");
    expect(errorOf(() => countOn(bone, "llama-3.2-1b", { target_modules: ["q_proj"] }, { peft: "0.19.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
  });

  test("bone_block of r × d_out (bat: (d_out/r) · r · r), the same count as MiSS, with PEFT's deprecation warning", () => {
    const r = countOn(bone, "llama-3.2-1b", { r: 64, target_modules: ["q_proj", "v_proj"] }, OLD);
    // q_proj 2048 → 2048, v_proj 2048 → 512, 16 layers
    expect(r.parts).toEqual({ "model.layers.*.self_attn.q_proj.bone_block": 16 * 64 * 2048, "model.layers.*.self_attn.v_proj.bone_block": 16 * 64 * 512 });
    expect(countOn(bone, "llama-3.2-1b", { r: 64, init_weights: "bat", target_modules: ["q_proj", "v_proj"] }, OLD).trainable).toBe(r.trainable);
    expect(countOn(miss, "llama-3.2-1b", { r: 64, target_modules: ["q_proj", "v_proj"] }, OLD).trainable).toBe(r.trainable);
    expect(r.warnings.some((w) => w.includes("removed in peft 0.19"))).toBe(true);
  });

  test("default targets are LoRA's (peft 0.18 constants.py)", () => {
    expect(countOn(bone, "llama-3.2-1b", {}, OLD).trainable).toBe(countOn(bone, "llama-3.2-1b", { target_modules: ["q_proj", "v_proj"] }, OLD).trainable);
  });

  test("PEFT's refusals: bat blocks that do not fit, a Conv1D target; bad options", () => {
    expect(errorOf(() => countOn(bone, "llama-3.2-1b", { r: 48, init_weights: "bat", target_modules: ["q_proj"] }, OLD)).code).toBe("OPTION_OUT_OF_RANGE");
    expect(errorOf(() => countOn(bone, "gpt2", { target_modules: ["c_attn"] }, OLD)).code).toBe("UNSUPPORTED_TARGET");
    for (const bad of [{ r: 0 }, { init_weights: "mini" }, { bias: "miss_only" }]) expect(() => countOn(bone, "llama-3.2-1b", { target_modules: ["q_proj"], ...bad }, OLD)).toThrow(OptionsError);
  });
});
