/**
 * Runs the CLI in-process with an injected Io: in-memory files under /proj, no TTY, an empty env.
 * No process mocks: `run` returns the exit code and everything written goes to two strings.
 */
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { expect } from "vitest";
import type { Io } from "../../src/cli/io.js";
import { run } from "../../src/cli/program.js";

export const CWD = "/proj";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FakeOptions {
  /** path (relative to /proj, or absolute) → file text */
  readonly files?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly isTTY?: boolean;
}

export function fakeIo(o: FakeOptions = {}): { io: Io; out: () => { stdout: string; stderr: string } } {
  const files = new Map(Object.entries(o.files ?? {}).map(([p, text]) => [posix.resolve(CWD, p), text]));
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: o.isTTY ?? false,
    env: o.env ?? {},
    cwd: CWD,
    readFile: (p) => {
      const text = files.get(p);
      if (text !== undefined) return text;
      const dir = [...files.keys()].some((f) => f.startsWith(`${p}/`));
      throw Object.assign(new Error(`${dir ? "EISDIR" : "ENOENT"}: ${p}`), { code: dir ? "EISDIR" : "ENOENT" });
    },
    isDirectory: (p) => p === CWD || [...files.keys()].some((f) => f.startsWith(`${p}/`)),
  };
  return { io, out: () => ({ stdout, stderr }) };
}

export async function runCli(argv: readonly string[], o: FakeOptions = {}): Promise<RunResult> {
  const { io, out } = fakeIo(o);
  const code = await run(argv, io);
  return { code, ...out() };
}

export interface Vector {
  readonly id: string;
  readonly task: string;
  readonly model: Record<string, unknown>;
  readonly adapter: Record<string, unknown>;
  readonly expected: { readonly trainableParams: number; readonly allParams: number; readonly baseParams: number };
}

const VECTORS = JSON.parse(readFileSync(new URL("../golden/vectors.json", import.meta.url), "utf8")) as Vector[];

export function vector(id: string): Vector {
  const v = VECTORS.find((x) => x.id === id);
  if (!v) throw new Error(`no golden vector ${id}`);
  return v;
}

/** JSON as PEFT's save_pretrained writes adapter_config.json (json.dumps(indent=2, sort_keys=True)). */
export function asSavedJson(value: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted, null, 2);
}

/**
 * An error run: `code`, nothing on stdout, one or two lines on stderr (no stack trace): `error: <message>`
 * (exact, or matching a RegExp), then `hint: ...` starting with `hint` (or matching a RegExp).
 */
export function expectError(r: RunResult, code: number, message: string | RegExp, hint?: string | RegExp): void {
  expect(r.stdout).toBe("");
  expect(r.code).toBe(code);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  if (typeof message === "string") expect(lines[0]).toBe(`error: ${message}`);
  else expect(lines[0]).toMatch(message);
  if (typeof hint === "string") expect(lines[1]?.startsWith(`hint: ${hint}`), `${lines[1]} starts with hint: ${hint}`).toBe(true);
  else if (hint) expect(lines[1]).toMatch(hint);
}
