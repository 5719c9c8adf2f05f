/**
 * DEFT / PaRa: deft_P (d_out × r') and, unless para, deft_R (r' × d_in), r' = min(r, d_out). Oracle: peft
 * 0.21.0 + transformers 5.18.0 (golden: m5-deft-*).
 */
import { describe, expect, test } from "vitest";
import { deft } from "../../formulas/peft/deft.js";
import { OptionsError } from "../../formulas/types.js";
import { errorOf } from "../model/helpers.js";
import { countOn, goldenVectors } from "./orthogonal-helpers.js";

test("golden vectors: none of peft 0.17.1 (DEFT arrived in 0.20), 4 of peft 0.21.0", () => {
  expect(goldenVectors("DEFT")).toEqual([0, 4]);
});

describe("deft", () => {
  test("Conv1D with bias deft_only (source: oracle, gpt2.json, {r: 4, target_modules: [c_attn], bias: deft_only})", () => {
    const r = countOn(deft, "gpt2", { r: 4, target_modules: ["c_attn"], bias: "deft_only" });
    expect([r.trainable, r.all]).toEqual([175_104, 124_587_264]);
    expect(r.parts).toEqual({ "transformer.h.*.attn.c_attn.deft_P": 110_592, "transformer.h.*.attn.c_attn.deft_R": 36_864, "transformer.h.*.attn.c_attn.bias": 27_648 });
  });

  test("para drops R; r is capped at d_out (a 2-label classifier head targeted with r = 8 gets r' = 2)", () => {
    expect(countOn(deft, "llama-3.2-1b", { r: 16, para: true, target_modules: ["k_proj"] }).trainable).toBe(16 * 512 * 16);
    const head = countOn(deft, "bert-base-uncased", { r: 8, target_modules: ["classifier"] }, { task: "SEQ_CLS" });
    expect(head.parts).toEqual({ "classifier.deft_P": 2 * 2, "classifier.deft_R": 2 * 768 });
  });

  test("not in peft 0.19; layer-key refusals", () => {
    expect(errorOf(() => countOn(deft, "llama-3.2-1b", {}, { peft: "0.19.0" })).code).toBe("METHOD_NOT_IN_RELEASE");
    expect(errorOf(() => countOn(deft, "llama-3.2-1b", { target_modules: ".*q_proj", layers_pattern: ["layers"] })).code).toBe("CONFLICTING_OPTIONS");
  });

  test("targets matching nothing", () => {
    expect(errorOf(() => countOn(deft, "llama-3.2-1b", { target_modules: ["nope"] })).code).toBe("UNKNOWN_TARGET_MODULE");
  });

  test.each([{ r: 0 }, { decomposition_method: "svd" }, { bias: "lora_only" }, { para: 1 }])("bad option %j is an OptionsError", (bad) => {
    expect(() => countOn(deft, "llama-3.2-1b", { target_modules: ["q_proj"], ...bad })).toThrow(OptionsError);
  });
});
