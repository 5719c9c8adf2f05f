/**
 * Targets of a tuner that wraps *any* module, leaf or container (LN tuning deep-copies whatever it is
 * given: a norm, an embedding, a whole MLP). PEFT's matching rules (targets.ts `targetState`) on every
 * path `named_modules()` yields. PEFT's `inject_adapter` lists the paths first and replaces modules as it
 * goes, so a target inside an already replaced container can no longer be found and PEFT fails
 * (AttributeError): that case is refused here too.
 */
import { InputError } from "../errors.js";
import type { Inventory } from "../model/types.js";
import type { ModuleTree } from "./modules.js";
import { resolveTargets, targetableNames, targetState, type DefaultTargets, type TargetingConfig } from "./targets.js";

const isSuffix = (key: string, t: string) => key === t || key.endsWith(`.${t}`);

/** Paths of the targeted modules, in model order (parents before children). */
export function findModuleTargets(inv: Inventory, tree: ModuleTree, cfg: TargetingConfig, method: string, defaults: DefaultTargets, warnings: string[]): string[] {
  const resolved = resolveTargets(inv, tree, cfg, method, defaults);
  const out: string[] = [];
  let excluded = 0;
  for (const key of tree.names) {
    const state = targetState(key, resolved, cfg);
    if (state === "excluded") excluded++;
    else if (state) {
      const outer = out.find((o) => key.startsWith(`${o}.`));
      if (outer !== undefined)
        throw new InputError(
          "NESTED_TARGETS",
          `${method}: target "${key}" lies inside target "${outer}"; PEFT replaces "${outer}" first and then cannot find "${key}" (it fails)`,
          "target either the container or the modules inside it, not both",
        );
      out.push(key);
    }
  }
  const t = cfg.target_modules;
  const unknown = Array.isArray(t) ? (t as readonly string[]).filter((e) => !tree.names.some((k) => isSuffix(k, e))) : [];
  const names = () => targetableNames(tree, ["norm", "embedding", "linear", "conv1d", "other"]).join(", ");
  if (out.length === 0) {
    const shown = JSON.stringify(t ?? defaults[inv.modelType] ?? null);
    const why = excluded > 0 ? `every module target_modules=${shown} matches was excluded (exclude_modules / modules_to_save)` : `target_modules=${shown} matches no module`;
    throw new InputError(unknown.length > 0 ? "UNKNOWN_TARGET_MODULE" : "NO_TARGET_MATCHED", `${method}: ${why} of this ${inv.modelType} model`, `module names of this model: ${names()}`);
  }
  for (const entry of unknown) warnings.push(`target module "${entry}" matches no module of this ${inv.modelType} model; PEFT skips it (module names: ${names()})`);
  const ex = cfg.exclude_modules;
  if (ex !== null && ex.length > 0 && excluded === 0) warnings.push(`exclude_modules=${JSON.stringify(ex)} excluded nothing (PEFT warns too); check the names`);
  return out;
}
