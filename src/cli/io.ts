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
  // ---- optional, added for model/adapter sources (issue 9); absent members mean "not available here" ----
  /** What is at `path` (symlinks followed): undefined when nothing is. */
  readonly stat?: (path: string) => FileStat | undefined;
  /** At most `length` bytes of a regular file from `offset` (fewer at its end); never the whole file. */
  readonly readBytes?: (path: string, offset: number, length: number) => Uint8Array;
  /** Writes a file, creating its parent folders. */
  readonly writeFile?: (path: string, data: Uint8Array | string) => void;
  /** A relative symlink at `path` pointing to `target` (a copy where symlinks are not allowed), parents created. */
  readonly symlink?: (target: string, path: string) => void;
  /** Names in a folder (empty when it is not one). */
  readonly listDir?: (path: string) => readonly string[];
  /** The user's home folder (for ~/.cache/huggingface). */
  readonly homedir?: string;
  /** HTTP for the Hugging Face Hub (the CLI passes globalThis.fetch; tests a loopback server or a fake). */
  readonly fetch?: typeof globalThis.fetch;
}

export interface FileStat {
  readonly size: number;
  /** "other": a device, FIFO or socket, never read (`/dev/zero` would never end) */
  readonly kind: "file" | "dir" | "other";
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
