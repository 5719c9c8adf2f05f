/**
 * Selective (partial) fine-tuning: chosen base modules train in place, everything else is frozen; nothing
 * is added, so allParams is the base model and each trained tensor counts once (a tied LM head trains the
 * embedding it shares). The selection is the union of: `modules` (names: exact or `.suffix`, leaves or
 * containers; or a regex string matching whole paths), the last `last_layers` blocks of every layer stack
 * (both stacks of an encoder-decoder), every normalisation layer (`norms`), and the task head (`head`).
 * The rules are stated in src/peft/selection.ts.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory, ParamModule } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { moduleTree } from "../../src/peft/modules.js";
import { headModules, normModules, selectByName, selectLastLayers, trainInPlace } from "../../src/peft/selection.js";
import { describe, nonNegInt, stringOrList, type Formula } from "../types.js";

export const selectiveOptionsSchema = lazySchema(() => z.object({
  modules: describe(z._default(z.nullable(stringOrList), null), 'modules to train: names (exact or suffix, e.g. ["norm", "lm_head"]; containers such as "mlp" too) or a regex string matching whole paths'),
  last_layers: describe(z._default(nonNegInt, 0), "train the last k blocks of every layer stack"),
  norms: describe(z._default(z.boolean(), false), "train every normalisation layer"),
  head: describe(z._default(z.boolean(), false), "train the head the task adds (LM head, classifier, score, qa_outputs, ...)"),
}));
export type SelectiveOptions = z.output<typeof selectiveOptionsSchema>;

export function countSelectiveParams(inv: Inventory, o: SelectiveOptions): ParamBreakdown {
  const tree = moduleTree(inv.modules);
  const chosen: ParamModule[] = [];
  if (o.modules !== null) chosen.push(...selectByName(tree, o.modules, "selective"));
  if (o.last_layers > 0) chosen.push(...selectLastLayers(tree, o.last_layers, "selective"));
  if (o.norms) {
    const norms = normModules(tree);
    if (norms.length === 0) throw new InputError("NO_TARGET_MATCHED", "selective: this model has no normalisation layers", "select modules by name instead");
    chosen.push(...norms);
  }
  if (o.head) {
    const head = headModules(inv, tree);
    if (head.length === 0) throw new InputError("NO_TARGET_MATCHED", `selective: a ${inv.task} model has no head`, "pick a task with a head (--task), or select modules by name");
    chosen.push(...head);
  }
  if (chosen.length === 0) throw new InputError("NO_TARGET_MATCHED", "selective: nothing selected", 'set modules, last_layers, norms or head (e.g. modules=["lm_head"], last_layers=2)');
  const picked = new Set(chosen);
  const inModelOrder = tree.leaves.filter((m) => picked.has(m));
  return trainInPlace(inv, inModelOrder.map((m) => ({ m, kind: "base" as const })), []);
}

export const selective = {
  id: "selective",
  title: "Selective fine-tuning",
  paper: "-",
  peftType: null,
  expression: "Σ parameters of the chosen modules (tied tensors once)",
  schema: selectiveOptionsSchema,
  count: countSelectiveParams,
} as const satisfies Formula<typeof selectiveOptionsSchema>;
