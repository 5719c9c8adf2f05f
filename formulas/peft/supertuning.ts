/**
 * Super-Tuning (arXiv:2607.09287): each wrapped Linear trains the ⌊d_in·d_out·(1 − sparsity)⌋ entries of its
 * weight with the largest (or, `select_top=false`, smallest) magnitude (`supertuning_values`; the positions are
 * a buffer) — computed, like PEFT's `int(n * (1 - sparsity))`, in floats and truncated. With `r` ("Supra")
 * it also trains a LoRA pair, r·(d_in + d_out). PEFT refuses a module left with no entry. nn.Linear only.
 * @see peft src/peft/tuners/supertuning/layer.py `update_layer`, config.py `__post_init__`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { SUPERTUNING_TARGETS } from "../../src/peft/default-targets.js";
import { BASIC_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const supertuningOptionsSchema = lazySchema(() => z.object({
  sparsity: describe(z._default(z.number().check(z.gte(0), z.lt(1)), 0.99), "share of each weight left frozen, in [0, 1)"),
  select_top: describe(z._default(z.boolean(), true), "train the largest-magnitude entries (false: the smallest; no effect on the count)"),
  r: describe(z._default(z.nullable(z.int().check(z.positive())), null), 'LoRA rank of the "Supra" hybrid; null: sparse entries only'),
  lora_alpha: describe(z._default(z.nullable(z.number()), null), "Supra scaling, default 2·r (no effect on the count)"),
  lora_dropout: describe(z._default(z.number().check(z.gte(0), z.lt(1)), 0), "Supra dropout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "zero-initialise values and LoRA B (no effect on the count)"),
  save_precomputed_indices: describe(z._default(z.boolean(), true), "save the entry positions (a buffer; no effect on the count)"),
  ...BASIC_TARGETING,
}));
export type SupertuningOptions = z.output<typeof supertuningOptionsSchema>;

export function countSupertuning(inv: Inventory, o: SupertuningOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  if (o.r === null && o.lora_alpha !== null)
    throw new InputError("CONFLICTING_OPTIONS", "supertuning: lora_alpha is set but r is null (PEFT refuses it: Supra mode needs an explicit r)", "set r, or drop lora_alpha");
  return wrapModules(
    inv,
    o,
    {
      method: "supertuning",
      defaults: SUPERTUNING_TARGETS,
      wrappable: ["linear"],
      perModule: (m, add) => {
        const weights = featuresOf(m).inFeatures * featuresOf(m).outFeatures;
        const entries = Math.trunc(weights * (1 - o.sparsity));
        if (entries < 1)
          throw new InputError("OPTION_OUT_OF_RANGE", `supertuning: sparsity=${o.sparsity} leaves no trainable entry of the ${weights} weights of ${m.name}`, "lower sparsity so that at least one entry per module trains");
        add("supertuning_values", entries);
        if (o.r !== null) {
          add("supertuning_lora_A", o.r * featuresOf(m).inFeatures);
          add("supertuning_lora_B", featuresOf(m).outFeatures * o.r);
        }
      },
    },
    ctx,
  );
}

export const supertuning = {
  id: "supertuning",
  title: "Super-Tuning",
  paper: "arXiv:2607.09287",
  peftType: "SUPERTUNING",
  expression: "Σ_targets ⌊d_in·d_out·(1 − sparsity)⌋  [+ r·(d_in + d_out) with r]",
  schema: supertuningOptionsSchema,
  peftVersions: { since: "0.21.0" },
  count: countSupertuning,
  compact: indexFree,
} as const satisfies Formula<typeof supertuningOptionsSchema>;
