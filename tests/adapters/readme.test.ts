/** The README's AdapterHub sample is what the CLI prints today, line for line. */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { runCli } from "../cli/fake-io.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

test("the README's AdapterHub sample output is the CLI's output", async () => {
  const block = /## AdapterHub: bottleneck[\s\S]*?```text\n\$ peftcount (.*)\n([\s\S]*?)\n```/.exec(readme);
  expect(block, "README.md needs the ```text sample under '## AdapterHub'").not.toBeNull();
  const argv = block![1]!.split(" ");
  const { code, stdout } = await runCli(argv);
  expect(code).toBe(0);
  expect(stdout.trimEnd().split("\n").map((l) => l.trimEnd())).toEqual(block![2]!.split("\n").map((l) => l.trimEnd()));
}, 60_000);
