/**
 * PSOFT (Wu et al. 2025): OFT restricted to the principal subspace of each wrapped Linear. A and B come
 * from the weight's SVD and are frozen buffers; what trains is an r × r orthogonal map between them
 * (`psoft_R.weight`: the strict upper triangle of a skew-symmetric matrix, r(r−1)/2, or a full r × r
 * matrix with psoft_orth=false) and two optional length-r scale vectors (`vector_b`, `vector_a`).
 * Added in peft 0.19; 0.21 refuses r above min(d_in, d_out). The SVD settings change values, not the count.
 * @see peft src/peft/tuners/psoft/layer.py `OrthLayer.__init__`, `PsoftLayer.update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { PSOFT_TARGETS } from "../../src/peft/default-targets.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { atLeast } from "../../src/versions.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const positive = z.int().check(z.positive());

export const psoftOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 32), "size of the r × r orthogonal map per wrapped layer"),
  psoft_orth: describe(z._default(z.boolean(), true), "orthogonal map (r(r−1)/2 parameters) or a free r × r matrix"),
  psoft_mag_b: describe(z._default(z.boolean(), true), "learn a length-r output scale"),
  psoft_mag_a: describe(z._default(z.boolean(), true), "learn a length-r input scale"),
  psoft_alpha: describe(z._default(z.number(), 32), "scaling numerator (no effect on the count)"),
  psoft_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "weight layout (no effect on the count)"),
  ab_svd_init: describe(z._default(z.enum(["psoft_init", "pissa_init"]), "psoft_init"), "how the frozen A, B come from the SVD (no effect on the count)"),
  psoft_svd: describe(z._default(z.enum(["full", "lowrank"]), "full"), "SVD algorithm (no effect on the count)"),
  psoft_svd_lowrank_niter: describe(z._default(z.int(), 10), "low-rank SVD iterations (no effect on the count)"),
  random_seed: describe(z._default(z.int(), 0), "seed of the low-rank SVD (no effect on the count)"),
  use_cayley_neumann: describe(z._default(z.boolean(), false), "Neumann-series Cayley transform (no effect on the count)"),
  num_cayley_neumann_terms: describe(z._default(z.int(), 5), "Neumann terms (no effect on the count)"),
  cayley_neumann_eps: describe(z._default(z.nullable(z.number()), null), "Neumann-series clamp (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "identity initialisation (no effect on the count)"),
  ...FULL_TARGETING,
}));
export type PsoftOptions = z.output<typeof psoftOptionsSchema>;

export function countPsoft(inv: Inventory, o: PsoftOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("psoft", o, ctx);
  if (o.use_cayley_neumann && o.num_cayley_neumann_terms <= 0)
    throw new InputError("OPTION_OUT_OF_RANGE", `psoft: num_cayley_neumann_terms must be positive with use_cayley_neumann (got ${o.num_cayley_neumann_terms}; PEFT refuses it)`, "use e.g. num_cayley_neumann_terms=5");
  if (o.use_cayley_neumann && o.cayley_neumann_eps !== null && !(o.cayley_neumann_eps > 0 && o.cayley_neumann_eps < 1))
    throw new InputError("OPTION_OUT_OF_RANGE", `psoft: cayley_neumann_eps must be in (0, 1) (got ${o.cayley_neumann_eps}; PEFT refuses it)`, "use a value such as 0.9, or null");
  const r = o.r;
  const perModule = (m: ParamModule, add: (param: string, count: number) => void) => {
    const limit = Math.min(featuresOf(m).inFeatures, featuresOf(m).outFeatures);
    // peft 0.21 (PsoftLayer.update_layer) refuses r above min(d_in, d_out); 0.19 / 0.20 build the r × r map anyway
    if (atLeast(ctx.peft, "0.21.0") && r > limit)
      throw new InputError("OPTION_OUT_OF_RANGE", `psoft: r=${r} exceeds min(in_features, out_features) = ${limit} of ${m.name} (PEFT refuses it)`, `use r of at most ${limit}, or leave this module out`);
    add("psoft_R.weight", o.psoft_orth ? (r * (r - 1)) / 2 : r * r);
    if (o.psoft_mag_b) add("psoft_R.vector_b", r);
    if (o.psoft_mag_a) add("psoft_R.vector_a", r);
  };
  return wrapModules(inv, o, { method: "psoft", defaults: PSOFT_TARGETS, wrappable: ["linear"], perModule }, ctx);
}

export const psoft = {
  id: "psoft",
  title: "PSOFT",
  paper: "arXiv:2505.11235",
  peftType: "PSOFT",
  expression: "Σ_targets r(r−1)/2 + 2r  [r² with psoft_orth=false; − r per scale vector turned off]",
  schema: psoftOptionsSchema,
  peftVersions: { since: "0.19.0" },
  count: countPsoft,
  compact: indexFree,
} as const satisfies Formula<typeof psoftOptionsSchema>;
