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
const isDict = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Whether the options (a method's parsed options, PEFT's key names) name modules only by plain keys:
 * `target_modules` (a list, "all-linear" or null), every other `*_modules*` and `modules_to_save` (a list or
 * null: a string is a regex), the keys of every `*_pattern` dict (rank_pattern, alpha_pattern,
 * n_frequency_pattern, ...) and of a trainable_token_indices dict, the same in nested configs (use_bdlora's
 * `target_modules_bd_a`, matched as substrings: a plain key cannot hold part of an index either); and
 * `layers_to_transform` unset (`layers_pattern` only acts with it). Other options are sizes and flags: a method
 * whose count reads names some other way must not declare itself compact.
 */
export function indexFree(o: object): boolean {
  for (const [key, v] of Object.entries(o)) {
    if (key === "target_modules") {
      if (typeof v === "string" ? v.toLowerCase() !== "all-linear" : !plainList(v)) return false;
    } else if (key.includes("_modules") || key === "modules_to_save") {
      if (typeof v === "string" ? v.length > 0 : !plainList(v)) return false;
    } else if (key === "layers_to_transform") {
      if (v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)) return false;
    } else if (key.endsWith("_pattern") || key === "trainable_token_indices") {
      if (isDict(v) && !Object.keys(v).every(plainKey)) return false;
    } else if (isDict(v) && !indexFree(v)) return false;
  }
  return true;
}
