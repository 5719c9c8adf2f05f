/**
 * safetensors headers, parsed from bytes (no I/O here): an 8-byte little-endian header length N, then N bytes
 * of JSON `{name: {dtype, shape, data_offsets}, "__metadata__"?: {...}}`, then the tensor data (never read).
 * The header size is bounded as the format's reference reader bounds it (safetensors `MAX_HEADER_SIZE`, 100 MB),
 * so a corrupt length never makes us allocate gigabytes. Source: huggingface/safetensors `safetensors/src/tensor.rs`.
 */
import { InputError } from "../../errors.js";

/** safetensors' own limit on the JSON header (bytes). */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

export interface TensorEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

export interface SafetensorsHeader {
  readonly tensors: readonly TensorEntry[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** The JSON header's length from the file's first 8 bytes; refuses a short file and a length past the bound. */
export function safetensorsHeaderLength(first8: Uint8Array, label: string, fileSize?: number): number {
  if (first8.length < 8) throw new InputError("INVALID_SAFETENSORS", `${label} is not a safetensors file: ${first8.length} bytes, shorter than the 8-byte header length`, "pass a .safetensors file written by safetensors / save_pretrained");
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > MAX_SAFETENSORS_HEADER)
    throw new InputError("INVALID_SAFETENSORS", `${label}: safetensors header length ${n} is past the format's limit of ${MAX_SAFETENSORS_HEADER} bytes (not a safetensors file, or corrupt)`, "pass a .safetensors file written by safetensors / save_pretrained");
  if (n < 2 || (fileSize !== undefined && 8 + n > fileSize))
    throw new InputError("INVALID_SAFETENSORS", `${label}: safetensors header length ${n} does not fit the file (${fileSize ?? "?"} bytes): truncated or not a safetensors file`, "download the file again");
  return n;
}

/** Tensors and `__metadata__` from the header JSON (the N bytes after the length). */
export function parseSafetensorsHeader(json: Uint8Array, label: string): SafetensorsHeader {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch {
    throw new InputError("INVALID_SAFETENSORS", `${label}: the safetensors header is not valid UTF-8 JSON (truncated or corrupt)`, "download the file again");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InputError("INVALID_SAFETENSORS", `${label}: the safetensors header is not a JSON object`, "download the file again");
  const tensors: TensorEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown } | null;
    if (!e || typeof e.dtype !== "string" || !Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new InputError("INVALID_SAFETENSORS", `${label}: tensor "${name}" has no valid dtype and shape in the header`, "download the file again");
    tensors.push({ name, dtype: e.dtype, shape: e.shape as number[] });
  }
  return { tensors, metadata };
}

export const elements = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

/** Parameters per dtype and in total, exact (a sum past 2^53 is refused rather than rounded). */
export function countByDtype(tensors: readonly TensorEntry[]): { readonly byDtype: Readonly<Record<string, number>>; readonly total: number } {
  const byDtype: Record<string, number> = {};
  let total = 0;
  for (const t of tensors) {
    const n = elements(t.shape);
    byDtype[t.dtype] = (byDtype[t.dtype] ?? 0) + n;
    total += n;
  }
  if (!Number.isSafeInteger(total)) throw new InputError("COUNT_OVERFLOW", "the checkpoint holds more than 2^53 elements", "");
  return { byDtype, total };
}

/** A sharded checkpoint's `model.safetensors.index.json`: tensor name → shard file. */
export function parseShardIndex(value: unknown, label: string): { readonly shards: readonly string[]; readonly weightMap: Readonly<Record<string, string>> } {
  const map = (value as { weight_map?: unknown } | null)?.weight_map;
  if (map === null || typeof map !== "object" || Array.isArray(map) || !Object.values(map).every((v) => typeof v === "string"))
    throw new InputError("INVALID_SAFETENSORS", `${label} has no "weight_map" of tensor name → shard file`, "pass the model.safetensors.index.json that save_pretrained wrote");
  const weightMap = map as Record<string, string>;
  for (const f of new Set(Object.values(weightMap)))
    if (f.includes("..") || f.startsWith("/")) throw new InputError("INVALID_SAFETENSORS", `${label}: shard "${f}" points outside its folder`, "");
  return { shards: [...new Set(Object.values(weightMap))], weightMap };
}
