/**
 * Models and a counting helper shared by the shared-tensor family's tests (VeRA, PVeRA, VB-LoRA, RandLoRA,
 * TinyLoRA, Uni-LoRA, Lily, FRoD). The small models are the presets with fewer / narrower layers, exactly as
 * they were given to the oracle (peft 0.21.0 + transformers 5.18.0) for the numbers the tests cite.
 */
import { evaluate, type EvalContext, type Formula } from "../../formulas/types.js";
import type { RawConfig } from "../../src/model/config.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";

const preset = (id: string) => findPreset(id)!.config as RawConfig;

export const MODELS = {
  "llama-3.2-1b": preset("llama-3.2-1b"),
  "qwen2.5-0.5b": preset("qwen2.5-0.5b"),
  gpt2: preset("gpt2"),
  "bert-base-uncased": preset("bert-base-uncased"),
  "roberta-base": preset("roberta-base"),
  /** Llama-3.2-1B cut to 2 layers: 14 Linear layers, fewer than PEFT's 20 for shortening target names */
  "llama-2-layers": { ...preset("llama-3.2-1b"), num_hidden_layers: 2 },
  /** a narrow 2-layer Llama-3.2 (FRoD decomposes real weights, so the oracle ran it materialized) */
  "llama-small": { ...preset("llama-3.2-1b"), num_hidden_layers: 2, hidden_size: 256, intermediate_size: 512, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 64, vocab_size: 1000 },
  "gpt2-small": { ...preset("gpt2"), n_layer: 2, vocab_size: 1000 },
  "bert-small": { ...preset("bert-base-uncased"), num_hidden_layers: 2, vocab_size: 1000 },
} as const satisfies Record<string, RawConfig>;
export type ModelId = keyof typeof MODELS;

export const inventoryOf = (model: ModelId, task: Task = model.includes("bert") ? "SEQ_CLS" : "CAUSAL_LM") => buildInventory(MODELS[model], { task });

/** Count a formula on a model: trainable, all and base parameters, the parts and the warnings. */
export function countOn(formula: Formula, model: ModelId, options: Record<string, unknown>, opts: { task?: Task; ctx?: EvalContext } = {}) {
  const inv = inventoryOf(model, opts.task);
  const { breakdown } = evaluate(formula, inv, options, opts.ctx);
  const parts = Object.fromEntries(breakdown.parts.map((p) => [p.name, p.count]));
  return { trainable: breakdown.trainable, all: breakdown.allParams, base: totalParams(inv.modules), parts, warnings: breakdown.warnings };
}
