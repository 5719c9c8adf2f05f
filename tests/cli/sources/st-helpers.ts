/** Byte-level safetensors files for tests: the real header format, data area left sparse (never read). */
import { truncateSync, writeFileSync } from "node:fs";
import { buildInventory } from "../../../src/model/inventory.js";
import { findPreset } from "../../../src/model/presets/index.js";

export interface T {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: string;
}

const BYTES: Record<string, number> = { BF16: 2, F16: 2, F32: 4, U8: 1, I8: 1, I32: 4, F8_E4M3: 1 };

/** Header bytes (8-byte little-endian length + JSON padded with spaces to 8 bytes) and the data size. */
export function safetensorsHeader(tensors: readonly T[], metadata?: Record<string, string>): { bytes: Uint8Array; dataSize: number } {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const t of tensors) {
    const dtype = t.dtype ?? "BF16";
    const size = t.shape.reduce((a, d) => a * d, 1) * BYTES[dtype]!;
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const body = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + body.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(body.length), true);
  bytes.set(body, 8);
  return { bytes, dataSize: offset };
}

/** Writes a .safetensors file whose data area is a hole of the right size (sparse: 16 GB costs no disk). */
export function writeSafetensors(path: string, tensors: readonly T[]): void {
  const { bytes, dataSize } = safetensorsHeader(tensors);
  writeFileSync(path, bytes);
  truncateSync(path, bytes.length + dataSize);
}

/** The tensors save_pretrained writes for a preset: every parameter by its state_dict name, tied ones once. */
export function presetTensors(id: string): T[] {
  const inv = buildInventory(findPreset(id)!.config, {});
  return inv.modules.flatMap((m) => m.params.filter((p) => p.tiedTo === undefined).map((p) => ({ name: `${m.name}.${p.name}`, shape: p.shape })));
}
