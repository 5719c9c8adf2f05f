/**
 * LoRA target names written for the transformers-4 layout of MoE models, as PEFT rewrites them when the model is
 * built by transformers 5 (peft src/peft/utils/transformers_weight_conversion.py `_convert_peft_config_moe`, called
 * first thing in `BaseTuner.inject_adapter`). transformers 5 fuses the experts of these models into 3-D parameters
 * (`mlp.experts.gate_up_proj`, `mlp.experts.down_proj`) and turns the router into a module with a bare `weight`,
 * so names that were nn.Linear modules become `target_parameters`:
 * - model types: Mixtral-style (`w1`/`w3` → `gate_up_proj`, `w2` → `down_proj`) and Qwen2-MoE-style
 *   (`gate_proj`/`up_proj` → `gate_up_proj`, `down_proj` → `down_proj`); `gate` → `gate.weight` in both. A list
 *   entry maps when it is the old name or ends with `.<old name>`, so `experts.0.w1` adapts every expert of every
 *   layer; every other entry stays in target_modules. Only these types convert (transformers' own `qwen2_moe` does
 *   not: it is the pattern's name, not an entry of the table).
 * - the two halves of a fused pair go together (one alone is PEFT's ValueError) and then get rank 2·r through a
 *   `.*\.gate_up_proj` rank_pattern entry appended after the user's (the first matching entry wins);
 * - target_modules becomes a set: `null` turns into `[]`, so PEFT's default targets no longer apply.
 * Releases: the list rewrite since peft 0.19.0 (#3083); since 0.20.0 (#3232) a string target_modules is first
 * resolved to leaf names (all-linear: every Linear plus the four old names; a regex: the leaf names of the module
 * and parameter keys it matches, plus each old expert name whose reconstructed key `<experts>.<old>` it matches).
 */
import { memoByKey } from "./memo.js";
import { InputError } from "../errors.js";
import { groupName, weightOf, type Inventory, type ParamModule } from "../model/types.js";
import { atLeast, formatVersion, type Versions } from "../versions.js";
import type { ModuleTree } from "./modules.js";
import { resolveTargets, targetState, type TargetingConfig } from "./targets.js";

type Pattern = "mixtral" | "qwen2_moe";

/** transformers 5.18 `conversion_mapping._MODEL_TO_CONVERSION_PATTERN` entries of the two MoE patterns (peft adds mixtral itself). */
const PATTERN_OF: Readonly<Record<string, Pattern>> = {
  mixtral: "mixtral",
  minimax: "mixtral",
  minimax_m2: "mixtral",
  ...Object.fromEntries(
    [
      "afmoe", "deepseek_v2", "deepseek_v3", "deepseek_v32", "dots1", "ernie4_5_moe", "glm4_moe", "glm4_moe_lite", "glm_moe_dsa", "glm4v_moe",
      "longcat_flash", "solar_open", "mellum", "qwen3_moe", "qwen3_omni_moe", "qwen3_omni_moe_thinker", "qwen3_next", "hunyuan_v1_moe",
      "flex_olmo", "olmoe", "exaone_moe", "cohere2_moe",
    ].map((t) => [t, "qwen2_moe" as const]),
  ),
};

/** old name → new name, in PEFT's order (`_MOE_TARGET_MODULE_MAPPING`) */
const MAPPING: Readonly<Record<Pattern, readonly (readonly [string, string])[]>> = {
  mixtral: [["gate", "gate.weight"], ["w1", "gate_up_proj"], ["w3", "gate_up_proj"], ["w2", "down_proj"]],
  qwen2_moe: [["gate", "gate.weight"], ["gate_proj", "gate_up_proj"], ["up_proj", "gate_up_proj"], ["down_proj", "down_proj"]],
};
/** fused parameter ← the old names that must be targeted together (`_MOE_FUSED_TARGETS`) */
const FUSED: Readonly<Record<Pattern, readonly [string, readonly string[]]>> = {
  mixtral: ["gate_up_proj", ["w1", "w3"]],
  qwen2_moe: ["gate_up_proj", ["gate_proj", "up_proj"]],
};

export interface LoraTargets {
  readonly target_modules: string | readonly string[] | null;
  readonly target_parameters: readonly string[] | null;
  readonly rank_pattern: Readonly<Record<string, number>>;
  /** what the rewrite did, for the user (PEFT does it silently) */
  readonly note?: string;
}

const leaf = (key: string) => key.slice(key.lastIndexOf(".") + 1);

const lostOf = memoByKey<ModuleTree, readonly string[]>(256);

/** Linear modules the moved names reached before the rewrite (dense-layer MLPs, shared experts): PEFT leaves them without an adapter. Kept per tree and names. */
function lostAdapters(tree: ModuleTree, moved: readonly string[]): readonly string[] {
  return lostOf(tree, JSON.stringify(moved), () => Object.freeze(scanLostAdapters(tree, moved)));
}

function scanLostAdapters(tree: ModuleTree, moved: readonly string[]): string[] {
  const groups = new Map<string, number>();
  for (const m of tree.leaves) {
    if (m.kind !== "linear" || !moved.some((t) => m.name === t || m.name.endsWith(`.${t}`))) continue;
    const g = groupName(m.name);
    // an entry of a compact inventory stands for weightOf(m) modules
    groups.set(g, (groups.get(g) ?? 0) + weightOf(m));
  }
  return [...groups].map(([g, n]) => `${g} (×${n})`);
}

/** Whether PEFT rewrites the targets of this model: a converted model type built by transformers 5 (fused experts). */
export function rewritesMoeTargets(inv: Inventory, ctx: Versions): boolean {
  if (!atLeast(ctx.peft, "0.19.0") || ctx.transformers[0] < 5 || PATTERN_OF[inv.modelType] === undefined) return false;
  // `--expert-layout per-expert` asks for the transformers-4 modules, whose names need no rewrite
  return !hasPerExpertModules(inv.modules);
}

/** whether some module is one expert's (`….experts.3.…`), per module list (an inventory's list never changes) */
const perExpert = new WeakMap<readonly ParamModule[], boolean>();
function hasPerExpertModules(modules: readonly ParamModule[]): boolean {
  let hit = perExpert.get(modules);
  if (hit === undefined) perExpert.set(modules, (hit = modules.some((m) => /\.experts\.\d+\./.test(m.name))));
  return hit;
}

const resolvedOf = memoByKey<ModuleTree, ReadonlySet<string>>(256);

/**
 * `_resolve_string_target_modules` (peft ≥ 0.20): a regex or "all-linear" as the leaf names it targets. Kept per
 * tree and what it reads (the targeting keys, the output embedding, the string); callers never change the set.
 */
function resolveString(inv: Inventory, tree: ModuleTree, cfg: TargetingConfig, regex: string, pattern: Pattern): ReadonlySet<string> {
  const key = JSON.stringify([cfg.exclude_modules, cfg.layers_to_transform, cfg.layers_pattern, cfg.modules_to_save, cfg.task_type, inv.outputEmbeddings ?? null, regex, pattern]);
  return resolvedOf(tree, key, () => scanResolveString(inv, tree, cfg, regex, pattern));
}

function scanResolveString(inv: Inventory, tree: ModuleTree, cfg: TargetingConfig, regex: string, pattern: Pattern): Set<string> {
  const oldNames = MAPPING[pattern].map(([old]) => old);
  if (regex.toLowerCase() === "all-linear") return new Set([...(resolveTargets(inv, tree, cfg, "lora") as ReadonlySet<string>)].map(leaf).concat(oldNames));
  const paramKeys = tree.leaves.flatMap((m) => m.params.filter((p) => p.tiedTo === undefined).map((p) => `${m.name}.${p.name}`));
  const matched = new Set([...tree.names, ...paramKeys].filter((k) => targetState(k, regex, cfg) === true).map(leaf));
  for (const [old, fresh] of MAPPING[pattern]) {
    if (matched.has(old)) continue;
    const containers = paramKeys.filter((k) => leaf(k) === fresh).map((k) => k.slice(0, k.lastIndexOf(".")));
    if (containers.some((c) => targetState(`${c}.${old}`, regex, cfg) === true)) matched.add(old);
  }
  return matched;
}

/** The targets PEFT injects after its MoE rewrite (unchanged when it does not apply). */
export function rewriteMoeTargets(inv: Inventory, tree: ModuleTree, cfg: TargetingConfig, o: LoraTargets & { readonly r: number }, ctx: Versions): LoraTargets {
  const same = { target_modules: o.target_modules, target_parameters: o.target_parameters, rank_pattern: o.rank_pattern };
  if (!rewritesMoeTargets(inv, ctx)) return same;
  const pattern = PATTERN_OF[inv.modelType]!;
  let targets: readonly string[];
  if (typeof o.target_modules === "string") {
    if (!atLeast(ctx.peft, "0.20.0"))
      throw new InputError(
        "UNSUPPORTED_OPTION",
        `lora: peft ${formatVersion(ctx.peft)} rewrites the MoE targets of this ${inv.modelType} model as a set of the string's characters, so target_modules=${JSON.stringify(o.target_modules)} targets nothing (fixed in peft 0.20, #3232)`,
        "list the module names in target_modules, or count with --peft-version 0.20.0 or newer",
      );
    const resolved = resolveString(inv, tree, cfg, o.target_modules, pattern);
    if (resolved.size === 0) return same; // nothing matched: PEFT leaves it to its usual not-found error
    targets = [...resolved];
  } else targets = o.target_modules ?? [];

  const params = new Set(o.target_parameters ?? []);
  const remaining: string[] = [];
  const moved: string[] = [];
  const [fused, halves] = FUSED[pattern];
  const present = new Set<string>();
  for (const t of new Set(targets)) {
    const hit = MAPPING[pattern].find(([old]) => t === old || t.endsWith(`.${old}`));
    if (hit === undefined) {
      remaining.push(t);
      continue;
    }
    params.add(hit[1]);
    moved.push(t);
    if (hit[1] === fused) present.add(hit[0]);
  }
  let rank_pattern = o.rank_pattern;
  if (present.size > 0 && present.size < halves.length) {
    const missing = halves.filter((h) => !present.has(h));
    throw new InputError(
      "CONFLICTING_OPTIONS",
      `lora: cannot convert target(s) ${[...present].sort().join(", ")} without also targeting ${missing.join(", ")}: transformers ${ctx.transformers[0]} fuses them into ${fused} (PEFT's ValueError)`,
      `target ${halves.join(" and ")} together (they become ${fused} with rank 2·r), or name the fused parameter in target_parameters`,
    );
  }
  if (present.size === halves.length) rank_pattern = { ...rank_pattern, [`.*\\.${fused}`]: o.r * halves.length };
  const target_parameters = [...params].sort();
  const note =
    moved.length === 0
      ? undefined
      : `peft ${formatVersion(ctx.peft)} on transformers ${ctx.transformers[0]} rewrites ${moved.join(", ")} into target_parameters ${target_parameters.join(", ")}${present.size === halves.length ? ` with rank_pattern {".*\\\\.${fused}": ${o.r * halves.length}}` : ""} (transformers 5 turned this model's experts and router into bare parameters)${present.size === halves.length ? `; ${halves.join(" and ")} become one fused ${fused} adapter at rank ${o.r * halves.length} (2·r)` : ""}${lostAdapters(tree, moved).length > 0 ? `; these Linear modules the same names reach lose their adapter: ${lostAdapters(tree, moved).join(", ")}` : ""}`;
  return { target_modules: remaining, target_parameters, rank_pattern, ...(note ? { note } : {}) };
}
