/**
 * Bundle guards (STYLE.md §6, §7), on the built dist/ (`npm test` builds it first):
 * - what `dist/cli.js` loads eagerly (the entry chunk and every chunk it imports statically,
 *   transitively) holds neither zod's `ZodError` nor cli-table3, so `--help` / `--version` start fast;
 *   those load through dynamic `import()` only;
 * - importing the library `dist/index.js` prints nothing and adds no `process` listeners.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const read = (file: string) => readFileSync(join(DIST, file), "utf8");

/** Relative chunks a module imports statically (`import … from "./x.js"`, `import "./x.js"`, `export … from`), not `import("./x.js")`. */
function staticImports(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/(?<![\w$.])(?:import|export)(?!\s*\()\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.\/[^"']+)["']/g)) found.add(m[1]!.slice(2));
  return [...found];
}

function dynamicImports(source: string): string[] {
  return [...source.matchAll(/(?<![\w$.])import\(\s*["'](\.\/[^"']+)["']\s*\)/g)].map((m) => m[1]!.slice(2));
}

/** The entry and every chunk reachable from it through static imports. */
function eagerClosure(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...staticImports(read(file)));
  }
  return [...seen];
}

/** Markers: zod's error class, and cli-table3's border-character keys (its package name does not survive minification). */
const MARKERS = { zod: "ZodError", "cli-table3 (name)": "cli-table3", "cli-table3 (code)": "top-mid" } as const;

beforeAll(() => {
  if (!existsSync(join(DIST, "cli.js")) || !existsSync(join(DIST, "index.js"))) throw new Error("dist/ is not built: run `npm run build` (npm test does it first)");
});

describe("dist/cli.js loads only the light part eagerly", () => {
  test("the import scanner tells static from dynamic imports", () => {
    const src = 'import{a as R,c as B}from"./chunk-A.js";import"./chunk-B.js";export{x}from"./chunk-C.js";const m=await import("./run-D.js");';
    expect(staticImports(src).sort()).toEqual(["chunk-A.js", "chunk-B.js", "chunk-C.js"]);
    expect(dynamicImports(src)).toEqual(["run-D.js"]);
  });

  test("the entry chunk and its static imports contain neither ZodError nor cli-table3", () => {
    const eager = eagerClosure("cli.js");
    const hits = eager.flatMap((f) => Object.entries(MARKERS).filter(([, marker]) => read(f).includes(marker)).map(([what]) => `${f}: ${what}`));
    expect(hits).toEqual([]);
  });

  test("the markers are real: zod and cli-table3 are in the bundle, behind dynamic imports", () => {
    const eager = new Set(eagerClosure("cli.js"));
    const lazy = readdirSync(DIST).filter((f) => f.endsWith(".js") && f !== "index.js" && !eager.has(f));
    expect(dynamicImports(read("cli.js")).length).toBeGreaterThan(0);
    expect(lazy.some((f) => read(f).includes(MARKERS.zod))).toBe(true);
    expect(lazy.some((f) => read(f).includes(MARKERS["cli-table3 (code)"]))).toBe(true);
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
});
