/**
 * SHiRA, Sparse High Rank Adapters (Bhardwaj et al. 2024): each wrapped Linear trains r·(d_in + d_out)
 * entries of its own weight, a LoRA-sized budget scattered by a mask (`shira_weight`; the indices are a
 * buffer). The mask type decides only *which* entries, never how many: PEFT requires every mask function,
 * built-in ("random") or user-supplied, to select exactly r·(d_in + d_out) entries. PEFT refuses a module
 * where that exceeds d_in·d_out, and wraps nn.Linear only (no Conv1D). SHiRA has no bias option.
 * @see peft src/peft/tuners/shira/layer.py `update_layer`, mask_functions.py `random_mask`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { SHIRA_TARGETS } from "../../src/peft/default-targets.js";
import { BASIC_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const shiraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 32), "LoRA-equivalent size: r·(d_in + d_out) trainable entries per wrapped module"),
  mask_type: describe(z._default(z.string(), "random"), '"random" (built in) or the name of a custom mask function; any mask selects r·(d_in + d_out) entries'),
  random_seed: describe(z._default(z.nullable(z.int()), null), "seed of the random mask (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "weight layout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "zero-initialise the entries (no effect on the count)"),
  ...BASIC_TARGETING,
}));
export type ShiraOptions = z.output<typeof shiraOptionsSchema>;

export function countShira(inv: Inventory, o: ShiraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  return wrapModules(
    inv,
    o,
    {
      method: "shira",
      defaults: SHIRA_TARGETS,
      wrappable: ["linear"],
      perModule: (m, add) => {
        const entries = o.r * (featuresOf(m).inFeatures + featuresOf(m).outFeatures);
        if (entries > featuresOf(m).inFeatures * featuresOf(m).outFeatures)
          throw new InputError("OPTION_OUT_OF_RANGE", `shira: r=${o.r} asks for ${entries} entries of ${m.name}, which has only ${featuresOf(m).inFeatures * featuresOf(m).outFeatures} weights`, `use r of at most ${Math.floor((featuresOf(m).inFeatures * featuresOf(m).outFeatures) / (featuresOf(m).inFeatures + featuresOf(m).outFeatures))} here, or leave this module out`);
        add("shira_weight", entries);
      },
    },
    ctx,
  );
}

export const shira = {
  id: "shira",
  title: "SHiRA",
  paper: "arXiv:2406.13175",
  peftType: "SHIRA",
  expression: "Σ_targets r·(d_in + d_out)  (sparse entries of the weight itself)",
  schema: shiraOptionsSchema,
  count: countShira,
  compact: indexFree,
} as const satisfies Formula<typeof shiraOptionsSchema>;
