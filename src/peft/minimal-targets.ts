/**
 * PEFT's `_find_minimal_target_modules` (peft tuners_utils.py, in every release since 0.13, both eras): when
 * `target_modules` is a list or set of 20 or more names (MIN_TARGET_MODULES_FOR_OPTIMIZATION) — what
 * "all-linear" resolves to on any real model — `inject_adapter` replaces it, before matching, with the
 * shortest name suffixes that still separate the targets from every other module, if that is shorter. IA3 is
 * exempt. It changes what is matched, not only how it is written: an exact full name ignores
 * `layers_to_transform`, a suffix obeys it, so "all-linear" + layers_to_transform=[0] wraps layer 0 only
 * (oracle, peft 0.21.0: VeRA on Llama-3.2-1B wraps 7 modules).
 * Here in O(modules + targets · depth): set lookups where PEFT scans and sorts lists (see minimalTargetModules).
 */
export const MIN_TARGET_MODULES_FOR_OPTIMIZATION = 20;

/**
 * `_find_minimal_target_modules(targets, others)`. PEFT sorts the targets by their suffix lists and, for each
 * target not yet covered by a required suffix, adds its shortest suffix that no other module name has. That
 * is the same as taking, for every target, its shortest suffix absent from the others' suffixes, whatever the
 * order: the suffixes of a target shorter than that one all belong to other names, so none of them is ever
 * required; a longer one could only have been required by a target sharing this shorter, free suffix, which
 * would have taken the shorter one instead. So a target is covered exactly when its own choice is already
 * required, and the set is the union of the choices: no sort and no list of all suffixes of every name, only
 * lookups of the candidate suffixes (the others indexed by last component).
 */
export function minimalTargetModules(targets: ReadonlySet<string>, others: Iterable<string>): Set<string> {
  const byLast = new Map<string, string[]>();
  for (const o of others) {
    const last = o.slice(o.lastIndexOf(".") + 1);
    let bucket = byLast.get(last);
    if (!bucket) byLast.set(last, (bucket = []));
    bucket.push(o);
  }
  const known = new Map<string, boolean>();
  /** whether some other name is `s` or ends with "." + `s` */
  const taken = (s: string, last: string): boolean => {
    let hit = known.get(s);
    if (hit === undefined) {
      const dotted = `.${s}`;
      hit = (byLast.get(last) ?? []).some((o) => o === s || o.endsWith(dotted));
      known.set(s, hit);
    }
    return hit;
  };
  const required = new Set<string>();
  for (const t of targets) {
    const lastDot = t.lastIndexOf(".");
    const last = t.slice(lastDot + 1);
    // the shortest suffix first, then longer ones
    for (let i = lastDot; ; i = t.lastIndexOf(".", i - 1)) {
      const s = i === -1 ? t : t.slice(i + 1);
      if (required.has(s)) break;
      if (!taken(s, last)) {
        required.add(s);
        break;
      }
      if (i <= 0) {
        // "a.b" with i = 0 would be ".b": no suffix left after the whole name
        if (i === 0 && !required.has(t) && !taken(t, last)) required.add(t);
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
  // names_no_target: not a target, and not ending with "." + a target (only possible when the last
  // components agree: the others' own last components are checked first, without building any suffix)
  const lasts = new Set<string>();
  for (const t of set) lasts.add(t.slice(t.lastIndexOf(".") + 1));
  const others = names.filter((n) => {
    if (set.has(n)) return false;
    if (!lasts.has(n.slice(n.lastIndexOf(".") + 1))) return true;
    for (let i = n.indexOf("."); i !== -1; i = n.indexOf(".", i + 1)) if (set.has(n.slice(i + 1))) return false;
    return true;
  });
  const minimal = minimalTargetModules(set, others);
  return minimal.size < set.size ? minimal : resolved;
}
