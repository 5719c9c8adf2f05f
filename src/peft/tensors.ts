/**
 * The distinct tensors inside modules, tied weights once. What a `deepcopy` of a module creates (LN tuning's
 * copies: one new tensor per distinct tensor in the subtree, so a tie inside the subtree stays one tensor
 * and a tie to a tensor outside it becomes a tensor of its own) and what training modules in place unfreezes
 * (selective fine-tuning: a tied LM head trains the embedding matrix it shares, counted once).
 */
import type { ParamModule } from "../model/types.js";
import { numel } from "../model/types.js";
import type { ModuleTree } from "./modules.js";

/** Leaves reachable at or below `path`, under their own name or an alias (T5's `encoder.embed_tokens` is `shared`). */
export function leavesWithin(tree: ModuleTree, path: string): ParamModule[] {
  const prefix = `${path}.`;
  const under = (n: string) => n === path || n.startsWith(prefix);
  return tree.leaves.filter((m) => under(m.name) || (m.aliases ?? []).some(under));
}

/** Identity of a parameter: the tensor it is tied to, else its own full name. */
export function tensorId(m: ParamModule, param: { readonly name: string; readonly tiedTo?: string }): string {
  return param.tiedTo ?? `${m.name}.${param.name}`;
}

/** Distinct tensors of some modules: identity → element count. */
export function distinctTensors(modules: Iterable<ParamModule>, into: Map<string, number> = new Map()): Map<string, number> {
  for (const m of modules) for (const p of m.params) into.set(tensorId(m, p), numel(p.shape));
  return into;
}

/** Parameters a deep copy of the module at `path` holds. */
export function copiedParams(tree: ModuleTree, path: string): number {
  let n = 0;
  for (const c of distinctTensors(leavesWithin(tree, path)).values()) n += c;
  return n;
}
