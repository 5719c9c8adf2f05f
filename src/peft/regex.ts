/**
 * User-supplied patterns (`target_modules` as a string, `exclude_modules`, `layers_pattern`,
 * `rank_pattern` keys, `modules_to_save`) are Python regular expressions in PEFT. We evaluate them
 * with RE2 semantics (re2js): linear time, so a pattern that would backtrack catastrophically cannot
 * hang us. Python-only syntax RE2 lacks (look-around, back-references) is reported as an input error.
 */
import { RE2JS } from "re2js";
import { InputError } from "../errors.js";

type Compiled = ReturnType<typeof RE2JS.compile>;
const cache = new Map<string, Compiled>();

export function compilePattern(pattern: string, field: string): Compiled {
  let re = cache.get(pattern);
  if (re) return re;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    throw new InputError(
      "INVALID_REGEX",
      `${field}: cannot use the regular expression ${JSON.stringify(pattern)} (${why})`,
      "patterns are matched in linear time (RE2 syntax): look-around and back-references are not available",
    );
  }
  cache.set(pattern, re);
  return re;
}

/** Python `re.fullmatch(pattern, s)`. */
export function fullMatch(pattern: string, s: string, field: string): boolean {
  return compilePattern(pattern, field).matcher(s).matches();
}

/** Python `re.match(pattern, s)`: anchored at the start, not at the end. */
export function matchStart(pattern: string, s: string, field: string): boolean {
  return compilePattern(pattern, field).matcher(s).lookingAt();
}

/** Python `re.match(pattern, s).group(1)` or undefined. */
export function matchStartGroup(pattern: string, s: string, field: string): string | undefined {
  const m = compilePattern(pattern, field).matcher(s);
  return m.lookingAt() ? (m.group(1) ?? undefined) : undefined;
}
