/**
 * RE2 (re2js, ~200 KB) is loaded only when a pattern needs it: most runs use plain module names, which
 * src/peft/regex.ts matches natively. `withRegexEngine` runs a pure computation and, if it asked for the
 * engine, installs it and runs it again.
 */
import { installRegexEngine, RegexEngineNotLoaded } from "../peft/regex.js";

export async function withRegexEngine<T>(compute: () => T): Promise<T> {
  try {
    return compute();
  } catch (e) {
    if (!(e instanceof RegexEngineNotLoaded)) throw e;
    installRegexEngine((await import("re2js")).RE2JS);
    return compute();
  }
}
