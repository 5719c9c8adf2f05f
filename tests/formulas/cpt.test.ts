/** CPT: embedding + delta_embedding per context token; peft 0.18 froze the embedding. Oracle (peft 0.21.0 + transformers 5.18.0) and vectors. */
import { expect, test } from "vitest";
import { cpt } from "../../formulas/peft/cpt.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { at, NEW, OLD, partCounts, preset, run } from "./prompt-helpers.js";

const ten = { task_type: "CAUSAL_LM", num_transformer_submodules: 1, cpt_token_ids: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], cpt_mask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], cpt_tokens_type_mask: [1, 2, 2, 2, 3, 3, 3, 4, 4, 4] };

test("peft 0.17 trains both tensors; from 0.18 only delta_embedding (vectors cpt-10-opt-125m / r5-cpt-10-opt-125m)", () => {
  expect(run(cpt, preset("opt-125m", "CAUSAL_LM", OLD), ten, OLD)).toMatchObject({ trainable: 15_360, added: 15_360 });
  expect(run(cpt, preset("opt-125m"), ten, at("0.18.0"))).toMatchObject({ trainable: 7_680, added: 15_360 });
  const r = run(cpt, preset("opt-125m"), ten, NEW);
  expect({ trainable: r.trainable, added: r.added, parts: partCounts(r.parts) }).toEqual({ trainable: 7_680, added: 15_360, parts: { "prompt_encoder.delta_embedding": 7_680 } });
});

test("the prompt length is len(cpt_token_ids), whatever num_virtual_tokens and token_dim say", () => {
  // oracle: llama-3.2-1b, {"cpt_token_ids": [1, 2, 3]} → trainable 3·2048, added 2·3·2048
  expect(run(cpt, preset("llama-3.2-1b"), { task_type: "CAUSAL_LM", cpt_token_ids: [1, 2, 3], num_virtual_tokens: 50, token_dim: 8 })).toMatchObject({ trainable: 6_144, added: 12_288 });
  // no ids: PEFT uses [0]
  expect(run(cpt, preset("llama-3.2-1b"), { task_type: "CAUSAL_LM" }).trainable).toBe(2_048);
});

test("task_type other than CAUSAL_LM: refused from peft 0.18, switched to CAUSAL_LM (with a warning) by 0.17", () => {
  // oracle: ValueError "CPTConfig only supports task_type = CAUSAL_LM."
  expect(() => evaluate(cpt, preset("llama-3.2-1b", "SEQ_CLS"), { task_type: "SEQ_CLS", cpt_token_ids: [1, 2, 3] })).toThrow(/only supports task_type = CAUSAL_LM/);
  expect(() => evaluate(cpt, preset("llama-3.2-1b"), { cpt_token_ids: [1, 2, 3] })).toThrow(InputError);
  const old = run(cpt, preset("llama-3.2-1b", "SEQ_CLS", OLD), { task_type: "SEQ_CLS", cpt_token_ids: [1, 2, 3] }, OLD);
  expect(old).toMatchObject({ trainable: 12_288, added: 12_288 }); // no head copy: PEFT's causal-LM model
  expect(old.warnings).toEqual([expect.stringContaining("only supports task_type = CAUSAL_LM")]);
});

test("the masks must match cpt_token_ids in length (PEFT raises)", () => {
  expect(() => evaluate(cpt, preset("gpt2"), { task_type: "CAUSAL_LM", cpt_token_ids: [1, 2, 3], cpt_mask: [1, 1] })).toThrow(/same length/);
});

test.each([{ cpt_token_ids: [-1] }, { cpt_token_ids: "1,2" }, { opt_weighted_loss_type: "linear" }])("bad options %j are an OptionsError", (raw) => {
  expect(() => evaluate(cpt, preset("gpt2"), { task_type: "CAUSAL_LM", ...raw })).toThrow(OptionsError);
});
