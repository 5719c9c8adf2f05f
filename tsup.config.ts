import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { defineConfig, type Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

/**
 * Builtins the bundle's dependencies load at start-up but rarely use: commander requires child_process (for
 * executable subcommands, which we have none of), which pulls in net, dgram and the streams; chalk and our
 * entry ask tty whether stdout is a terminal, and tty pulls in net too. In the CLI bundle they resolve to stubs
 * that load the real module on first use; isatty answers false without it when the descriptor is not a
 * character device (a pipe or a file: scripts, CI), which needs only fs.
 */
const LAZY_BUILTINS: Record<string, string> = {
  child_process: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require("node:child_process"))[k] });`,
  tty: `const fs = require("node:fs");
let m; const real = () => (m ??= require("node:tty"));
exports.isatty = (fd) => { try { if (!fs.fstatSync(fd).isCharacterDevice()) return false; } catch { return false; } return real().isatty(fd); };
Object.defineProperty(exports, "ReadStream", { get: () => real().ReadStream, enumerable: true });
Object.defineProperty(exports, "WriteStream", { get: () => real().WriteStream, enumerable: true });`,
};
/**
 * cli-table3 measures every cell several times with string-width 4, which builds and runs a very large emoji
 * regex per call (~50 µs each: most of the time `compare` spends drawing its table). In the bundle, strings of
 * printable ASCII and the few narrow symbols our tables print are measured by their length (what string-width
 * returns for them); anything else still goes to string-width.
 */
const FAST_STRING_WIDTH = `const real = require("string-width");
const NARROW = /^[\\x20-\\x7e\\u00b3\\u00b7\\u00d7\\u2013\\u2026\\u2192\\u2248]*$/;
const width = (s) => (typeof s === "string" && NARROW.test(s) ? s.length : real(s));
module.exports = width;
module.exports.default = width;`;
const fastStringWidth: Plugin = {
  name: "fast-string-width",
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === "fast-string-width" || !/[\\/]cli-table3[\\/]/.test(args.importer) ? undefined : { path: args.importer, namespace: "fast-string-width" },
    );
    build.onLoad({ filter: /.*/, namespace: "fast-string-width" }, (args) => ({ contents: FAST_STRING_WIDTH, loader: "js", resolveDir: dirname(args.path) }));
  },
};

const lazyBuiltins: Plugin = {
  name: "lazy-builtins",
  setup(build) {
    build.onResolve({ filter: /^(node:)?(child_process|tty)$/ }, (args) =>
      args.namespace === "lazy-builtin" ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ""), namespace: "lazy-builtin" },
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({ contents: LAZY_BUILTINS[args.path]!, loader: "js" }));
  },
};

/** Node's CommonJS wrapper (Module.wrap): bin/peftcount.js calls the function with the module's bindings. */
const CJS_WRAPPER_OPEN = "(function (exports, require, module, __filename, __dirname) {";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// Two builds. The CLI is ONE CommonJS file (dist/cli.cjs): no ESM loader, no chunk graph to resolve, and
// one file the bin shim can give a V8 code cache. Commands, zod, chalk and cli-table3 stay lazy inside it
// (esbuild wraps dynamically imported modules in init functions that run on first use). re2js is not
// inlined: it is a runtime dependency, loaded from node_modules only for a pattern that needs RE2. Nor are the
// readers of Hub ids, GGUF headers and YAML files (@huggingface/hub, @huggingface/gguf, yaml: 0.5 MB, most of
// it @huggingface/tasks): inlined, V8 parsed them on every start; as runtime dependencies they are required
// only on the code paths that read those sources.
// The library keeps its runtime dependencies external and ships type declarations.
// PEFTCOUNT_CLI_ONLY=1 (npm start) skips the library and its type declarations.
const cliOnly = process.env["PEFTCOUNT_CLI_ONLY"] === "1";

export default defineConfig([
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    target: "node20",
    platform: "node",
    splitting: false,
    minify: true,
    clean: true,
    noExternal: [/^(?!re2js$|yaml$|@huggingface\/(hub|gguf)$)/],
    external: ["re2js", "yaml", "@huggingface/hub", "@huggingface/gguf"],
    esbuildPlugins: [lazyBuiltins, fastStringWidth],
    removeNodeProtocol: false, // tsup's own node: plugin would resolve the builtins before ours
    outDir: "dist",
    define: { PEFTCOUNT_VERSION: JSON.stringify(version) },
    // The file is the module's body already inside CommonJS's function wrapper, an expression the bin shim
    // compiles as is: wrapping it at run time (Module.wrap) made V8 flatten a second copy of the 0.7 MB source.
    banner: { js: CJS_WRAPPER_OPEN },
    footer: { js: "})" },
    // the bin shim keys its code cache by this hash (hashing at run time would load node:crypto on every start)
    onSuccess: async () => writeFileSync("dist/cli.cjs.sha1", createHash("sha1").update(readFileSync("dist/cli.cjs")).digest("hex")),
  },
  ...(cliOnly ? [] : [library()]),
]);

function library(): Options {
  return {
    entry: { index: "src/index.ts" },
    format: ["esm"],
    target: "node20",
    platform: "neutral",
    dts: true,
    clean: false,
    outDir: "dist",
    external: ["zod", "re2js"],
  };
}
