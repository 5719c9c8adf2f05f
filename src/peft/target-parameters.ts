/**
 * LoRA's `target_parameters`: LoRA on bare nn.Parameters (peft src/peft/tuners/tuners_utils.py `_inject_parameters`,
 * src/peft/tuners/lora/layer.py `ParamWrapper`), e.g. the fused experts of transformers-5 MoE models.
 * - Matching: the key `<module>.<parameter>` of every parameter (the lowest module holding it) equals an entry or
 *   ends with `.<entry>`. `layers_to_transform`, `exclude_modules` and `modules_to_save` do not apply.
 * - Shapes: a 3-D parameter [E, d1, d2] gets lora_A (r·E × d_in) and lora_B (d_out × r·E): E·r·(d1 + d2); a 2-D
 *   one [d0, d1] is a Linear weight: r·(d0 + d1). Any other rank is PEFT's ValueError. r: rank_pattern on the key.
 * - ParamWrapper refuses lora_dropout ≠ 0, fan_in_fan_out, lora_bias, DoRA and every other LoRA variant, and a
 *   parameter of a module that target_modules already wraps; modules_to_save cannot hold a wrapped module itself.
 * - Module and parameter targets are one adapter: PEFT fails only when neither matches anything, and otherwise
 *   warns about the half that matched nothing.
 */
import { memoByKey } from "./memo.js";
import { InputError } from "../errors.js";
import type { Inventory, ParamModule } from "../model/types.js";
import { wrappedPaths, type AddedParam } from "./apply.js";
import type { ModuleTree } from "./modules.js";
import { findTargets, type DefaultTargets, type TargetingConfig } from "./targets.js";

export interface ParamTarget {
  readonly module: ParamModule;
  /** the parameter's name inside its module, e.g. `gate_up_proj` */
  readonly param: string;
  /** `<module>.<parameter>`, what target_parameters and rank_pattern match */
  readonly key: string;
  readonly shape: readonly number[];
}

/** What ParamWrapper reads from the LoRA config. */
export interface ParamWrapperOptions {
  readonly lora_dropout: number;
  readonly lora_bias: boolean;
  readonly use_dora: boolean;
}

/** Every parameter `target_parameters` names, in model order (tied copies too: each module sees its own). */
export function findParamTargets(tree: ModuleTree, names: readonly string[] | null): readonly ParamTarget[] {
  if (names === null || names.length === 0) return [];
  // a pure function of the (immutable) tree and the names: kept per tree and list of names, frozen
  return paramTargetsOf(tree, JSON.stringify(names), () => Object.freeze(scanParamTargets(tree, names).map((t) => Object.freeze(t))));
}

const paramTargetsOf = memoByKey<ModuleTree, readonly ParamTarget[]>(64);

function scanParamTargets(tree: ModuleTree, names: readonly string[]): ParamTarget[] {
  const out: ParamTarget[] = [];
  for (const m of tree.leaves)
    for (const p of m.params) {
      const key = `${m.name}.${p.name}`;
      if (names.includes(key) || names.some((t) => key.endsWith(`.${t}`))) out.push({ module: m, param: p.name, key, shape: p.shape });
    }
  return out;
}

/**
 * The modules target_modules wraps, next to the parameters target_parameters wraps: an empty list (or null
 * without a default for the model type) wraps no module; nothing matched at all is PEFT's error.
 */
export function findModuleTargets(
  inv: Inventory,
  tree: ModuleTree,
  cfg: TargetingConfig,
  params: readonly ParamTarget[],
  targetParameters: readonly string[] | null,
  wrappable: Parameters<typeof findTargets>[4],
  warnings: string[],
  defaults: DefaultTargets,
): ParamModule[] {
  const withParams = targetParameters !== null && targetParameters.length > 0;
  const noModules = Array.isArray(cfg.target_modules) ? cfg.target_modules.length === 0 : cfg.target_modules === null && withParams && defaults[inv.modelType] === undefined;
  let wrapped: ParamModule[] = [];
  if (!noModules) {
    try {
      wrapped = findTargets(inv, tree, cfg, "lora", wrappable, warnings, defaults);
    } catch (e) {
      if (!(params.length > 0 && e instanceof InputError && (e.code === "NO_TARGET_MATCHED" || e.code === "UNKNOWN_TARGET_MODULE"))) throw e;
      warnings.push(`target_modules=${JSON.stringify(cfg.target_modules)} matched no module (PEFT warns too); only the target_parameters are adapted`);
    }
  }
  if (params.length === 0 && withParams) {
    if (wrapped.length === 0)
      throw new InputError("NO_TARGET_MATCHED", `lora: target_modules is empty and target_parameters=${JSON.stringify(targetParameters)} matches no parameter`, `parameter names of this model end with: ${[...new Set(tree.leaves.flatMap((m) => m.params.map((p) => `${m.name.split(".").pop()}.${p.name}`)))].slice(0, 12).join(", ")}`);
    warnings.push(`target_parameters=${JSON.stringify(targetParameters)} matched no parameter (PEFT warns too); only the target_modules are adapted`);
  }
  if (noModules && params.length === 0 && !withParams)
    throw new InputError("NO_TARGET_MATCHED", "lora: target_modules is empty and there are no target_parameters (PEFT: no `target_modules` passed but also no `target_parameters` found)", "name modules in target_modules or parameters in target_parameters");
  return wrapped;
}

/** the names of a wrapped list, kept per frozen list (plans hand out one frozen list per targeting keys) */
const wrappedNameSets = new WeakMap<readonly ParamModule[], ReadonlySet<string>>();
function wrappedNames(wrapped: readonly ParamModule[]): ReadonlySet<string> {
  if (!Object.isFrozen(wrapped)) return new Set(wrapped.map((m) => m.name));
  let names = wrappedNameSets.get(wrapped);
  if (!names) wrappedNameSets.set(wrapped, (names = new Set(wrapped.map((m) => m.name))));
  return names;
}

/** ParamWrapper's refusals, checked once any parameter is targeted. `variants`: the LoRA variants the config requests. */
export function checkParamTargets(params: readonly ParamTarget[], wrapped: readonly ParamModule[], o: ParamWrapperOptions, fanInFanOut: boolean, variants: readonly string[], tree: ModuleTree, modulesToSave: readonly string[] | null): void {
  if (params.length === 0) return;
  const byModule = wrappedNames(wrapped);
  const refuse = (why: string, fix: string) => {
    throw new InputError("UNSUPPORTED_OPTION", `lora: target_parameters: ${why} (PEFT's ParamWrapper refuses it)`, fix);
  };
  for (const p of params) {
    if (byModule.has(p.module.name))
      throw new InputError("CONFLICTING_OPTIONS", `lora: target_parameters names "${p.key}" of "${p.module.name}", which target_modules already wraps (PEFT refuses it)`, "target the module or its parameter, not both: remove it from target_modules (or set target_modules=[])");
    if (p.shape.length !== 2 && p.shape.length !== 3) refuse(`"${p.key}" is a ${p.shape.length}-D parameter; only 2-D and 3-D ones can be wrapped`, "target 2-D weights or 3-D expert stacks");
  }
  if (o.lora_dropout !== 0) refuse(`lora_dropout=${o.lora_dropout} cannot be applied to a bare parameter (the input cannot be factored out of lora_B(lora_A(dropout(x))))`, "set lora_dropout=0");
  if (fanInFanOut) refuse("fan_in_fan_out is set (or a wrapped Conv1D module set it)", "set fan_in_fan_out=false and do not target Conv1D modules with target_modules in the same adapter");
  if (o.lora_bias) refuse("lora_bias=true", "set lora_bias=false");
  if (o.use_dora) refuse("use_dora=true", "set use_dora=false");
  const other = variants.filter((v) => v !== "use_dora");
  if (other.length > 0) refuse(`it does not work with LoRA variants (${other.join(", ")})`, `remove ${other.join(", ")}, or target modules instead of parameters`);
  const paramModules = new Set(params.map((p) => p.module.name));
  for (const path of modulesToSave && modulesToSave.length > 0 ? wrappedPaths(tree, modulesToSave, undefined) : [])
    if (paramModules.has(path))
      throw new InputError("CONFLICTING_OPTIONS", `lora: modules_to_save cannot hold "${path}", whose parameters target_parameters wraps (PEFT's TypeError)`, "save its parent module, or drop it from modules_to_save");
}

/** lora_A and lora_B of one wrapped parameter. */
export function paramTensors(p: ParamTarget, r: number): AddedParam[] {
  const [experts, d1, d2] = p.shape.length === 3 ? (p.shape as [number, number, number]) : [1, p.shape[0]!, p.shape[1]!];
  // for a 3-D stack PEFT swaps in/out unless the module is transposed: A and B together hold r·E·(d1 + d2) either way
  return [
    { module: p.module.name, param: `${p.param}.lora_A`, count: r * experts * d2 },
    { module: p.module.name, param: `${p.param}.lora_B`, count: d1 * r * experts },
  ];
}
