/**
 * README.md's "Models and adapters from anywhere" shows real output: every ```text sample there that starts
 * with `$ [ENV=value ...] peftcount ...` is run in-process on the files of fixtures/readme-fixtures.ts and must
 * print exactly the rest of the block (stderr, then stdout; trailing spaces ignored).
 */
import { readFileSync } from "node:fs";
import { expect, test, vi } from "vitest";
import { runCli } from "../fake-io.js";
import { readmeFiles } from "./fixtures/readme-fixtures.js";

vi.setConfig({ testTimeout: 60_000 });

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const section = /<!-- BEGIN sources[\s\S]*?<!-- END sources -->/.exec(readme)?.[0] ?? "";
const samples = [...section.matchAll(/```text\n\$ (.+)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]! }));

test("the section has its samples", () => {
  expect(samples.length).toBeGreaterThanOrEqual(5);
});

test.each(samples.map((s) => [s.command, s] as const))("$ %s", async (_c, { command, output }) => {
  const words = command.split(" ");
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0]!)) {
    const [k, v] = words.shift()!.split("=");
    env[k!] = v!;
  }
  expect(words.shift()).toBe("peftcount");
  const r = await runCli(words, { files: readmeFiles(), env });
  const trim = (t: string) => t.split("\n").map((l) => l.trimEnd()).join("\n").trimEnd();
  expect(trim(r.stderr + r.stdout)).toBe(trim(output));
});
