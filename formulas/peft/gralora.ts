/**
 * GraLoRA (granular LoRA): the weight is cut into a k × k grid (k = gralora_k) and every block gets its own
 * rank-(r/k) LoRA pair, which adds up to the same r·(in + out) as LoRA; `hybrid_r` > 0 adds a plain LoRA
 * beside it. Per wrapped Linear / Conv1D (out × in): gralora_A (k × in/k × r) + gralora_B (k × r × out/k)
 * [+ gralora_A_general (hybrid_r × in) + gralora_B_general (out × hybrid_r)]
 * (peft src/peft/tuners/gralora/layer.py `update_layer`). PEFT refuses r not divisible by k and layers whose
 * in or out features are not. GraloraConfig has no rank_pattern: every module gets `r`. In PEFT since 0.19.0.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { GRALORA_TARGETS } from "../../src/peft/default-targets.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";

const positive = z.int().check(z.positive());
const list = z.nullable(stringOrList);

export const graloraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 32), "rank of the block LoRA, split over the gralora_k blocks of each row (a multiple of gralora_k)"),
  hybrid_r: describe(z._default(nonNegInt, 0), "rank of an extra plain LoRA beside the blocks (0: none)"),
  gralora_k: describe(z._default(positive, 2), "the weight is cut into gralora_k × gralora_k blocks"),
  alpha: describe(z._default(z.number(), 64), "scaling numerator (no effect on the count)"),
  gralora_dropout: describe(z._default(z.number(), 0), "dropout (no effect on the count)"),
  target_modules: describe(z._default(list, null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type'),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "gralora_only"]), "none"), "which biases train: none, all, gralora_only"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
  layers_to_transform: describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt"),
  layers_pattern: describe(z._default(list, null), "name of the layer list, for layers_to_transform"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type GraloraOptions = z.output<typeof graloraOptionsSchema>;

export function countGralora(inv: Inventory, o: GraloraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const k = o.gralora_k;
  if (o.r % k !== 0) throw new InputError("INVALID_OPTION", `gralora: r=${o.r} is not divisible by gralora_k=${k} (PEFT refuses it)`, `use an r that is a multiple of ${k}`);
  return wrapModules(inv, o, {
    method: "gralora",
    defaults: GRALORA_TARGETS,
    wrappable: ["linear", "conv1d"],
    check(wrapped) {
      for (const m of wrapped)
        for (const [what, n] of [["in_features", featuresOf(m).inFeatures], ["out_features", featuresOf(m).outFeatures]] as const)
          if (n % k !== 0)
            throw new InputError("INVALID_OPTION", `gralora: ${m.name} has ${what}=${n}, not divisible by gralora_k=${k} (PEFT refuses it)`, "pick a gralora_k that divides the widths of every targeted layer, or exclude that layer");
    },
    perModule(m, add) {
      add("gralora_A", featuresOf(m).inFeatures * o.r);
      add("gralora_B", o.r * featuresOf(m).outFeatures);
      if (o.hybrid_r > 0) {
        add("gralora_A_general", o.hybrid_r * featuresOf(m).inFeatures);
        add("gralora_B_general", featuresOf(m).outFeatures * o.hybrid_r);
      }
    },
  }, ctx);
}

export const gralora = {
  id: "gralora",
  title: "GraLoRA",
  paper: "arXiv:2505.20355",
  peftType: "GRALORA",
  expression: "Σ_targets (r + hybrid_r)·(d_in + d_out)",
  schema: graloraOptionsSchema,
  peftVersions: { since: "0.19.0" },
  count: countGralora,
  compact: indexFree,
} as const satisfies Formula<typeof graloraOptionsSchema>;
