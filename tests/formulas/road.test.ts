/**
 * RoAd on real models: oracle numbers (peft 0.21.0 + transformers 5.18.0) beyond the golden vectors
 * (m5-road-*: road_2 and road_4 on llama, qwen2, bert), the release window and PEFT's refusals.
 */
import { describe, expect, test } from "vitest";
import { road } from "../../formulas/peft/road.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

const LLAMA = "llama-3.2-1b"; // 16 layers; q_proj / o_proj → 2048, k_proj / v_proj → 512

test("golden vectors: none of peft 0.17.1 (no RoAd yet), 6 of peft 0.21.0", () => {
  expect(goldenVectors("ROAD")).toEqual([0, 6]);
});

describe("road: oracle numbers (peft 0.21.0 + transformers 5.18.0, llama-3.2-1b.json)", () => {
  test.each([
    // source: oracle, {"variant": "road_1"}: default q/v, θ and α of d_out / 2 each
    [{ variant: "road_1" }, 40_960, 1_235_855_360],
    // source: oracle, {"variant": "road_4", "group_size": 128, "target_modules": ["o_proj"], "modules_to_save": ["norm"]}: 16 · 2 · 4,096 + 33 norm copies
    [{ variant: "road_4", group_size: 128, target_modules: ["o_proj"], modules_to_save: ["norm"] }, 198_656, 1_236_013_056],
  ])("%j", (options, trainable, all) => {
    const r = countOn(road, LLAMA, options);
    expect([r.trainable, r.all]).toEqual([trainable, all]);
  });

  test("road_theta and road_alpha each d_out/2, d_out, 2·d_out", () => {
    for (const [variant, k] of [["road_1", 0.5], ["road_2", 1], ["road_4", 2]] as const)
      expect(countOn(road, LLAMA, { variant, target_modules: ["k_proj"] }).parts).toEqual({ "model.layers.*.self_attn.k_proj.road_theta": 16 * 512 * k, "model.layers.*.self_attn.k_proj.road_alpha": 16 * 512 * k });
  });

  test("added in peft 0.18; the same count from 0.18 on", () => {
    expect(errorOf(() => countOn(road, LLAMA, {}, { peft: "0.17.1" })).code).toBe("METHOD_NOT_IN_RELEASE");
    expect(countOn(road, LLAMA, { variant: "road_1" }, { peft: "0.18.0" }).trainable).toBe(40_960);
  });

  test("the config has no bias or layer keys: an adapter_config.json holding them counts as without (PEFT drops them)", () => {
    expect(countOn(road, LLAMA, { variant: "road_1", bias: "all", layers_to_transform: [0], exclude_modules: ["q_proj"] }).trainable).toBe(40_960);
  });
});

describe("road: what PEFT refuses", () => {
  test.each([
    // source: oracle, {"variant": "road_1", "group_size": 5}: must be divisible by 2 (RoadConfig.__post_init__)
    [{ group_size: 5 }, /positive even/],
    [{ group_size: 0 }, /positive even/],
    // source: oracle, {"variant": "road_1", "group_size": 6}: out_features must be divisible by group_size
    [{ group_size: 6 }, /out_features 2048 .* not a multiple of group_size 6/],
  ])("%j", (options, message) => {
    const e = errorOf(() => countOn(road, LLAMA, options));
    expect(e.code).toBe("OPTION_OUT_OF_RANGE");
    expect(e.message).toMatch(message);
  });

  test("a Conv1D target (source: oracle, gpt2.json, default c_attn: ValueError); targets matching nothing", () => {
    expect(errorOf(() => countOn(road, "gpt2", {})).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => countOn(road, LLAMA, { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ variant: "road_3" }, { group_size: 2.5 }, { init_weights: "yes" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(road, LLAMA, bad)).toThrow(OptionsError);
  });
});
