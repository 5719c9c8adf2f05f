/**
 * HRA (Yuan et al. 2024): each wrapped Linear's weight is multiplied by a chain of r Householder
 * reflections, stored as their r vectors of the input width: `hra_u` = d_in × r per module. `apply_GS`
 * (Gram-Schmidt) and the symmetric initialisation change the maths only. Same in peft 0.17.1 to 0.21.0.
 * @see peft src/peft/tuners/hra/layer.py `HRALayer.update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { HRA_TARGETS } from "../../src/peft/default-targets.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const hraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 8), "Householder reflections per wrapped layer"),
  apply_GS: describe(z._default(z.boolean(), false), "orthogonalise the reflections (Gram-Schmidt; no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "symmetric initialisation (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "hra_only"]), "none"), "which biases train: none, all, hra_only (those of wrapped layers)"),
  ...FULL_TARGETING,
}));
export type HraOptions = z.output<typeof hraOptionsSchema>;

export function countHra(inv: Inventory, o: HraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("hra", o, ctx);
  return wrapModules(inv, o, { method: "hra", defaults: HRA_TARGETS, wrappable: ["linear"], perModule: (m, add) => add("hra_u", featuresOf(m).inFeatures * o.r) }, ctx);
}

export const hra = {
  id: "hra",
  title: "HRA",
  paper: "arXiv:2405.17484",
  peftType: "HRA",
  expression: "Σ_targets d_in · r",
  schema: hraOptionsSchema,
  count: countHra,
  compact: indexFree,
} as const satisfies Formula<typeof hraOptionsSchema>;
