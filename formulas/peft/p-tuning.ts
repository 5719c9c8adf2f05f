/**
 * P-tuning: virtual-token embeddings fed through a trainable prompt encoder (peft
 * src/peft/tuners/p_tuning/model.py `PromptEncoder.__init__`). With n = num_virtual_tokens × submodules
 * (2 for SEQ_2_SEQ_LM), d = token_dim (hidden_size) and h = encoder_hidden_size (default d):
 * - embedding: n·d;
 * - MLP: Linear(d→h) + Linear(h→h) + Linear(h→d), all with bias. `encoder_num_layers` is ignored (PEFT
 *   warns: exactly 2 hidden layers);
 * - LSTM: a bidirectional nn.LSTM(d → h, num_layers = encoder_num_layers): per direction, layer 0 has
 *   4h·(d + h) + 8h, each further layer 4h·(2h + h) + 8h; then Linear(2h→2h) + Linear(2h→d).
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { preparePromptLearning, PROMPT_EMBEDDING_KEYS } from "../../src/peft/prompt-learning.js";
import { settlePrompt, type PromptTensor } from "../../src/peft/prompt-settle.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula } from "../types.js";


export const pTuningOptionsSchema = lazySchema(() => z.object({
  num_virtual_tokens: describe(z.int().check(z.positive()), "virtual tokens in the prompt (required)"),
  encoder_reparameterization_type: describe(z._default(z.enum(["MLP", "LSTM"]), "MLP"), "prompt encoder: MLP or bidirectional LSTM + MLP"),
  encoder_hidden_size: describe(z._default(z.nullable(z.int().check(z.positive())), null), "prompt encoder width (null: token_dim)"),
  encoder_num_layers: describe(z._default(z.int().check(z.positive()), 2), "LSTM layers (the MLP ignores it)"),
  encoder_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  ...PROMPT_EMBEDDING_KEYS,
}));
export type PTuningOptions = z.output<typeof pTuningOptionsSchema>;

const linear = (fin: number, fout: number) => fin * fout + fout;

export function countPTuningParams(inv: Inventory, o: PTuningOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const s = preparePromptLearning(inv, o, false, ctx);
  const d = s.tokenDim;
  const h = o.encoder_hidden_size ?? d;
  const tensors: PromptTensor[] = [{ name: "embedding", count: o.num_virtual_tokens * s.numTransformerSubmodules * d }];
  const warnings: string[] = [];
  if (o.encoder_reparameterization_type === "LSTM") {
    let lstm = 0;
    for (let layer = 0; layer < o.encoder_num_layers; layer++) lstm += 2 * (4 * h * ((layer === 0 ? d : 2 * h) + h) + 8 * h);
    tensors.push({ name: "lstm_head", count: lstm }, { name: "mlp_head.0", count: linear(2 * h, 2 * h) }, { name: "mlp_head.2", count: linear(2 * h, d) });
  } else {
    tensors.push({ name: "mlp_head.0", count: linear(d, h) }, { name: "mlp_head.2", count: linear(h, h) }, { name: "mlp_head.4", count: linear(h, d) });
    if (o.encoder_num_layers !== 2)
      warnings.push(
        `encoder_num_layers=${o.encoder_num_layers} is ignored by the MLP encoder: PEFT always builds 2 hidden layers (it warns, or raises AttributeError when the config is read from an adapter_config.json, where the type is a plain string)`,
      );
  }
  return settlePrompt(inv, o, tensors, warnings);
}

export const pTuning = {
  id: "p-tuning",
  title: "P-tuning",
  paper: "arXiv:2103.10385",
  peftType: "P_TUNING",
  expression: "n·d + MLP: (d+1)·h + (h+1)·h + (h+1)·d  |  LSTM: 2·Σ_layers(4h·(in+h) + 8h) + (2h+1)·2h + (2h+1)·d",
  schema: pTuningOptionsSchema,
  count: countPTuningParams,
  compact: indexFree,
} as const satisfies Formula<typeof pTuningOptionsSchema>;
