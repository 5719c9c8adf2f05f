/**
 * RandLoRA: full-rank updates from a sum of n = ⌈min(d_in, d_out) / r⌉ shared random bases, each scaled by
 * trainable diagonals. Per wrapped layer it trains randlora_lambda (r × n) and randlora_gamma
 * (n × min(d_in, d_out)). The bases randlora_A (r × 1 × min dim) and randlora_B (max dim × n × r) are created
 * once for the largest targeted layer (`RandLoraModel._find_dim`) and are buffers: not counted, whatever
 * `save_projection`, `sparse` or `very_sparse`. Linear and Conv1D only.
 * @see Albert et al. 2025, arXiv:2502.00987 · peft src/peft/tuners/randlora/layer.py `update_layer`, model.py `_init_randlora_A_randlora_B`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { RANDLORA_TARGETS } from "../../src/peft/default-targets.js";
import { biasOption, fanInFanOutOption, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";
import { refuseMambaTargets } from "../../src/peft/mamba-targets.js";

export const randloraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 32), "rank of each random basis (fewer bases as r grows)"),
  ...TARGETING_KEYS,
  bias: biasOption("randlora"),
  fan_in_fan_out: fanInFanOutOption,
  randlora_alpha: describe(z._default(z.number(), 640), "scaling numerator (no effect on the count)"),
  projection_prng_key: describe(z._default(z.int(), 0), "seed of the shared bases (no effect on the count)"),
  save_projection: describe(z._default(z.boolean(), true), "store the bases (buffers) in the adapter file (no effect on the count)"),
  sparse: describe(z._default(z.boolean(), false), "ternary sparse bases (no effect on the count)"),
  very_sparse: describe(z._default(z.boolean(), false), "very sparse bases (no effect on the count)"),
  randlora_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
}));
export type RandloraOptions = z.output<typeof randloraOptionsSchema>;

/** ⌈min(d_in, d_out) / r⌉: enough bases for a full-rank update (PEFT: int, +1 unless it divides). */
export function randloraBases(inFeatures: number, outFeatures: number, r: number): number {
  return Math.ceil(Math.min(inFeatures, outFeatures) / r);
}

export function countRandloraParams(inv: Inventory, o: RandloraOptions, ctx: EvalContext): ParamBreakdown {
  // RandLoraConfig, unlike VeRA's, never checked layers_pattern against layers_to_transform
  return wrapModules(
    inv,
    o,
    {
      method: "randlora",
      defaults: RANDLORA_TARGETS,
      wrappable: ["linear", "conv1d"],
      check: (wrapped, _o, inv) => refuseMambaTargets("randlora", "RANDLORA", inv.modelType, wrapped.map((m) => m.name), ctx),
      perModule(m, add) {
        const n = randloraBases(featuresOf(m).inFeatures, featuresOf(m).outFeatures, o.r);
        add("randlora_lambda", o.r * n);
        add("randlora_gamma", n * Math.min(featuresOf(m).inFeatures, featuresOf(m).outFeatures));
      },
    },
    ctx,
  );
}

export const randlora = {
  id: "randlora",
  title: "RandLoRA",
  paper: "arXiv:2502.00987",
  peftType: "RANDLORA",
  expression: "Σ_targets n·(r + min(d_in, d_out)), n = ⌈min(d_in, d_out)/r⌉  (shared bases are frozen buffers)",
  schema: randloraOptionsSchema,
  count: countRandloraParams,
} as const satisfies Formula<typeof randloraOptionsSchema>;
