#!/usr/bin/env node
// Shim: runs the bundled CLI (dist/cli.cjs) with a V8 code cache, so repeated runs skip parsing and
// compiling it. The cache lives in the user's cache directory ($XDG_CACHE_HOME or ~/.cache, never a shared
// temp dir) and is skipped silently when that is not writable. Node >= 22.1 has this built in
// (module.enableCompileCache); on Node 20 the shim keeps one small file keyed by Node version and bundle hash.
// CommonJS (bin/package.json): no ESM loader at start-up.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Module = /** @type {typeof import("node:module") & { _nodeModulePaths(dir: string): string[]; enableCompileCache?: (dir?: string) => unknown }} */ (require("node:module"));

const file = path.join(__dirname, "..", "dist", "cli.cjs");

function cacheDir() {
  const env = process.env;
  if (env.NODE_DISABLE_COMPILE_CACHE || env.PEFTCOUNT_NO_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, ".cache") : "");
  return path.isAbsolute(base) ? path.join(base, "peftcount") : undefined;
}

/** @param {string} dir */
function runWithCodeCache(dir) {
  const vm = require("node:vm");
  const bytes = fs.readFileSync(file);
  // the build writes the bundle's hash beside it; without it, size and modification time stand in
  let hash;
  try {
    hash = fs.readFileSync(`${file}.sha1`, "latin1").slice(0, 16);
  } catch {
    const st = fs.statSync(file);
    hash = `${st.size}-${Math.round(st.mtimeMs)}`;
  }
  const key = `${process.version}-${hash}`;
  const cachePath = path.join(dir, `cli-${key}.v8`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cachePath);
  } catch {}
  // the bundle is ASCII (esbuild escapes the rest): latin1 decodes it without a UTF-8 pass
  const script = new vm.Script(Module.wrap(bytes.toString("latin1")), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // after the run, so the functions this run compiled are in the cache too
    process.once("exit", () => {
      try {
        const data = script.createCachedData();
        fs.mkdirSync(dir, { recursive: true });
        for (const f of fs.readdirSync(dir)) if (f.startsWith("cli-") && f.endsWith(".v8")) fs.rmSync(path.join(dir, f), { force: true });
        const tmp = `${cachePath}.${process.pid}`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, cachePath);
      } catch {}
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}

const dir = cacheDir();
if (dir !== undefined && typeof Module.enableCompileCache === "function") {
  try {
    Module.enableCompileCache(dir);
  } catch {}
  require(file);
} else if (dir !== undefined) {
  runWithCodeCache(dir);
} else {
  require(file);
}
