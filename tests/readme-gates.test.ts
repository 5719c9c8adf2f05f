/**
 * The README's check / budget / sweep section shows real output: every ```text block there that starts with
 * `$ peftcount ...` is run in-process (examples/ files provided) and its stdout must equal the block, line for
 * line (trailing spaces ignored).
 */
import { readFileSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { runCli } from "./cli/fake-io.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = /<!-- BEGIN gates[^\n]*-->([\s\S]*?)<!-- END gates -->/.exec(readme)?.[1] ?? "";
const samples = [...section.matchAll(/```text\n\$ peftcount ([^\n]*)\n([\s\S]*?)\n```/g)].map((m) => ({ command: m[1]!, output: m[2]! }));
const files = { "examples/adapter_config.json": readFileSync(new URL("../examples/adapter_config.json", import.meta.url), "utf8") };
const lines = (s: string) => s.replace(/\n+$/, "").split("\n").map((l) => l.trimEnd());

beforeAll(() => runCli(["count", "--model", "llama-3-8b"]), 60_000);

test("the section has its samples", () => {
  expect(section, "README.md needs the <!-- BEGIN gates --> section").not.toBe("");
  expect(samples.map((s) => s.command.split(" ")[0])).toEqual(expect.arrayContaining(["check", "budget", "sweep"]));
});

test.each(samples.map((s) => [s.command, s] as const))("peftcount %s", async (_, s) => {
  const { stdout } = await runCli(s.command.split(" "), { files });
  expect(lines(stdout)).toEqual(lines(s.output));
});
