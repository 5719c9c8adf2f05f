/**
 * Cartridges: the key/value prefix itself is the parameter (peft src/peft/tuners/cartridge/model.py
 * `CartridgeEncoder.__init__`), num_virtual_tokens × num_layers·2·token_dim, sized exactly like plain
 * prefix tuning (token_dim narrowed to the key/value width with GQA, see src/peft/prompt-learning.ts).
 * The first `num_frozen_tokens` rows (an attention sink; default 1) are a frozen parameter: in allParams,
 * not trainable. New in peft 0.19.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { preparePromptLearning, promptLearningKeys } from "../../src/peft/prompt-learning.js";
import { settlePrompt, type PromptTensor } from "../../src/peft/prompt-settle.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula } from "../types.js";

const k = promptLearningKeys;

export const cartridgeOptionsSchema = lazySchema(() => z.object({
  num_virtual_tokens: describe(z.int().check(z.positive()), "tokens in the key/value cache (required)"),
  num_frozen_tokens: describe(z._default(nonNegInt, 1), "leading tokens kept frozen (attention sink)"),
  token_dim: describe(k.token_dim, "key/value width per layer; null: hidden_size, narrowed to head_dim × kv heads with GQA"),
  num_layers: describe(k.num_layers, "layers that get a cache; null: the model's"),
  num_attention_heads: describe(k.num_attention_heads, "head count; null: the model's (kv heads with GQA)"),
  num_transformer_submodules: describe(k.num_transformer_submodules, "null: 2 for SEQ_2_SEQ_LM, else 1 (no effect on the count)"),
  modules_to_save: describe(k.modules_to_save, "modules trained fully, as a copy"),
  task_type: describe(k.task_type, "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type CartridgeOptions = z.output<typeof cartridgeOptionsSchema>;

export function countCartridgeParams(inv: Inventory, o: CartridgeOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  if (o.num_frozen_tokens > o.num_virtual_tokens)
    throw new InputError(
      "INVALID_OPTION",
      `cartridge: num_frozen_tokens (${o.num_frozen_tokens}) must be <= num_virtual_tokens (${o.num_virtual_tokens}) (PEFT raises)`,
      "freeze fewer tokens or use more virtual tokens",
    );
  const s = preparePromptLearning(inv, o, true, ctx);
  const width = s.numLayers * 2 * s.tokenDim;
  const tensors: PromptTensor[] = [{ name: "trainable_embedding", count: (o.num_virtual_tokens - o.num_frozen_tokens) * width }];
  if (o.num_frozen_tokens > 0) tensors.push({ name: "frozen_embedding", count: o.num_frozen_tokens * width, trainable: false });
  return settlePrompt(inv, o, tensors);
}

export const cartridge = {
  id: "cartridge",
  title: "Cartridges",
  paper: "arXiv:2506.06266",
  peftType: "CARTRIDGE",
  expression: "(num_virtual_tokens − num_frozen_tokens)·L·2·d_kv trainable (+ num_frozen_tokens·L·2·d_kv frozen)",
  peftVersions: { since: "0.19.0" },
  schema: cartridgeOptionsSchema,
  count: countCartridgeParams,
} as const satisfies Formula<typeof cartridgeOptionsSchema>;
