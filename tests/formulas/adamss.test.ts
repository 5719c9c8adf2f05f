/**
 * AdaMSS: K·R + d_out per wrapped nn.Linear with subspace_rank 1 (exact); with subspace_rank > 1 the count
 * depends on the k-means cluster sizes (and, with use_dynamic_rank, singular values): the maximum, with a
 * caveat on the row. Golden: m5-adamss-* (peft 0.21.0 + transformers 5.18.0). The oracle builds models on the
 * meta device, where AdaMSS's SVD cannot run, so the subspace_rank > 1 numbers below come from peft 0.21.0 +
 * transformers 5.18.0 on a randomly initialised bert-base-uncased (torch.manual_seed(0), SEQ_CLS).
 */
import { describe, expect, test } from "vitest";
import { adamss } from "../../formulas/peft/adamss.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: none of peft 0.17.1 (AdaMSS arrived in 0.19), 4 of peft 0.21.0", () => {
  expect(goldenVectors("ADAMSS")).toEqual([0, 4]);
});

const bert = (options: Record<string, unknown>) => countOn(adamss, "bert-base-uncased", { task_type: "SEQ_CLS", ...options }, { task: "SEQ_CLS" });

describe("adamss: exact counts", () => {
  test("subspace_rank 1: K·R + d_out, R = min(r, d_out, d_in + 1 for the bias column) — no caveat", () => {
    const r = bert({ r: 16, num_subspaces: 3 });
    // golden m5-adamss-r16-k3-bert-base-uncased: 21,122
    expect(r.trainable).toBe(21_122);
    expect(r.parts["bert.encoder.layer.*.attention.self.query.adamss_A"]).toBe(12 * 3 * 16);
    expect(r.warnings).toEqual([]);
  });

  test("R is capped by the layer: r = 1000 on a 768 × 768 (+ bias) layer gives R = 768", () => {
    expect(bert({ r: 1000, num_subspaces: 2 }).parts["bert.encoder.layer.*.attention.self.query.adamss_A"]).toBe(12 * 2 * 768);
  });

  test("one subspace: rank min(d_out, subspace_rank), exact (real weights: r 8, K 1, subspace_rank 4 → 76,034)", () => {
    const r = bert({ r: 8, num_subspaces: 1, subspace_rank: 4 });
    expect(r.trainable).toBe(76_034);
    expect(r.warnings).toEqual([]);
  });
});

describe("adamss: data-dependent counts carry a caveat", () => {
  test("subspace_rank > 1: the maximum, which real weights reach (r 16, K 4, subspace_rank 3 → 61,442)", () => {
    const r = bert({ r: 16, num_subspaces: 4, subspace_rank: 3 });
    expect(r.trainable).toBe(61_442);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^caveat: .*cluster sizes.*the most/);
  });

  test("use_dynamic_rank: the maximum and, in the caveat, the minimum (rank 1 everywhere)", () => {
    const r = bert({ r: 16, num_subspaces: 4, subspace_rank: 3, use_dynamic_rank: true });
    expect(r.trainable).toBe(61_442);
    const least = bert({ r: 16, num_subspaces: 4, subspace_rank: 1 }).trainable;
    expect(least).toBe(21_506);
    expect(r.warnings[0]).toContain("at the least (rank 1 everywhere) it is 21,506");
  });

  test("use_dynamic_rank with subspace_rank 1 is exact", () => {
    expect(bert({ subspace_rank: 1, use_dynamic_rank: true }).warnings).toEqual([]);
  });

  test("use_asa: counted as created, with a caveat about pruning during training", () => {
    const r = bert({ use_asa: true });
    expect(r.trainable).toBe(bert({}).trainable);
    expect(r.warnings.join(" ")).toMatch(/use_asa/);
  });
});

describe("adamss: what PEFT refuses", () => {
  test.each([{ mask_interval: 0 }, { init_warmup: 1000, final_warmup: 1000 }, { asa_target_subspaces: 0 }, { asa_schedule_exponent: 0 }])("ASA schedule %j with use_asa, from peft 0.20", (bad) => {
    expect(errorOf(() => bert({ use_asa: true, ...bad })).code).toBe("OPTION_OUT_OF_RANGE");
    expect(bert(bad).trainable).toBe(bert({}).trainable);
    // peft 0.19 did not check the schedule yet (#3438 arrived in 0.20)
    expect(countOn(adamss, "bert-base-uncased", { use_asa: true, ...bad }, { task: "SEQ_CLS", peft: "0.19.0" }).trainable).toBe(countOn(adamss, "bert-base-uncased", {}, { task: "SEQ_CLS" }).trainable);
  });

  test("not in peft 0.18; Conv1D targets; targets matching nothing", () => {
    expect(errorOf(() => countOn(adamss, "llama-3.2-1b", {}, { peft: "0.18.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
    expect(errorOf(() => countOn(adamss, "gpt2", { target_modules: ["c_attn"] })).code).toBe("UNSUPPORTED_TARGET");
    expect(errorOf(() => countOn(adamss, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { num_subspaces: 0 }, { subspace_rank: 1.5 }, { init_weights: true }, { init_weights: "kaiming" }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(adamss, "llama-3.2-1b", bad)).toThrow(OptionsError);
  });
});
