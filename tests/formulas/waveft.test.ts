/**
 * WaveFT: n_frequency coefficients per wrapped module, proportional allocation (Python round, ≥ 1 from peft
 * 0.20), n_frequency_pattern, PEFT's refusals. Oracle: peft 0.21.0 + transformers 5.18.0 (golden: m5-waveft-*).
 */
import { describe, expect, test } from "vitest";
import { waveft } from "../../formulas/peft/waveft.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";
import { coefficientsFor, proportionalCoefficients, roundHalfEven } from "../../src/peft/spectral-coefficients.js";
import type { ParamModule } from "../../src/model/types.js";
import { DEFAULT_VERSIONS, parseVersion } from "../../src/versions.js";

const at = (peft: string) => ({ ...DEFAULT_VERSIONS, peft: parseVersion(peft, "peft") });

test("golden vectors: none of peft 0.17.1 (WaveFT arrived in 0.18), 4 of peft 0.21.0", () => {
  expect(goldenVectors("WAVEFT")).toEqual([0, 4]);
});

describe("waveft: oracle numbers", () => {
  test("proportional_parameters on GPT-2's Conv1D layers (source: oracle, gpt2.json, {n_frequency: 500, proportional_parameters: true, target_modules: [c_attn, c_proj]})", () => {
    const r = countOn(waveft, "gpt2", { n_frequency: 500, proportional_parameters: true, target_modules: ["c_attn", "c_proj"] });
    expect([r.trainable, r.all]).toEqual([18_000, 124_457_808]);
    expect(r.parts).toEqual({ "transformer.h.*.attn.c_attn.waveft_spectrum": 12 * 562, "transformer.h.*.attn.c_proj.waveft_spectrum": 12 * 188, "transformer.h.*.mlp.c_proj.waveft_spectrum": 12 * 750 });
  });

  test("n_frequency_pattern keys match the end of the name (get_pattern_key); the wavelet family changes nothing", () => {
    const r = countOn(waveft, "llama-3.2-1b", { n_frequency: 100, target_modules: ["q_proj", "v_proj"], n_frequency_pattern: { "layers.0.self_attn.q_proj": 7, v_proj: 9 }, wavelet_family: "sym7" });
    expect(r.parts).toEqual({ "model.layers.*.self_attn.q_proj.waveft_spectrum": 7 + 15 * 100, "model.layers.*.self_attn.v_proj.waveft_spectrum": 16 * 9 });
  });
});

describe("waveft: proportional shares", () => {
  const lin = (name: string, i: number, o: number) => ({ name, kind: "linear", className: "Linear", inFeatures: i, outFeatures: o, params: [] }) as ParamModule;
  test("Python's round: halves to even", () => {
    expect([0.5, 1.5, 2.5, 2.4999, 2.5001, 3].map(roundHalfEven)).toEqual([0, 2, 2, 2, 3, 3]);
  });
  test("a tiny layer gets 1 coefficient from peft 0.20 (#3438), 0 before, which PEFT then refuses", () => {
    const wrapped = [lin("a", 1, 1), lin("b", 1000, 1000)];
    expect([...proportionalCoefficients(wrapped, 2, at("0.21.0")).values()]).toEqual([1, 4]);
    expect([...proportionalCoefficients(wrapped, 2, at("0.19.0")).values()]).toEqual([0, 4]);
    expect(errorOf(() => coefficientsFor("waveft", wrapped[0]!, 0)).code).toBe("OPTION_OUT_OF_RANGE");
  });
});

describe("waveft: what PEFT refuses", () => {
  test("not in peft 0.17.1", () => {
    expect(errorOf(() => countOn(waveft, "llama-3.2-1b", { target_modules: ["q_proj"] }, { peft: "0.17.1" })).code).toBe("METHOD_NOT_IN_RELEASE");
  });
  test("n_frequency above d_in·d_out", () => {
    expect(errorOf(() => countOn(waveft, "llama-3.2-1b", { n_frequency: 2048 * 512 + 1, target_modules: ["k_proj"] })).code).toBe("OPTION_OUT_OF_RANGE");
  });
  test("layers_to_transform with a regex target_modules", () => {
    expect(errorOf(() => countOn(waveft, "llama-3.2-1b", { target_modules: ".*q_proj", layers_to_transform: [1] })).code).toBe("CONFLICTING_OPTIONS");
  });
  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(waveft, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });
  test.each([{ n_frequency: 0 }, { wavelet_family: "haar" }, { wavelet_family: "db39" }, { proportional_parameters: "yes" }, { bias: "fourier_only" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(waveft, "llama-3.2-1b", { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
