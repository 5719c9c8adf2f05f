/**
 * PEANuT: 2·r·d_out + 2·depth·r² per wrapped nn.Linear. Oracle: peft 0.21.0 + transformers 5.18.0
 * (golden: m5-peanut-*).
 */
import { describe, expect, test } from "vitest";
import { peanut } from "../../formulas/peft/peanut.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: none of peft 0.17.1 (PEANuT arrived in 0.19), 4 of peft 0.21.0", () => {
  expect(goldenVectors("PEANUT")).toEqual([0, 4]);
});

describe("peanut", () => {
  test("d_in does not enter; depth adds r×r encoders and decoders (source: oracle, llama-3.2-1b.json, {r: 8, depth: 3, target_modules: [down_proj, k_proj], layers_to_transform: [0, 5]})", () => {
    const r = countOn(peanut, "llama-3.2-1b", { r: 8, depth: 3, target_modules: ["down_proj", "k_proj"], layers_to_transform: [0, 5] });
    expect([r.trainable, r.all]).toEqual([83_456, 1_235_897_856]);
    expect(r.parts["model.layers.*.mlp.down_proj.peanut_A"]).toBe(2 * 8 * 2048);
    expect(r.parts["model.layers.*.self_attn.k_proj.peanut_encoders"]).toBe(2 * 3 * 64);
  });

  test("not in peft 0.18", () => {
    expect(errorOf(() => countOn(peanut, "llama-3.2-1b", {}, { peft: "0.18.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
  });

  test("PEFT's refusals: an unknown act_fn, layers_pattern without layers_to_transform, a Conv1D target", () => {
    expect(errorOf(() => countOn(peanut, "llama-3.2-1b", { act_fn: "swiglu" })).code).toBe("OPTION_OUT_OF_RANGE");
    expect(errorOf(() => countOn(peanut, "llama-3.2-1b", { layers_pattern: "layers" })).code).toBe("CONFLICTING_OPTIONS");
    expect(errorOf(() => countOn(peanut, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
  });

  test("PEANuT's config allows layers_to_transform with a regex target_modules (no such check there)", () => {
    expect(countOn(peanut, "llama-3.2-1b", { r: 2, target_modules: ".*\\.k_proj", layers_to_transform: [0] }).trainable).toBe(16 * 2 * 2 * 512);
  });

  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(peanut, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { depth: -1 }, { depth: 1.5 }, { act_fn: null }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(peanut, "llama-3.2-1b", { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
