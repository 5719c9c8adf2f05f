/** The README's "From the literature" samples are what the CLI prints (stdout, line for line). */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { runCli } from "./cli/fake-io.js";

// the methods part: up to the first subsection (Model transforms has its own test, tests/readme-transforms.test.ts)
const section = readFileSync(new URL("../README.md", import.meta.url), "utf8").split("## From the literature")[1]?.split(/\n##+ /)[0] ?? "";

test.each([...section.matchAll(/```text\n\$ peftcount (.*)\n([\s\S]*?)\n```/g)].map((m) => [m[1]!, m[2]!] as const))("README: peftcount %s", async (command, printed) => {
  const argv = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const { code, stdout } = await runCli(argv);
  expect(code).toBe(0);
  expect(stdout.trimEnd().split("\n").map((l) => l.trimEnd())).toEqual(printed.split("\n").map((l) => l.trimEnd()));
}, 120_000);

test("the section has both samples", () => {
  expect([...section.matchAll(/```text\n\$ peftcount/g)].length).toBe(2);
});
