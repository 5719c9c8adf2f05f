/**
 * DeLoRA (decoupled low-rank adaptation): a LoRA whose update's norm is bounded by a learned λ. Per wrapped
 * Linear (out × in) at rank r: delora_A (r × in) + delora_B (out × r) + delora_lambda (1)
 * (peft src/peft/tuners/delora/layer.py `update_layer`; `delora_w_norm` is a buffer, not a parameter).
 * r per module: the first `rank_pattern` key matching the end of the module name, else `r`. Only torch
 * Linear layers are wrapped (transformers' Conv1D and embeddings are refused, as PEFT raises).
 * In PEFT since 0.18.0.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { DELORA_TARGETS } from "../../src/peft/default-targets.js";
import { refuseLayersPatternAlone, refuseLayersWithRegexTargets } from "../../src/peft/layer-checks.js";
import { patternValue } from "../../src/peft/pattern-key.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";

const rank = z.int().check(z.positive());
const list = z.nullable(stringOrList);

export const deloraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(rank, 8), "rank"),
  delora_lambda: describe(z._default(z.number(), 15), "initial bound of the update's norm (no effect on the count)"),
  module_dropout: describe(z._default(z.number(), 0), "module dropout (no effect on the count)"),
  target_modules: describe(z._default(list, null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type'),
  exclude_modules: describe(z._default(list, null), "names (suffix) or a regex string never to wrap"),
  bias: describe(z._default(z.enum(["none", "all", "delora_only"]), "none"), "which biases train: none, all, delora_only"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
  layers_to_transform: describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt"),
  layers_pattern: describe(z._default(list, null), "name of the layer list, for layers_to_transform"),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), rank)), {}), "rank per module-name pattern"),
  lambda_pattern: describe(z._default(z.nullable(z.record(z.string(), z.number())), {}), "lambda per module-name pattern (no effect on the count)"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type DeloraOptions = z.output<typeof deloraOptionsSchema>;

export function countDelora(inv: Inventory, o: DeloraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  refuseLayersWithRegexTargets("delora", o, false);
  refuseLayersPatternAlone("delora", o, ctx);
  return wrapModules(inv, o, {
    method: "delora",
    defaults: DELORA_TARGETS,
    wrappable: ["linear"],
    perModule(m, add) {
      const r = patternValue(o.rank_pattern, m.name, o.r, "rank_pattern");
      add("delora_A", r * featuresOf(m).inFeatures);
      add("delora_B", featuresOf(m).outFeatures * r);
      add("delora_lambda", 1);
    },
  }, ctx);
}

export const delora = {
  id: "delora",
  title: "DeLoRA",
  paper: "arXiv:2503.18225",
  peftType: "DELORA",
  expression: "Σ_targets r·(d_in + d_out) + 1",
  schema: deloraOptionsSchema,
  peftVersions: { since: "0.18.0" },
  count: countDelora,
  compact: indexFree,
} as const satisfies Formula<typeof deloraOptionsSchema>;
