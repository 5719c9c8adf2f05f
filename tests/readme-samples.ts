/** The README's sample blocks (```text + `$ peftcount ...` + its output), for the tests that replay them. */
import { readFileSync } from "node:fs";

export const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** `a "b c" d` → ["a", "b c", "d"]: a command line split as a shell would, double-quoted words keep their spaces */
export const shellWords = (line: string): string[] => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

/** Every ```text block of `section` that starts with `$ peftcount COMMAND`, with its output. */
export const samplesOf = (section: string): { command: string; output: string }[] =>
  [...section.matchAll(/```text\n\$ peftcount (.*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]! }));
