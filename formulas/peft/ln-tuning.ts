/**
 * LN tuning: every targeted module is replaced by an `LNTuningLayer` holding the original (frozen) and a
 * `deepcopy` of it that trains (peft src/peft/tuners/ln_tuning/layer.py `update_layer`). Nothing is factored:
 * the count is the copied module's own parameters, and allParams holds both the original and the copy.
 * PEFT wraps whatever it is pointed at — norms by default (its LN_TUNING table per model_type), but also an
 * embedding, the LM head (a tied head's copy is a tensor of its own) or a whole container such as an MLP.
 * A target inside another target makes PEFT fail, and is refused. The config has no `bias` option.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import { settle, wrappedPaths, type AddedParam, type ParamBreakdown } from "../../src/peft/apply.js";
import { LN_TUNING_TARGETS } from "../../src/peft/default-targets-own.js";
import { findModuleTargets } from "../../src/peft/module-targets.js";
import { moduleTree } from "../../src/peft/modules.js";
import { copiedParams } from "../../src/peft/tensors.js";
import { effectiveModulesToSave, headTaskWarning } from "../../src/peft/tuner.js";
import { describe, stringOrList, type Formula } from "../types.js";

export const lnTuningOptionsSchema = lazySchema(() => z.object({
  target_modules: describe(z._default(z.nullable(stringOrList), null), "modules to copy and train (names: exact or suffix; or a regex string); null: PEFT's LN tuning default (the norms) for the model_type"),
  exclude_modules: describe(z._default(z.nullable(stringOrList), null), "names (suffix) or a regex string never to wrap"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type LnTuningOptions = z.output<typeof lnTuningOptionsSchema>;

export function countLnTuningParams(inv: Inventory, o: LnTuningOptions): ParamBreakdown {
  const tree = moduleTree(inv.modules);
  const modulesToSave = effectiveModulesToSave(o.modules_to_save, o.task_type);
  const cfg = { target_modules: o.target_modules, exclude_modules: o.exclude_modules, layers_to_transform: null, layers_pattern: null, modules_to_save: modulesToSave, task_type: o.task_type };
  const warnings: string[] = [];
  const targets = findModuleTargets(inv, tree, cfg, "ln-tuning", LN_TUNING_TARGETS, warnings);
  const saved = wrappedPaths(tree, modulesToSave ?? [], undefined);
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  for (const path of saved) {
    const target = targets.find((t) => overlaps(path, t));
    if (target !== undefined)
      throw new InputError(
        "UNSUPPORTED_OPTION",
        `ln-tuning: the modules_to_save module "${path}" overlaps the target "${target}" (PEFT would wrap a module it has already replaced); peftcount does not model that`,
        "make modules_to_save and target_modules name disjoint modules",
      );
  }
  const added: AddedParam[] = targets.map((path) => ({ module: path, param: "ln_tuning_layers", count: copiedParams(tree, path), kind: "copy" }));
  const head = headTaskWarning(inv, o.task_type);
  if (head) warnings.push(head);
  return settle({ inv, tree, added, wrapped: [], bias: "none", modulesToSave, trainableTokenIndices: null, warnings });
}

export const lnTuning = {
  id: "ln-tuning",
  title: "LN tuning",
  paper: "arXiv:2312.11420",
  peftType: "LN_TUNING",
  expression: "Σ_targets params(target)  (a trainable copy of each targeted norm)",
  schema: lnTuningOptionsSchema,
  count: countLnTuningParams,
} as const satisfies Formula<typeof lnTuningOptionsSchema>;
