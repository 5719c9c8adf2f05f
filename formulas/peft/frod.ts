/**
 * FRoD: the targeted layers are grouped by category (the last two name parts, e.g. `self_attn_q_proj`;
 * BERT's `attention.output.dense` is `attention_output`); each category gets one shared basis V (d_in × d_in,
 * from a joint decomposition of its layers' weights) and one random sparse pattern of off-diagonal positions,
 * nnz = min(⌊d_in²·sparse_rate⌋, d_in·(d_in − 1)), at least 1 when sparse_rate > 0. Per wrapped layer it trains
 * frod_lambda_l (d_in) and frod_lambda_s_values (nnz of its category). V, the pattern and each layer's U are
 * buffers, not counted (`save_projection` only decides whether they are saved).
 * The layers of one category are stacked along their rows, so PEFT needs them to share d_in; peftcount
 * refuses a category that mixes input sizes (PEFT fails in torch.cat). Linear and Conv1D only. New in peft 0.20.
 * @see doi:10.1609/aaai.v40i31.39813 · peft src/peft/tuners/frod/model.py `_init_frod_projections`, layer.py `update_layer`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule, type LinearModule } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { FROD_TARGETS } from "../../src/peft/default-targets.js";
import { biasOption, fanInFanOutOption, refuseLayersPatternAlone, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";

export const frodOptionsSchema = lazySchema(() => z.object({
  sparse_rate: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0.01), "share of a category's d_in² off-diagonal rotation entries that train"),
  ...TARGETING_KEYS,
  bias: biasOption("frod"),
  fan_in_fan_out: fanInFanOutOption,
  projection_prng_key: describe(z._default(z.int(), 0), "seed of the sparse patterns (no effect on the count)"),
  save_projection: describe(z._default(z.boolean(), true), "store the shared bases (buffers) in the adapter file (no effect on the count)"),
  frod_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
  regularization_alpha: describe(z._default(z.number(), 0.001), "stabiliser of the joint decomposition (no effect on the count)"),
  progressbar: describe(z._default(z.boolean(), true), "progress bar while decomposing (no effect on the count)"),
  runtime_offload_base_weight: describe(z._default(z.boolean(), false), "keep base weights on the CPU (no effect on the count)"),
}));
export type FrodOptions = z.output<typeof frodOptionsSchema>;

/** PEFT's `_category_from_key`: the module's kind, shared by the same module in every block. */
export function frodCategory(key: string): string {
  const parts = key.split(".");
  if (parts.length === 1) return parts[0]!;
  if (/^\d+$/.test(parts.at(-2)!)) return parts.at(-1)!;
  const category = `${parts.at(-2)}_${parts.at(-1)}`;
  return category === "output_dense" && parts.length >= 3 && parts.at(-3) === "attention" ? "attention_output" : category;
}

/** Trainable entries of a category's sparse rotation (float product truncated, as Python's int()). */
export function frodNnz(inFeatures: number, sparseRate: number): number {
  const offDiagonal = inFeatures * (inFeatures - 1);
  const nnz = Math.min(Math.trunc(inFeatures * inFeatures * sparseRate), offDiagonal);
  return sparseRate > 0 && offDiagonal > 0 ? Math.max(1, nnz) : nnz;
}

function checkCategories(wrapped: readonly ParamModule[]): void {
  const inOf = new Map<string, LinearModule>();
  for (const w of wrapped) {
    const m = featuresOf(w);
    const c = frodCategory(m.name);
    const first = inOf.get(c);
    if (first === undefined) inOf.set(c, m);
    else if (first.inFeatures !== m.inFeatures)
      throw new InputError(
        "UNSUPPORTED_TARGET",
        `frod: ${first.name} (d_in ${first.inFeatures}) and ${m.name} (d_in ${m.inFeatures}) share the category "${c}" but not their input size; PEFT cannot stack them into one basis`,
        "target these layers in separate adapters, or exclude one kind",
      );
  }
}

export function countFrodParams(inv: Inventory, o: FrodOptions, ctx: EvalContext): ParamBreakdown {
  refuseLayersPatternAlone("frod", o, ctx);
  return wrapModules(
    inv,
    o,
    {
      method: "frod",
      defaults: FROD_TARGETS,
      wrappable: ["linear", "conv1d"],
      check: checkCategories,
      perModule(m, add) {
        add("frod_lambda_l", featuresOf(m).inFeatures);
        add("frod_lambda_s_values", frodNnz(featuresOf(m).inFeatures, o.sparse_rate));
      },
    },
    ctx,
  );
}

export const frod = {
  id: "frod",
  title: "FRoD",
  paper: "doi:10.1609/aaai.v40i31.39813",
  peftType: "FROD",
  expression: "Σ_targets d_in + min(⌊d_in²·sparse_rate⌋, d_in·(d_in−1))  (shared bases and patterns are buffers)",
  schema: frodOptionsSchema,
  peftVersions: { since: "0.20.0" },
  count: countFrodParams,
} as const satisfies Formula<typeof frodOptionsSchema>;
