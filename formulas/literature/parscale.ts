/**
 * ParScale (Chen et al. 2025, "Parallel Scaling Law for Language Models", arXiv:2505.10475; code:
 * github.com/QwenLM/ParScale, config keys `parscale_n`, `parscale_n_tokens`): P parallel streams of one model,
 * each with its own learned prefix (`parscale_n_tokens` key/value tokens per layer and KV head), merged by a small
 * aggregation MLP. What P streams add to a dense model (P = 1 is the model itself, nothing added):
 *   prefixes 2 · L · P · H_kv · T · head_dim   (keys and values)
 *   aggregation P·d² + d  (Linear P·d → d, bias)  +  d·P + P  (Linear d → P, bias)
 * Qwen2.5-3B, P = 2, T = 48: 10,164,226. The backbone stays frozen in ParScale's parameter-efficient stage,
 * so the added parameters are what trains.
 */
import { modelParams } from "../../src/model/compact.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { type Inventory } from "../../src/model/types.js";
import { describe, type Formula } from "../types.js";
import { anatomyOf, layersOf } from "../../src/model/anatomy-paths.js";

const positive = z.int().check(z.positive());

export const parscaleSchema = lazySchema(() => z.object({
  parscale_n: describe(z._default(positive, 2), "P, the number of parallel streams (1: the plain model)"),
  parscale_n_tokens: describe(z._default(positive, 48), "T, learned prefix tokens per stream, layer and KV head"),
}));
export type ParscaleOptions = z.output<typeof parscaleSchema>;

export function countParscale(inv: Inventory, o: ParscaleOptions): ParamBreakdown {
  const a = anatomyOf(inv, "parscale");
  const attention = layersOf(a).filter((l) => l.layer.selfAttention);
  if (attention.length === 0) throw new InputError("UNSUPPORTED_MODEL", `parscale: ${inv.modelType} has no attention layers for the stream prefixes`, "use a transformer model");
  const P = o.parscale_n;
  if (P === 1) throw new InputError("NOTHING_TRAINED", "parscale: parscale_n=1 is the plain model (no prefixes, no aggregation): nothing to train", "set parscale_n to 2 or more");
  const prefix = attention.reduce((s, l) => s + 2 * P * l.layer.selfAttention!.kvHeads * o.parscale_n_tokens * l.layer.selfAttention!.headDim, 0);
  const d = a.hiddenSize;
  const merge = P * d * d + d;
  const weights = d * P + P;
  const parts = [
    { name: "parscale.prefix_k+v", modules: attention.length, count: prefix, kind: "prompt" as const },
    { name: "parscale.aggregate_layer.0", modules: 1, count: merge, kind: "adapter" as const },
    { name: "parscale.aggregate_layer.2", modules: 1, count: weights, kind: "adapter" as const },
  ];
  const trainable = prefix + merge + weights;
  for (const n of [trainable]) if (!Number.isSafeInteger(n)) throw new InputError("TOO_LARGE", "parscale: the count passes 2^53", "use smaller options");
  return { trainable, allParams: modelParams(inv) + trainable, parts, warnings: [] };
}

export const parscale = {
  id: "parscale",
  title: "ParScale (parallel streams)",
  paper: "arXiv:2505.10475",
  peftType: null,
  expression: "2·L·P·H_kv·T·head_dim + P·d² + d + d·P + P",
  schema: parscaleSchema,
  count: countParscale,
} as const satisfies Formula<typeof parscaleSchema>;
