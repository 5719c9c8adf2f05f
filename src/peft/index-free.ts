/**
 * Whether PEFT's targeting options treat every copy of a repeated block alike (src/model/compact.ts), so that
 * a count on the compact inventory (one entry per block, weighted) equals the count on the full one.
 *
 * The copies differ only in an index path segment (`experts.0` vs `experts.17`). PEFT's matching reads names
 * by exact name or dotted suffix (target / exclude lists), `endswith` (modules_to_save, trainable-token
 * layers) or a regex (a string target / exclude, rank / alpha pattern keys). A name key none of whose dotted
 * segments is all digits, written only with letters, digits and `_`, cannot tell the copies apart: to touch
 * an index digit it would need a segment starting at a dot and holding only digits. Anything else — a regex
 * target, `layers_to_transform`, a key with an index or a regex character — counts on the full inventory.
 */

const PLAIN = /^[A-Za-z0-9_]+$/;
const DIGITS = /^\d+$/;

/** A name key with no index segment and no regex character. */
export function plainKey(key: string): boolean {
  const segments = key.split(".");
  return segments.every((s) => PLAIN.test(s) && !DIGITS.test(s));
}

const plainList = (v: unknown): boolean => v === null || v === undefined || (Array.isArray(v) && v.every((k) => typeof k === "string" && plainKey(k)));
const plainKeys = (v: unknown): boolean =>
  v === null || v === undefined || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).every(plainKey));

/** The targeting keys this looks at (PEFT's names); any other option must not depend on module names. */
export interface IndexFreeOptions {
  readonly target_modules?: unknown;
  readonly exclude_modules?: unknown;
  readonly layers_to_transform?: unknown;
  readonly modules_to_save?: unknown;
  readonly rank_pattern?: unknown;
  readonly alpha_pattern?: unknown;
  readonly trainable_token_indices?: unknown;
}

export function indexFree(o: IndexFreeOptions): boolean {
  const t = o.target_modules;
  if (typeof t === "string" ? t.toLowerCase() !== "all-linear" : !plainList(t)) return false;
  const ex = o.exclude_modules;
  if (typeof ex === "string" ? ex.length > 0 : !plainList(ex)) return false;
  const layers = o.layers_to_transform;
  if (layers !== null && layers !== undefined && !(Array.isArray(layers) && layers.length === 0)) return false;
  if (!plainList(o.modules_to_save) || !plainKeys(o.rank_pattern) || !plainKeys(o.alpha_pattern)) return false;
  const tokens = o.trainable_token_indices;
  return tokens === null || tokens === undefined || Array.isArray(tokens) || plainKeys(tokens);
}
