/** P-tuning: MLP and LSTM prompt encoders; oracle (peft 0.21.0 + transformers 5.18.0) and vectors. */
import { describe, expect, test } from "vitest";
import { pTuning } from "../../formulas/peft/p-tuning.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { NEW, OLD, partCounts, preset, run } from "./prompt-helpers.js";

describe("P-tuning counts", () => {
  test("MLP: Embedding + Linear(d→h) + Linear(h→h) + Linear(h→d) (vector ptuning-mlp-20-gpt2)", () => {
    const r = run(pTuning, preset("gpt2"), { task_type: "CAUSAL_LM", num_virtual_tokens: 20, encoder_hidden_size: 128 });
    expect({ trainable: r.trainable, added: r.added, parts: partCounts(r.parts) }).toEqual({
      trainable: 229_376,
      added: 229_376,
      parts: { "prompt_encoder.embedding": 15_360, "prompt_encoder.mlp_head.0": 98_432, "prompt_encoder.mlp_head.2": 16_512, "prompt_encoder.mlp_head.4": 99_072 },
    });
  });

  test("encoder_hidden_size defaults to token_dim (vector m5-ptuning-20-llama-3.2-1b)", () => {
    expect(run(pTuning, preset("llama-3.2-1b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 20 }).trainable).toBe(12_630_016);
  });

  test("the MLP ignores encoder_num_layers, with PEFT's warning (vector ptuning-mlp-1layer-llama-2-7b)", () => {
    const two = run(pTuning, preset("llama-2-7b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 20, encoder_hidden_size: 128 });
    const one = run(pTuning, preset("llama-2-7b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 20, encoder_hidden_size: 128, encoder_num_layers: 1 });
    expect([two.trainable, one.trainable]).toEqual([1_151_232, 1_151_232]);
    expect(two.warnings).toEqual([]);
    expect(one.warnings).toEqual([expect.stringContaining("encoder_num_layers=1 is ignored")]);
  });

  test("LSTM: bidirectional, layer 0 from d, later layers from 2h, then MLP(2h→2h→d)", () => {
    // vector ptuning-lstm-20-gpt2 (2 layers, h = 128)
    expect(run(pTuning, preset("gpt2"), { task_type: "CAUSAL_LM", num_virtual_tokens: 20, encoder_reparameterization_type: "LSTM", encoder_hidden_size: 128 }).trainable).toBe(1_593_344);
    // oracle: gpt2, {"num_virtual_tokens": 10, "encoder_reparameterization_type": "LSTM", "encoder_hidden_size": 64, "encoder_num_layers": 3}
    const r = run(pTuning, preset("gpt2"), { task_type: "CAUSAL_LM", num_virtual_tokens: 10, encoder_reparameterization_type: "LSTM", encoder_hidden_size: 64, encoder_num_layers: 3 });
    expect(r).toMatchObject({ trainable: 748_928, added: 748_928, warnings: [] });
  });

  test("SEQ_2_SEQ_LM doubles the virtual tokens, not the encoder (vector ptuning-lstm-20-t5-base)", () => {
    for (const ctx of [OLD, NEW])
      expect(run(pTuning, preset("t5-base", "SEQ_2_SEQ_LM", ctx), { task_type: "SEQ_2_SEQ_LM", num_virtual_tokens: 20, encoder_reparameterization_type: "LSTM", encoder_hidden_size: 128 }, ctx)).toMatchObject({
        trainable: 1_608_704,
        added: 1_608_704,
      });
  });

  test("QUESTION_ANS trains a copy of qa_outputs (oracle: bert-base-uncased QA, h = 64)", () => {
    expect(run(pTuning, preset("bert-base-uncased", "QUESTION_ANS"), { task_type: "QUESTION_ANS", num_virtual_tokens: 20, encoder_hidden_size: 64 })).toMatchObject({ trainable: 120_194, added: 120_194 });
  });
});

test.each([{}, { num_virtual_tokens: 20, encoder_reparameterization_type: "GRU" }, { num_virtual_tokens: 20, encoder_num_layers: 0 }, { num_virtual_tokens: 20, encoder_dropout: 2 }])("bad options %j are an OptionsError", (raw) => {
  expect(() => evaluate(pTuning, preset("gpt2"), raw)).toThrow(OptionsError);
});
