/**
 * Inventories as templates. A family lists a block repeated n times with identical modules (the routed
 * experts of an MoE layer, identical layers) once, through `ModuleList.repeat`: the copy at index 0 stands for
 * all n (its entries carry a hidden `repeat` = {base, count, outer}; repeats nest, and an entry stands for the
 * product of its repeats' counts). Such a list is the *compact* module list.
 *
 * `buildInventory` returns the *full* inventory: `modules` is the compact list expanded (on first read,
 * then kept), one entry per module in `named_modules()` order, as every consumer expects; and it keeps the
 * compact inventory beside it (`compactOf`). Counting on the compact inventory with each entry weighted by
 * `weightOf` gives the same numbers whenever nothing depends on an index (formulas/types.ts `evaluate`
 * decides, src/peft/index-free.ts): qwen3-235b per expert, 36,945 modules, is then 15 entries.
 */
import type { Inventory, ParamModule, Repeat } from "./types.js";
import { repeatOf, totalParams, weightOf } from "./types.js";

/** Marks an entry as the index-0 copy of `r`, its innermost repeat (hidden: spreads and signatures never see it). */
export function markRepeat(m: ParamModule, r: Repeat): void {
  if (repeatOf(m) !== undefined) throw new Error(`${m.name} is marked as repeated twice`);
  Object.defineProperty(m, "repeat", { value: r, enumerable: false });
}

/** Σ weights of a list of entries (its length for a full list). */
export function weightedLength(modules: readonly ParamModule[]): number {
  let n = 0;
  for (const m of modules) n += weightOf(m);
  return n;
}

/**
 * How many paths `path` of a compact list's tree stands for: the product of the counts of the repeats whose
 * index-0 copy holds it (1 outside every repeat). `leaves` are the leaves at or under it.
 */
export function pathCopies(leaves: readonly ParamModule[], path: string): number {
  let n = 1;
  for (let r = leaves.length > 0 ? repeatOf(leaves[0]!) : undefined; r !== undefined; r = r.outer)
    if (path === `${r.base}.0` || path.startsWith(`${r.base}.0.`)) n *= r.count;
  return n;
}

/** the outermost repeat of an entry */
function outermost(m: ParamModule): Repeat | undefined {
  let r = repeatOf(m);
  while (r?.outer !== undefined) r = r.outer;
  return r;
}

/** `r`'s chain inside copy `at` of `top`: `top` dropped, bases renamed; one object per repeat and copy (memo). */
function rechain(r: Repeat | undefined, top: Repeat, zero: string, at: string, memo: Map<Repeat, Repeat>): Repeat | undefined {
  if (r === undefined || r === top) return undefined;
  let out = memo.get(r);
  if (out === undefined) {
    const outer = rechain(r.outer, top, zero, at, memo);
    const base = at + r.base.slice(zero.length);
    memo.set(r, (out = Object.freeze(outer === undefined ? { base, count: r.count } : { base, count: r.count, outer })));
  }
  return out;
}

/** One entry per module: each repeated block written out for every index, nested blocks too, in model order. */
export function expandModules(compact: readonly ParamModule[]): ParamModule[] {
  const out: ParamModule[] = [];
  for (let i = 0; i < compact.length; ) {
    const top = outermost(compact[i]!);
    if (top === undefined) {
      out.push(compact[i++]!);
      continue;
    }
    let end = i + 1;
    while (end < compact.length && outermost(compact[end]!) === top) end++;
    const zero = `${top.base}.0`;
    for (let k = 0; k < top.count; k++) {
      const at = `${top.base}.${k}`;
      const memo = new Map<Repeat, Repeat>();
      const copy: ParamModule[] = [];
      for (let j = i; j < end; j++) {
        const m = compact[j]!;
        const c = { ...m, name: at + m.name.slice(zero.length) } as ParamModule;
        const inner = rechain(repeatOf(m), top, zero, at, memo);
        if (inner !== undefined) markRepeat(c, inner);
        copy.push(c);
      }
      for (const m of expandModules(copy)) out.push(m);
    }
    i = end;
  }
  return out;
}

const COMPACT = new WeakMap<Inventory, Inventory>();

/** The compact inventory a full one was made from (only the object `fromCompact` returned has one). */
export function compactOf(inv: Inventory): Inventory | undefined {
  return COMPACT.get(inv);
}

/**
 * The full inventory of a compact one: every field the same, `modules` expanded on first read. Returns `inv`
 * itself when nothing in it repeats. Spreading the result reads (expands) `modules`, and the copy is a plain
 * full inventory with no compact form: a transform that edits modules can never count on a stale one.
 */
export function fromCompact(inv: Inventory): Inventory {
  if (!inv.modules.some((m) => repeatOf(m) !== undefined)) return inv;
  const compact = Object.freeze({ ...inv });
  let expanded: readonly ParamModule[] | undefined;
  const full = { ...inv } as { modules: readonly ParamModule[] };
  Object.defineProperty(full, "modules", {
    get: () => (expanded ??= Object.freeze(expandModules(compact.modules))),
    enumerable: true,
  });
  COMPACT.set(full as Inventory, compact);
  return full as Inventory;
}

/** The compact form's entries when there is one (weigh each with `weightOf`), else `inv.modules`: never expands. */
export function listedModules(inv: Inventory): readonly ParamModule[] {
  return (compactOf(inv) ?? inv).modules;
}

/** Parameters of the model (`totalParams` of its modules), from the compact form when there is one. */
export function modelParams(inv: Inventory): number {
  return totalParams(listedModules(inv));
}
