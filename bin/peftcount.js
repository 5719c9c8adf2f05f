#!/usr/bin/env node
// Shim: runs the bundled CLI (dist/cli.cjs) with a V8 code cache, so repeated runs skip parsing and
// compiling it. The cache lives in the user's cache directory ($XDG_CACHE_HOME or ~/.cache, never a shared
// temp dir) and is skipped silently when that is not writable: one file per kind of run, keyed by Node version
// and bundle hash, written after a run, so it holds every function the run compiled (Node >= 22.1's
// module.enableCompileCache caches what is compiled when the file loads, before it runs).
// dist/cli.cjs is a function expression, the module body inside Node's CommonJS wrapper (tsup.config.ts): it is
// compiled as is and called with this module's bindings, never require()d.
// CommonJS (bin/package.json): no ESM loader at start-up.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = /** @type {typeof import("node:module") & { _nodeModulePaths(dir: string): string[] }} */ (require("node:module"));

const file = path.join(__dirname, "..", "dist", "cli.cjs");

function cacheDir() {
  const env = process.env;
  if (env.NODE_DISABLE_COMPILE_CACHE || env.PEFTCOUNT_NO_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, ".cache") : "");
  return path.isAbsolute(base) ? path.join(base, "peftcount") : undefined;
}

// the commands of src/cli/program.ts (COMMANDS): each has its own code cache
const COMMANDS = ["compare", "count", "inspect", "models", "methods", "schema", "check", "budget", "sweep", "memory", "verify", "transforms"];

/** The kind of run, which names its code cache: the command and its output format, or "meta" for help / version. @param {string[]} argv */
function runKind(argv) {
  if (argv.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-v") || argv[0] === "help") return "meta";
  const command = COMMANDS.includes(argv[0] ?? "") ? argv[0] : "compare";
  const at = argv.indexOf("--format");
  const format = argv.includes("--json") ? "json" : at >= 0 ? argv[at + 1] : (argv.find((a) => a.startsWith("--format="))?.slice(9) ?? "table");
  return `${command}-${/^[a-z]+$/.test(format ?? "") ? format : "table"}`;
}

/**
 * The source to compile: the bundle as is, or, for a dist/ built before the wrapper moved into the build, wrapped
 * here. @param {Buffer} bytes
 */
function sourceOf(bytes) {
  const text = bytes.toString("latin1");
  return text.startsWith("(function (exports") ? text : Module.wrap(text);
}

/** Calls the bundle's module function as Node's loader would call a CommonJS module's. @param {() => unknown} compiled */
function runModule(compiled) {
  const fn = /** @type {Function} */ (compiled());
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  fn.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}

/**
 * Reads a whole file into `into` when it fits (else a new buffer): the bundle and its cache share one buffer,
 * since every page of fresh memory costs a page fault, and on some VMs those are most of a run's CPU time.
 * @param {string} name @param {Buffer | undefined} into @returns {Buffer}
 */
function readInto(name, into) {
  const fd = fs.openSync(name, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const buf = into !== undefined && into.length >= size ? into : Buffer.allocUnsafeSlow(size);
    let n = 0;
    while (n < size) {
      const got = fs.readSync(fd, buf, n, size - n, n);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** @param {string} dir */
function runWithCodeCache(dir) {
  const bytes = readInto(file, undefined);
  // the build writes the bundle's hash beside it; without it, size and modification time stand in
  let hash;
  try {
    hash = fs.readFileSync(`${file}.sha1`, "latin1").slice(0, 16);
  } catch {
    const st = fs.statSync(file);
    hash = `${st.size}-${Math.round(st.mtimeMs)}`;
  }
  // One cache per kind of run: V8 deserializes all of a cache's functions on every start, so a --version run
  // reading the functions `compare` compiled (three times its own) would cost more than it saves.
  const key = `cli-${process.version}-${hash}-`;
  const cachePath = path.join(dir, `${key}${runKind(process.argv.slice(2))}.v8`);
  // the bundle is ASCII (esbuild escapes the rest): latin1 decodes it without a UTF-8 pass
  const source = sourceOf(bytes);
  let cachedData;
  try {
    cachedData = readInto(cachePath, bytes);
  } catch {}
  const script = new vm.Script(source, { filename: file, cachedData });
  // Written once per kind of run, at the end of its first run (or when V8 rejects it): it holds every function
  // that run compiled. Caches of other bundles or Node versions are removed then.
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once("exit", () => {
      try {
        const data = script.createCachedData();
        fs.mkdirSync(dir, { recursive: true });
        for (const f of fs.readdirSync(dir)) if (f.startsWith("cli-") && !f.startsWith(key)) fs.rmSync(path.join(dir, f), { force: true });
        const tmp = `${cachePath}.${process.pid}`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, cachePath);
      } catch {}
    });
  }
  runModule(() => script.runInThisContext());
}

const dir = cacheDir();
if (dir !== undefined) runWithCodeCache(dir);
else runModule(() => new vm.Script(sourceOf(fs.readFileSync(file)), { filename: file }).runInThisContext());
