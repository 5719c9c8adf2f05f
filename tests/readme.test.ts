/**
 * The README shows real output: its sample of `peftcount` (the default compare) must be what the CLI prints
 * today, line for line; and the example adapter it counts gives the number it quotes.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { runCli } from "./cli/fake-io.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

test("the README's sample output is the CLI's output", async () => {
  const block = /## What you get[\s\S]*?```text\n([\s\S]*?)\n…\n```/.exec(readme)?.[1];
  expect(block, "README.md needs the ```text sample under 'What you get', ending with a … line").toBeDefined();
  const { code, stdout } = await runCli([]);
  expect(code).toBe(0);
  const want = block!.split("\n").map((l) => l.trimEnd());
  expect(stdout.split("\n").slice(0, want.length).map((l) => l.trimEnd())).toEqual(want);
});

test("the README's count example quotes the real numbers", async () => {
  const adapter = readFileSync(new URL("../examples/adapter_config.json", import.meta.url), "utf8");
  const { code, stdout } = await runCli(["count", "--model", "llama-3-8b", "--adapter", "adapter_config.json", "--json"], { files: { "adapter_config.json": adapter } });
  expect(code).toBe(0);
  const row = (JSON.parse(stdout) as { rows: { trainableParams: number; allParams: number }[] }).rows[0]!;
  expect(readme).toContain(`prints ${row.trainableParams.toLocaleString("en-US")} trainable of\n${row.allParams.toLocaleString("en-US")}`);
});
