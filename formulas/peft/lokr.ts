/**
 * LoKr (low-rank Kronecker product, LyCORIS): ΔW = w1 ⊗ w2. Per wrapped Linear (out × in) at rank r
 * (peft src/peft/tuners/lokr/layer.py `update_layer` + `create_adapter_parameters`, unchanged for Linear from
 * 0.17 to 0.21): out = a·b and in = c·d with (a, b) = factorization(out, decompose_factor) and
 * (c, d) = factorization(in, decompose_factor);
 * - w1 is a full a × c lokr_w1, unless decompose_both and r < max(a, c)/2: lokr_w1_a (a × r) + lokr_w1_b (r × c);
 * - w2 is a full b × d lokr_w2 when r ≥ max(b, d)/2, else lokr_w2_a (b × r) + lokr_w2_b (r × d).
 * `rank_dropout_scale`, `use_effective_conv2d` (conv only) and `init_weights` do not change the count.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { LOKR_TARGETS } from "../../src/peft/default-targets.js";
import { refuseLayersPatternAlone } from "../../src/peft/layer-checks.js";
import { factorization, LYCORIS_WRAPPABLE, lycorisRank } from "../../src/peft/lycoris.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula } from "../types.js";
import { lohaOptionsSchema } from "./loha.js";

export const lokrOptionsSchema = lazySchema(() => z.extend(lohaOptionsSchema, {
  decompose_both: describe(z._default(z.boolean(), false), "also split the left Kronecker factor w1 into two rank-r matrices (when r < max(a, c)/2)"),
  decompose_factor: describe(z._default(z.int(), -1), "the factor each dimension is split by (-1: closest to the square root)"),
  rank_dropout_scale: describe(z._default(z.boolean(), false), "rescale rank dropout (no effect on the count)"),
  init_weights: describe(z._default(z.union([z.boolean(), z.literal("lycoris")]), true), 'initialisation: true, false or "lycoris" (no effect on the count)'),
}));
export type LokrOptions = z.output<typeof lokrOptionsSchema>;

export function countLokr(inv: Inventory, o: LokrOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  refuseLayersPatternAlone("lokr", o, ctx);
  return wrapModules(inv, o, {
    method: "lokr",
    defaults: LOKR_TARGETS,
    wrappable: LYCORIS_WRAPPABLE,
    perModule(m, add) {
      const r = lycorisRank(m, o);
      const [a, b] = factorization(featuresOf(m).outFeatures, o.decompose_factor);
      const [c, d] = factorization(featuresOf(m).inFeatures, o.decompose_factor);
      // r < max/2, compared as 2r < max to stay in integers
      if (o.decompose_both && 2 * r < Math.max(a, c)) {
        add("lokr_w1_a", a * r);
        add("lokr_w1_b", r * c);
      } else add("lokr_w1", a * c);
      if (2 * r < Math.max(b, d)) {
        add("lokr_w2_a", b * r);
        add("lokr_w2_b", r * d);
      } else add("lokr_w2", b * d);
    },
  }, ctx);
}

export const lokr = {
  id: "lokr",
  title: "LoKr",
  paper: "arXiv:2309.14859",
  peftType: "LOKR",
  expression: "Σ_targets [a·c | r·(a + c)] + [b·d | r·(b + d)],  (a, b) = factorization(d_out), (c, d) = factorization(d_in)",
  schema: lokrOptionsSchema,
  count: countLokr,
  compact: indexFree,
} as const satisfies Formula<typeof lokrOptionsSchema>;
