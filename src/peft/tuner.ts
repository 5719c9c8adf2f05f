/**
 * The shape most PEFT tuners share (`BaseTuner.inject_adapter`): find the targets with PEFT's matching
 * rules and the method family's default-target table, add the method's tensors to each wrapped module
 * (plus tensors shared once by all of them), then settle what trains: `modules_to_save` (task heads
 * included, from `task_type`), biases, trainable tokens. A formula supplies only its per-module shapes.
 */
import type { ParamBreakdown } from "../breakdown.js";
import { InputError } from "../errors.js";
import type { Inventory, ModuleKind, ParamModule } from "../model/types.js";
import { settle, wrappedPaths, type SharedParam } from "./apply.js";
import { groupedTensors, labelledClasses, moduleClasses, type ModuleLabels } from "./plan.js";
import { TASK_MODULES_TO_SAVE } from "./defaults.js";
import { moduleTree, type ModuleTree } from "./modules.js";
import { findTargets, type DefaultTargets } from "./targets.js";
import type { Versions } from "../versions.js";
import { atLeast } from "../versions.js";

/** The targeting keys every module-wrapping PEFT config has (PEFT's names). */
export interface TunerOptions {
  readonly target_modules: string | readonly string[] | null;
  readonly exclude_modules?: string | readonly string[] | null;
  readonly layers_to_transform?: number | readonly number[] | null;
  readonly layers_pattern?: string | readonly string[] | null;
  readonly modules_to_save?: readonly string[] | null;
  readonly task_type?: string | null;
  readonly bias?: string;
  readonly trainable_token_indices?: readonly number[] | Readonly<Record<string, readonly number[]>> | null;
}

/** Add one tensor to the wrapped module; `trainable: false` = a parameter that exists but stays frozen (allParams only). */
export type AddTensor = (param: string, count: number, trainable?: boolean) => void;

export interface TunerSpec<O extends TunerOptions> {
  /** the method id, for messages */
  readonly method: string;
  /** PEFT's default target_modules for the family (default-targets.ts) */
  readonly defaults: DefaultTargets;
  /** module kinds the method can wrap; any other targeted module is an error, as in PEFT */
  readonly wrappable: readonly ModuleKind[];
  /** false for IA3: PEFT does not shorten its ≥ 20-name target lists to suffixes (minimal-targets.ts) */
  readonly optimizeTargets?: boolean;
  /** the tensors the method adds to one wrapped module (`label`: its label under `classify`, when given) */
  perModule(m: ParamModule, add: AddTensor, o: O, label?: string): void;
  /**
   * A choice per module that depends on its name (IA3's feed-forward test), made outside perModule so that
   * modules stay grouped: `of(name)` labels a wrapped module, `key` names the rule (labels are kept per
   * targeting plan and key), and perModule receives the label.
   */
  classify?(o: O, inv: Inventory): ModuleLabels;
  /** tensors created once for the whole adapter, after the targets are known */
  shared?(wrapped: readonly ParamModule[], o: O): readonly SharedParam[];
  /** extra checks (PEFT's own refusals), with the wrapped modules in hand */
  check?(wrapped: readonly ParamModule[], o: O, inv: Inventory): void;
}

/** modules_to_save as PEFT's task model sees it: the config's list plus the task's head names. */
export function effectiveModulesToSave(own: readonly string[] | null | undefined, taskType: string | null | undefined): readonly string[] | null {
  const extra = taskType === null || taskType === undefined ? undefined : TASK_MODULES_TO_SAVE[taskType];
  if (!extra) return own ?? null;
  return [...(own ?? []), ...extra];
}

/**
 * The modules_to_save that guard targeting. PeftModelForSequenceClassification adds its head names to the config
 * before the adapter is injected, so targets skip the head; the TOKEN_CLS and QUESTION_ANS task models add them
 * after (peft_model.py, 0.17 to 0.21), so a head that all-linear (or a name) targets gets wrapped first.
 */
export function targetingModulesToSave(own: readonly string[] | null | undefined, taskType: string | null | undefined): readonly string[] | null {
  return taskType === "SEQ_CLS" ? effectiveModulesToSave(own, taskType) : (own ?? null);
}

/**
 * ...and then `_set_trainable` refuses to save a module the adapter wrapped: PEFT raises "TypeError:
 * modules_to_save cannot be applied to modules of type lora.Linear" (oracle, peft 0.21.0: LoRA all-linear on
 * bert-base TOKEN_CLS and QUESTION_ANS). peftcount refuses the same config, with the fix.
 */
export function refuseWrappedHead(method: string, tree: ModuleTree, wrapped: readonly { readonly name: string }[], taskType: string | null | undefined): void {
  if (taskType !== "TOKEN_CLS" && taskType !== "QUESTION_ANS") return;
  const heads = TASK_MODULES_TO_SAVE[taskType] ?? [];
  const saved = new Set(wrappedPaths(tree, heads, undefined));
  const hit = wrapped.find((m) => saved.has(m.name) || [...saved].some((p) => m.name.startsWith(`${p}.`)));
  if (hit)
    throw new InputError(
      "PEFT_REFUSES",
      `${method}: "${hit.name}" is the ${taskType} head, which PEFT both wraps and saves as a trainable copy, and PEFT raises (modules_to_save cannot be applied to an adapted layer)`,
      `leave the head out of the targets: add exclude_modules=["${hit.name.split(".").pop()}"], or list the target modules by name`,
    );
}

/** The warning every method gives when a head task's adapter has no task_type (PEFT leaves the head frozen). */
export function headTaskWarning(inv: Inventory, taskType: string | null | undefined): string | undefined {
  if (TASK_MODULES_TO_SAVE[inv.task] === undefined || (taskType !== null && taskType !== undefined)) return undefined;
  return `task_type is not set, so the ${inv.task} head stays frozen (as in PEFT); set task_type=${inv.task} to train it as PEFT's task model does`;
}

/** Apply a module-wrapping method: targets → per-module and shared tensors → settle. */
export function wrapModules<O extends TunerOptions>(inv: Inventory, o: O, spec: TunerSpec<O>, ctx: Versions, tree: ModuleTree = moduleTree(inv.modules)): ParamBreakdown {
  const modulesToSave = effectiveModulesToSave(o.modules_to_save, o.task_type);
  const warnings: string[] = [];
  const cfg = {
    target_modules: o.target_modules,
    exclude_modules: o.exclude_modules ?? null,
    layers_to_transform: o.layers_to_transform ?? null,
    layers_pattern: o.layers_pattern ?? null,
    modules_to_save: targetingModulesToSave(o.modules_to_save, o.task_type),
    task_type: o.task_type ?? null,
  };
  const wrapped = findTargets(inv, tree, cfg, spec.method, spec.wrappable, warnings, spec.defaults, spec.optimizeTargets !== false);
  refuseWrappedHead(spec.method, tree, wrapped, o.task_type);
  spec.check?.(wrapped, o, inv);
  // once per class of interchangeable modules, × its size (plan.ts); per module when perModule reads the name
  const labels = spec.classify?.(o, inv);
  const grouped =
    labels === undefined
      ? groupedTensors(moduleClasses(inv, tree, wrapped), (m, add) => spec.perModule(m, add, o))
      : labelledClasses(inv, tree, wrapped, labels).flatMap((c) => groupedTensors([c], (m, add) => spec.perModule(m, add, o, c.label)));
  const head = headTaskWarning(inv, o.task_type);
  if (head) warnings.push(head);
  return settle({
    inv,
    tree,
    added: [],
    grouped,
    wrapped,
    bias: o.bias ?? "none",
    biasEndsWith: biasMatchesSuffix(ctx),
    shared: spec.shared?.(wrapped, o) ?? [],
    modulesToSave,
    trainableTokenIndices: o.trainable_token_indices ?? null,
    warnings,
  });
}

/** peft 0.21 (#3490) unfreezes with bias="all" only parameters named `bias` or `*.bias`; before, any name containing "bias". */
export function biasMatchesSuffix(ctx: Versions): boolean {
  return atLeast(ctx.peft, "0.21.0");
}
