import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
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
const lazyBuiltins: Plugin = {
  name: "lazy-builtins",
  setup(build) {
    build.onResolve({ filter: /^(node:)?(child_process|tty)$/ }, (args) =>
      args.namespace === "lazy-builtin" ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ""), namespace: "lazy-builtin" },
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({ contents: LAZY_BUILTINS[args.path]!, loader: "js" }));
  },
};

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// Two builds. The CLI is ONE CommonJS file (dist/cli.cjs): no ESM loader, no chunk graph to resolve, and
// one file the bin shim can give a V8 code cache. Commands, zod, chalk and cli-table3 stay lazy inside it
// (esbuild wraps dynamically imported modules in init functions that run on first use). re2js is not
// inlined: it is a runtime dependency, loaded from node_modules only for a pattern that needs RE2.
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
    noExternal: [/^(?!re2js$)/],
    external: ["re2js"],
    esbuildPlugins: [lazyBuiltins],
    removeNodeProtocol: false, // tsup's own node: plugin would resolve the builtins before ours
    outDir: "dist",
    define: { PEFTCOUNT_VERSION: JSON.stringify(version) },
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
