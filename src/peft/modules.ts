/**
 * The module tree as PEFT walks it. Our inventory holds parameter-owning leaves; containers
 * (`model.layers.3`, `model.layers.3.mlp`, RoBERTa's `classifier`) are their dotted prefixes.
 * `names` is `named_modules()` (each object once, parents before children); `namesWithDuplicates` is
 * `named_modules(remove_duplicate=False)`, which also visits a shared module under every alias.
 */
import type { ParamModule } from "../model/types.js";

export interface ModuleTree {
  readonly leaves: readonly ParamModule[];
  readonly byName: ReadonlyMap<string, ParamModule>;
  readonly names: readonly string[];
  readonly namesWithDuplicates: readonly string[];
}

function withPrefixes(paths: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const path of paths) {
    const parts = path.split(".");
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join(".");
      if (!seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
    }
  }
  return out;
}

export function moduleTree(leaves: readonly ParamModule[]): ModuleTree {
  const byName = new Map<string, ParamModule>();
  for (const m of leaves) {
    byName.set(m.name, m);
    for (const a of m.aliases ?? []) byName.set(a, m);
  }
  const names = withPrefixes(leaves.map((m) => m.name));
  const hasAliases = leaves.some((m) => m.aliases?.length);
  const namesWithDuplicates = hasAliases ? withPrefixes(leaves.flatMap((m) => [m.name, ...(m.aliases ?? [])])) : names;
  return { leaves, byName, names, namesWithDuplicates };
}

/** Leaves at or below `path` (the module itself if it is a leaf). */
export function leavesUnder(tree: ModuleTree, path: string): ParamModule[] {
  const exact = tree.byName.get(path);
  if (exact) return [exact];
  const prefix = `${path}.`;
  return tree.leaves.filter((m) => m.name.startsWith(prefix));
}

/** Whether a top-level attribute `name` exists on the model (`getattr(model, name, None)`). */
export function hasTopLevel(tree: ModuleTree, name: string): boolean {
  return tree.names.includes(name);
}
