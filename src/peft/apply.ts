/**
 * What happens to the parameter count after an adapter has wrapped its targets, in PEFT 0.17's order:
 * 1. `_mark_only_adapters_as_trainable`: only adapter parameters train; `bias="all"` unfreezes every
 *    parameter whose *name* contains "bias" (LayerNorm biases, T5's relative_attention_bias too);
 *    `"lora_only"` the biases of wrapped layers.
 * 2. `modules_to_save`: every module whose name (aliases included) ends with an entry — plain
 *    `str.endswith`, no dot, so "norm" also catches `input_layernorm` — is wrapped: the original is frozen
 *    (adapter and bias parameters inside it too) and a deep copy trains; a tied weight's copy is untied.
 * 3. `trainable_token_indices`: a k × dim delta on the input embedding; the tied LM head shares it.
 * `allParams` is what `named_parameters()` sees then: tied tensors once, copies and deltas added.
 */
import { memoByKey } from "./memo.js";
import { InputError } from "../errors.js";
import type { Inventory, ParamModule } from "../model/types.js";
import { numel, weightOf } from "../model/types.js";
import { pathCopies } from "../model/compact.js";
import { activeShare } from "../model/active.js";
import { PartSum } from "../breakdown.js";
import type { ParamBreakdown, PartKind } from "../breakdown.js";
import { groupOf, leavesUnder, partNamer, treeTotal, type ModuleTree } from "./modules.js";
import type { GroupedTensor } from "./plan.js";
import { keepRouted } from "./count-line.js";

export interface AddedParam {
  readonly module: string;
  readonly param: string;
  readonly count: number;
  /** how the part is labelled: "adapter" (default), or "copy" for a module's trainable copy (LN tuning) */
  readonly kind?: PartKind;
}

export type { ParamBreakdown, Part, PartKind } from "../breakdown.js";

/** A tensor the method creates once for all wrapped modules (VeRA's projections, VB-LoRA's bank, ...). */
export interface SharedParam {
  readonly name: string;
  readonly count: number;
  /** trains (default), or exists but is frozen (counted in allParams only) */
  readonly trainable?: boolean;
}

export interface Application {
  readonly inv: Inventory;
  readonly tree: ModuleTree;
  readonly added: readonly AddedParam[];
  readonly wrapped: readonly ParamModule[];
  /** "all": every parameter whose name contains "bias" (peft ≥ 0.18: ends with ".bias": pass biasEndsWith);
   *  "lora_only" / "adapter_only": biases of the wrapped modules */
  readonly bias: "none" | "all" | "lora_only" | "adapter_only" | string;
  /** peft ≥ 0.18 matches bias="all" on names ending in ".bias" (T5's relative_attention_bias no longer trains) */
  readonly biasEndsWith?: boolean;
  /** tensors created once for the whole adapter */
  readonly shared?: readonly SharedParam[];
  /** added parameters that exist but do not train (e.g. frozen buffers-as-parameters), by module */
  readonly frozenAdded?: readonly AddedParam[];
  /** added tensors by module class (plan.ts `groupedTensors`), counted before `added` (a method's module tensors, then its parameter tensors); parts keep PEFT's order */
  readonly grouped?: readonly GroupedTensor[];
  readonly modulesToSave: readonly string[] | null;
  readonly trainableTokenIndices: readonly number[] | Readonly<Record<string, readonly number[]>> | null;
  readonly warnings?: readonly string[];
}

/** Whether `name` is one of `roots` or inside one (a walk over the dotted prefixes: O(depth)). */
function insideAny(name: string, roots: ReadonlySet<string>): boolean {
  if (roots.size === 0) return false;
  if (roots.has(name)) return true;
  for (let i = name.indexOf("."); i !== -1; i = name.indexOf(".", i + 1)) if (roots.has(name.slice(0, i))) return true;
  return false;
}

/** wrappedPaths results per tree and list of names (the tree is immutable, so the answer is too) */
const wrappedOf = memoByKey<ModuleTree, readonly string[]>(256);

/** Paths `_set_trainable` wraps: endswith-matches, outermost first, nothing inside an already wrapped one. */
export function wrappedPaths(tree: ModuleTree, names: readonly string[], strict: string | undefined): string[] {
  const out = wrappedOf(tree, JSON.stringify(names), () => {
    const found: string[] = [];
    const roots = new Set<string>();
    for (const key of tree.namesWithDuplicates)
      if (names.some((n) => key.endsWith(n)) && !insideAny(key, roots)) {
        found.push(key);
        roots.add(key);
      }
    return Object.freeze(found);
  });
  if (strict !== undefined && out.length === 0)
    throw new InputError("UNKNOWN_MODULE", `${strict}: no module named ${names.map((n) => `"${n}"`).join(", ")} in this model`, "name a module of the model");
  return out as string[];
}

/** Whether a module matches the inventory's routed-expert pattern, memoised per pattern. */
const routedCache = new WeakMap<RegExp, Map<string, boolean>>();
function routedTest(pattern: RegExp): (module: string) => boolean {
  if (pattern.global || pattern.sticky) return (module) => pattern.test(module);
  let memo = routedCache.get(pattern);
  if (!memo) routedCache.set(pattern, (memo = new Map()));
  const m = memo;
  let lastModule: string | undefined;
  let lastHit = false;
  return (module) => {
    if (module === lastModule) return lastHit;
    let hit = m.get(module);
    if (hit === undefined) m.set(module, (hit = pattern.test(module)));
    lastModule = module;
    lastHit = hit;
    return hit;
  };
}

/** the saved leaves per list of saved paths (wrappedPaths hands out one frozen list per tree and names) */
const savedLeavesCache = new WeakMap<readonly string[], ReadonlySet<string>>();
const NO_LEAVES: ReadonlySet<string> = new Set();
function savedLeavesOf(tree: ModuleTree, saved: readonly string[]): ReadonlySet<string> {
  if (saved.length === 0) return NO_LEAVES;
  let leaves = Object.isFrozen(saved) ? savedLeavesCache.get(saved) : undefined;
  if (!leaves) {
    const own = new Set<string>();
    for (const p of saved) for (const m of leavesUnder(tree, p)) own.add(m.name);
    leaves = own;
    if (Object.isFrozen(saved)) savedLeavesCache.set(saved, own);
  }
  return leaves;
}

/** how many of a class's modules are not saved, and the first of them; kept per (frozen) class and saved set */
const keptCache = new WeakMap<readonly ParamModule[], WeakMap<ReadonlySet<string>, { readonly kept: number; readonly first: number }>>();
function keptOf(modules: readonly ParamModule[], savedLeaves: ReadonlySet<string>): { readonly kept: number; readonly first: number } {
  const frozen = Object.isFrozen(modules);
  let bySet = frozen ? keptCache.get(modules) : undefined;
  const hit = bySet?.get(savedLeaves);
  if (hit) return hit;
  let kept = 0;
  let first = -1;
  modules.forEach((m, i) => {
    if (savedLeaves.has(m.name)) return;
    kept += weightOf(m);
    if (first === -1) first = i;
  });
  const out = { kept, first };
  if (frozen) {
    if (!bySet) keptCache.set(modules, (bySet = new WeakMap()));
    bySet.set(savedLeaves, out);
  }
  return out;
}

/** One part of the grouped tensors while settling: its count so far and where it first appears. */
interface Entry {
  readonly name: string;
  count: number;
  modules: number;
  kind: PartKind;
  pos: number;
  seq: number;
}

export function settle(app: Application): ParamBreakdown {
  const { inv, tree } = app;
  const parts = new PartSum();
  const mts = app.modulesToSave ?? [];
  const saved = mts.length > 0 ? wrappedPaths(tree, mts, undefined) : [];
  // leaves (by canonical name) whose original sits inside a ModulesToSaveWrapper: frozen
  const savedLeaves = savedLeavesOf(tree, saved);
  let added = 0;
  const experts = inv.experts;
  let routedTrainable = 0;
  const routed = experts !== undefined ? routedTest(experts.pattern) : undefined;
  const isRouted = (module: string) => routed !== undefined && routed(module);
  const checkSaved = savedLeaves.size > 0;
  const partNameOf = partNamer(tree);

  const grouped = app.grouped ?? [];
  if (grouped.length > 0) {
    // one entry per part; sorted by the model position of the part's first module, then tensor order
    const local = new Map<string, Entry>();
    const entries: Entry[] = [];
    for (const g of grouped) {
      const n = g.size;
      added += g.count * n;
      if (!g.trainable) continue;
      let kept = n;
      let first = 0;
      if (checkSaved) {
        ({ kept, first } = keptOf(g.modules, savedLeaves));
        if (kept === 0) continue;
      }
      const m = g.modules[first]!;
      const name = partNameOf(m.name, g.param);
      const pos = g.positions[first]!;
      const kind = g.kind ?? "adapter";
      const e = local.get(name);
      if (!e) {
        const fresh = { name, count: g.count * kept, modules: kept, kind, pos, seq: g.seq };
        local.set(name, fresh);
        entries.push(fresh);
      } else {
        e.count += g.count * kept;
        e.modules += kept;
        if (pos < e.pos || (pos === e.pos && g.seq < e.seq)) Object.assign(e, { kind, pos, seq: g.seq });
      }
      if (isRouted(m.name)) routedTrainable += g.count * kept;
    }
    // stable: entries stay in first-appearance order between equal positions; most lists already are in order
    let sorted = true;
    for (let i = 1; i < entries.length && sorted; i++) {
      const a = entries[i - 1]!;
      const b = entries[i]!;
      sorted = a.pos < b.pos || (a.pos === b.pos && a.seq <= b.seq);
    }
    if (!sorted) entries.sort((a, b) => a.pos - b.pos || a.seq - b.seq);
    for (const e of entries) parts.add(e.name, e.count, e.modules, e.kind);
  }
  for (const a of app.added) {
    added += a.count;
    if (checkSaved && savedLeaves.has(a.module)) continue;
    parts.add(partNameOf(a.module, a.param), a.count, 1, a.kind ?? "adapter");
    if (isRouted(a.module)) routedTrainable += a.count;
  }
  for (const a of app.frozenAdded ?? []) added += a.count;
  for (const s of app.shared ?? []) {
    added += s.count;
    if (s.trainable !== false) parts.add(s.name, s.count, 1, "shared");
  }

  if (app.bias !== "none") {
    const pool = app.bias === "all" ? tree.leaves : app.wrapped;
    const isBias = app.bias !== "all" ? (_: string, p: string) => p === "bias" : app.biasEndsWith ? (full: string) => full.endsWith(".bias") : (full: string) => full.includes("bias");
    for (const m of pool) {
      if (savedLeaves.has(m.name)) continue;
      for (const p of m.params) {
        if (p.tiedTo !== undefined) continue;
        if (!isBias(`${m.name}.${p.name}`, p.name)) continue;
        const w = weightOf(m);
        parts.add(partNameOf(m.name, p.name), numel(p.shape) * w, w, "bias");
        if (isRouted(m.name)) routedTrainable += numel(p.shape) * w;
      }
    }
  }

  if (saved.length > 0) {
    // added tensors per module, once (not a scan of every added tensor per saved path)
    const addedBy = new Map<string, number>();
    for (const a of app.added) addedBy.set(a.module, (addedBy.get(a.module) ?? 0) + a.count);
    for (const g of grouped) if (g.trainable) for (const m of g.modules) addedBy.set(m.name, (addedBy.get(m.name) ?? 0) + g.count);
    for (const path of saved) {
      // on a compact inventory a path inside a repeated block's index-0 copy stands for every copy
      const leaves = leavesUnder(tree, path);
      const copies = pathCopies(leaves, path);
      let copy = 0;
      for (const m of leaves) {
        let own = 0;
        for (const p of m.params) own += numel(p.shape);
        own += addedBy.get(m.name) ?? 0;
        // the copies of m in one copy of the path (exact: the path's repeats are among m's)
        copy += own * (weightOf(m) / copies);
      }
      added += copy * copies;
      parts.add(`${groupOf(tree, path)} (modules_to_save copy)`, copy * copies, copies, "copy");
    }
  }

  added += trainableTokens(app, parts);

  const list = parts.list();
  const trainable = list.reduce((s, p) => s + p.count, 0);
  const result = { trainable, allParams: treeTotal(tree) + added, parts: list, warnings: app.warnings ?? [] };
  if (!experts) return result;
  return keepRouted({ ...result, activeTrainable: trainable - routedTrainable + activeShare(routedTrainable, experts) }, routedTrainable);
}

function trainableTokens(app: Application, parts: PartSum): number {
  const spec = app.trainableTokenIndices;
  if (spec === null) return 0;
  const { inv, tree } = app;
  const targets: Record<string, readonly number[]> = Array.isArray(spec) ? { [inv.inputEmbeddings]: spec } : (spec as Record<string, readonly number[]>);
  let added = 0;
  for (const [layer, indices] of Object.entries(targets)) {
    if ((app.modulesToSave ?? []).includes(layer))
      throw new InputError("CONFLICTING_OPTIONS", `"${layer}" is both in modules_to_save and trainable_token_indices`, "train the embedding fully (modules_to_save) or a few tokens of it, not both");
    for (const path of wrappedPaths(tree, [layer], "trainable_token_indices")) {
      const m = tree.byName.get(path);
      const dim = m === undefined ? undefined : m.kind === "embedding" ? m.embeddingDim : m.kind === "linear" || m.kind === "conv1d" ? m.inFeatures : undefined;
      if (!m || dim === undefined)
        throw new InputError("UNSUPPORTED_TARGET", `trainable_token_indices: "${path}" is not an embedding or linear layer`, `use the input embedding, "${inv.inputEmbeddings}"`);
      // a repeated module of a compact inventory stands for weightOf(m) layers
      const w = weightOf(m);
      parts.add(`${groupOf(tree, path)}.trainable_tokens_delta`, indices.length * dim * w, w, "delta");
      added += indices.length * dim * w;
    }
  }
  // With tied embeddings PEFT also wraps the LM head, sharing the embedding's delta: nothing new.
  return added;
}
