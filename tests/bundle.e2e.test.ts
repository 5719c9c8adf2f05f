/**
 * Bundle guards (STYLE.md §6, §7), on the built dist/ (`npm test` builds it first):
 * - the CLI is one CommonJS file, dist/cli.cjs, with every dependency inlined except re2js (loaded from
 *   node_modules only for a pattern that needs RE2);
 * - `--version` and `--help` initialise neither zod nor chalk (observed in the process: zod sets
 *   `globalThis.__zod_globalConfig` when it initialises, chalk's colour detection asks `"FORCE_COLOR" in env`);
 *   `compare --json` initialises zod, a table run chalk (the probes are real);
 * - importing the library `dist/index.js` prints nothing, adds no `process` listeners and installs no regex
 *   engine; a regex target still works (RE2 is installed on first use).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const BIN = join(ROOT, "bin", "peftcount.js");
const read = (file: string) => readFileSync(join(DIST, file), "utf8");

/** Preloaded into the CLI: reports at exit whether zod and chalk were initialised. */
const PROBE = `"use strict";
const seen = new Set();
process.env = new Proxy(process.env, { has(t, k) { seen.add(String(k)); return Reflect.has(t, k); } });
process.on("exit", () => require("node:fs").writeSync(2, "\\nprobe " + JSON.stringify({ zod: globalThis.__zod_globalConfig !== undefined, chalk: seen.has("FORCE_COLOR") }) + "\\n"));
`;
let probe = "";
let cache = "";

beforeAll(() => {
  if (!existsSync(join(DIST, "cli.cjs")) || !existsSync(join(DIST, "index.js"))) throw new Error("dist/ is not built: run `npm run build` (npm test does it first)");
  const dir = mkdtempSync(join(tmpdir(), "peftcount-probe-"));
  probe = join(dir, "probe.cjs");
  cache = join(dir, "cache");
  writeFileSync(probe, PROBE);
});
afterAll(() => rmSync(dirname(probe), { recursive: true, force: true }));

function initialised(args: string[]): { zod: boolean; chalk: boolean } {
  const r = spawnSync(process.execPath, ["-r", probe, BIN, ...args], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", XDG_CACHE_HOME: cache } });
  expect(r.status).toBe(0);
  const line = /probe (\{.*\})/.exec(r.stderr)?.[1];
  if (line === undefined) throw new Error(`no probe output: ${r.stderr}`);
  return JSON.parse(line) as { zod: boolean; chalk: boolean };
}

describe("dist/cli.cjs: one file, the heavy parts initialised only when used", () => {
  test("the CLI is one CommonJS file; re2js is not inlined", () => {
    const cli = readdirSync(DIST).filter((f) => /\.c?js$/.test(f) && f !== "index.js");
    expect(cli).toEqual(["cli.cjs"]);
    expect(read("cli.cjs")).toContain('require("re2js")');
    expect(read("cli.cjs")).not.toContain("unsupported Perl syntax"); // an RE2 error message
    // the bin shim decodes it as latin1
    expect(/[^\x00-\x7f]/.exec(read("cli.cjs"))?.[0]).toBeUndefined();
  });

  test.each([[["--version"]], [["--help"]], [["count", "--help"]]])("%j initialises neither zod nor chalk", (args) => {
    expect(initialised(args)).toEqual({ zod: false, chalk: false });
  });

  test("compare --json initialises zod; a table initialises chalk (the probes are real)", () => {
    expect(initialised(["compare", "--json"]).zod).toBe(true);
    expect(initialised(["models"]).chalk).toBe(true);
  });
});

describe("dist/index.js has no side effects", () => {
  const url = pathToFileURL(join(DIST, "index.js")).href;
  const node = (script: string) => spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } });

  test("importing it prints nothing", () => {
    const r = node(`await import(${JSON.stringify(url)});`);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  test("importing it adds no process listeners and sets no exit code", () => {
    const script = `
      const snap = () => Object.fromEntries(process.eventNames().map((e) => [String(e), process.listenerCount(e)]));
      const before = snap();
      const lib = await import(${JSON.stringify(url)});
      const after = snap();
      process.stdout.write(JSON.stringify({ before, after, exitCode: process.exitCode ?? null, exports: Object.keys(lib).length }));`;
    const r = node(script);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { before: Record<string, number>; after: Record<string, number>; exitCode: number | null; exports: number };
    expect(out.after).toEqual(out.before);
    expect(out.exitCode).toBeNull();
    expect(out.exports).toBeGreaterThan(0);
  });

  test("importing it installs no regex engine; a regex target installs RE2 on first use, an injected engine is used", () => {
    const script = `
      const lib = await import(${JSON.stringify(url)});
      const inv = lib.buildInventory(lib.findPreset("llama-3.2-1b").config);
      const lora = lib.findFormula("lora");
      const calls = [];
      lib.installRegexEngine({ compile(p) { calls.push(p); return { matcher: () => ({ matches: () => false, lookingAt: () => false, group: () => null }) }; } });
      let injected;
      try { lib.evaluate(lora, inv, { target_modules: ".*\\\\.(q|v)_proj" }); } catch (e) { injected = e.code; }
      process.stdout.write(JSON.stringify({ calls: calls.length > 0, injected }));`;
    const r = node(script);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ calls: true, injected: "NO_TARGET_MATCHED" });
    const fresh = node(`
      const lib = await import(${JSON.stringify(url)});
      const inv = lib.buildInventory(lib.findPreset("llama-3.2-1b").config);
      process.stdout.write(String(lib.evaluate(lib.findFormula("lora"), inv, { r: 8, target_modules: ".*\\\\.(q|v)_proj" }).breakdown.trainable));`);
    expect({ stderr: fresh.stderr, stdout: fresh.stdout }).toEqual({ stderr: "", stdout: "851968" });
  });
});
