/**
 * Packaging: `npm pack`, install the tarball into an empty project, run the installed bin and import the
 * library. Proves `files`, `bin`, `exports` and the bundle are complete (zod, re2js and the Hub / GGUF / YAML readers
 * come from the registry as dependencies). The library's regex target goes through RE2.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "peftcount-pack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sh = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("the packed tarball installs and runs", () => {
  const tgz = sh("npm", ["pack", "--silent", "--pack-destination", dir], root).trim().split("\n").pop()!;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  sh("npm", ["install", "--silent", "--no-audit", "--no-fund", join(dir, tgz)], dir);
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  expect(sh(join(dir, "node_modules/.bin/peftcount"), ["--version"], dir).trim()).toBe(version);
  const out = JSON.parse(sh(join(dir, "node_modules/.bin/peftcount"), ["count", "--model", "gpt2", "--json"], dir)) as { rows: { trainableParams: number }[] };
  expect(out.rows[0]!.trainableParams).toBe(294_912);
  writeFileSync(
    join(dir, "use.mjs"),
    'import { buildInventory, evaluate, findFormula, findPreset } from "peftcount";\n' +
      'const inv = buildInventory(findPreset("llama-3-8b").config);\n' +
      'console.log(evaluate(findFormula("lora"), inv, { r: 8, target_modules: ".*\\\\.(q|v)_proj" }).breakdown.trainable);\n',
  );
  expect(sh(process.execPath, ["use.mjs"], dir).trim()).toBe("3407872");
}, 180_000);
