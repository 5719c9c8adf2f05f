/**
 * OSF: (m − k)·(d_out + d_in + 1) per wrapped nn.Linear, m = min(d_out, d_in), k = effective_rank (int,
 * fraction, default ⌊m/2⌋, rank_pattern by re.search). Oracle: peft 0.21.0 + transformers 5.18.0 (golden: m5-osf-*).
 */
import { describe, expect, test } from "vitest";
import { osf, resolveOsfRank } from "../../formulas/peft/osf.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: none of peft 0.17.1 (OSF arrived in 0.18), 4 of peft 0.21.0", () => {
  expect(goldenVectors("OSF")).toEqual([0, 4]);
});

describe("osf: oracle numbers", () => {
  test("a fraction of m and a rank_pattern found anywhere in the name (source: oracle, qwen2.5-0.5b.json, {effective_rank: 0.25, target_modules: [q_proj, down_proj], rank_pattern: {\"layers\\\\.1\\\\.\": 3}})", () => {
    const r = countOn(osf, "qwen2.5-0.5b", { effective_rank: 0.25, target_modules: ["q_proj", "down_proj"], rank_pattern: { "layers\\.1\\.": 3 } });
    expect([r.trainable, r.all]).toEqual([123_500_346, 617_533_114]);
    // layer 1 keeps 3 of 896 directions, the others 224
    expect(r.parts["model.layers.*.self_attn.q_proj.osf_svd_params.S_low"]).toBe(23 * 672 + 893);
  });

  test("GPT-2's default targets are Conv1D, which PEFT leaves untouched: 0 trainable, with our warning (source: oracle, gpt2.json, {})", () => {
    const r = countOn(osf, "gpt2", {});
    expect([r.trainable, r.all]).toEqual([0, 124_439_808]);
    expect(r.warnings.join(" ")).toMatch(/nn\.Linear only/);
  });

  test("no default for the model_type: every Linear (golden m5-osf-default-bert-base-uncased: 64,320,386)", () => {
    expect(countOn(osf, "bert-base-uncased", { task_type: "SEQ_CLS" }, { task: "SEQ_CLS" }).trainable).toBe(64_320_386);
  });

  test("effective_rank 1 is an absolute rank, with a warning that a written 1.0 is a fraction in PEFT (oracle: 1.0 trains 0)", () => {
    const r = countOn(osf, "qwen2.5-0.5b", { effective_rank: 1, target_modules: ["q_proj"] });
    expect(r.trainable).toBe(24 * 895 * (896 + 896 + 1));
    expect(r.warnings.join(" ")).toMatch(/1\.0/);
  });
});

describe("osf: rank resolution", () => {
  test.each([
    [null, 10, 5],
    [0.5, 10, 5],
    [0.99, 10, 9],
    [1.5, 10, 1],
    [4, 10, 4],
    [40, 10, 10],
    [-3, 10, 0],
  ] as const)("effective_rank %j of m = %d → %d", (value, m, k) => {
    expect(resolveOsfRank(value, m)).toBe(k);
  });
});

describe("osf: what PEFT refuses", () => {
  test("an effective rank of 0 (update_layer ValueError)", () => {
    expect(errorOf(() => countOn(osf, "qwen2.5-0.5b", { effective_rank: 0, target_modules: ["q_proj"] })).code).toBe("OPTION_OUT_OF_RANGE");
  });
  test("not in peft 0.17.1", () => {
    expect(errorOf(() => countOn(osf, "qwen2.5-0.5b", {}, { peft: "0.17.1" })).code).toBe("METHOD_NOT_IN_RELEASE");
  });
  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(osf, "qwen2.5-0.5b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });
  test.each([{ effective_rank: "half" }, { rank_pattern: { q_proj: "x" } }, { target_modules: 3 }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(osf, "qwen2.5-0.5b", bad)).toThrow(OptionsError);
  });
});
