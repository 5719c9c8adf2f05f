/** Reading JSON files safely: bounded, regular files only, in the dialect Python's json writes. */
import { InputError } from "../errors.js";
import type { Io } from "./io.js";

/** A config.json / adapter_config.json / shard index is small: past this it is not one (and is not read). */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * A text file read whole only when it is a regular file under `max` bytes: a device (`/dev/zero`), FIFO or
 * a multi-gigabyte checkpoint passed by mistake is refused by its size, before any byte is read.
 */
export function readBoundedText(io: Io, file: string, max: number = MAX_JSON_BYTES): string {
  const st = io.stat?.(file);
  if (st?.kind === "other") throw new InputError("FILE_NOT_READABLE", `${file} is not a regular file (a device, pipe or socket)`, "pass a file saved on disk");
  if (st && st.kind === "file" && st.size > max)
    throw new InputError("FILE_TOO_LARGE", `${file} is ${st.size} bytes, past the ${max}-byte limit for a JSON file`, /\.(safetensors|bin|gguf|pt)$/i.test(file) ? "" : "is it a weights file? pass the config.json beside it");
  return io.readFile(file);
}

/** JSON.parse with the position turned into line:column, and the file named. */
/** Python's json (which writes HF config files) emits bare Infinity / -Infinity / NaN: read them as strings. */
const pyTokens = () => /(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g;

export function parseJsonFile(raw: string, label: string): unknown {
  const text = raw.replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text);
  } catch (e) {
    if (pyTokens().test(text))
      try {
        return JSON.parse(text.replace(pyTokens(), '"$1"'));
      } catch {
        // report the original error below
      }
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg)?.[1] ?? (/end of JSON input/.test(msg) ? String(text.length) : undefined);
    let where = "";
    if (pos !== undefined) {
      const before = text.slice(0, Number(pos));
      const line = before.split("\n").length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
    }
    throw new InputError("INVALID_JSON", `${label} is not valid JSON${where}: ${msg.replace(/ in JSON at position \d+.*$/, "")}`, `fix the JSON syntax of ${label}`);
  }
}

