/**
 * The file-system and network members of Io on a real machine (node:fs, globalThis.fetch). Kept out of main.ts
 * so tests can run the CLI in-process against a real temporary folder (Hub cache layout, symlinks, byte reads).
 */
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import type { FileStat, Io } from "./io.js";

type FsMembers = Pick<Io, "readFile" | "isDirectory" | "stat" | "readBytes" | "writeFile" | "symlink" | "listDir" | "homedir" | "fetch">;

export function nodeFs(): FsMembers {
  const stat = (p: string): FileStat | undefined => {
    try {
      const s = statSync(p);
      return { size: s.size, kind: s.isFile() ? "file" : s.isDirectory() ? "dir" : "other" };
    } catch {
      return undefined;
    }
  };
  return {
    readFile: (p) => readFileSync(p, "utf8"),
    isDirectory: (p) => stat(p)?.kind === "dir",
    stat,
    readBytes: (p, offset, length) => {
      const fd = openSync(p, "r");
      try {
        const buf = Buffer.alloc(length);
        let got = 0;
        while (got < length) {
          const n = readSync(fd, buf, got, length - got, offset + got);
          if (n === 0) break;
          got += n;
        }
        return new Uint8Array(buf.buffer, buf.byteOffset, got);
      } finally {
        closeSync(fd);
      }
    },
    writeFile: (p, data) => {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, data);
    },
    symlink: (target, p) => {
      mkdirSync(dirname(p), { recursive: true });
      rmSync(p, { force: true });
      try {
        symlinkSync(target, p);
      } catch {
        copyFileSync(resolve(dirname(p), target), p); // as huggingface_hub does where symlinks are refused
      }
    },
    listDir: (p) => {
      try {
        return readdirSync(p);
      } catch {
        return [];
      }
    },
    homedir: homedir(),
    fetch: globalThis.fetch,
  };
}
