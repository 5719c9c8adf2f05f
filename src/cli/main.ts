/** Process entry of the bundled CLI: real Io, exit code via process.exitCode, quiet on EPIPE. */
import { readFileSync, statSync } from "node:fs";
import { run } from "./program.js";

process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

process.exitCode = await run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stdout.isTTY === true,
  columns: process.stdout.isTTY === true ? process.stdout.columns : Number(process.env["COLUMNS"]) || undefined,
  env: process.env,
  cwd: process.cwd(),
  readFile: (p) => readFileSync(p, "utf8"),
  isDirectory: (p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
});
