/**
 * The per-module overrides some configs carry as `{pattern: value}` dicts, looked up the way each PEFT
 * tuner does it (the first key in dict order that matches wins; insertion order is kept by JSON.parse):
 * - FourierFT `n_frequency_pattern` (fourierft/model.py `_create_and_replace`): `re.match(rf".*\.{key}$", name)`,
 *   else the full module name itself as a key;
 * - `get_pattern_key` (utils/other.py; WaveFT's `n_frequency_pattern`): `re.match(rf"(.*\.)?({key})$", name)`,
 *   else the full module name;
 * - OSF `rank_pattern` (osf/model.py `_create_and_replace`): `re.search(key, name)`.
 */
import { matchStart } from "./regex.js";

type Patterns<V> = Readonly<Record<string, V>> | null | undefined;

/** FourierFT's lookup: a key preceded by a dot at the end of the name, or the exact name. */
export function fourierPatternValue<V>(patterns: Patterns<V>, name: string, field: string): V | undefined {
  if (!patterns) return undefined;
  for (const [key, value] of Object.entries(patterns)) if (matchStart(`.*\\.${key}$`, [key], name, field)) return value;
  return Object.hasOwn(patterns, name) ? patterns[name] : undefined;
}

/** PEFT's `get_pattern_key`: the key matching the end of the name (after a dot or the whole of it), or the exact name. */
export function suffixPatternValue<V>(patterns: Patterns<V>, name: string, field: string): V | undefined {
  if (!patterns) return undefined;
  for (const [key, value] of Object.entries(patterns)) if (matchStart(`(.*\\.)?(${key})$`, [key], name, field)) return value;
  return Object.hasOwn(patterns, name) ? patterns[name] : undefined;
}

/** Python's `re.search(key, name)` over the keys: the first key found anywhere in the name. */
export function searchPatternValue<V>(patterns: Patterns<V>, name: string, field: string): V | undefined {
  if (!patterns) return undefined;
  for (const [key, value] of Object.entries(patterns)) if (matchStart(`.*?(?:${key})`, [key], name, field)) return value;
  return undefined;
}
