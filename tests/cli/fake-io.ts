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
  /** path (relative to /proj, or absolute) → file text or bytes */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** paths that exist but are not regular files (a device such as /dev/zero) */
  readonly devices?: readonly string[];
  /** the Hub client's HTTP (default: none, any request fails as if offline) */
  readonly fetch?: typeof globalThis.fetch;
  readonly env?: Readonly<Record<string, string>>;
  readonly isTTY?: boolean;
  /** terminal width (undefined: piped, no limit) */
  readonly columns?: number;
}

export function fakeIo(o: FakeOptions = {}): { io: Io; out: () => { stdout: string; stderr: string } } {
  const files = new Map<string, string | Uint8Array>(Object.entries(o.files ?? {}).map(([p, text]) => [posix.resolve(CWD, p), text]));
  const devices = new Set((o.devices ?? []).map((p) => posix.resolve(CWD, p)));
  const bytesOf = (v: string | Uint8Array) => (typeof v === "string" ? new TextEncoder().encode(v) : v);
  const isDir = (p: string) => p === CWD || p === "/" || [...files.keys()].some((f) => f.startsWith(`${p}/`));
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: o.isTTY ?? false,
    ...(o.columns !== undefined ? { columns: o.columns } : {}),
    env: o.env ?? {},
    cwd: CWD,
    readFile: (p) => {
      const text = files.get(p);
      if (text !== undefined) return typeof text === "string" ? text : new TextDecoder().decode(text);
      const dir = [...files.keys()].some((f) => f.startsWith(`${p}/`));
      throw Object.assign(new Error(`${dir ? "EISDIR" : "ENOENT"}: ${p}`), { code: dir ? "EISDIR" : "ENOENT" });
    },
    isDirectory: isDir,
    stat: (p) => {
      const f = files.get(p);
      if (f !== undefined) return { size: bytesOf(f).length, kind: "file" };
      if (devices.has(p)) return { size: 0, kind: "other" };
      return isDir(p) ? { size: 0, kind: "dir" } : undefined;
    },
    readBytes: (p, offset, length) => {
      const f = files.get(p);
      if (f === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
      return bytesOf(f).slice(offset, offset + length);
    },
    writeFile: (p, data) => void files.set(p, data),
    symlink: (target, p) => void files.set(p, files.get(posix.resolve(posix.dirname(p), target)) ?? ""),
    listDir: (p) => [...new Set([...files.keys()].filter((f) => f.startsWith(`${p}/`)).map((f) => f.slice(p.length + 1).split("/")[0]!))],
    homedir: "/home/user",
    ...(o.fetch ? { fetch: o.fetch } : {}),
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
