/**
 * Which modules a PEFT adapter wraps, following peft 0.17 `check_target_module_exists` and
 * `_maybe_include_all_linear_layers` to the letter:
 * - `exclude_modules` first (string: regex full match; list: exact or `.suffix`);
 * - nothing inside `modules_to_save` (regex `(^|.*\.)NAME($|\..*)` at the start of the key);
 * - `target_modules` string: regex full match; list: exact name, else `.suffix` — and only in the suffix case
 *   are `layers_to_transform` / `layers_pattern` applied (an exact name, like every name `all-linear` resolves
 *   to, bypasses them, as in PEFT);
 * - `all-linear`: every Linear / Conv1D but the output embedding (SEQ_CLS without one: `score` / `classifier`).
 */
import { memoByKey } from "./memo.js";
import { didYouMean, InputError } from "../errors.js";
import type { Inventory, ModuleKind, ParamModule } from "../model/types.js";
import { LORA_DEFAULT_TARGETS, SEQ_CLS_HEAD_NAMES } from "./defaults.js";
import { hasTopLevel, leafAtNames, type ModuleTree } from "./modules.js";
import { optimizeTargets } from "./minimal-targets.js";
import { fullMatch, matchStart, matchStartGroup } from "./regex.js";
import { planKey } from "./target-plan-key.js";

export interface TargetingConfig {
  readonly target_modules: string | readonly string[] | null;
  readonly exclude_modules: string | readonly string[] | null;
  readonly layers_to_transform: number | readonly number[] | null;
  readonly layers_pattern: string | readonly string[] | null;
  /** effective modules_to_save, task heads included */
  readonly modules_to_save: readonly string[] | null;
  readonly task_type: string | null;
}

/** Default `target_modules` per model_type of one method family (default-targets.ts). */
export type DefaultTargets = Readonly<Record<string, string | readonly string[]>>;

type Resolved = string | ReadonlySet<string> | readonly string[];

const isSuffix = (key: string, t: string) => key === t || key.endsWith(`.${t}`);

/** all-linear's set per tree and head rule, built once: the same (frozen) Set object each time, so what is
 *  derived from it (the shortened suffix list, minimal-targets.ts) is cached by identity too. */
const allLinearOf = memoByKey<ModuleTree, ReadonlySet<string>>(64);

function allLinear(inv: Inventory, tree: ModuleTree, taskType: string | null): ReadonlySet<string> {
  const key = `${inv.outputEmbeddings ?? ""}\u0000${taskType === "SEQ_CLS" ? "SEQ_CLS" : ""}`;
  return allLinearOf(tree, key, () => scanAllLinear(inv, tree, taskType));
}

function scanAllLinear(inv: Inventory, tree: ModuleTree, taskType: string | null): ReadonlySet<string> {
  const names = new Set<string>();
  for (const m of tree.leaves) if (m.kind === "linear" || m.kind === "conv1d") names.add(m.name);
  if (inv.outputEmbeddings !== undefined) names.delete(inv.outputEmbeddings);
  else if (taskType === "SEQ_CLS") {
    const head = SEQ_CLS_HEAD_NAMES.find((n) => hasTopLevel(tree, n));
    if (head !== undefined) names.delete(head);
  }
  return names;
}

/** `target_modules` after PEFT's defaulting and `all-linear` expansion. */
export function resolveTargets(inv: Inventory, tree: ModuleTree, cfg: TargetingConfig, method: string, defaults: DefaultTargets = LORA_DEFAULT_TARGETS): Resolved {
  const t = cfg.target_modules;
  if (t === null) {
    const d = defaults[inv.modelType];
    if (!d)
      throw new InputError(
        "NO_DEFAULT_TARGETS",
        `${method}: PEFT has no default target_modules for model_type "${inv.modelType}"`,
        `set target_modules (e.g. "all-linear", or names from: ${targetableNames(tree).join(", ")})`,
      );
    return d;
  }
  if (typeof t === "string") return t.toLowerCase() === "all-linear" ? allLinear(inv, tree, cfg.task_type) : t;
  if (t.length === 0) throw new InputError("NO_TARGETS", `${method}: target_modules is empty`, `name at least one module, e.g. ${targetableNames(tree).slice(0, 3).join(", ")}`);
  return t;
}

/** Whether `layers_to_transform` restricts suffix matches (null or an empty list: it does not). */
function hasLayerIndices(cfg: TargetingConfig): boolean {
  const idx = cfg.layers_to_transform;
  return idx !== null && !(Array.isArray(idx) && idx.length === 0);
}

function layerIndexOk(key: string, cfg: TargetingConfig): boolean {
  const idx = cfg.layers_to_transform;
  if (idx === null || (Array.isArray(idx) && idx.length === 0)) return true;
  const pat = cfg.layers_pattern;
  let found: string | undefined;
  if (pat === null || pat.length === 0) {
    found = /^.*\.[^.]*\.(\d+)\./.exec(key)?.[1];
  } else {
    for (const p of typeof pat === "string" ? [pat] : pat) {
      found = matchStartGroup(`.*\\.${p}\\.(\\d+)\\.`, [p], key, "layers_pattern");
      if (found !== undefined) break;
    }
  }
  if (found === undefined) return false;
  const n = Number(found);
  return typeof idx === "number" ? n === idx : (idx as readonly number[]).includes(n);
}

function isExcluded(key: string, cfg: TargetingConfig): boolean {
  const ex = cfg.exclude_modules;
  if (ex !== null && ex.length > 0) {
    if (typeof ex === "string") {
      if (fullMatch(ex, key, "exclude_modules")) return true;
    } else if (ex.some((e) => isSuffix(key, e))) return true;
  }
  const mts: readonly string[] | null | undefined = cfg.modules_to_save;
  return mts !== null && mts !== undefined && mts.length > 0 && mts.some((m) => matchStart(`(^|.*\\.)${m}($|\\..*)`, [m], key, "modules_to_save"));
}

/** check_target_module_exists for one key: "excluded", or whether it is targeted. */
export function targetState(key: string, resolved: Resolved, cfg: TargetingConfig): "excluded" | boolean {
  if (isExcluded(key, cfg)) return "excluded";
  if (typeof resolved === "string") return fullMatch(resolved, key, "target_modules");
  let suffixHit = false;
  if (resolved instanceof Set) {
    if (resolved.has(key)) return true;
    // any proper dotted suffix of the key in the set (O(depth) instead of O(|set|)); such a suffix ends with
    // the key's last component, so a key whose last component ends no entry is decided by one lookup
    if (lastComponents(resolved).has(key.slice(key.lastIndexOf(".") + 1)))
      for (let i = key.indexOf("."); i !== -1 && !suffixHit; i = key.indexOf(".", i + 1)) suffixHit = resolved.has(key.slice(i + 1));
  } else {
    const list = resolved as readonly string[];
    if (list.includes(key)) return true;
    for (const t of dotted(list)) if (key.endsWith(t)) suffixHit = true;
  }
  return suffixHit && layerIndexOk(key, cfg);
}

/** the last dotted component of every entry of a target set, per set (the sets are internal: all-linear's and
 *  the shortened ones, both cached and never changed) */
const LAST_COMPONENTS = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();
function lastComponents(set: ReadonlySet<string>): ReadonlySet<string> {
  let lasts = LAST_COMPONENTS.get(set);
  if (!lasts) {
    const own = new Set<string>();
    for (const t of set) own.add(t.slice(t.lastIndexOf(".") + 1));
    LAST_COMPONENTS.set(set, (lasts = own));
  }
  return lasts;
}

/** "." + each entry of a target list, kept per frozen list (parsed options are frozen) */
const DOTTED = new WeakMap<readonly string[], readonly string[]>();
function dotted(list: readonly string[]): readonly string[] {
  if (!Object.isFrozen(list)) return list.map((t) => `.${t}`);
  let d = DOTTED.get(list);
  if (!d) DOTTED.set(list, (d = list.map((t) => `.${t}`)));
  return d;
}

/** Leaf names a user can put in target_modules (last path component), Linear-like and embeddings. */
export function targetableNames(tree: ModuleTree, kinds: readonly ModuleKind[] = ["linear", "conv1d", "embedding"]): string[] {
  return [...new Set(tree.leaves.filter((m) => kinds.includes(m.kind)).map((m) => m.name.split(".").pop()!))];
}

const FUSED: ReadonlyArray<readonly [RegExp, string[]]> = [
  [/^(q|k|v|q_proj|k_proj|v_proj|query|key|value)$/, ["qkv_proj", "c_attn", "query_key_value", "Wqkv", "in_proj"]],
  [/^(gate_proj|up_proj|w1|w3)$/, ["gate_up_proj"]],
];

function unknownTargetHint(entry: string, tree: ModuleTree): string {
  const names = targetableNames(tree);
  for (const [re, fused] of FUSED) {
    const f = re.test(entry) ? fused.find((n) => names.includes(n)) : undefined;
    if (f) return `this model fuses its projections: use "${f}" instead of "${entry}"; module names: ${names.join(", ")}`;
  }
  if (/^(w[123]|gate_proj|up_proj|down_proj|gate_up_proj|experts)$/.test(entry) && tree.leaves.some((m) => m.kind === "other" && /\.experts$/.test(m.name)))
    return `the MoE experts of this model are fused 3-D parameters, not Linear modules: pass --expert-layout per-expert to count them as one Linear per expert (transformers 4.x); module names: ${names.join(", ")}`;
  return `${didYouMean(entry, names)}module names of this model: ${names.join(", ")}`;
}

/**
 * Targeting plans: which modules a set of targeting keys selects depends only on the inventory, those keys,
 * the method's name and wrappable kinds and its default table. Kept per inventory (WeakMap), keyed by the
 * JSON of the keys and the defaults table's identity, so a sweep over any other option (rank, ...) matches
 * once. Only successful plans are kept (a refusal is recomputed and thrown again); the wrapped list is frozen.
 */
interface Plan {
  readonly tree: ModuleTree;
  readonly wrapped: readonly ParamModule[];
  readonly warnings: readonly string[];
  /** the kinds of the wrapped modules */
  readonly kinds: readonly ModuleKind[];
}
const MAX_PLANS = 512;
const planCache = new WeakMap<Inventory, Map<string, Plan>>();

function plansOf(inv: Inventory): Map<string, Plan> {
  let plans = planCache.get(inv);
  if (!plans) planCache.set(inv, (plans = new Map()));
  return plans;
}

/**
 * The modules the adapter wraps, in model order. Throws, as PEFT does, when nothing is targeted or a
 * targeted module is of a kind the method cannot wrap; and, stricter than PEFT, when an explicit list entry
 * names no module of the model at all (almost always a typo or the wrong architecture).
 */
export function findTargets(
  inv: Inventory,
  tree: ModuleTree,
  cfg: TargetingConfig,
  method: string,
  wrappable: readonly ModuleKind[],
  /** PEFT's warnings land here (e.g. exclude_modules that excluded nothing) */
  warnings: string[] = [],
  defaults: DefaultTargets = LORA_DEFAULT_TARGETS,
  /** PEFT shortens ≥ 20 target names to suffixes before matching (minimal-targets.ts); IA3 is exempt */
  optimize = true,
): ParamModule[] {
  const key = planKey(inv, tree, cfg, defaults, optimize);
  const plans = plansOf(inv);
  const hit = plans.get(key);
  // a plan made for other wrappable kinds holds the same modules if this method can wrap all their kinds;
  // if not, planning again raises PEFT's refusal for the first module it cannot wrap
  if (hit !== undefined && hit.tree === tree && hit.kinds.every((k) => wrappable.includes(k))) {
    warnings.push(...hit.warnings);
    return hit.wrapped as ParamModule[];
  }
  const own: string[] = [];
  const wrapped = Object.freeze(planTargets(inv, tree, cfg, method, wrappable, own, defaults, optimize));
  if (plans.size >= MAX_PLANS) plans.clear();
  plans.set(key, { tree, wrapped, warnings: Object.freeze(own), kinds: Object.freeze([...new Set(wrapped.map((m) => m.kind))]) });
  warnings.push(...own);
  return wrapped as ParamModule[];
}

/** findTargets without the cache. */
function planTargets(
  inv: Inventory,
  tree: ModuleTree,
  cfg: TargetingConfig,
  method: string,
  wrappable: readonly ModuleKind[],
  warnings: string[],
  defaults: DefaultTargets,
  optimize: boolean,
): ParamModule[] {
  const full = resolveTargets(inv, tree, cfg, method, defaults);
  // Shortening (minimal-targets.ts) picks suffixes that match exactly the targets and the keys ending with
  // "." + a target, i.e. what the full list matches; it changes the outcome only through layers_to_transform,
  // which a suffix obeys and an exact name bypasses. Without layer indices it is skipped (same modules).
  const resolved = optimize && typeof full !== "string" && hasLayerIndices(cfg) ? optimizeTargets(tree.names, full) : full;
  // PEFT skips list entries that name no module and fails only when nothing at all is targeted: count as
  // PEFT does, and say which entries matched nothing (usually a typo or a fused projection).
  const unknown = Array.isArray(cfg.target_modules) ? (cfg.target_modules as readonly string[]).filter((e) => !tree.names.some((k) => isSuffix(k, e))) : [];
  const out: ParamModule[] = [];
  let excluded = 0;
  const names = tree.names;
  // the module each name is, without the name map when the tree keeps that list (modules.ts leafAtNames)
  const leafAt = leafAtNames(tree);
  for (let i = 0; i < names.length; i++) {
    const key = names[i]!;
    const state = targetState(key, resolved, cfg);
    if (state === "excluded") {
      excluded++;
      continue;
    }
    if (!state) continue;
    const m = leafAt !== undefined ? leafAt[i] : tree.byName.get(key);
    if (!m || m.name !== key || !wrappable.includes(m.kind)) {
      const what = m ? `a ${m.className}` : "a container of other modules";
      throw new InputError(
        "UNSUPPORTED_TARGET",
        `${method}: target "${key}" is ${what}, which ${method} cannot wrap`,
        `target ${wrappable.join(" / ")} layers instead, e.g. ${targetableNames(tree, wrappable).slice(0, 6).join(", ")}`,
      );
    }
    out.push(m);
  }
  const ex = cfg.exclude_modules;
  if (out.length > 0 && ex !== null && ex.length > 0 && excluded === 0)
    warnings.push(`exclude_modules=${JSON.stringify(ex)} excluded nothing (PEFT warns too); check the names`);
  if (out.length === 0 && unknown.length > 0 && unknown.length === (cfg.target_modules as readonly string[]).length)
    throw new InputError("UNKNOWN_TARGET_MODULE", `${method}: target module ${unknown.map((e) => `"${e}"`).join(", ")} matches no module of this ${inv.modelType} model`, unknownTargetHint(unknown[0]!, tree));
  if (out.length > 0)
    for (const entry of unknown) warnings.push(`target module "${entry}" matches no module of this ${inv.modelType} model; PEFT skips it (${unknownTargetHint(entry, tree)})`);
  if (out.length === 0) {
    const shown = JSON.stringify(cfg.target_modules ?? defaults[inv.modelType] ?? null);
    const why = excluded > 0 ? `every module target_modules=${shown} matches was excluded (exclude_modules / modules_to_save)` : `target_modules=${shown} matches no module`;
    const layers = cfg.layers_to_transform !== null ? ` with layers_to_transform=${JSON.stringify(cfg.layers_to_transform)}` : "";
    const fused = tree.leaves.some((m) => m.kind === "other" && /\.experts$/.test(m.name)) ? "; MoE experts are fused 3-D parameters here (--expert-layout per-expert makes them Linear modules)" : "";
    throw new InputError("NO_TARGET_MATCHED", `${method}: ${why}${layers}`, `module names of this model: ${targetableNames(tree).join(", ")}${fused}`);
  }
  return out;
}
