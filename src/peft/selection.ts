/**
 * Which base modules a classic method trains in place (BitFit, selective fine-tuning), and the count of
 * that: the distinct tensors of the chosen modules, tied tensors once (a tied LM head trains the embedding
 * matrix it shares). Nothing is added, so allParams is the base model. Rules, stated once:
 * - names: a list entry selects every module (leaf or container, aliases included) whose path is the entry
 *   or ends with "." + entry — PEFT's target rule, so "norm" is `model.norm`, not `input_layernorm`; a
 *   string is a regular expression that must match the whole path;
 * - layer stacks: paths `<stack>.<i>.…` (the first numeric component), e.g. `model.layers`, T5's
 *   `encoder.block` and `decoder.block`; the last k are the k highest indices of each stack;
 * - head: the modules a task class adds beside its backbone — every top-level module outside the one
 *   holding the input embedding (`lm_head`, `score`, `classifier`, `cls`, DistilBERT's `pre_classifier`,
 *   DeBERTa's `pooler` + `classifier`), or, when the backbone sits at the top level (T5), the output
 *   embedding and known head names; a bare backbone (FEATURE_EXTRACTION) has none.
 */
import { modelParams } from "../model/compact.js";
import { InputError } from "../errors.js";
import type { PartKind, ParamBreakdown } from "../breakdown.js";
import { PartSum } from "../breakdown.js";
import { activeShare } from "../model/active.js";
import type { Inventory, ParamModule } from "../model/types.js";
import { groupName, numel, weightOf } from "../model/types.js";
import type { ModuleTree } from "./modules.js";
import { fullMatch } from "./regex.js";
import { leavesWithin, tensorId } from "./tensors.js";

const TOP_LEVEL_HEADS = new Set(["lm_head", "qa_outputs", "classifier", "score", "classification_head"]);

/** Leaves selected by names (list: exact or `.suffix`, each entry must match) or a regex string (full match). */
export function selectByName(tree: ModuleTree, spec: string | readonly string[], method: string): ParamModule[] {
  const paths = tree.namesWithDuplicates;
  const hits = (p: string, e: string) => p === e || p.endsWith(`.${e}`);
  const chosen: string[] = [];
  if (typeof spec === "string") chosen.push(...paths.filter((p) => fullMatch(spec, p, "modules")));
  else
    for (const e of spec) {
      const found = paths.filter((p) => hits(p, e));
      if (found.length === 0) throw new InputError("UNKNOWN_MODULE", `${method}: "${e}" names no module of this model`, `module names end with e.g. ${lastNames(tree).slice(0, 12).join(", ")}`);
      chosen.push(...found);
    }
  if (typeof spec === "string" && chosen.length === 0) throw new InputError("NO_TARGET_MATCHED", `${method}: the pattern ${JSON.stringify(spec)} matches no module path`, `paths look like ${tree.leaves.slice(0, 3).map((m) => m.name).join(", ")}`);
  return unique(chosen.flatMap((p) => leavesWithin(tree, p)));
}

/** Leaves of the last `k` blocks of every layer stack. */
export function selectLastLayers(tree: ModuleTree, k: number, method: string): ParamModule[] {
  const stacks = new Map<string, { max: number; members: { idx: number; m: ParamModule }[] }>();
  for (const m of tree.leaves) {
    const hit = /^(.*?)\.(\d+)(?:\.|$)/.exec(m.name);
    if (!hit) continue;
    const s = stacks.get(hit[1]!) ?? { max: -1, members: [] };
    const idx = Number(hit[2]);
    s.max = Math.max(s.max, idx);
    s.members.push({ idx, m });
    stacks.set(hit[1]!, s);
  }
  if (stacks.size === 0) throw new InputError("NO_LAYERS", `${method}: this model has no numbered layer stack`, "select modules by name instead");
  const out: ParamModule[] = [];
  for (const [path, s] of stacks) {
    if (k > s.max + 1) throw new InputError("INVALID_OPTION", `${method}: last_layers=${k} but "${path}" has ${s.max + 1} layers`, `use last_layers ≤ ${s.max + 1}`);
    for (const { idx, m } of s.members) if (idx > s.max - k) out.push(m);
  }
  return out;
}

/** The head the task class adds (see the file comment); empty for a bare backbone. */
export function headModules(inv: Inventory, tree: ModuleTree): ParamModule[] {
  if (inv.task === "FEATURE_EXTRACTION") return [];
  const top = (name: string) => name.split(".")[0]!;
  const backbone = inv.inputEmbeddings.includes(".") ? top(inv.inputEmbeddings) : undefined;
  const heads = new Set(tree.leaves.map((m) => top(m.name)).filter((t) => (backbone !== undefined ? t !== backbone : TOP_LEVEL_HEADS.has(t) || t === inv.outputEmbeddings)));
  return tree.leaves.filter((m) => heads.has(top(m.name)));
}

/** The modules that are normalisation layers. */
export function normModules(tree: ModuleTree): ParamModule[] {
  return tree.leaves.filter((m) => m.kind === "norm");
}

export interface InPlace {
  readonly m: ParamModule;
  /** which of its parameters train (by name); all of them when absent */
  readonly params?: readonly string[];
  readonly kind: PartKind;
}

/** Train these parameters in place: Σ distinct tensors (the first module naming a tensor gets it), grouped by module pattern. */
export function trainInPlace(inv: Inventory, chosen: Iterable<InPlace>, warnings: string[]): ParamBreakdown {
  const seen = new Set<string>();
  const parts = new PartSum();
  let routed = 0;
  for (const { m, params, kind } of chosen) {
    let own = 0;
    for (const p of m.params) {
      if (params !== undefined && !params.includes(p.name)) continue;
      const id = tensorId(m, p);
      if (seen.has(id)) continue;
      seen.add(id);
      own += numel(p.shape);
    }
    if (own === 0) continue;
    // an entry of a compact inventory stands for weightOf(m) modules
    const w = weightOf(m);
    parts.add(params === undefined ? groupName(m.name) : `${groupName(m.name)}.${params.join("+")}`, own * w, w, kind);
    if (inv.experts?.pattern.test(m.name)) routed += own * w;
  }
  const list = parts.list();
  const trainable = list.reduce((s, p) => s + p.count, 0);
  const result = { trainable, allParams: modelParams(inv), parts: list, warnings };
  return inv.experts ? { ...result, activeTrainable: trainable - routed + activeShare(routed, inv.experts) } : result;
}

function unique(ms: readonly ParamModule[]): ParamModule[] {
  return [...new Set(ms)];
}

function lastNames(tree: ModuleTree): string[] {
  return [...new Set(tree.names.map((n) => n.split(".").pop()!).filter((n) => !/^\d+$/.test(n)))];
}
