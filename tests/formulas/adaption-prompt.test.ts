/** LLaMA-Adapter: adapter_layers·(adapter_len·hidden + 1); oracle (peft 0.21.0 + transformers 5.18.0) and vectors. */
import { expect, test } from "vitest";
import { adaptionPrompt } from "../../formulas/peft/adaption-prompt.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { NEW, OLD, partCounts, preset, run } from "./prompt-helpers.js";

test("a prompt and a gate per adapted layer, hidden_size wide even with GQA (vector adaption-10x32-mistral, both eras)", () => {
  for (const ctx of [OLD, NEW]) {
    const r = run(adaptionPrompt, preset("mistral-7b-v0.1"), { task_type: "CAUSAL_LM", adapter_len: 10, adapter_layers: 32 }, ctx);
    expect({ trainable: r.trainable, added: r.added, parts: partCounts(r.parts) }).toEqual({
      trainable: 1_310_752,
      added: 1_310_752,
      parts: { "model.layers.*.self_attn.adaption_prompt": 1_310_720, "model.layers.*.self_attn.adaption_gate": 32 },
    });
  }
});

test("GPT-2's attn modules (oracle: gpt2, adapter_len 10, adapter_layers 12)", () => {
  expect(run(adaptionPrompt, preset("gpt2"), { adapter_len: 10, adapter_layers: 12 })).toMatchObject({ trainable: 92_172, added: 92_172 });
});

test("the head stays frozen: the config has no modules_to_save (oracle: llama-3.2-1b SEQ_CLS, 4 layers of 10)", () => {
  const r = run(adaptionPrompt, preset("llama-3.2-1b", "SEQ_CLS"), { task_type: "SEQ_CLS", adapter_len: 10, adapter_layers: 4 });
  expect(r).toMatchObject({ trainable: 81_924, added: 81_924 });
  expect(r.warnings).toEqual([expect.stringContaining("head frozen")]);
});

test("PEFT's refusals: other model types, more layers than the model has, a non-attention target", () => {
  // oracle: ValueError "Unsupported model type for adaption prompt: 'qwen2'."
  expect(() => evaluate(adaptionPrompt, preset("qwen2.5-0.5b"), { adapter_len: 10, adapter_layers: 4 })).toThrow(/Unsupported model type for adaption prompt: 'qwen2'/);
  // oracle: ValueError "Config specifies more adapter layers '17' than the model has '16'."
  expect(() => evaluate(adaptionPrompt, preset("llama-3.2-1b"), { adapter_len: 10, adapter_layers: 17 })).toThrow(/more adapter layers '17' than the model has '16'/);
  expect(() => evaluate(adaptionPrompt, preset("llama-3.2-1b"), { adapter_len: 10, adapter_layers: 2, target_modules: "mlp" })).toThrow(/not an attention module/);
});

test.each([{}, { adapter_len: 10 }, { adapter_len: 0, adapter_layers: 2 }, { adapter_len: 10, adapter_layers: 2, target_modules: ["self_attn"] }])("bad options %j are an OptionsError", (raw) => {
  expect(() => evaluate(adaptionPrompt, preset("llama-3.2-1b"), raw)).toThrow(OptionsError);
});
