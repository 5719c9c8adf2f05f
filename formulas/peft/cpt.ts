/**
 * CPT (context-aware prompt tuning): the prompt is the embedding of real context tokens, `cpt_token_ids`,
 * plus a learned delta (peft src/peft/tuners/cpt/model.py `CPTEmbedding.__init__`): embedding and
 * delta_embedding, each len(cpt_token_ids) × token_dim (hidden_size). num_virtual_tokens is always
 * len(cpt_token_ids) and the prompt is never doubled (`CPTConfig.__post_init__`).
 * peft 0.17 trains both tensors; peft ≥ 0.18 (#2860) freezes `embedding`, so only delta_embedding trains
 * (both stay in allParams). peft 0.17 turns any task_type into CAUSAL_LM with a warning; ≥ 0.18 refuses it.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { atLeast } from "../../src/versions.js";
import { preparePromptLearning, promptLearningKeys } from "../../src/peft/prompt-learning.js";
import { settlePrompt } from "../../src/peft/prompt-settle.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula } from "../types.js";

const k = promptLearningKeys;
const ignored = "ignored: CPT sets it from the model";

export const cptOptionsSchema = lazySchema(() => z.object({
  cpt_token_ids: describe(z._default(z.nullable(z.array(nonNegInt)), null), "token ids of the context the prompt starts from (null: [0]); their count is the prompt length"),
  cpt_mask: describe(z._default(z.nullable(z.array(z.int())), null), "mask over cpt_token_ids (same length; no effect on the count)"),
  cpt_tokens_type_mask: describe(z._default(z.nullable(z.array(z.int())), null), "token types of cpt_token_ids (same length; no effect on the count)"),
  opt_weighted_loss_type: describe(z._default(z.enum(["none", "decay"]), "none"), "loss weighting (no effect on the count)"),
  opt_loss_decay_factor: describe(z._default(z.number(), 1), "loss decay (no effect on the count)"),
  opt_projection_epsilon: describe(z._default(z.number(), 0.1), "projection bound (no effect on the count)"),
  opt_projection_format_epsilon: describe(z._default(z.number(), 0.1), "format projection bound (no effect on the count)"),
  tokenizer_name_or_path: describe(z._default(z.nullable(z.string()), null), "tokenizer (no effect on the count)"),
  num_virtual_tokens: describe(z._default(z.nullable(z.int().check(z.positive())), null), "ignored: CPT uses len(cpt_token_ids)"),
  token_dim: describe(k.token_dim, ignored),
  num_layers: describe(k.num_layers, ignored),
  num_attention_heads: describe(k.num_attention_heads, ignored),
  num_transformer_submodules: describe(k.num_transformer_submodules, "ignored: always 1"),
  modules_to_save: describe(k.modules_to_save, "modules trained fully, as a copy"),
  task_type: describe(k.task_type, "must be CAUSAL_LM (peft ≥ 0.18 refuses others; 0.17 switches to it)"),
}));
export type CptOptions = z.output<typeof cptOptionsSchema>;

export function countCptParams(inv: Inventory, o: CptOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const warnings: string[] = [];
  if (o.task_type !== "CAUSAL_LM") {
    if (atLeast(ctx.peft, "0.18.0"))
      throw new InputError("INVALID_OPTION", `cpt: CPT only supports task_type = CAUSAL_LM (PEFT raises; got ${JSON.stringify(o.task_type)})`, "set task_type=CAUSAL_LM");
    warnings.push(`CPT only supports task_type = CAUSAL_LM: PEFT sets it (got ${JSON.stringify(o.task_type)})`);
  }
  const ids = o.cpt_token_ids ?? [0];
  const mask = o.cpt_mask ?? ids;
  const types = o.cpt_tokens_type_mask ?? ids;
  if (mask.length !== ids.length || types.length !== ids.length)
    throw new InputError("INVALID_OPTION", "cpt: cpt_token_ids, cpt_mask and cpt_tokens_type_mask must have the same length (PEFT raises)", "give one mask entry per context token");
  const s = preparePromptLearning(inv, { token_dim: null, num_layers: null, num_attention_heads: null, num_transformer_submodules: 1, task_type: "CAUSAL_LM" }, false, ctx);
  const rows = ids.length * s.tokenDim;
  return settlePrompt(
    inv,
    { modules_to_save: o.modules_to_save, task_type: "CAUSAL_LM" },
    [
      { name: "embedding", count: rows, trainable: !atLeast(ctx.peft, "0.18.0") },
      { name: "delta_embedding", count: rows },
    ],
    warnings,
  );
}

export const cpt = {
  id: "cpt",
  title: "CPT (context-aware prompt tuning)",
  paper: "arXiv:2410.17222",
  peftType: "CPT",
  expression: "len(cpt_token_ids)·hidden_size  (+ the same again for the base embedding: frozen from peft 0.18, trained before)",
  schema: cptOptionsSchema,
  count: countCptParams,
} as const satisfies Formula<typeof cptOptionsSchema>;
