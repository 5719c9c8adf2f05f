/**
 * DEFT, decompositional efficient fine-tuning (NeurIPS 2025), and PaRa (`para`, ICLR 2025): per wrapped
 * Linear / Conv1D a projection direction `deft_P` (d_out × r) and, unless `para`, an injection matrix
 * `deft_R` (r × d_in), with r capped at d_out (PEFT: `r = min(r, out_features)`):
 * r'·(d_out + d_in), or r'·d_out with para. `bias="deft_only"` trains the wrapped biases.
 * @see peft src/peft/tuners/deft/layer.py `update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { DEFT_TARGETS } from "../../src/peft/default-targets.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const deftOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 8), "rank of the projection (capped at each module's d_out)"),
  para: describe(z._default(z.boolean(), false), "PaRa: subspace removal only, no injection matrix R"),
  decomposition_method: describe(z._default(z.enum(["relu", "qr"]), "relu"), "how P is orthogonalised (no effect on the count)"),
  init_scale: describe(z._default(z.number(), 1), "initial scale (no effect on the count)"),
  alpha: describe(z._default(z.nullable(z.number()), null), "injection scaling numerator (no effect on the count)"),
  deft_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "identity initialisation (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "deft_only"]), "none"), "which biases train: none, all, deft_only (those of wrapped modules)"),
  ...FULL_TARGETING,
}));
export type DeftOptions = z.output<typeof deftOptionsSchema>;

export function countDeft(inv: Inventory, o: DeftOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("deft", o, ctx);
  return wrapModules(
    inv,
    o,
    {
      method: "deft",
      defaults: DEFT_TARGETS,
      wrappable: ["linear", "conv1d"],
      perModule: (m, add) => {
        const r = Math.min(o.r, featuresOf(m).outFeatures);
        add("deft_P", featuresOf(m).outFeatures * r);
        if (!o.para) add("deft_R", r * featuresOf(m).inFeatures);
      },
    },
    ctx,
  );
}

export const deft = {
  id: "deft",
  title: "DEFT",
  paper: "NeurIPS 2025 (DEFT); ICLR 2025 (PaRa)",
  peftType: "DEFT",
  expression: "Σ_targets min(r, d_out)·(d_out + d_in)  [min(r, d_out)·d_out with para]",
  schema: deftOptionsSchema,
  peftVersions: { since: "0.20.0" },
  count: countDeft,
  compact: indexFree,
} as const satisfies Formula<typeof deftOptionsSchema>;
