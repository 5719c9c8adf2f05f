/**
 * RE2 (re2js, ~200 KB) is loaded only when a pattern needs it: most runs use plain module names, which
 * src/peft/regex.ts matches natively. `withRegexEngine` runs a pure computation and, if it asked for the
 * engine, installs it and runs it again. The CLI bundle keeps re2js out of its one file (a runtime
 * dependency, resolved from node_modules): `require` there, `import()` when run from source (tests).
 */
import { installRegexEngine, RegexEngineNotLoaded } from "../peft/regex.js";

async function loadRe2(): Promise<typeof import("re2js")> {
  return typeof require === "function" ? (require("re2js") as typeof import("re2js")) : await import("re2js");
}

export async function withRegexEngine<T>(compute: () => T): Promise<T> {
  try {
    return compute();
  } catch (e) {
    if (!(e instanceof RegexEngineNotLoaded)) throw e;
    installRegexEngine((await loadRe2()).RE2JS);
    return compute();
  }
}
