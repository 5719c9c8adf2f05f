/** README's "Memory: will it fit?" section shows real output: every `$ peftcount memory ...` block is what the CLI prints. */
import { expect, test } from "vitest";
import { runCli } from "../cli/fake-io.js";
import { readme, shellWords as argv } from "../readme-samples.js";

const section = /## Memory: will it fit\?\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
const blocks = [...section.matchAll(/```text\n\$ peftcount (memory [^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]! }));


test("the section has the 7B and 70B examples", () => {
  expect(blocks.length).toBe(6);
});

test.each(blocks)("$command", async ({ command, output }) => {
  const r = await runCli(argv(command));
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(output);
}, 30_000);
