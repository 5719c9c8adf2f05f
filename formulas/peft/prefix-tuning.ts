/**
 * Prefix tuning: a learned key and value prefix for every layer (peft src/peft/tuners/prefix_tuning/model.py
 * `PrefixEncoder.__init__`), with width token_dim = the attention's key/value width:
 * - plain: Embedding(num_virtual_tokens, num_layers·2·token_dim);
 * - prefix_projection: Embedding(num_virtual_tokens, token_dim) + Linear(token_dim → encoder_hidden_size)
 *   + Linear(encoder_hidden_size → num_layers·2·token_dim), both with bias; encoder_hidden_size defaults
 *   to token_dim (after the GQA narrowing).
 * Not doubled for encoder-decoder models: num_layers is the config's (T5: the encoder's `num_layers`).
 * With grouped-query attention PEFT narrows token_dim to the key/value width; how it finds head_dim
 * changed in peft 0.18 (Gemma-3: 1 kv head × 256, not 1152/4) — see src/peft/prompt-learning.ts.
 * The projection is what trains; a config saved with inference_mode=true loads without it, but peftcount
 * counts the adapter being trained.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { preparePromptLearning, promptLearningKeys } from "../../src/peft/prompt-learning.js";
import { settlePrompt, type PromptTensor } from "../../src/peft/prompt-settle.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula } from "../types.js";

const k = promptLearningKeys;

export const prefixTuningOptionsSchema = lazySchema(() => z.object({
  num_virtual_tokens: describe(z.int().check(z.positive()), "prefix length per layer (required)"),
  prefix_projection: describe(z._default(z.boolean(), false), "reparameterise the prefix through a two-layer MLP"),
  encoder_hidden_size: describe(z._default(z.nullable(z.int().check(z.positive())), null), "hidden width of the projection MLP (null: token_dim)"),
  init_weights: describe(z._default(z.nullable(z.enum(["zero"])), null), '"zero": a no-op start (no effect on the count)'),
  token_dim: describe(k.token_dim, "key/value width per layer; null: hidden_size, narrowed to head_dim × kv heads with GQA"),
  num_layers: describe(k.num_layers, "layers that get a prefix; null: the model's"),
  num_attention_heads: describe(k.num_attention_heads, "head count; null: the model's (kv heads with GQA)"),
  num_transformer_submodules: describe(k.num_transformer_submodules, "null: 2 for SEQ_2_SEQ_LM, else 1 (no effect on the count)"),
  modules_to_save: describe(k.modules_to_save, "modules trained fully, as a copy"),
  task_type: describe(k.task_type, "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type PrefixTuningOptions = z.output<typeof prefixTuningOptionsSchema>;

export function countPrefixTuningParams(inv: Inventory, o: PrefixTuningOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const s = preparePromptLearning(inv, o, true, ctx);
  const n = o.num_virtual_tokens;
  const width = s.numLayers * 2 * s.tokenDim;
  const tensors: PromptTensor[] = [];
  if (o.prefix_projection) {
    const h = o.encoder_hidden_size ?? s.tokenDim;
    tensors.push({ name: "embedding", count: n * s.tokenDim });
    tensors.push({ name: "transform.0", count: s.tokenDim * h + h });
    tensors.push({ name: "transform.2", count: h * width + width });
  } else tensors.push({ name: "embedding", count: n * width });
  return settlePrompt(inv, o, tensors);
}

export const prefixTuning = {
  id: "prefix-tuning",
  title: "Prefix tuning",
  paper: "arXiv:2101.00190",
  peftType: "PREFIX_TUNING",
  expression: "n·L·2·d_kv  |  prefix_projection: n·d_kv + (d_kv+1)·h + (h+1)·L·2·d_kv  (d_kv = head_dim·kv_heads with GQA)",
  schema: prefixTuningOptionsSchema,
  count: countPrefixTuningParams,
  compact: indexFree,
} as const satisfies Formula<typeof prefixTuningOptionsSchema>;
