/**
 * AdaMSS, adaptive multi-subspace fine-tuning (openreview 8ZdWmpYxT0): per wrapped Linear, the weight (with
 * its bias as an extra column) is reduced to rank R = min(r, d_out, d_in + bias) by SVD, its d_out rows are
 * clustered by k-means into K = min(num_subspaces, d_out) subspaces, and subspace i (n_i rows) trains
 * `adamss_A[i]` (min(R, a_i) × R) and `adamss_B[i]` (n_i × a_i) with a_i = min(n_i, subspace_rank):
 * Σ_i min(R, a_i)·R + n_i·a_i. The cluster sizes n_i come from the weights; the count does not depend on
 * them when subspace_rank = 1 (a_i = 1: K·R + d_out), K = 1 or K = d_out — otherwise it is the maximum,
 * reached when every cluster holds at least subspace_rank rows, and the row says so. `use_dynamic_rank`
 * picks a_i in 1..min(n_i, subspace_rank) from singular values; `use_asa` freezes subspaces while training.
 * @see peft src/peft/tuners/adamss/layer.py `update_layer`, utils.py `slice_pca`, `clustering_Z`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { atLeast } from "../../src/versions.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { ADAMSS_TARGETS } from "../../src/peft/default-targets.js";
import { LAYERS_PATTERN, LAYERS_TO_TRANSFORM, MODULES_TO_SAVE, TARGET_MODULES, TASK_TYPE } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const positive = z.int().check(z.positive());

export const adamssOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 100), "SVD rank R (capped at d_out and d_in + bias per module)"),
  num_subspaces: describe(z._default(positive, 5), "k-means subspaces K per module (capped at d_out)"),
  subspace_rank: describe(z._default(positive, 1), "rank of each subspace's update"),
  use_dynamic_rank: describe(z._default(z.boolean(), false), "choose each subspace's rank (≤ subspace_rank) from the weights' singular values"),
  svd_threshold: describe(z._default(z.number(), 0.1), "singular-value threshold of use_dynamic_rank"),
  use_asa: describe(z._default(z.boolean(), false), "adaptive subspace allocation: freeze all but asa_target_subspaces subspaces during training"),
  asa_target_subspaces: describe(z._default(z.int(), 50), "subspaces ASA keeps training"),
  init_warmup: describe(z._default(z.int(), 50), "ASA: steps before pruning starts"),
  final_warmup: describe(z._default(z.int(), 1000), "ASA: step at which pruning reaches its target"),
  mask_interval: describe(z._default(z.int(), 100), "ASA: steps between mask updates"),
  asa_importance_beta: describe(z._default(z.number(), 0.85), "ASA importance EMA (no effect on the count)"),
  asa_uncertainty_beta: describe(z._default(z.number(), 0.85), "ASA uncertainty EMA (no effect on the count)"),
  asa_schedule_exponent: describe(z._default(z.number(), 3), "ASA pruning schedule exponent"),
  init_weights: describe(z._default(z.nullable(z.union([z.literal("orthogonal"), z.literal(false)])), "orthogonal"), '"orthogonal" or null (no effect on the count)'),
  random_seed: describe(z._default(nonNegInt, 0), "seed of the randomized SVD (no effect on the count)"),
  target_modules: TARGET_MODULES,
  layers_to_transform: LAYERS_TO_TRANSFORM,
  layers_pattern: LAYERS_PATTERN,
  modules_to_save: MODULES_TO_SAVE,
  task_type: TASK_TYPE,
}));
export type AdamssOptions = z.output<typeof adamssOptionsSchema>;

/** Subspace ranks assumed for one module: "max" = min(n_i, subspace_rank) with every n_i ≥ subspace_rank, "min" = 1. */
type Assume = "max" | "min";

function subspaces(m: ParamModule, o: AdamssOptions, assume: Assume): { a: number; b: number; exact: boolean } {
  const out = featuresOf(m).outFeatures;
  const inp = featuresOf(m).inFeatures + (m.params.some((p) => p.name === "bias") ? 1 : 0);
  const R = Math.min(o.r, out, inp);
  const K = Math.min(o.num_subspaces, out);
  const s = o.subspace_rank;
  if (s === 1 || K === out) return { a: K * R, b: out, exact: true };
  if (K === 1) {
    const rank = assume === "min" && o.use_dynamic_rank ? 1 : Math.min(out, s);
    return { a: Math.min(R, rank) * R, b: out * rank, exact: !o.use_dynamic_rank };
  }
  const rank = assume === "min" ? 1 : s;
  return { a: K * Math.min(R, rank) * R, b: out * rank, exact: false };
}

/** AdamssConfig's ASA checks, from peft 0.20 (#3438 "Improve param validation"). */
function checkAsa(o: AdamssOptions, ctx: EvalContext): void {
  if (!o.use_asa || !atLeast(ctx.peft, "0.20.0")) return;
  const bad = (what: string) => {
    throw new InputError("OPTION_OUT_OF_RANGE", `adamss: with use_asa, ${what}`, "fix the ASA schedule, or set use_asa to false");
  };
  if (o.mask_interval <= 0) bad(`mask_interval must be positive (got ${o.mask_interval})`);
  if (o.init_warmup >= o.final_warmup) bad(`init_warmup (${o.init_warmup}) must be smaller than final_warmup (${o.final_warmup})`);
  if (o.asa_target_subspaces <= 0) bad(`asa_target_subspaces must be positive (got ${o.asa_target_subspaces})`);
  if (o.asa_schedule_exponent <= 0) bad(`asa_schedule_exponent must be positive (got ${o.asa_schedule_exponent})`);
}

function countAssuming(inv: Inventory, o: AdamssOptions, ctx: EvalContext, assume: Assume): { breakdown: ParamBreakdown; exact: boolean } {
  let exact = true;
  const breakdown = wrapModules(
    inv,
    o,
    {
      method: "adamss",
      defaults: ADAMSS_TARGETS,
      wrappable: ["linear"],
      perModule: (m, add) => {
        const { a, b, exact: known } = subspaces(m, o, assume);
        exact &&= known;
        add("adamss_A", a);
        add("adamss_B", b);
      },
    },
    ctx,
  );
  return { breakdown, exact };
}

export function countAdamss(inv: Inventory, o: AdamssOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkAsa(o, ctx);
  const { breakdown, exact } = countAssuming(inv, o, ctx, "max");
  const notes: string[] = [];
  if (!exact) {
    const why = o.use_dynamic_rank ? "k-means cluster sizes and, with use_dynamic_rank, singular values" : "k-means cluster sizes";
    const least = o.use_dynamic_rank ? `; at the least (rank 1 everywhere) it is ${countAssuming(inv, o, ctx, "min").breakdown.trainable.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")}` : "";
    notes.push(`caveat: AdaMSS's subspace ranks depend on the weights (${why}); this is the most, with every subspace at rank subspace_rank=${o.subspace_rank} (each cluster holding at least that many rows)${least}`);
  }
  if (o.use_asa)
    notes.push(`caveat: with use_asa, training freezes all but the ${o.asa_target_subspaces} most important subspaces (chosen from gradients) after step ${o.final_warmup}; counted as PEFT creates them, all trainable`);
  return notes.length === 0 ? breakdown : { ...breakdown, warnings: [...breakdown.warnings, ...notes] };
}

export const adamss = {
  id: "adamss",
  title: "AdaMSS",
  paper: "openreview:8ZdWmpYxT0",
  peftType: "ADAMSS",
  expression: "Σ_targets K·R + d_out  (subspace_rank 1; K = min(num_subspaces, d_out), R = min(r, d_out, d_in + bias))",
  schema: adamssOptionsSchema,
  peftVersions: { since: "0.19.0" },
  count: countAdamss,
  compact: indexFree,
} as const satisfies Formula<typeof adamssOptionsSchema>;
