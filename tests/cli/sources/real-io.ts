/** Runs the CLI in-process on the real file system (a temporary folder), for the Hub cache and byte-level files. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io } from "../../../src/cli/io.js";
import { nodeFs } from "../../../src/cli/node-io.js";
import { run } from "../../../src/cli/program.js";
import type { RunResult } from "../fake-io.js";

export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `peftcount-${name}-`));

export async function runReal(argv: readonly string[], o: { cwd: string; env?: Record<string, string>; fetch?: typeof fetch }): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const fs = nodeFs();
  const io: Io = {
    ...fs,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: false,
    env: { HOME: o.cwd, ...o.env },
    cwd: o.cwd,
    homedir: o.cwd,
    fetch: o.fetch ?? fs.fetch!,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
