/** Prompt tuning: golden cases from the oracle (peft 0.21.0 + transformers 5.18.0) and the vectors, refusals, options. */
import { describe, expect, test } from "vitest";
import { promptTuning } from "../../formulas/peft/prompt-tuning.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { totalParams } from "../../src/model/types.js";
import { at, NEW, OLD, partCounts, preset, run } from "./prompt-helpers.js";

describe("prompt tuning counts", () => {
  test("one Embedding(num_virtual_tokens, hidden_size), tagged as a prompt part", () => {
    // vector m5-prompt-20-llama-3.2-1b: 20 × 2048
    const r = run(promptTuning, preset("llama-3.2-1b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 20 });
    expect(r).toMatchObject({ trainable: 40_960, added: 40_960, warnings: [] });
    expect(r.parts).toEqual([{ name: "prompt_encoder.embedding", modules: 1, count: 40_960, kind: "prompt" }]);
  });

  test("SEQ_2_SEQ_LM doubles the prompt (encoder and decoder), in both eras", () => {
    // vector prompt-20-t5-base / r5-prompt-20-t5-base: 2 × 20 × 768
    for (const ctx of [OLD, NEW]) expect(run(promptTuning, preset("t5-base", "SEQ_2_SEQ_LM", ctx), { task_type: "SEQ_2_SEQ_LM", num_virtual_tokens: 20 }, ctx)).toMatchObject({ trainable: 30_720, added: 30_720 });
  });

  test("num_transformer_submodules and modules_to_save as given", () => {
    // oracle: peft 0.21.0 + transformers 5.18.0, llama-3.2-1b, {"num_virtual_tokens": 10, "modules_to_save": ["norm"], "num_transformer_submodules": 2}
    // 20 × 2048 + every *norm (endswith): 16 × 2 × 2048 + 2048
    const r = run(promptTuning, preset("llama-3.2-1b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 10, modules_to_save: ["norm"], num_transformer_submodules: 2 });
    expect(r).toMatchObject({ trainable: 108_544, added: 108_544 });
  });

  test("a task model's head trains as a copy; token_dim as given", () => {
    // oracle: peft 0.21.0 + transformers 5.18.0, qwen2.5-0.5b TOKEN_CLS, {"num_virtual_tokens": 16, "token_dim": 128}
    const inv = preset("qwen2.5-0.5b", "TOKEN_CLS");
    const r = run(promptTuning, inv, { task_type: "TOKEN_CLS", num_virtual_tokens: 16, token_dim: 128 });
    expect({ base: totalParams(inv.modules), ...r, parts: partCounts(r.parts) }).toEqual({
      base: 494_034_562,
      trainable: 3_842,
      added: 3_842,
      parts: { "prompt_encoder.embedding": 2_048, "score (modules_to_save copy)": 1_794 },
      warnings: [],
    });
  });

  test("without task_type a classification head stays frozen, with PEFT's warning", () => {
    const r = run(promptTuning, preset("bert-base-uncased", "SEQ_CLS"), { num_virtual_tokens: 20 });
    expect(r.trainable).toBe(15_360);
    expect(r.warnings).toEqual([expect.stringContaining("task_type is not set")]);
  });
});

describe("prompt tuning refusals", () => {
  test("DistilBERT's config dict has no hidden_size key: PEFT asks for token_dim, then num_attention_heads", () => {
    // oracle: ValueError "Please specify `token_dim` in `peft_config`"; with token_dim only: "... `num_attention_heads` ..."
    const inv = preset("distilbert-base-uncased", "SEQ_CLS");
    expect(() => evaluate(promptTuning, inv, { task_type: "SEQ_CLS", num_virtual_tokens: 20 })).toThrow(/token_dim/);
    expect(() => evaluate(promptTuning, inv, { task_type: "SEQ_CLS", num_virtual_tokens: 20, token_dim: 768 })).toThrow(/num_attention_heads/);
    // peft 0.17 read the dict for the layer count too (n_layers is not among its keys)
    expect(() => evaluate(promptTuning, inv, { task_type: "SEQ_CLS", num_virtual_tokens: 20, token_dim: 768, num_attention_heads: 12 }, at("0.18.0"))).toThrow(/num_layers/);
    // oracle: {"num_virtual_tokens": 20, "token_dim": 768, "num_attention_heads": 12} → 607,490 (pre_classifier and classifier copied)
    expect(run(promptTuning, inv, { task_type: "SEQ_CLS", num_virtual_tokens: 20, token_dim: 768, num_attention_heads: 12 })).toMatchObject({ trainable: 607_490, added: 607_490 });
  });

  test("TEXT init needs a tokenizer and a text; tokenizer_kwargs only with TEXT", () => {
    const inv = preset("gpt2");
    expect(() => evaluate(promptTuning, inv, { num_virtual_tokens: 8, prompt_tuning_init: "TEXT", prompt_tuning_init_text: "Classify:" })).toThrow(/tokenizer_name_or_path/);
    expect(() => evaluate(promptTuning, inv, { num_virtual_tokens: 8, prompt_tuning_init: "TEXT", tokenizer_name_or_path: "gpt2" })).toThrow(/prompt_tuning_init_text/);
    expect(() => evaluate(promptTuning, inv, { num_virtual_tokens: 8, tokenizer_kwargs: { use_fast: true } })).toThrow(InputError);
    expect(run(promptTuning, inv, { num_virtual_tokens: 8, prompt_tuning_init: "TEXT", prompt_tuning_init_text: "Classify:", tokenizer_name_or_path: "gpt2" }).trainable).toBe(8 * 768);
  });

  test.each([{}, { num_virtual_tokens: 0 }, { num_virtual_tokens: 2.5 }, { num_virtual_tokens: 8, prompt_tuning_init: "ZEROS" }, { num_virtual_tokens: 8, token_dim: -1 }, { num_virtual_tokens: 8, task_type: "CLS" }])(
    "bad options %j are an OptionsError",
    (raw) => {
      expect(() => evaluate(promptTuning, preset("gpt2"), raw)).toThrow(OptionsError);
    },
  );
});
