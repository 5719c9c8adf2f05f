/**
 * The architecture, checked by reading the sources as text (STYLE.md §2, §5, §6):
 * dependencies point down only (`src/cli → src/render → src/report → formulas → src/peft → src/model`),
 * the library never imports node:* or the CLI-only packages, only src/cli touches `process`,
 * the registries (FORMULAS, FAMILIES, MODEL_PRESETS) are complete and consistent, files stay small,
 * and README.md's "Supported methods" block equals `peftcount methods --format markdown`
 * (`UPDATE_README=1 npx vitest run tests/architecture.test.ts` rewrites it).
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { FORMULAS } from "../formulas/index.js";
import { methodListings } from "../src/cli/commands/methods.js";
import { FAMILIES } from "../src/model/families/index.js";
import { buildInventory, familyOf } from "../src/model/inventory.js";
import { MODEL_PRESETS } from "../src/model/presets/index.js";
import { renderMethodsMarkdown } from "../src/render/lists.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(posix.join(dir, e.name)) : e.name.endsWith(".ts") ? [posix.join(dir, e.name)] : [],
  );
}

/** Source without comments (block comments, and line comments that start a line or follow whitespace). */
const code = (file: string) => readFileSync(join(ROOT, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");

interface Import {
  readonly spec: string;
  /** repo-relative target for relative specifiers, e.g. `src/model/types.ts` */
  readonly target?: string;
  readonly kind: "static" | "side-effect" | "dynamic";
}

function importsOf(file: string): Import[] {
  const src = code(file);
  const found: Import[] = [];
  const add = (spec: string, kind: Import["kind"]) => {
    const target = spec.startsWith(".") ? posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, ".ts") : undefined;
    found.push({ spec, kind, ...(target ? { target } : {}) });
  };
  for (const m of src.matchAll(/\b(?:import|export)\s[^"';]*?\bfrom\s*["']([^"']+)["']/g)) add(m[1]!, "static");
  for (const m of src.matchAll(/\bimport\s*["']([^"']+)["']/g)) add(m[1]!, "side-effect");
  for (const m of src.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) add(m[1]!, "dynamic");
  return found;
}

const LAYERS = ["formulas", "src/model", "src/peft", "src/report", "src/render", "src/cli"] as const;
type Layer = (typeof LAYERS)[number];
const layerOf = (path: string): Layer | undefined => LAYERS.find((l) => path.startsWith(`${l}/`));
const ALL = [...tsFiles("src"), ...tsFiles("formulas")];
const filesIn = (...layers: Layer[]) => ALL.filter((f) => layers.includes(layerOf(f)!));

/** Layers each layer must not import (dependencies point down only). */
const FORBIDDEN: Readonly<Record<Layer, readonly Layer[]>> = {
  "src/model": ["src/peft", "formulas", "src/report", "src/render", "src/cli"],
  "src/peft": ["formulas", "src/report", "src/render", "src/cli"],
  formulas: ["src/report", "src/render", "src/cli"],
  "src/report": ["src/render", "src/cli"],
  "src/render": ["src/cli"],
  "src/cli": [],
};
const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (spec: string) => spec.startsWith("node:") || NODE_BUILTINS.has(spec.split("/")[0]!);
const CLI_ONLY = ["chalk", "commander", "cli-table3"];

const violations = (files: string[], bad: (i: Import) => boolean) => files.flatMap((f) => importsOf(f).filter(bad).map((i) => `${f} imports "${i.spec}"`));

describe("import direction", () => {
  test("the scanner sees the imports it should (sanity)", () => {
    expect(importsOf("formulas/peft/lora.ts").map((i) => i.target ?? i.spec)).toEqual(expect.arrayContaining(["zod/mini", "src/peft/apply.ts", "formulas/types.ts"]));
    expect(importsOf("src/cli/program.ts").some((i) => i.kind === "dynamic" || i.spec === "commander")).toBe(true);
  });

  test("formulas, src/model, src/peft, src/report and src/render never import node:* (browser-safe library)", () => {
    expect(violations(filesIn("formulas", "src/model", "src/peft", "src/report", "src/render"), (i) => isNodeBuiltin(i.spec))).toEqual([]);
  });

  test("formulas, src/model, src/peft and src/report never import chalk, commander or cli-table3", () => {
    expect(violations(filesIn("formulas", "src/model", "src/peft", "src/report"), (i) => CLI_ONLY.includes(i.spec))).toEqual([]);
  });

  test.each(LAYERS.filter((l) => FORBIDDEN[l].length > 0))("%s imports no layer above it", (layer) => {
    const above = FORBIDDEN[layer];
    expect(violations(filesIn(layer), (i) => i.target !== undefined && above.includes(layerOf(i.target)!))).toEqual([]);
  });

  test("the library entry (src/index.ts) exports no CLI or renderer code", () => {
    expect(violations(["src/index.ts"], (i) => CLI_ONLY.includes(i.spec) || ["src/cli", "src/render"].includes(layerOf(i.target ?? "") ?? ""))).toEqual([]);
  });

  test("no import for its side effects only (registries are explicit lists)", () => {
    expect(violations(ALL, (i) => i.kind === "side-effect")).toEqual([]);
  });

  test("only src/cli touches `process`", () => {
    const touching = ALL.filter((f) => layerOf(f) !== "src/cli" && /(?<![.\w$])process\b|globalThis\s*(\.\s*process\b|\[\s*["']process)/.test(code(f)));
    expect(touching).toEqual([]);
  });
});

describe("registries", () => {
  const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  // sweep.ts is the planning API over the registry (planMethod / sweep), lazy-schema.ts builds option schemas on first use: not methods
  test("every formulas/**/*.ts (but types.ts, index.ts, sweep.ts, lazy-schema.ts, registry*.ts) defines exactly the FORMULAS entry named like the file", async () => {
    const files = tsFiles("formulas")
      .map((f) => f.slice("formulas/".length))
      .filter((f) => !/(^|\/)(types|index|sweep|lazy-schema|registry[\w-]*)\.ts$/.test(f))
      // AdapterHub's methods (formulas/adapters/) have their own registry (ADAPTERHUB_METHODS / ADAPTERHUB_CONFIGS)
      .filter((f) => !f.startsWith("adapters/"));
    const ids = FORMULAS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(KEBAB);
    const stemOf = (f: string) => f.replace(/\.ts$/, "").split("/").pop()!;
    expect(files.map(stemOf).sort()).toEqual([...ids].sort());
    for (const file of files) {
      const stem = stemOf(file);
      const mod = (await import(`../formulas/${file}`)) as Record<string, unknown>;
      const entry = FORMULAS.find((f) => f.id === stem);
      expect(Object.values(mod), `formulas/${file} exports the FORMULAS entry "${entry?.id}"`).toContain(entry);
    }
  });

  test("every family exported by src/model/families/*.ts is in FAMILIES, and model_types are unique", async () => {
    const files = readdirSync(join(ROOT, "src/model/families")).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    const exported: unknown[] = [];
    for (const file of files) {
      const mod = (await import(`../src/model/families/${file.replace(/\.ts$/, "")}.ts`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (/Family$/.test(name)) exported.push(value);
    }
    expect(exported.length).toBeGreaterThan(0);
    for (const f of exported) expect(FAMILIES).toContain(f);
    expect(FAMILIES.every((f) => exported.includes(f))).toBe(true);
    const types = FAMILIES.flatMap((f) => f.modelTypes);
    expect(types.filter((t, i) => types.indexOf(t) !== i)).toEqual([]);
    for (const f of FAMILIES) expect(f.tasks).toContain(f.defaultTask);
  });

  test("preset ids are unique and kebab-case; no id or alias names two presets", () => {
    const ids = MODEL_PRESETS.map((p) => p.id);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+([.-][a-z0-9]+)*$/);
    const names = MODEL_PRESETS.flatMap((p) => [p.id, ...p.aliases.filter((a) => a.toLowerCase() !== p.id)].map((n) => n.toLowerCase()));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  test.each(MODEL_PRESETS.map((p) => [p.id, p] as const))("preset %s has a supported model_type and builds", (_id, p) => {
    const inv = buildInventory(p.config, { expertLayout: "fused" });
    expect(familyOf(inv.modelType)).toBeDefined();
  });
});

describe("size", () => {
  const lengths = ALL.map((f) => ({ f, lines: readFileSync(join(ROOT, f), "utf8").split("\n").length })).sort((a, b) => b.lines - a.lines);
  const longest = lengths[0]!;
  test(`no file in src/ or formulas/ is over 300 lines (longest: ${longest.f}, ${longest.lines})`, () => {
    expect(lengths.filter((l) => l.lines > 300).map((l) => `${l.f}: ${l.lines} lines`)).toEqual([]);
  });
});

describe("README", () => {
  const BEGIN = "<!-- BEGIN methods -->";
  const END = "<!-- END methods -->";
  const path = join(ROOT, "README.md");

  test('the "Supported methods" table equals `peftcount methods --format markdown`', () => {
    const expected = renderMethodsMarkdown(methodListings());
    const readme = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    const start = readme?.indexOf(BEGIN) ?? -1;
    const end = readme?.indexOf(END, start) ?? -1;
    if (readme === undefined || start < 0 || end < 0)
      expect.fail(`README.md (${relative(process.cwd(), path)}) needs a "Supported methods" section with the markers ${BEGIN} … ${END}; add them, then run UPDATE_README=1 npx vitest run tests/architecture.test.ts to fill in the table`);
    const block = readme.slice(start + BEGIN.length, end);
    if (process.env["UPDATE_README"] === "1" && block.trim() !== expected.trim()) {
      writeFileSync(path, `${readme.slice(0, start + BEGIN.length)}\n${expected}${readme.slice(end)}`);
      return;
    }
    expect(block.trim(), "README.md's methods table is stale: run UPDATE_README=1 npx vitest run tests/architecture.test.ts").toBe(expected.trim());
  });
});
