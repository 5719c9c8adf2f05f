/**
 * PVeRA (probabilistic VeRA): VeRA's shared frozen projections, with a latent that is sampled, so each wrapped
 * layer trains pvera_lambda_b (d_out) and pvera_lambda_d (2r: the mean and the spread of the r-dim latent).
 * pvera_A (2r × max d_in) and pvera_B (max d_out × r) are created once, sized for the largest targeted layer
 * (`PveraModel._find_dim`), and are buffers: never counted. Linear and Conv1D only. New in peft 0.19.
 * @see arXiv:2512.07703 · peft src/peft/tuners/pvera/layer.py `update_layer`, model.py `_init_pvera_A_pvera_B`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { PVERA_TARGETS } from "../../src/peft/default-targets.js";
import { biasOption, fanInFanOutOption, refuseLayersPatternAlone, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";

export const pveraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 256), "latent size (lambda_d has 2r entries per layer)"),
  ...TARGETING_KEYS,
  bias: biasOption("pvera"),
  fan_in_fan_out: fanInFanOutOption,
  projection_prng_key: describe(z._default(z.int(), 0), "seed of the shared projections (no effect on the count)"),
  save_projection: describe(z._default(z.boolean(), true), "store pvera_A / pvera_B (buffers) in the adapter file (no effect on the count)"),
  pvera_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  d_initial: describe(z._default(z.number(), 0.1), "initial value of lambda_d (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
  // peft 0.19 also took a per-module dict here
  sample_at_inference: describe(z._default(z.union([z.boolean(), z.record(z.string(), z.boolean())]), false), "sample the latent at inference (no effect on the count)"),
  generator_seed: describe(z._default(z.nullable(z.int()), null), "seed of the sampling generator (no effect on the count)"),
}));
export type PveraOptions = z.output<typeof pveraOptionsSchema>;

export function countPveraParams(inv: Inventory, o: PveraOptions, ctx: EvalContext): ParamBreakdown {
  refuseLayersPatternAlone("pvera", o, ctx);
  return wrapModules(
    inv,
    o,
    {
      method: "pvera",
      defaults: PVERA_TARGETS,
      wrappable: ["linear", "conv1d"],
      perModule(m, add) {
        add("pvera_lambda_b", featuresOf(m).outFeatures);
        add("pvera_lambda_d", 2 * o.r);
      },
    },
    ctx,
  );
}

export const pvera = {
  id: "pvera",
  title: "PVeRA",
  paper: "arXiv:2512.07703",
  peftType: "PVERA",
  expression: "Σ_targets (d_out + 2r)  (pvera_A / pvera_B are shared frozen buffers, not parameters)",
  schema: pveraOptionsSchema,
  peftVersions: { since: "0.19.0" },
  count: countPveraParams,
} as const satisfies Formula<typeof pveraOptionsSchema>;
