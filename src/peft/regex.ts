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

/**
 * RE2 answers per pattern and string: RE2 in JavaScript costs tens of µs per match, and evaluations ask the same
 * questions again (a rank_pattern key against every wrapped module, at every point of a sweep). A match is a
 * pure function of the two strings; each pattern keeps at most RE2_MEMO_MAX answers.
 */
const RE2_MEMO_MAX = 200_000;
const fullAnswers = new Map<string, Map<string, boolean>>();
const startAnswers = new Map<string, Map<string, boolean>>();

function re2Answer(answers: Map<string, Map<string, boolean>>, pattern: string, s: string, ask: () => boolean): boolean {
  let byString = answers.get(pattern);
  if (byString === undefined) {
    if (answers.size >= 256) answers.clear();
    answers.set(pattern, (byString = new Map()));
  }
  let hit = byString.get(s);
  if (hit === undefined) {
    hit = ask();
    if (byString.size >= RE2_MEMO_MAX) byString.clear();
    byString.set(s, hit);
  }
  return hit;
}

/** Python `re.fullmatch(pattern, s)`. */
export function fullMatch(pattern: string, s: string, field: string): boolean {
  if (plain([pattern])) return nativeRe(`^(?:${pattern})$`).test(s);
  const re = compileRe2(pattern, field);
  return re2Answer(fullAnswers, pattern, s, () => re.matcher(s).matches());
}

/** Python `re.match(template, s)` where `user` parts were spliced into `template`: anchored at the start. */
export function matchStart(template: string, user: readonly string[], s: string, field: string): boolean {
  if (plain(user)) return nativeRe(`^(?:${template})`).test(s);
  const re = compileRe2(template, field);
  return re2Answer(startAnswers, template, s, () => re.matcher(s).lookingAt());
}

/** Python `re.match(template, s).group(1)`, or undefined. */
export function matchStartGroup(template: string, user: readonly string[], s: string, field: string): string | undefined {
  if (plain(user)) return nativeRe(`^(?:${template})`).exec(s)?.[1] ?? undefined;
  const m = compileRe2(template, field).matcher(s);
  return m.lookingAt() ? (m.group(1) ?? undefined) : undefined;
}
