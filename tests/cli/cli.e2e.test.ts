/**
 * The built CLI as users run it: `node bin/peftcount.js` in a child process (build first: `npm test` does),
 * with a minimal environment {PATH, NO_COLOR}. Exit codes, streams, and byte-level output properties.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { comparisonReportSchema } from "../../src/report/schema.js";
import { asSavedJson, runCli, vector } from "./fake-io.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "peftcount.js");
const ESC = "\u001b[";

function cli(args: string[], env: Record<string, string> = { NO_COLOR: "1" }) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", ...env }, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = "";
const ATTN = vector("lora-r16-attn-llama-3-8b");
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "peftcount-e2e-"));
  writeFileSync(join(dir, "adapter_config.json"), asSavedJson(ATTN.adapter));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("peftcount (built)", () => {
  test("--help: usage on stdout, exit 0", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: peftcount \[options\] \[command\]/);
    expect(r.stdout).toMatch(/^\s+count \[options\]/m);
    expect(r.stderr).toBe("");
  });

  test("--version is package.json's version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  test("count --adapter --json: PEFT's numbers, and the same report as the library", async () => {
    const r = cli(["count", "--model", "llama-3-8b", "--adapter", "adapter_config.json", "--json"]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const report = comparisonReportSchema.parse(JSON.parse(r.stdout));
    expect(report.rows.map((row) => [row.method, row.trainableParams, row.allParams, row.baseParams])).toEqual([["lora", 13_631_488, 8_043_892_736, 8_030_261_248]]);
    const inProcess = await runCli(["count", "--model", "llama-3-8b", "--adapter", "adapter_config.json", "--json"], { files: { "adapter_config.json": asSavedJson(ATTN.adapter) } });
    expect(report).toEqual(JSON.parse(inProcess.stdout));
  });

  test("unknown flag: exit 2, the nearest flag in the hint, stdout empty", () => {
    const r = cli(["--rnak", "8"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('error: unknown option --rnak\nhint: did you mean "--r"? run "peftcount methods --verbose" for the options\n');
  });

  test("unknown model: exit 1, the nearest preset in the hint", () => {
    const r = cli(["--model", "llama3-8b"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toEqual(['error: unknown model "llama3-8b"', 'hint: did you mean "llama-3-8b"? run "peftcount models" for the presets, or pass a config.json path or folder', ""]);
  });

  test("piped table output has no escape codes", () => {
    const r = cli([], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("8,030,261,248");
    expect(r.stdout).not.toContain(ESC);
  });

  test.each([
    ["NO_COLOR=1", [], { NO_COLOR: "1", FORCE_COLOR: "1" }],
    ["--no-color", ["--no-color"], { FORCE_COLOR: "1" }],
  ])("%s: no escape codes, even with FORCE_COLOR", (_name, args, env) => {
    for (const argv of [[...args], ["inspect", ...args], ["models", ...args], ["methods", "--verbose", ...args]]) {
      const r = cli(argv, env);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100);
      expect(r.stdout + r.stderr).not.toContain(ESC);
    }
  });

  test.each([["models"], ["methods"], ["inspect"], ["count", "--model", "llama-3-8b"], ["compare"]])("COLUMNS=80: %s fits 80 columns, full numbers kept", (...argv) => {
    const r = cli(argv, { NO_COLOR: "1", COLUMNS: "80" });
    expect({ code: r.code, wide: r.stdout.split("\n").filter((l) => l.length > 80) }).toEqual({ code: 0, wide: [] });
    const wide = cli(argv, { NO_COLOR: "1" });
    const numbers = (t: string) => [...t.matchAll(/\d{1,3}(?:,\d{3})+/g)].map((m) => m[0]).sort();
    // columns may be left out, numbers are never cut: every full number shown narrow is one shown wide
    const all = new Set(numbers(wide.stdout));
    expect(numbers(r.stdout).filter((n) => !all.has(n))).toEqual([]);
    if (argv[0] !== "methods") expect(numbers(r.stdout).length).toBeGreaterThan(0);
  });

  test("a V8 code cache in $XDG_CACHE_HOME/peftcount; skipped silently when that is not writable", () => {
    const cache = join(dir, "cache");
    const first = cli(["--version"], { XDG_CACHE_HOME: cache });
    const files = () => readdirSync(join(cache, "peftcount")).sort();
    const base = `cli-${process.version}-`.replace(/\./g, "\\.");
    expect(files()).toEqual([expect.stringMatching(new RegExp(`^${base}[0-9a-f]{16}-meta\\.v8$`))]);
    expect(cli(["--version"], { XDG_CACHE_HOME: cache })).toEqual(first);
    expect(cli(["models", "--json"], { XDG_CACHE_HOME: cache }).code).toBe(0);
    // one cache per kind of run (command and output format), each holding what its first run compiled
    expect(files().map((f) => f.replace(/^cli-.*-[0-9a-f]{16}-/, ""))).toEqual(["meta.v8", "models-json.v8"]);
    writeFileSync(join(dir, "not-a-dir"), "");
    expect(cli(["--version"], { XDG_CACHE_HOME: join(dir, "not-a-dir") })).toEqual(first);
  });

  test("a closed pipe ends quietly", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" compare --methods all | head -c 10`], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" }, encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout.length, stderr: r.stderr.replace(/^(warning|note): .*\n/gm, "") }).toEqual({ status: 0, stdout: 10, stderr: "" });
  });
});
