/**
 * Trainable tokens: a few rows of an embedding matrix train, the rest stay frozen. Each targeted layer gets
 * a `trainable_tokens_delta` of len(token_indices) × dim (dim: the embedding width, or in_features for a
 * Linear such as an untied LM head); the originals are kept in a buffer, not a parameter
 * (peft src/peft/tuners/trainable_tokens/layer.py `update_layer`). Left null, the target is the model's input
 * embedding (`_get_input_embeddings_name`, used as a regex). When that embedding is wrapped and the LM head is
 * tied to it, PEFT wraps the head too, sharing the embedding's delta: nothing new (model.py `inject_adapter`).
 * A head named in target_modules keeps a delta of its own, tied or not (oracle: 2 × 3 × 2048 on Llama-3.2-1B
 * with ["embed_tokens", "lm_head"]). An index past the last row is refused: PEFT's `weight[token_indices]`
 * raises on a real model. Repeated indices each get a row, as in PEFT.
 * The config has no `modules_to_save`, so a classification head stays frozen whatever `task_type` says.
 */
import { modelParams } from "../../src/model/compact.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, groupName, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import { PartSum, type ParamBreakdown } from "../../src/breakdown.js";
import { TASK_MODULES_TO_SAVE } from "../../src/peft/defaults.js";
import { moduleTree } from "../../src/peft/modules.js";
import { findTargets } from "../../src/peft/targets.js";
import { describe, nonNegInt, stringOrList, type Formula } from "../types.js";

export const trainableTokensOptionsSchema = lazySchema(() => z.object({
  token_indices: describe(z._default(z.array(nonNegInt), []), "indices of the tokens (rows) to train"),
  target_modules: describe(z._default(z.nullable(stringOrList), null), "the embedding (or Linear) layer(s) to adapt: names (exact or suffix) or a regex string; null: the input embedding"),
  init_weights: describe(z._default(z.boolean(), true), "start from the existing rows (no effect on the count)"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type (no effect: this method has no modules_to_save, a head stays frozen)"),
}));
export type TrainableTokensOptions = z.output<typeof trainableTokensOptionsSchema>;

export function countTrainableTokensParams(inv: Inventory, o: TrainableTokensOptions): ParamBreakdown {
  const tree = moduleTree(inv.modules);
  const warnings: string[] = [];
  const cfg = { target_modules: o.target_modules ?? inv.inputEmbeddings, exclude_modules: null, layers_to_transform: null, layers_pattern: null, modules_to_save: null, task_type: o.task_type };
  const wrapped = findTargets(inv, tree, cfg, "trainable-tokens", ["embedding", "linear"], warnings, {});
  const k = o.token_indices.length;
  const parts = new PartSum();
  for (const m of wrapped) {
    const rows = m.kind === "embedding" ? m.numEmbeddings : featuresOf(m).outFeatures;
    const dim = m.kind === "embedding" ? m.embeddingDim : featuresOf(m).inFeatures;
    const bad = o.token_indices.find((i) => i >= rows);
    if (bad !== undefined)
      throw new InputError("INVALID_OPTION", `trainable-tokens: token index ${bad} is out of range for "${m.name}" (${rows} rows)`, `use indices below ${rows}`);
    parts.add(`${groupName(m.name)}.trainable_tokens_delta`, k * dim, 1, "delta");
  }
  if (k === 0) warnings.push("token_indices is empty: nothing trains");
  else if (new Set(o.token_indices).size < k) warnings.push("token_indices repeats an index; PEFT keeps a delta row for every entry, repeats included");
  if (TASK_MODULES_TO_SAVE[inv.task] !== undefined)
    warnings.push(`trainable tokens has no modules_to_save, so the ${inv.task} head stays frozen (as in PEFT), even with task_type set`);
  const list = parts.list();
  const trainable = list.reduce((s, p) => s + p.count, 0);
  return { trainable, allParams: modelParams(inv) + trainable, parts: list, warnings, ...(inv.experts ? { activeTrainable: trainable } : {}) };
}

export const trainableTokens = {
  id: "trainable-tokens",
  title: "Trainable tokens",
  paper: "-",
  peftType: "TRAINABLE_TOKENS",
  expression: "|token_indices| · d_embedding per targeted layer (a tied LM head shares it)",
  schema: trainableTokensOptionsSchema,
  count: countTrainableTokensParams,
} as const satisfies Formula<typeof trainableTokensOptionsSchema>;
