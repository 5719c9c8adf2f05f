/** README's "Memory: will it fit?" section shows real output: every `$ peftcount memory ...` block is what the CLI prints. */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { runCli } from "../cli/fake-io.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = /## Memory: will it fit\?\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
const blocks = [...section.matchAll(/```text\n\$ peftcount (memory [^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]! }));

/** a command line split as a shell would: double-quoted words keep their spaces */
const argv = (line: string) => (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ""));

test("the section has the 7B and 70B examples", () => {
  expect(blocks.length).toBe(6);
});

test.each(blocks)("$command", async ({ command, output }) => {
  const r = await runCli(argv(command));
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(output);
}, 30_000);
