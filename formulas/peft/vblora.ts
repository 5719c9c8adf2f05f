/**
 * VB-LoRA: every wrapped layer composes its LoRA factors from one shared, trainable vector bank
 * (num_vectors × vector_length, a parameter created once per adapter) by a top-k mixture, so per layer it trains
 * only the mixing logits: vblora_logits_A (r × d_in/L × N) and vblora_logits_B (d_out/L × r × N), L the
 * vector length and N the number of vectors. PEFT refuses a layer whose d_in or d_out is not a multiple of L.
 * `topk` and `save_only_topk_weights` change what is used and saved, not what trains.
 * Linear and Conv1D only.
 * @see Li et al. 2024, arXiv:2405.15179 · peft src/peft/tuners/vblora/layer.py `update_layer`, model.py `_init_vblora_vector_bank`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { VBLORA_TARGETS } from "../../src/peft/default-targets-own.js";
import { biasOption, excludeModulesOption, fanInFanOutOption, refuseLayersPatternAlone, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";

const positive = z.int().check(z.positive());

export const vbloraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 4), "rank of the composed factors"),
  num_vectors: describe(z._default(positive, 256), "vectors in the shared bank"),
  vector_length: describe(z._default(positive, 256), "length of each bank vector; must divide every wrapped d_in and d_out"),
  topk: describe(z._default(positive, 2), "bank vectors mixed per sub-vector (no effect on the count)"),
  ...TARGETING_KEYS,
  exclude_modules: excludeModulesOption,
  bias: biasOption("vblora"),
  fan_in_fan_out: fanInFanOutOption,
  save_only_topk_weights: describe(z._default(z.boolean(), false), "save only the top-k logits (adapter file size, not the count)"),
  vblora_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  init_vector_bank_bound: describe(z._default(z.number(), 0.02), "bank initialisation (no effect on the count)"),
  init_logits_std: describe(z._default(z.number(), 0.1), "logits initialisation (no effect on the count)"),
}));
export type VbloraOptions = z.output<typeof vbloraOptionsSchema>;

export function countVbloraParams(inv: Inventory, o: VbloraOptions, ctx: EvalContext): ParamBreakdown {
  refuseLayersPatternAlone("vblora", o, ctx);
  const L = o.vector_length;
  const N = o.num_vectors;
  return wrapModules(
    inv,
    o,
    {
      method: "vblora",
      defaults: VBLORA_TARGETS,
      wrappable: ["linear", "conv1d"],
      check(wrapped) {
        for (const m of wrapped)
          for (const [what, d] of [["in_features", featuresOf(m).inFeatures], ["out_features", featuresOf(m).outFeatures]] as const)
            if (d % L !== 0)
              throw new InputError("INVALID_OPTION", `vblora: ${m.name} has ${what} ${d}, not divisible by vector_length ${L} (PEFT refuses it)`, "choose a vector_length that divides every targeted layer's sizes, or target other layers");
      },
      perModule(m, add) {
        add("vblora_logits_A", o.r * (featuresOf(m).inFeatures / L) * N);
        add("vblora_logits_B", (featuresOf(m).outFeatures / L) * o.r * N);
      },
      shared: () => [{ name: "vblora_vector_bank", count: N * L }],
    },
    ctx,
  );
}

export const vblora = {
  id: "vblora",
  title: "VB-LoRA",
  paper: "arXiv:2405.15179",
  peftType: "VBLORA",
  expression: "N·L (shared bank, once) + Σ_targets r·N·(d_in + d_out)/L",
  schema: vbloraOptionsSchema,
  count: countVbloraParams,
  compact: indexFree,
} as const satisfies Formula<typeof vbloraOptionsSchema>;
