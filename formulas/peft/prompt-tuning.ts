/**
 * Prompt tuning: one trainable Embedding(num_virtual_tokens × num_transformer_submodules, token_dim)
 * (peft src/peft/tuners/prompt_tuning/model.py `PromptEmbedding.__init__`). An encoder-decoder model
 * trained as SEQ_2_SEQ_LM gets a prompt for the encoder and one for the decoder (submodules = 2), so T5
 * has 2 × num_virtual_tokens rows. token_dim is hidden_size (never the GQA width). The init (RANDOM, TEXT,
 * SAMPLE_VOCAB) fills the same tensor. The base model is frozen; the task models' heads train as copies.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { preparePromptLearning, PROMPT_EMBEDDING_KEYS } from "../../src/peft/prompt-learning.js";
import { settlePrompt } from "../../src/peft/prompt-settle.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula } from "../types.js";


export const promptTuningOptionsSchema = lazySchema(() => z.object({
  num_virtual_tokens: describe(z.int().check(z.positive()), "virtual tokens in the prompt (required)"),
  prompt_tuning_init: describe(z._default(z.enum(["RANDOM", "TEXT", "SAMPLE_VOCAB"]), "RANDOM"), "how the prompt is initialised (no effect on the count)"),
  prompt_tuning_init_text: describe(z._default(z.nullable(z.string()), null), "init text, for prompt_tuning_init=TEXT"),
  tokenizer_name_or_path: describe(z._default(z.nullable(z.string()), null), "tokenizer, for prompt_tuning_init=TEXT"),
  tokenizer_kwargs: describe(z._default(z.nullable(z.record(z.string(), z.unknown())), null), "tokenizer arguments, for prompt_tuning_init=TEXT"),
  ...PROMPT_EMBEDDING_KEYS,
}));
export type PromptTuningOptions = z.output<typeof promptTuningOptionsSchema>;

/** PromptTuningConfig.__post_init__: a TEXT init needs the text and a tokenizer; tokenizer_kwargs only with TEXT. */
export function checkTextInit(method: string, o: { prompt_tuning_init: string; prompt_tuning_init_text: string | null; tokenizer_name_or_path: string | null; tokenizer_kwargs: unknown }): void {
  const text = o.prompt_tuning_init === "TEXT";
  if (text && !o.tokenizer_name_or_path)
    throw new InputError("MISSING_OPTION", `${method}: prompt_tuning_init=TEXT needs tokenizer_name_or_path (PEFT raises)`, "set tokenizer_name_or_path, or use prompt_tuning_init=RANDOM");
  if (text && o.prompt_tuning_init_text === null)
    throw new InputError("MISSING_OPTION", `${method}: prompt_tuning_init=TEXT needs prompt_tuning_init_text (PEFT raises)`, "set prompt_tuning_init_text, or use prompt_tuning_init=RANDOM");
  if (!text && o.tokenizer_kwargs !== null && Object.keys(o.tokenizer_kwargs as object).length > 0)
    throw new InputError("CONFLICTING_OPTIONS", `${method}: tokenizer_kwargs is only valid with prompt_tuning_init=TEXT (PEFT raises)`, "remove tokenizer_kwargs");
}

export function countPromptTuningParams(inv: Inventory, o: PromptTuningOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkTextInit("prompt-tuning", o);
  const s = preparePromptLearning(inv, o, false, ctx);
  return settlePrompt(inv, o, [{ name: "embedding", count: o.num_virtual_tokens * s.numTransformerSubmodules * s.tokenDim }]);
}

export const promptTuning = {
  id: "prompt-tuning",
  title: "Prompt tuning",
  paper: "arXiv:2104.08691",
  peftType: "PROMPT_TUNING",
  expression: "num_virtual_tokens·submodules·token_dim  (submodules = 2 for SEQ_2_SEQ_LM, token_dim = hidden_size)",
  schema: promptTuningOptionsSchema,
  count: countPromptTuningParams,
  compact: indexFree,
} as const satisfies Formula<typeof promptTuningOptionsSchema>;
