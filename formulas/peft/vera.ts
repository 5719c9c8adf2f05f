/**
 * VeRA: one pair of frozen random projections shared by every wrapped layer, and two trainable scaling
 * vectors per layer: vera_lambda_b (d_out) and vera_lambda_d (r).
 * The projections vera_A (r × max d_in) and vera_B (max d_out × r) are sized for the largest targeted layer
 * (`VeraModel._find_dim`, so layers of different shapes may share them) and are *buffers* (`BufferDict`):
 * never parameters, never counted, whatever `save_projection` (which only decides whether the adapter file
 * holds them) or `projection_prng_key`.
 * Wraps Linear and Conv1D only (an Embedding target is refused, as PEFT raises TypeError).
 * @see Kopiczko et al. 2023, arXiv:2310.11454 · peft src/peft/tuners/vera/layer.py `update_layer`, model.py `_find_dim`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { VERA_TARGETS } from "../../src/peft/default-targets.js";
import { biasOption, fanInFanOutOption, refuseLayersPatternAlone, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";

export const veraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 256), "rank of the shared random projections (lambda_d has r entries per layer)"),
  ...TARGETING_KEYS,
  bias: biasOption("vera"),
  fan_in_fan_out: fanInFanOutOption,
  projection_prng_key: describe(z._default(z.int(), 0), "seed of the shared projections (no effect on the count)"),
  save_projection: describe(z._default(z.boolean(), true), "store vera_A / vera_B (buffers) in the adapter file (no effect on the count)"),
  vera_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  d_initial: describe(z._default(z.number(), 0.1), "initial value of lambda_d (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
}));
export type VeraOptions = z.output<typeof veraOptionsSchema>;

export function countVeraParams(inv: Inventory, o: VeraOptions, ctx: EvalContext): ParamBreakdown {
  refuseLayersPatternAlone("vera", o, ctx);
  return wrapModules(
    inv,
    o,
    {
      method: "vera",
      defaults: VERA_TARGETS,
      wrappable: ["linear", "conv1d"],
      perModule(m, add) {
        add("vera_lambda_b", featuresOf(m).outFeatures);
        add("vera_lambda_d", o.r);
      },
    },
    ctx,
  );
}

export const vera = {
  id: "vera",
  title: "VeRA",
  paper: "arXiv:2310.11454",
  peftType: "VERA",
  expression: "Σ_targets (d_out + r)  (vera_A / vera_B are shared frozen buffers, not parameters)",
  schema: veraOptionsSchema,
  count: countVeraParams,
  compact: indexFree,
} as const satisfies Formula<typeof veraOptionsSchema>;
