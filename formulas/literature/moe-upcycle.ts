/**
 * Sparse upcycling (Komatsuzaki et al. 2022, arXiv:2212.05055): a dense checkpoint becomes a mixture of experts —
 * each chosen layer's feed-forward block is copied into E experts and a router (Linear hidden → E, no bias) picks
 * k per token; training then continues on the whole model. For each upcycled layer with feed-forward parameters F:
 *   total  += (E − 1)·F + hidden·E          active per token: base + (k − 1)·F + hidden·E
 * `moe_layer_freq` f upcycles every f-th layer (indices f−1, 2f−1, …; 1: every layer, 2: every other, as the paper
 * does for its T5 and ViT models). The feed-forward modules come from the model's anatomy.
 */
import { modelParams } from "../../src/model/compact.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { moduleParams, type Inventory } from "../../src/model/types.js";
import { describe, type Formula } from "../types.js";
import { anatomyOf, layersOf, moduleIndex } from "../../src/model/anatomy-paths.js";

const positive = z.int().check(z.positive());

export const moeUpcycleSchema = lazySchema(() => z.object({
  num_experts: describe(z._default(positive, 8), "E, experts per upcycled layer (copies of its feed-forward block)"),
  num_experts_per_tok: describe(z._default(positive, 2), "k, experts a token is routed to"),
  moe_layer_freq: describe(z._default(positive, 1), "upcycle every f-th layer (1: all, 2: every other)"),
}));
export type MoeUpcycleOptions = z.output<typeof moeUpcycleSchema>;

export function countMoeUpcycle(inv: Inventory, o: MoeUpcycleOptions): ParamBreakdown {
  if (o.num_experts_per_tok > o.num_experts) throw new InputError("INVALID_OPTION", `moe-upcycle: num_experts_per_tok (${o.num_experts_per_tok}) exceeds num_experts (${o.num_experts})`, "route to at most num_experts experts");
  const a = anatomyOf(inv, "moe-upcycle");
  if (inv.experts) throw new InputError("UNSUPPORTED_MODEL", `moe-upcycle: ${inv.modelType} is already a mixture of experts`, "upcycle a dense model");
  const byName = moduleIndex(inv);
  const base = modelParams(inv);
  let extra = 0;
  let inactive = 0;
  let layers = 0;
  for (const { stack, index, layer } of layersOf(a)) {
    if (!layer.ffn || (index + 1) % o.moe_layer_freq !== 0) continue;
    const ffn = [...layer.ffn.in, layer.ffn.out].reduce((s, rel) => s + (byName.has(`${stack.layersPath}.${index}.${rel}`) ? moduleParams(byName.get(`${stack.layersPath}.${index}.${rel}`)!) : 0), 0);
    extra += (o.num_experts - 1) * ffn + a.hiddenSize * o.num_experts;
    inactive += (o.num_experts - o.num_experts_per_tok) * ffn;
    layers++;
  }
  if (layers === 0) throw new InputError("UNSUPPORTED_MODEL", `moe-upcycle: ${inv.modelType} has no dense feed-forward layers to upcycle (moe_layer_freq ${o.moe_layer_freq})`, "use a dense transformer, or a smaller moe_layer_freq");
  const total = base + extra;
  if (!Number.isSafeInteger(total)) throw new InputError("TOO_LARGE", "moe-upcycle: the upcycled model passes 2^53 parameters", "use fewer experts");
  return {
    trainable: total,
    allParams: total,
    parts: [
      { name: "dense model", modules: inv.modules.length, count: base, kind: "base" },
      { name: "experts (copies) + routers", modules: layers, count: extra, kind: "adapter" },
    ],
    warnings: [],
    activeTrainable: total - inactive,
  };
}

export const moeUpcycle = {
  id: "moe-upcycle",
  title: "Sparse upcycling to MoE",
  paper: "arXiv:2212.05055",
  peftType: null,
  expression: "base + Σ_upcycled ((E − 1)·F + hidden·E); active: top-k of E",
  schema: moeUpcycleSchema,
  count: countMoeUpcycle,
} as const satisfies Formula<typeof moeUpcycleSchema>;
