/**
 * Per-module overrides (`rank_pattern`, `alpha_pattern`, `lambda_pattern`, ...) as PEFT resolves them
 * (peft src/peft/utils/other.py `get_pattern_key`, the same from 0.17 to 0.21): see pattern-keys.ts.
 */
import { suffixPatternValue } from "./pattern-keys.js";

export function patternValue<T>(pattern: Readonly<Record<string, T>> | null | undefined, moduleName: string, fallback: T, field: string): T {
  return suffixPatternValue(pattern, moduleName, field) ?? fallback;
}
