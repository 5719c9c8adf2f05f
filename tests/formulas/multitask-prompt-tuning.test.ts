/** Multitask prompt tuning: shared prompt + per-task rank-r update; oracle (peft 0.21.0 + transformers 5.18.0) and vectors. */
import { expect, test } from "vitest";
import { multitaskPromptTuning } from "../../formulas/peft/multitask-prompt-tuning.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { NEW, OLD, partCounts, preset, run } from "./prompt-helpers.js";

test("embedding + tasks × n × ranks + tasks × ranks × d (vector mtpt-10-llama-2-7b, both eras)", () => {
  for (const ctx of [OLD, NEW]) {
    const r = run(multitaskPromptTuning, preset("llama-2-7b"), { task_type: "CAUSAL_LM", num_virtual_tokens: 10, num_tasks: 3, num_ranks: 2 }, ctx);
    expect({ trainable: r.trainable, added: r.added, parts: partCounts(r.parts) }).toEqual({
      trainable: 65_596,
      added: 65_596,
      parts: { "prompt_encoder.embedding": 40_960, "prompt_encoder.prefix_task_cols": 60, "prompt_encoder.prefix_task_rows": 24_576 },
    });
  }
});

test("a classification head trains as a copy (vector m5-mtpt-10-t3-r2-bert-base-uncased)", () => {
  expect(run(multitaskPromptTuning, preset("bert-base-uncased", "SEQ_CLS"), { task_type: "SEQ_CLS", num_virtual_tokens: 10, num_tasks: 3, num_ranks: 2 }).trainable).toBe(13_886);
});

test("SEQ_2_SEQ_LM doubles the virtual tokens in the embedding and the task columns", () => {
  // oracle (--shim-seq2seq): t5-small, {"num_virtual_tokens": 10, "num_tasks": 2, "num_ranks": 3}: 20·512 + 2·20·3 + 2·3·512
  expect(run(multitaskPromptTuning, preset("t5-small", "SEQ_2_SEQ_LM", OLD), { task_type: "SEQ_2_SEQ_LM", num_virtual_tokens: 10, num_tasks: 2, num_ranks: 3 }, OLD)).toMatchObject({ trainable: 13_432, added: 13_432 });
});

test("source-task inits need the saved prompts (PEFT raises); the count does not change", () => {
  const inv = preset("gpt2");
  expect(() => evaluate(multitaskPromptTuning, inv, { num_virtual_tokens: 10, prompt_tuning_init: "EXACT_SOURCE_TASK" })).toThrow(InputError);
  const plain = run(multitaskPromptTuning, inv, { num_virtual_tokens: 10 }).trainable;
  expect(run(multitaskPromptTuning, inv, { num_virtual_tokens: 10, prompt_tuning_init: "AVERAGE_SOURCE_TASKS", prompt_tuning_init_state_dict_path: "source.safetensors" }).trainable).toBe(plain);
  expect(plain).toBe(10 * 768 + 10 + 768);
});

test.each([{}, { num_virtual_tokens: 10, num_tasks: 0 }, { num_virtual_tokens: 10, num_ranks: 1.5 }, { num_virtual_tokens: 10, prompt_tuning_init: "ZEROS" }])("bad options %j are an OptionsError", (raw) => {
  expect(() => evaluate(multitaskPromptTuning, preset("gpt2"), raw)).toThrow(OptionsError);
});
