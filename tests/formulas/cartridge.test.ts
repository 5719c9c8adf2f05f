/** Cartridges: the KV prefix as parameters, first tokens frozen; oracle (peft 0.21.0 + transformers 5.18.0) and vectors. */
import { expect, test } from "vitest";
import { cartridge } from "../../formulas/peft/cartridge.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { at, partCounts, preset, run } from "./prompt-helpers.js";

test("(n − frozen)·L·2·d_kv trains, the frozen rows are in allParams (vector m5-cartridge-20-llama-3.2-1b)", () => {
  const r = run(cartridge, preset("llama-3.2-1b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 20 });
  expect({ trainable: r.trainable, added: r.added, parts: partCounts(r.parts) }).toEqual({ trainable: 311_296, added: 327_680, parts: { "prompt_encoder.trainable_embedding": 311_296 } });
});

test("num_frozen_tokens 0 and all tokens frozen", () => {
  // oracle: llama-3.2-1b, {"num_virtual_tokens": 10, "num_frozen_tokens": 0}
  expect(run(cartridge, preset("llama-3.2-1b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 10, num_frozen_tokens: 0 })).toMatchObject({ trainable: 163_840, added: 163_840 });
  // oracle: mistral-7b-v0.1 SEQ_CLS, {"num_virtual_tokens": 8, "num_frozen_tokens": 8}: only the score copy trains
  expect(run(cartridge, preset("mistral-7b-v0.1", "SEQ_CLS"), { task_type: "SEQ_CLS", num_virtual_tokens: 8, num_frozen_tokens: 8 })).toMatchObject({ trainable: 8_192, added: 532_480 });
});

test("encoder-decoder: not doubled (oracle --shim-seq2seq: t5-small, 10·6·2·512)", () => {
  expect(run(cartridge, preset("t5-small", "SEQ_2_SEQ_LM"), { task_type: "SEQ_2_SEQ_LM", num_virtual_tokens: 10, num_frozen_tokens: 0 })).toMatchObject({ trainable: 61_440, added: 61_440 });
});

test("more frozen than virtual tokens is refused, as is a release without cartridges", () => {
  expect(() => evaluate(cartridge, preset("gpt2"), { num_virtual_tokens: 2, num_frozen_tokens: 3 })).toThrow(InputError);
  expect(() => evaluate(cartridge, preset("gpt2"), { num_virtual_tokens: 20 }, at("0.18.0"))).toThrow(/added in 0.19.0/);
  expect(run(cartridge, preset("gpt2"), { num_virtual_tokens: 20 }, at("0.19.0")).trainable).toBe(19 * 12 * 2 * 768);
});

test.each([{}, { num_virtual_tokens: 20, num_frozen_tokens: -1 }, { num_virtual_tokens: 0 }])("bad options %j are an OptionsError", (raw) => {
  expect(() => evaluate(cartridge, preset("gpt2"), raw)).toThrow(OptionsError);
});
