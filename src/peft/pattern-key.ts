/**
 * Per-module overrides (`rank_pattern`, `alpha_pattern`, `lambda_pattern`, ...) as PEFT resolves them
 * (peft src/peft/utils/other.py `get_pattern_key`, the same from 0.17 to 0.21): the first key K, in the
 * dict's order, for which `re.match(rf"(.*\.)?({K})$", module_name)` succeeds; no key matching means the
 * config-wide default.
 */
import { matchStart } from "./regex.js";

export function patternValue<T>(pattern: Readonly<Record<string, T>> | null | undefined, moduleName: string, fallback: T, field: string): T {
  for (const [key, value] of Object.entries(pattern ?? {})) if (matchStart(`(.*\\.)?(${key})$`, [key], moduleName, field)) return value;
  return fallback;
}
