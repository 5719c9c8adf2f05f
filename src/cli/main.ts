/**
 * Process entry of the bundled CLI: real Io, exit code via process.exitCode. Output is collected and written
 * with one synchronous write per stream at the end: no stream objects are created for pipes and files (their
 * setup is a measurable part of start-up), the bytes are out before Node exits, and a closed pipe (EPIPE, e.g.
 * `| head`) ends quietly.
 */
import { writeSync } from "node:fs";
import { isatty } from "node:tty";
import { nodeFs } from "./node-io.js";
import { run } from "./program.js";
import { wrapProse } from "./wrap-prose.js";

/** Writes all of `text` to a file descriptor; retries a non-blocking descriptor that is momentarily full. */
function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, "utf8");
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue;
      if (code === "EPIPE") return;
      throw e;
    }
  }
}

const out: string[] = [];
const err: string[] = [];
const tty = isatty(1);
const columns = (tty ? process.stdout.columns : Number(process.env["COLUMNS"])) || undefined;

run(process.argv.slice(2), {
  stdout: (t) => void out.push(t),
  stderr: (t) => void err.push(t),
  isTTY: tty,
  columns,
  env: process.env,
  cwd: process.cwd(),
  ...nodeFs(),
}).then(
  (code) => {
    // warnings first, as the commands wrote them before their data
    if (err.length) writeAll(2, err.join(""));
    // on a terminal, notes and legends wrap at word boundaries (tables are already fitted to the width)
    if (out.length) writeAll(1, tty ? wrapProse(out.join(""), columns) : out.join(""));
    process.exitCode = code;
  },
  (e: unknown) => {
    writeAll(2, `${err.join("")}error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
