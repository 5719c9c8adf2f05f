/**
 * The README's "Model transforms" samples are real output: every ```text block of that section starting with
 * `$ peftcount ...` must be what the CLI prints for that command line, line for line.
 */
import { expect, test } from "vitest";
import { runCli } from "./cli/fake-io.js";
import { readme, samplesOf, shellWords as argv } from "./readme-samples.js";

const section = /### Model transforms\n([\s\S]*?)\n(?=## |### )/.exec(readme)?.[1] ?? "";

const samples = samplesOf(section);

test("the README has a Model transforms section with samples", () => {
  expect(samples.length).toBeGreaterThanOrEqual(2);
});

test.each(samples)("README: peftcount $command", { timeout: 60_000 }, async ({ command, output }) => {
  const r = await runCli(argv(command));
  expect(r.code).toBe(0);
  expect(r.stdout.split("\n").map((l) => l.trimEnd())).toEqual(output.split("\n").map((l) => l.trimEnd()));
});
