/**
 * safetensors checkpoints on disk: a single `.safetensors` file, a sharded `model.safetensors.index.json`, or a
 * folder holding either. Only headers are read: 8 bytes, then the header length those bytes give (checked
 * against the format's bound and the file's size first), never tensor data.
 */
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { parseSafetensorsHeader, parseShardIndex, safetensorsHeaderLength, type SafetensorsHeader, type TensorEntry } from "../../model/sources/safetensors.js";
import type { Io } from "../io.js";
import { parseJsonFile, readBoundedText } from "../read-json.js";

export interface Checkpoint {
  /** the files whose headers were read */
  readonly files: readonly string[];
  readonly tensors: readonly TensorEntry[];
  /** the config.json beside the checkpoint, when there is one */
  readonly configPath?: string;
}

export const isCheckpointName = (name: string) => /\.safetensors$|\.safetensors\.index\.json$/i.test(name);

export function readSafetensorsHeader(io: Io, file: string): SafetensorsHeader {
  const st = io.stat?.(file);
  if (!st || !io.readBytes) throw new InputError("FILE_NOT_READABLE", `cannot read ${file} (ENOENT)`, "pass an existing .safetensors file");
  if (st.kind !== "file") throw new InputError("FILE_NOT_READABLE", `${file} is not a regular file`, "pass a .safetensors file saved on disk");
  const n = safetensorsHeaderLength(io.readBytes(file, 0, 8), file, st.size);
  return parseSafetensorsHeader(io.readBytes(file, 8, n), file);
}

/** The checkpoint at `name` (file, index or folder), or undefined when `name` is none of them. */
export function findCheckpoint(io: Io, name: string): Checkpoint | undefined {
  const abs = resolve(io.cwd, name);
  const st = io.stat?.(abs);
  if (st?.kind === "dir") {
    const entries = io.listDir?.(abs) ?? [];
    const index = entries.find((e) => e.endsWith(".safetensors.index.json"));
    if (index) return fromIndex(io, join(abs, index));
    const shards = entries.filter((e) => e.endsWith(".safetensors") && e !== "adapter_model.safetensors").sort();
    if (shards.length === 0) return undefined;
    return withConfig(io, abs, shards.map((s) => join(abs, s)), shards.flatMap((s) => readSafetensorsHeader(io, join(abs, s)).tensors));
  }
  if (/\.safetensors\.index\.json$/i.test(abs)) return fromIndex(io, abs);
  if (/\.safetensors$/i.test(abs)) return withConfig(io, dirname(abs), [abs], readSafetensorsHeader(io, abs).tensors);
  return undefined;
}

function fromIndex(io: Io, index: string): Checkpoint {
  let text: string;
  try {
    text = readBoundedText(io, index);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError("FILE_NOT_READABLE", `cannot read ${index} (ENOENT)`, "pass an existing model.safetensors.index.json");
  }
  const { shards, weightMap } = parseShardIndex(parseJsonFile(text, basename(index)), index);
  const dir = dirname(index);
  const tensors: TensorEntry[] = [];
  for (const shard of shards) {
    const header = readSafetensorsHeader(io, join(dir, shard));
    for (const t of header.tensors) if (weightMap[t.name] === shard) tensors.push(t);
    const listed = Object.entries(weightMap).filter(([, f]) => f === shard).map(([n]) => n);
    const inHeader = new Set(header.tensors.map((t) => t.name));
    const absent = listed.find((n) => !inHeader.has(n));
    if (absent) throw new InputError("INVALID_SAFETENSORS", `${index} lists "${absent}" in ${shard}, whose header does not hold it`, "the index and the shards are from different downloads");
  }
  return withConfig(io, dir, shards.map((s) => join(dir, s)), tensors);
}

function withConfig(io: Io, dir: string, files: string[], tensors: readonly TensorEntry[]): Checkpoint {
  const config = join(dir, "config.json");
  return { files, tensors, ...(io.stat?.(config)?.kind === "file" ? { configPath: config } : {}) };
}
