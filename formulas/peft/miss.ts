/**
 * MiSS (Kang & Yin 2024, the successor of Bone): each wrapped Linear learns one shared block, `miss_block`,
 * added to the weight's blocks along the input side. Its shape follows `init_weights`:
 * true / false: r × d_out; "bat" (block-affine): (d_out / r) × r × r = d_out·r, with d_in and d_out
 * multiples of r; "mini": r × mini_r, with d_out a multiple of mini_r (shared along the output side).
 * peft 0.21 also refuses r above d_in. `miss_dropout` does not change the count.
 * @see peft src/peft/tuners/miss/layer.py `MissLayer.update_layer`, `reset_bat_parameters`, `reset_mini_parameters`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { MISS_TARGETS } from "../../src/peft/default-targets.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { atLeast } from "../../src/versions.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const positive = z.int().check(z.positive());

export const missOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 64), "block size along the input side"),
  mini_r: describe(z._default(positive, 1), 'output width of the block with init_weights="mini"'),
  miss_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  init_weights: describe(z._default(z.union([z.boolean(), z.enum(["bat", "mini"])]), true), 'true / false: r × d_out block; "bat": (d_out/r) r×r blocks; "mini": r × mini_r'),
  bias: describe(z._default(z.enum(["none", "all", "miss_only"]), "none"), "which biases train: none, all, miss_only (those of wrapped layers)"),
  ...FULL_TARGETING,
}));
export type MissOptions = z.output<typeof missOptionsSchema>;

const refuse = (method: string, m: ParamModule, why: string, hint: string) => new InputError("OPTION_OUT_OF_RANGE", `${method}: ${why} at ${m.name} (PEFT refuses it)`, hint);

/** The block one wrapped Linear gets (MiSS, and Bone before it: same shapes without "mini"). */
export function blockSize(method: string, m: ParamModule, r: number, init: boolean | "bat" | "mini", miniR: number): number {
  const fin = featuresOf(m).inFeatures;
  const fout = featuresOf(m).outFeatures;
  if (init === "bat") {
    if (fin % r !== 0 || fout % r !== 0) throw refuse(method, m, `init_weights="bat" needs in_features ${fin} and out_features ${fout} to be multiples of r=${r}`, "choose r dividing both widths, or another init_weights");
    return (fout / r) * r * r;
  }
  if (init === "mini") {
    if (fout % miniR !== 0) throw refuse(method, m, `init_weights="mini" needs out_features ${fout} to be a multiple of mini_r=${miniR}`, "choose mini_r dividing the output width");
    return r * miniR;
  }
  return r * fout;
}

export function countMiss(inv: Inventory, o: MissOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("miss", o, ctx);
  const perModule = (m: ParamModule, add: (param: string, count: number) => void) => {
    // peft 0.21 (MissLayer.update_layer) refuses r above the input width; earlier releases build the block anyway
    if (atLeast(ctx.peft, "0.21.0") && o.r > featuresOf(m).inFeatures) throw refuse("miss", m, `r=${o.r} exceeds in_features ${featuresOf(m).inFeatures}`, `use r of at most ${featuresOf(m).inFeatures}`);
    add("miss_block", blockSize("miss", m, o.r, o.init_weights, o.mini_r));
  };
  return wrapModules(inv, o, { method: "miss", defaults: MISS_TARGETS, wrappable: ["linear"], perModule }, ctx);
}

export const miss = {
  id: "miss",
  title: "MiSS",
  paper: "arXiv:2409.15371",
  peftType: "MISS",
  expression: 'Σ_targets r · d_out  [r · mini_r with init_weights="mini"]',
  schema: missOptionsSchema,
  count: countMiss,
} as const satisfies Formula<typeof missOptionsSchema>;
