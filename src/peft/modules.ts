/**
 * The module tree as PEFT walks it. Our inventory holds parameter-owning leaves; containers
 * (`model.layers.3`, `model.layers.3.mlp`, RoBERTa's `classifier`) are their dotted prefixes.
 * `names` is `named_modules()` (each object once, parents before children); `namesWithDuplicates` is
 * `named_modules(remove_duplicate=False)`, which also visits a shared module under every alias.
 *
 * Built once per leaves array and kept (a WeakMap keyed by the inventory's `modules`), with the indexes
 * every evaluation needs: name sets, the leaves under each container path, group names, the total. An
 * inventory is immutable, so the tree and its indexes are frozen and shared by every evaluation.
 */
import type { ParamModule } from "../model/types.js";
import { groupName, totalParams } from "../model/types.js";

export interface ModuleTree {
  readonly leaves: readonly ParamModule[];
  readonly byName: ReadonlyMap<string, ParamModule>;
  readonly names: readonly string[];
  readonly namesWithDuplicates: readonly string[];
  /** `names` as a set (O(1) membership) */
  readonly nameSet?: ReadonlySet<string>;
}

/** The indexes kept beside a tree (built lazily, at most once each). */
interface TreeIndex {
  /** every container path → the leaves (canonical names) below it, in model order */
  under?: Map<string, readonly ParamModule[]>;
  /** leaf name → `groupName(name)` */
  readonly groups: Map<string, string>;
  /** module name → param → `${groupName(module)}.${param}` (part names, built once: no string building per evaluation) */
  readonly parts: Map<string, Map<string, string>>;
  total?: number;
}

const trees = new WeakMap<readonly ParamModule[], ModuleTree>();
/** per regular tree: the leaf each name is (leafAtNames) */
const leafIndexes = new WeakMap<ModuleTree, readonly (ParamModule | undefined)[]>();
const indexes = new WeakMap<ModuleTree, TreeIndex>();

/**
 * Each path after its dotted prefixes, each name once, in first-appearance order. `seen` stays closed under
 * prefixes, so only the prefixes longer than the longest one already seen are new: walking down from the
 * parent stops at once for a path whose parent an earlier path introduced (most of them: siblings).
 * `leaves`, when given, are the modules of `paths` (same order): `leafAt[i]` is the module named `out[i]`
 * (undefined for a container), and `regular` says no path was already seen when it came (a duplicate, or a
 * leaf that an earlier path's prefix introduced: then only a name lookup knows which module a name is).
 */
function withPrefixes(
  paths: readonly string[],
  seen = new Set<string>(),
  leaves?: readonly ParamModule[],
): { readonly names: string[]; readonly leafAt: (ParamModule | undefined)[]; readonly regular: boolean } {
  const out: string[] = [];
  const leafAt: (ParamModule | undefined)[] = [];
  let regular = true;
  const fresh: string[] = [];
  // the parent of the previous path: a sibling (same parent, already seen) is recognised without slicing its parent
  let parent = "";
  for (let j = 0; j < paths.length; j++) {
    const path = paths[j]!;
    const dot = path.lastIndexOf(".");
    if (!(dot > 0 && dot === parent.length && path.startsWith(parent))) {
      parent = dot > 0 ? path.slice(0, dot) : "";
      fresh.length = 0;
      for (let i = dot; i !== -1; i = i === 0 ? -1 : path.lastIndexOf(".", i - 1)) {
        const p = path.slice(0, i);
        if (seen.has(p)) break;
        fresh.push(p);
      }
      for (let k = fresh.length - 1; k >= 0; k--) {
        seen.add(fresh[k]!);
        out.push(fresh[k]!);
        if (leaves) leafAt.push(undefined);
      }
    }
    // one hash operation: the set grows exactly when the path is new
    const size = seen.size;
    seen.add(path);
    if (seen.size !== size) {
      out.push(path);
      if (leaves) leafAt.push(leaves[j]);
    } else regular = false;
  }
  return { names: out, leafAt, regular };
}

function buildTree(leaves: readonly ParamModule[]): ModuleTree {
  // the set withPrefixes fills is `names` as a set
  const nameSet = new Set<string>();
  const hasAliases = leaves.some((m) => m.aliases?.length);
  const { names: own, leafAt, regular } = withPrefixes(
    leaves.map((m) => m.name),
    nameSet,
    leaves,
  );
  const names = Object.freeze(own);
  const namesWithDuplicates = hasAliases ? Object.freeze(withPrefixes(leaves.flatMap((m) => [m.name, ...(m.aliases ?? [])])).names) : names;
  // name → module (aliases included), built on first use: targeting reads `leafAt` instead
  let byName: Map<string, ParamModule> | undefined;
  const tree = Object.freeze({
    leaves,
    get byName(): ReadonlyMap<string, ParamModule> {
      if (byName === undefined) {
        byName = new Map<string, ParamModule>();
        for (const m of leaves) {
          byName.set(m.name, m);
          for (const a of m.aliases ?? []) byName.set(a, m);
        }
      }
      return byName;
    },
    names,
    namesWithDuplicates,
    nameSet,
  });
  if (regular && !hasAliases) leafIndexes.set(tree, Object.freeze(leafAt));
  return tree;
}

/**
 * For a tree without aliases or repeated names: the leaf each of `names` is (undefined for a container), i.e.
 * `tree.byName.get(names[i])`, without building the name map. Undefined for other trees.
 */
export function leafAtNames(tree: ModuleTree): readonly (ParamModule | undefined)[] | undefined {
  return leafIndexes.get(tree);
}


/** The tree of an inventory's leaves: built on first use, then the same object for the same array. */
export function moduleTree(leaves: readonly ParamModule[]): ModuleTree {
  let tree = trees.get(leaves);
  if (!tree) {
    tree = buildTree(leaves);
    trees.set(leaves, tree);
  }
  return tree;
}

function indexOf(tree: ModuleTree): TreeIndex {
  let ix = indexes.get(tree);
  if (!ix) indexes.set(tree, (ix = { groups: new Map(), parts: new Map() }));
  return ix;
}

/** container path → leaves strictly below it (by canonical name), built once per tree: O(leaves · depth) */
function underIndex(tree: ModuleTree): Map<string, readonly ParamModule[]> {
  const ix = indexOf(tree);
  if (ix.under) return ix.under;
  const under = new Map<string, ParamModule[]>();
  for (const m of tree.leaves)
    for (let i = m.name.indexOf("."); i !== -1; i = m.name.indexOf(".", i + 1)) {
      const p = m.name.slice(0, i);
      let list = under.get(p);
      if (!list) under.set(p, (list = []));
      list.push(m);
    }
  for (const list of under.values()) Object.freeze(list);
  ix.under = under;
  return under;
}

const NONE: readonly ParamModule[] = Object.freeze([]);

/** Leaves at or below `path` (the module itself if it is a leaf); a shared, frozen list. */
export function leavesUnder(tree: ModuleTree, path: string): readonly ParamModule[] {
  const exact = tree.byName.get(path);
  const below = underIndex(tree).get(path) ?? NONE;
  if (!exact) return below;
  // a module that owns parameters and has children (a Mamba mixer: A_log, D, dt_bias + in_proj, out_proj)
  return below.length === 0 ? [exact] : [exact, ...below];
}

/** `groupName(name)`, memoised per tree. */
export function groupOf(tree: ModuleTree, name: string): string {
  const groups = indexOf(tree).groups;
  let g = groups.get(name);
  if (g === undefined) groups.set(name, (g = groupName(name)));
  return g;
}

/** `${groupName(name)}.${param}`, memoised per tree (the same string object each time, its hash kept). */
export function partNameOf(tree: ModuleTree, name: string, param: string): string {
  return partNamer(tree)(name, param);
}

/** `partNameOf` bound to one tree (the memo looked up once, for loops over many tensors). */
export function partNamer(tree: ModuleTree): (name: string, param: string) => string {
  const parts = indexOf(tree).parts;
  // tensors come module by module: keep the last module's entry
  let lastName: string | undefined;
  let last: Map<string, string> | undefined;
  return (name, param) => {
    if (name !== lastName || last === undefined) {
      last = moduleParts(parts, name);
      lastName = name;
    }
    return namedPart(tree, last, name, param);
  };
}

function moduleParts(parts: Map<string, Map<string, string>>, name: string): Map<string, string> {
  let bySuffix = parts.get(name);
  if (!bySuffix) parts.set(name, (bySuffix = new Map()));
  return bySuffix;
}

function namedPart(tree: ModuleTree, bySuffix: Map<string, string>, name: string, param: string): string {
  let p = bySuffix.get(param);
  if (p === undefined) bySuffix.set(param, (p = `${groupOf(tree, name)}.${param}`));
  return p;
}

/** Σ parameters of the tree's leaves, tied tensors once (`totalParams`), memoised. */
export function treeTotal(tree: ModuleTree): number {
  const ix = indexOf(tree);
  return (ix.total ??= totalParams(tree.leaves));
}

/** Whether a top-level attribute `name` exists on the model (`getattr(model, name, None)`). */
export function hasTopLevel(tree: ModuleTree, name: string): boolean {
  return tree.nameSet ? tree.nameSet.has(name) : tree.names.includes(name);
}
