/**
 * `target_modules` as PEFT's config holds it *after* `inject_adapter` rewrote it in place, for the methods
 * whose post-injection step reads it back (Lily groups its shared tensors by the entry a module matched):
 * 1. null → the family's default table for the model_type (`_prepare_adapter_config`);
 * 2. "all-linear" → the set of full names of every Linear / Conv1D but the output layer
 *    (`_maybe_include_all_linear_layers`);
 * 3. a set of ≥ 20 entries (MIN_TARGET_MODULES_FOR_OPTIMIZATION) → the minimal set of name suffixes that
 *    still separates the targets from every other module, when that is shorter
 *    (`_find_minimal_target_modules`, peft src/peft/tuners/tuners_utils.py).
 * A regex string stays as it is.
 * Step 3 changes what is targeted, not only how it is written: an exact full name (what "all-linear" resolves
 * to) ignores `layers_to_transform`, a suffix obeys it, so on a model with ≥ 20 Linear layers
 * `"all-linear"` + `layers_to_transform=[0]` wraps layer 0 only (oracle: VeRA on Llama-3.2-1B, 7 modules).
 * `wrapModulesAsInjected` counts with the rewritten list, as PEFT matches with it.
 */
import type { ParamBreakdown } from "../breakdown.js";
import type { Inventory } from "../model/types.js";
import type { Versions } from "../versions.js";
import { moduleTree, type ModuleTree } from "./modules.js";
import { resolveTargets, type DefaultTargets, type TargetingConfig } from "./targets.js";
import { effectiveModulesToSave, wrapModules, type TunerOptions, type TunerSpec } from "./tuner.js";

/** peft utils/constants.py MIN_TARGET_MODULES_FOR_OPTIMIZATION */
export const MIN_TARGET_MODULES_FOR_OPTIMIZATION = 20;

/** Every dotted suffix of a name, shortest first: "a.b.c" → ["c", "b.c", "a.b.c"]. */
function suffixes(name: string): string[] {
  const parts = name.split(".");
  return parts.map((_, i) => parts.slice(i).join(".")).reverse();
}

/** Python's ordering of lists of strings (element-wise, then by length). */
function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** PEFT's `_find_minimal_target_modules`: the shortest suffixes that name the targets and nothing else. */
export function minimalTargetModules(targets: ReadonlySet<string>, others: Iterable<string>): Set<string> {
  const otherSuffixes = new Set<string>();
  for (const o of others) for (const s of suffixes(o)) otherSuffixes.add(s);
  const items = [...targets].map((t) => [t, suffixes(t)] as const).sort((a, b) => compareLists(a[1], b[1]));
  const required = new Set<string>();
  for (const [item, sfx] of items)
    for (const s of sfx) {
      if (required.has(s) || otherSuffixes.has(s)) continue;
      if (![...required].some((r) => item.endsWith(`.${r}`))) {
        required.add(s);
        break;
      }
    }
  return required;
}

function targetingConfig(o: TunerOptions): TargetingConfig {
  return {
    target_modules: o.target_modules,
    exclude_modules: o.exclude_modules ?? null,
    layers_to_transform: o.layers_to_transform ?? null,
    layers_pattern: o.layers_pattern ?? null,
    modules_to_save: effectiveModulesToSave(o.modules_to_save, o.task_type),
    task_type: o.task_type ?? null,
  };
}

/** The effective `target_modules` after injection: a regex string, or a set of names / suffixes. */
export function injectedTargetModules(inv: Inventory, tree: ModuleTree, o: TunerOptions, method: string, defaults: DefaultTargets): string | Set<string> {
  const cfg = targetingConfig(o);
  const resolved = resolveTargets(inv, tree, cfg, method, defaults);
  if (typeof resolved === "string") return resolved;
  const set = new Set(resolved);
  if (set.size < MIN_TARGET_MODULES_FOR_OPTIMIZATION) return set;
  const dotted = [...set].map((t) => `.${t}`);
  const others = tree.names.filter((n) => !set.has(n) && !dotted.some((d) => n.endsWith(d)));
  const minimal = minimalTargetModules(set, others);
  return minimal.size < set.size ? minimal : set;
}

/** `wrapModules`, matching with `target_modules` as injection rewrote it (the shortened suffixes, if any). */
export function wrapModulesAsInjected<O extends TunerOptions>(inv: Inventory, o: O, spec: TunerSpec<O>, ctx: Versions, tree: ModuleTree = moduleTree(inv.modules)): ParamBreakdown {
  const injected = injectedTargetModules(inv, tree, o, spec.method, spec.defaults);
  const resolved = resolveTargets(inv, tree, targetingConfig(o), spec.method, spec.defaults);
  const shortened = typeof injected !== "string" && typeof resolved !== "string" && injected.size < new Set(resolved).size;
  return wrapModules(inv, shortened ? { ...o, target_modules: [...injected] } : o, spec, ctx, tree);
}
