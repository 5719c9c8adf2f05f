/**
 * TinyLoRA: each wrapped layer's update is B·R·A, with A, B the frozen truncated SVD of its own weight and
 * R = Σ_i v_i·P_i (P fixed random u × r × r); only the vectors v (u entries each) train, and `weight_tying`
 * shares them across layers. PEFT numbers the n targeted layers in model order and makes
 * g = max(1, round(n·(1 − weight_tying))) groups (Python's round: halves go to the even integer) of
 * ⌊n/g⌋ consecutive layers (the last group takes the rest), one v per group: u·g trainable parameters, shared.
 * tinylora_A / tinylora_B / tinylora_P are buffers: not counted (`save_projection` only decides whether P is
 * saved). `r` changes the buffers, not the count. Linear, Conv1D and Embedding. New in peft 0.19.
 * @see arXiv:2602.04118 · peft src/peft/tuners/tinylora/model.py `_create_and_replace`, layer.py `update_layer`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { TINYLORA_TARGETS } from "../../src/peft/default-targets.js";
import { biasOption, fanInFanOutOption, refuseLayersPatternAlone, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";

const positive = z.int().check(z.positive());

export const tinyloraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 2), "rank of the frozen SVD factors (no effect on the count)"),
  u: describe(z._default(positive, 64), "size of each trainable vector v"),
  weight_tying: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "share of the targeted layers that share a v: 0 = one v per layer, 1 = one v in all"),
  ...TARGETING_KEYS,
  bias: biasOption("tinylora"),
  fan_in_fan_out: fanInFanOutOption,
  projection_seed: describe(z._default(z.int(), 42), "seed of the projections P (no effect on the count)"),
  save_projection: describe(z._default(z.boolean(), true), "store P (buffers) in the adapter file (no effect on the count)"),
  init_v_bound: describe(z._default(z.number(), 0.02), "uniform init bound of v (no effect on the count)"),
  tinylora_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  init_weights: describe(z._default(z.union([z.boolean(), z.literal("uniform")]), true), 'initialisation of v: true (zeros), "uniform" or false (no effect on the count)'),
}));
export type TinyloraOptions = z.output<typeof tinyloraOptionsSchema>;

/** Python 3's round() of a float to an integer: ties go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return d < 0.5 ? f : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** How many distinct v vectors PEFT creates for n targeted layers. */
export function tinyloraGroups(n: number, weightTying: number): number {
  // every group index in [0, g) is reached: ⌊n/g⌋·g ≤ n, and the last index is clamped to g − 1
  return Math.max(1, roundHalfEven(n * (1.0 - weightTying)));
}

export function countTinyloraParams(inv: Inventory, o: TinyloraOptions, ctx: EvalContext): ParamBreakdown {
  refuseLayersPatternAlone("tinylora", o, ctx);
  return wrapModules(
    inv,
    o,
    {
      method: "tinylora",
      defaults: TINYLORA_TARGETS,
      wrappable: ["linear", "conv1d", "embedding"],
      perModule() {},
      shared: (wrapped) => [{ name: "tinylora_v", count: o.u * tinyloraGroups(wrapped.length, o.weight_tying) }],
    },
    ctx,
  );
}

export const tinylora = {
  id: "tinylora",
  title: "TinyLoRA",
  paper: "arXiv:2602.04118",
  peftType: "TINYLORA",
  expression: "u·max(1, round(n·(1 − weight_tying))), n = targeted layers  (SVD factors and projections are buffers)",
  schema: tinyloraOptionsSchema,
  peftVersions: { since: "0.19.0" },
  count: countTinyloraParams,
} as const satisfies Formula<typeof tinyloraOptionsSchema>;
