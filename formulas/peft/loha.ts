/**
 * LoHa (low-rank Hadamard product, LyCORIS): ΔW = (w1_a·w1_b) ⊙ (w2_a·w2_b). Per wrapped Linear (out × in)
 * at rank r: hada_w1_a and hada_w2_a (out × r), hada_w1_b and hada_w2_b (r × in), i.e. 2·r·(in + out)
 * (peft src/peft/tuners/loha/layer.py `create_adapter_parameters`, unchanged for Linear from 0.17 to 0.21).
 * r per module: the first `rank_pattern` key matching the end of the module name, else `r`. Conv layers
 * (hada_t1 / hada_t2 with `use_effective_conv2d`) do not occur in the models peftcount builds.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { LOHA_TARGETS } from "../../src/peft/default-targets.js";
import { refuseLayersPatternAlone } from "../../src/peft/layer-checks.js";
import { LYCORIS_WRAPPABLE, lycorisRank } from "../../src/peft/lycoris.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";

const rank = z.int().check(z.positive());
const list = z.nullable(stringOrList);

/** LoHaConfig's keys (LycorisConfig's plus init_weights); LoKr extends it. */
export const lohaOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(rank, 8), "rank"),
  alpha: describe(z._default(z.number(), 8), "scaling numerator (no effect on the count)"),
  rank_dropout: describe(z._default(z.number(), 0), "rank dropout (no effect on the count)"),
  module_dropout: describe(z._default(z.number(), 0), "module dropout (no effect on the count)"),
  use_effective_conv2d: describe(z._default(z.boolean(), false), "CP decomposition of Conv1d / Conv2d kernels > 1 (no such layer in the models peftcount builds)"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
  target_modules: describe(z._default(list, null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type'),
  exclude_modules: describe(z._default(list, null), "names (suffix) or a regex string never to wrap"),
  layers_to_transform: describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt"),
  layers_pattern: describe(z._default(list, null), "name of the layer list, for layers_to_transform"),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), rank)), {}), "rank per module-name pattern"),
  alpha_pattern: describe(z._default(z.nullable(z.record(z.string(), z.number())), {}), "alpha per module-name pattern (no effect on the count)"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type LohaOptions = z.output<typeof lohaOptionsSchema>;

export function countLoha(inv: Inventory, o: LohaOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  refuseLayersPatternAlone("loha", o, ctx);
  return wrapModules(inv, o, {
    method: "loha",
    defaults: LOHA_TARGETS,
    wrappable: LYCORIS_WRAPPABLE,
    perModule(m, add) {
      const r = lycorisRank(m, o);
      for (const w of ["hada_w1", "hada_w2"]) {
        add(`${w}_a`, featuresOf(m).outFeatures * r);
        add(`${w}_b`, r * featuresOf(m).inFeatures);
      }
    },
  }, ctx);
}

export const loha = {
  id: "loha",
  title: "LoHa",
  paper: "arXiv:2108.06098",
  peftType: "LOHA",
  expression: "Σ_targets 2·r·(d_in + d_out)",
  schema: lohaOptionsSchema,
  count: countLoha,
  compact: indexFree,
} as const satisfies Formula<typeof lohaOptionsSchema>;
