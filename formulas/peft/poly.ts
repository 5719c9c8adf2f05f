/**
 * Poly (Polytropon): a bank of LoRA "skills" per wrapped Linear, mixed per task by a learned router
 * (peft src/peft/tuners/poly/layer.py `update_layer`, router.py `PolyRouter`). Per wrapped nn.Linear:
 *   poly_lora_A  n_splits × n_skills × ⌊d_in / n_splits⌋ × r
 *   poly_lora_B  n_splits × n_skills × r × ⌊d_out / n_splits⌋
 *   module_logits  n_tasks × (n_splits · n_skills)   (each wrapped module has its own router)
 * The shapes use integer division, as PEFT does (it does not check divisibility). Only nn.Linear can be
 * wrapped (Conv1D and Embedding raise). Default targets: LoRA's table (POLY_TARGETS). No `bias` option.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { POLY_TARGETS } from "../../src/peft/default-targets.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, stringOrList, type EvalContext, type Formula } from "../types.js";

const positive = z.int().check(z.positive());

export const polyOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 8), "rank of each skill's LoRA pair"),
  target_modules: describe(z._default(z.nullable(stringOrList), null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type'),
  exclude_modules: describe(z._default(z.nullable(stringOrList), null), "names (suffix) or a regex string never to wrap"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  init_weights: describe(z._default(z.boolean(), true), "zero-initialise poly_lora_B (no effect on the count)"),
  poly_type: describe(z._default(z.enum(["poly"]), "poly"), 'router type (PEFT has only "poly")'),
  n_tasks: describe(z._default(positive, 1), "number of tasks the router learns a mixture for"),
  n_skills: describe(z._default(positive, 4), "number of LoRA skills per module"),
  n_splits: describe(z._default(positive, 1), "splits of d_in / d_out (Multi-Head Routing); 1 = Poly"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type PolyOptions = z.output<typeof polyOptionsSchema>;

export function countPolyParams(inv: Inventory, o: PolyOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const bank = o.n_splits * o.n_skills;
  return wrapModules(
    inv,
    o,
    {
      method: "poly",
      defaults: POLY_TARGETS,
      wrappable: ["linear"],
      perModule(m, add) {
        add("poly_lora_A", bank * Math.floor(featuresOf(m).inFeatures / o.n_splits) * o.r);
        add("poly_lora_B", bank * o.r * Math.floor(featuresOf(m).outFeatures / o.n_splits));
        add("poly_router.module_logits", o.n_tasks * bank);
      },
    },
    ctx,
  );
}

export const poly = {
  id: "poly",
  title: "Poly",
  paper: "arXiv:2202.13914",
  peftType: "POLY",
  expression: "Σ_targets n_splits·n_skills·r·(⌊d_in/n_splits⌋ + ⌊d_out/n_splits⌋) + n_tasks·n_splits·n_skills",
  schema: polyOptionsSchema,
  count: countPolyParams,
  compact: indexFree,
} as const satisfies Formula<typeof polyOptionsSchema>;
