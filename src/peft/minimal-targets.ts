/**
 * PEFT's `_find_minimal_target_modules` (peft tuners_utils.py, in every release since 0.13, both eras): when
 * `target_modules` is a list or set of 20 or more names (MIN_TARGET_MODULES_FOR_OPTIMIZATION) — what
 * "all-linear" resolves to on any real model — `inject_adapter` replaces it, before matching, with the
 * shortest name suffixes that still separate the targets from every other module, if that is shorter. IA3 is
 * exempt. It changes what is matched, not only how it is written: an exact full name ignores
 * `layers_to_transform`, a suffix obeys it, so "all-linear" + layers_to_transform=[0] wraps layer 0 only
 * (oracle, peft 0.21.0: VeRA on Llama-3.2-1B wraps 7 modules).
 * Here in O(modules · depth): set lookups where PEFT scans lists.
 */
export const MIN_TARGET_MODULES_FOR_OPTIMIZATION = 20;

/** Every dotted suffix of a name, shortest first: "a.b.c" → ["c", "b.c", "a.b.c"]. */
function suffixes(name: string): string[] {
  const out: string[] = [];
  for (let i = name.lastIndexOf("."); i !== -1; i = name.lastIndexOf(".", i - 1)) {
    out.push(name.slice(i + 1));
    if (i === 0) break;
  }
  out.push(name);
  return out;
}

/** Python's ordering of lists of strings (element-wise, then by length). */
function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** `_find_minimal_target_modules(targets, others)` */
export function minimalTargetModules(targets: ReadonlySet<string>, others: Iterable<string>): Set<string> {
  const otherSuffixes = new Set<string>();
  for (const o of others) for (const s of suffixes(o)) otherSuffixes.add(s);
  const items = [...targets].map((t) => [t, suffixes(t)] as const).sort((a, b) => compareLists(a[1], b[1]));
  const required = new Set<string>();
  for (const [, sfx] of items) {
    // item.endswith("." + r) for some required r ⇔ a proper suffix of the item is required
    const covered = () => sfx.some((s, i) => i < sfx.length - 1 && required.has(s));
    for (const s of sfx) {
      if (required.has(s) || otherSuffixes.has(s)) continue;
      if (!covered()) {
        required.add(s);
        break;
      }
    }
  }
  return required.size === 0 ? new Set(targets) : required;
}

/** Results per module-name list and target list object (all-linear's Set is one object per tree: targets.ts). */
const OPTIMIZED = new WeakMap<readonly string[], WeakMap<object, ReadonlySet<string> | readonly string[]>>();

/** The list `inject_adapter` matches with: the shortened suffixes when there are ≥ 20 names and that is shorter. */
export function optimizeTargets(names: readonly string[], resolved: ReadonlySet<string> | readonly string[]): ReadonlySet<string> | readonly string[] {
  let byList = OPTIMIZED.get(names);
  if (!byList) OPTIMIZED.set(names, (byList = new WeakMap()));
  const hit = byList.get(resolved);
  if (hit) return hit;
  const out = shorten(names, resolved);
  byList.set(resolved, out);
  return out;
}

function shorten(names: readonly string[], resolved: ReadonlySet<string> | readonly string[]): ReadonlySet<string> | readonly string[] {
  const set = new Set(resolved);
  if (set.size < MIN_TARGET_MODULES_FOR_OPTIMIZATION) return resolved;
  // names_no_target: not a target, and not ending with "." + a target
  const others = names.filter((n) => {
    if (set.has(n)) return false;
    for (let i = n.indexOf("."); i !== -1; i = n.indexOf(".", i + 1)) if (set.has(n.slice(i + 1))) return false;
    return true;
  });
  const minimal = minimalTargetModules(set, others);
  return minimal.size < set.size ? minimal : resolved;
}
