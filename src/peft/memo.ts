/**
 * Answers kept per immutable owner (a module tree, a frozen list) and a string key: the engine asks the same
 * question of the same tree at every evaluation (which paths a list of names wraps, what all-linear selects, ...).
 * The owner is held weakly; each owner keeps at most `max` keys (then starts afresh).
 */
export function memoByKey<O extends object, V>(max: number): (owner: O, key: string, compute: () => V) => V {
  const byOwner = new WeakMap<O, Map<string, V>>();
  return (owner, key, compute) => {
    let byKey = byOwner.get(owner);
    if (byKey === undefined) byOwner.set(owner, (byKey = new Map()));
    let hit = byKey.get(key);
    if (hit === undefined) {
      if (byKey.size >= max) byKey.clear();
      byKey.set(key, (hit = compute()));
    }
    return hit;
  };
}
