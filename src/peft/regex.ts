/**
 * User-supplied patterns (`target_modules` as a string, `exclude_modules`, `layers_pattern`,
 * `rank_pattern` keys, `modules_to_save`) are Python regular expressions in PEFT, often spliced into
 * PEFT's own patterns (`(^|.*\.)NAME($|\..*)`). A user part made only of word characters, dots, hyphens and
 * anchors cannot backtrack, so JavaScript's RegExp evaluates it, with the same meaning as Python's `re`.
 * Anything else goes to RE2 (re2js): linear time, so a pattern that would backtrack catastrophically cannot
 * hang us; Python-only syntax RE2 lacks (look-around, back-references) is an input error.
 * RE2 is installed on demand (`installRegexEngine`), so the CLI loads it only when a pattern needs it.
 */
import { InputError } from "../errors.js";

interface Compiled {
  matcher(s: string): { matches(): boolean; lookingAt(): boolean; group(i: number): string | null };
}
export interface RegexEngine {
  compile(pattern: string): Compiled;
}

/** Thrown when a pattern needs RE2 and none is installed; the caller installs it and retries. */
export class RegexEngineNotLoaded extends Error {}

let engine: RegexEngine | undefined;

export function installRegexEngine(e: RegexEngine): void {
  engine = e;
}

const PLAIN = /^[\w.\-^$]*$/;
const native = new Map<string, RegExp>();
const re2 = new Map<string, Compiled>();

function plain(parts: readonly string[]): boolean {
  return parts.every((p) => PLAIN.test(p));
}

function compileRe2(pattern: string, field: string): Compiled {
  let re = re2.get(pattern);
  if (re) return re;
  if (!engine) throw new RegexEngineNotLoaded(pattern);
  try {
    re = engine.compile(pattern);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    throw new InputError(
      "INVALID_REGEX",
      `${field}: cannot use the regular expression ${JSON.stringify(pattern)} (${why})`,
      "patterns are matched in linear time (RE2 syntax): look-around and back-references are not available",
    );
  }
  re2.set(pattern, re);
  return re;
}

function nativeRe(pattern: string): RegExp {
  let re = native.get(pattern);
  if (!re) native.set(pattern, (re = new RegExp(pattern)));
  return re;
}

/** Python `re.fullmatch(pattern, s)`. */
export function fullMatch(pattern: string, s: string, field: string): boolean {
  if (plain([pattern])) return nativeRe(`^(?:${pattern})$`).test(s);
  return compileRe2(pattern, field).matcher(s).matches();
}

/** Python `re.match(template, s)` where `user` parts were spliced into `template`: anchored at the start. */
export function matchStart(template: string, user: readonly string[], s: string, field: string): boolean {
  if (plain(user)) return nativeRe(`^(?:${template})`).test(s);
  return compileRe2(template, field).matcher(s).lookingAt();
}

/** Python `re.match(template, s).group(1)`, or undefined. */
export function matchStartGroup(template: string, user: readonly string[], s: string, field: string): string | undefined {
  if (plain(user)) return nativeRe(`^(?:${template})`).exec(s)?.[1] ?? undefined;
  const m = compileRe2(template, field).matcher(s);
  return m.lookingAt() ? (m.group(1) ?? undefined) : undefined;
}
