/**
 * FRoD beyond the golden vectors (m5-frod-*): categories, sparse_rate at its ends, Conv1D.
 * Numbers: oracle, peft 0.21.0 + transformers 5.18.0, run with --materialize (FRoD decomposes real weights).
 */
import { expect, test } from "vitest";
import { frod, frodCategory, frodNnz } from "../../formulas/peft/frod.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";
import { countOn, inventoryOf, type ModelId } from "./shared-tensor-helpers.js";

test.each([
  // source: oracle --materialize, gpt2.json with n_layer 2, vocab_size 1000, {"target_modules": "all-linear", "sparse_rate": 0.02}
  ["gpt2-small", { target_modules: "all-linear", sparse_rate: 0.02 }, 459_014, 16_190_726],
  // source: oracle --materialize, llama-3.2-1b.json narrowed (tests/formulas/shared-tensor-helpers.ts), all-linear, sparse_rate 0
  ["llama-small", { target_modules: "all-linear", sparse_rate: 0 }, 4_096, 1_441_024],
  // source: same, sparse_rate 1: every off-diagonal entry, d_in·(d_in − 1)
  ["llama-small", { target_modules: "all-linear", sparse_rate: 1 }, 1_310_720, 2_747_648],
  // source: oracle --materialize, bert-base-uncased.json with 2 layers, vocab 1000, SEQ_CLS, all-linear, sparse_rate 0.001,
  // no task_type: the classifier is a target too
  ["bert-small", { target_modules: "all-linear", sparse_rate: 0.001 }, 41_302, 15_973_464],
] as const)("%s %j", (model, options, trainable, all) => {
  const r = countOn(frod, model as ModelId, options);
  expect([r.trainable, r.all]).toEqual([trainable, all]);
  expect(r.all - r.base).toBe(r.trainable);
});

test("categories as PEFT names them", () => {
  expect(
    ["model.layers.0.self_attn.q_proj", "bert.encoder.layer.3.attention.output.dense", "bert.encoder.layer.3.output.dense", "classifier", "model.layers.1.mlp.experts.7.down_proj", "transformer.h.0.attn.c_proj"].map(frodCategory),
  ).toEqual(["self_attn_q_proj", "attention_output", "output_dense", "classifier", "down_proj", "attn_c_proj"]);
});

test("nnz: ⌊d_in²·rate⌋ (Python's int of a float), capped at the off-diagonal count, at least 1 when rate > 0", () => {
  expect([frodNnz(768, 0.01), frodNnz(3072, 0.02), frodNnz(256, 1), frodNnz(256, 0), frodNnz(10, 0.001), frodNnz(1, 0.5)]).toEqual([5_898, 188_743, 65_280, 0, 1, 0]);
});

test("layers of one category with different input sizes are refused (PEFT cannot stack them)", () => {
  // no built model has such a pair; a layer narrowed by hand stands in for one (e.g. per-layer FFN widths)
  const inv = inventoryOf("bert-small");
  const narrowed = { ...inv, modules: inv.modules.map((m) => (m.name === "bert.encoder.layer.1.attention.self.query" ? { ...m, inFeatures: 384 } : m)) };
  const e = errorOf(() => evaluate(frod, narrowed, { target_modules: ["query"] }));
  expect(e).toBeInstanceOf(InputError);
  expect(e.message).toMatch(/share the category "self_query" but not their input size/);
  expect(errorOf(() => countOn(frod, "llama-3.2-1b", { target_modules: ["embed_tokens"] }))).toBeInstanceOf(InputError);
});

test("peft releases before 0.20 have no FRoD; bad options", () => {
  const old = { peft: parseVersion("0.19.0", "peft"), transformers: parseVersion("4.43.3", "transformers") };
  expect(errorOf(() => countOn(frod, "llama-3.2-1b", {}, { ctx: old })).message).toMatch(/added in 0\.20\.0/);
  for (const bad of [{ sparse_rate: 1.5 }, { sparse_rate: -0.1 }, { bias: "lora_only" }]) expect(() => countOn(frod, "llama-3.2-1b", bad)).toThrow(OptionsError);
});
