/**
 * The README's "Mixture of experts" samples are real output: every ```text block of that section starting with
 * `$ peftcount ...` must be what the CLI prints for that command line, line for line.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { runCli } from "./cli/fake-io.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = /## Mixture of experts\n([\s\S]*?)\n(?=## )/.exec(readme)?.[1] ?? "";

/** `a "b c" d` → ["a", "b c", "d"] */
const argv = (line: string) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

const samples = [...section.matchAll(/```text\n\$ peftcount (.*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]! }));

test("the README has a Mixture of experts section with samples", () => {
  expect(samples.length).toBeGreaterThanOrEqual(2);
});

test.each(samples)("README: peftcount $command", { timeout: 60_000 }, async ({ command, output }) => {
  const r = await runCli(argv(command));
  expect(r.code).toBe(0);
  expect(r.stdout.split("\n").map((l) => l.trimEnd())).toEqual(output.split("\n").map((l) => l.trimEnd()));
});
