/**
 * `target_modules` as PEFT's config holds it *after* `inject_adapter` rewrote it in place, for the methods
 * whose post-injection step reads it back (Lily groups its shared tensors by the entry a module matched):
 * null → the family's default table, "all-linear" → the full names of every Linear / Conv1D but the output
 * layer, ≥ 20 names → the minimal suffixes (minimal-targets.ts). A regex string stays as it is.
 * The matching itself (findTargets) already uses the shortened list, for every method.
 */
import type { Inventory } from "../model/types.js";
import { optimizeTargets } from "./minimal-targets.js";
import type { ModuleTree } from "./modules.js";
import { resolveTargets, type DefaultTargets } from "./targets.js";
import { effectiveModulesToSave, type TunerOptions } from "./tuner.js";

export { MIN_TARGET_MODULES_FOR_OPTIMIZATION, minimalTargetModules } from "./minimal-targets.js";

/** The effective `target_modules` after injection: a regex string, or a set of names / suffixes. */
export function injectedTargetModules(inv: Inventory, tree: ModuleTree, o: TunerOptions, method: string, defaults: DefaultTargets): string | Set<string> {
  const cfg = {
    target_modules: o.target_modules,
    exclude_modules: o.exclude_modules ?? null,
    layers_to_transform: o.layers_to_transform ?? null,
    layers_pattern: o.layers_pattern ?? null,
    modules_to_save: effectiveModulesToSave(o.modules_to_save, o.task_type),
    task_type: o.task_type ?? null,
  };
  const resolved = resolveTargets(inv, tree, cfg, method, defaults);
  return typeof resolved === "string" ? resolved : new Set(optimizeTargets(tree.names, resolved));
}
