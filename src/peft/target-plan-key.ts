/**
 * The key targeting plans are cached under (targets.ts findTargets): everything a plan depends on, serialised
 * cheaply — trees and frozen option lists get an id / their JSON once.
 */
import type { Inventory } from "../model/types.js";
import type { ModuleTree } from "./modules.js";
import type { DefaultTargets, TargetingConfig } from "./targets.js";

const tableIds = new WeakMap<object, number>();
let nextTableId = 0;

function tableId(t: object): number {
  let id = tableIds.get(t);
  if (id === undefined) tableIds.set(t, (id = nextTableId++));
  return id;
}

/** JSON of a targeting value; a frozen list (parsed options are frozen and shared) is serialised once. */
const frozenJson = new WeakMap<object, string>();
/** JSON of the strings seen (method names, task types, "all-linear"): a bounded memo */
const stringJson = new Map<string, string>();
function json(v: unknown): string {
  if (typeof v === "string") {
    let s = stringJson.get(v);
    if (s === undefined) {
      if (stringJson.size >= 256) stringJson.clear();
      stringJson.set(v, (s = JSON.stringify(v)));
    }
    return s;
  }
  if (v === null || typeof v !== "object") return v === undefined ? "null" : JSON.stringify(v);
  if (!Object.isFrozen(v)) return JSON.stringify(v);
  let s = frozenJson.get(v);
  if (s === undefined) frozenJson.set(v, (s = JSON.stringify(v)));
  return s;
}

/**
 * What a plan depends on: the tree, the targets after defaulting (a default list, not the table it came
 * from), the other targeting keys and the shortening flag. Not the method, which only words refusals (never
 * cached), nor the wrappable kinds, checked against the plan's own kinds on a hit: methods that target the
 * same modules (LoRA, DoRA, LoHa, LoKr, VeRA, AdaLoRA with all-linear) share one plan and its module classes.
 */
export function planKey(inv: Inventory, tree: ModuleTree, cfg: TargetingConfig, defaults: DefaultTargets, optimize: boolean): string {
  const t = cfg.target_modules === null ? `d${json(defaults[inv.modelType] ?? null)}` : `t${json(cfg.target_modules)}`;
  return `${tableId(tree)}|${optimize ? 1 : 0}|${t}|${json(cfg.exclude_modules)}|${json(cfg.layers_to_transform)}|${json(cfg.layers_pattern)}|${json(cfg.modules_to_save)}|${json(cfg.task_type)}`;
}
