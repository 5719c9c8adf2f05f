/** Everything a command may touch of the outside world, injected so tests need no process mocks. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  /** terminal width for tables (undefined when piped: no limit) */
  readonly columns?: number | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly readFile: (path: string) => string;
  readonly isDirectory: (path: string) => boolean;
}

/** Options every data command shares. */
export interface OutputOptions {
  readonly format: "table" | "json" | "csv" | "markdown";
  readonly json?: boolean;
  readonly color: boolean;
  /** table output: show the per-module breakdown (default true) */
  readonly parts?: boolean;
}

export function formatOf(o: OutputOptions): OutputOptions["format"] {
  return o.json ? "json" : o.format;
}
