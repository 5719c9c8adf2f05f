/**
 * Multitask prompt tuning: a shared prompt plus a rank-r task-specific update per task (peft
 * src/peft/tuners/multitask_prompt_tuning/model.py `MultitaskPromptEmbedding.__init__`). With
 * n = num_virtual_tokens × submodules (2 for SEQ_2_SEQ_LM) and d = token_dim (hidden_size):
 * embedding n·d + prefix_task_cols (num_tasks × n × num_ranks) + prefix_task_rows (num_tasks × num_ranks × d).
 * Source-task inits load a saved state dict of the same shapes (PEFT needs its path); the count is unchanged.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { preparePromptLearning, PROMPT_EMBEDDING_KEYS } from "../../src/peft/prompt-learning.js";
import { settlePrompt } from "../../src/peft/prompt-settle.js";
import { checkTextInit } from "./prompt-tuning.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula } from "../types.js";

const FROM_SOURCE = ["AVERAGE_SOURCE_TASKS", "EXACT_SOURCE_TASK", "ONLY_SOURCE_SHARED"] as const;

export const multitaskPromptTuningOptionsSchema = lazySchema(() => z.object({
  num_virtual_tokens: describe(z.int().check(z.positive()), "virtual tokens in the prompt (required)"),
  num_tasks: describe(z._default(z.int().check(z.positive()), 1), "tasks with their own prompt update"),
  num_ranks: describe(z._default(z.int().check(z.positive()), 1), "rank of each task's update"),
  prompt_tuning_init: describe(z._default(z.enum(["RANDOM", "TEXT", "SAMPLE_VOCAB", ...FROM_SOURCE]), "RANDOM"), "how the prompt is initialised (no effect on the count)"),
  prompt_tuning_init_state_dict_path: describe(z._default(z.nullable(z.string()), null), "source prompts, for the *_SOURCE_* inits"),
  prompt_tuning_init_task: describe(z._default(nonNegInt, 0), "source task, for EXACT_SOURCE_TASK (no effect on the count)"),
  prompt_tuning_init_text: describe(z._default(z.nullable(z.string()), null), "init text, for prompt_tuning_init=TEXT"),
  tokenizer_name_or_path: describe(z._default(z.nullable(z.string()), null), "tokenizer, for prompt_tuning_init=TEXT"),
  tokenizer_kwargs: describe(z._default(z.nullable(z.record(z.string(), z.unknown())), null), "tokenizer arguments, for prompt_tuning_init=TEXT"),
  ...PROMPT_EMBEDDING_KEYS,
}));
export type MultitaskPromptTuningOptions = z.output<typeof multitaskPromptTuningOptionsSchema>;

export function countMultitaskPromptTuningParams(inv: Inventory, o: MultitaskPromptTuningOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkTextInit("multitask-prompt-tuning", o);
  if ((FROM_SOURCE as readonly string[]).includes(o.prompt_tuning_init) && o.prompt_tuning_init_state_dict_path === null)
    throw new InputError(
      "MISSING_OPTION",
      `multitask-prompt-tuning: prompt_tuning_init=${o.prompt_tuning_init} needs prompt_tuning_init_state_dict_path (PEFT raises)`,
      "set the path of the source prompts, or use prompt_tuning_init=RANDOM (same count)",
    );
  const s = preparePromptLearning(inv, o, false, ctx);
  const n = o.num_virtual_tokens * s.numTransformerSubmodules;
  return settlePrompt(inv, o, [
    { name: "embedding", count: n * s.tokenDim },
    { name: "prefix_task_cols", count: o.num_tasks * n * o.num_ranks },
    { name: "prefix_task_rows", count: o.num_tasks * o.num_ranks * s.tokenDim },
  ]);
}

export const multitaskPromptTuning = {
  id: "multitask-prompt-tuning",
  title: "Multitask prompt tuning",
  paper: "arXiv:2303.02861",
  peftType: "MULTITASK_PROMPT_TUNING",
  expression: "n·d + tasks·n·ranks + tasks·ranks·d  (n = num_virtual_tokens·submodules, d = hidden_size)",
  schema: multitaskPromptTuningOptionsSchema,
  count: countMultitaskPromptTuningParams,
} as const satisfies Formula<typeof multitaskPromptTuningOptionsSchema>;
