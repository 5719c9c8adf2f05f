/**
 * A minimal valid GGUF v3 header, written byte by byte as the spec lays it out (ggml docs/gguf.md):
 * magic "GGUF", u32 version, u64 tensor_count, u64 kv_count, then each KV (u64-length string key, u32 type,
 * value), then each tensor info (string name, u32 n_dims, u64 ne[n_dims], u32 ggml type, u64 offset), padded
 * to general.alignment (32). The data area is left as a sparse hole.
 */
import { truncateSync, writeFileSync } from "node:fs";

export type Kv = [key: string, value: string | number | { f32: number }];
export interface GgufT {
  readonly name: string;
  readonly ne: readonly number[];
  /** ggml type id: 0 F32, 1 F16, 12 Q4_K */
  readonly type: number;
}

const BYTES_PER_ELEMENT: Record<number, number> = { 0: 4, 1: 2, 12: 144 / 256 };

export function ggufHeader(kvs: readonly Kv[], tensors: readonly GgufT[]): { bytes: Uint8Array; dataSize: number } {
  const parts: number[] = [];
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    parts.push(...b);
  };
  const u64 = (n: number | bigint) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
    parts.push(...b);
  };
  const str = (s: string) => {
    const b = new TextEncoder().encode(s);
    u64(b.length);
    parts.push(...b);
  };
  parts.push(...new TextEncoder().encode("GGUF"));
  u32(3);
  u64(tensors.length);
  u64(kvs.length);
  for (const [k, v] of kvs) {
    str(k);
    if (typeof v === "string") (u32(8), str(v));
    else if (typeof v === "number") (u32(4), u32(v));
    else {
      u32(6);
      const b = new Uint8Array(4);
      new DataView(b.buffer).setFloat32(0, v.f32, true);
      parts.push(...b);
    }
  }
  let offset = 0;
  for (const t of tensors) {
    str(t.name);
    u32(t.ne.length);
    for (const d of t.ne) u64(d);
    u32(t.type);
    u64(offset);
    const size = Math.ceil(t.ne.reduce((a, d) => a * d, 1) * BYTES_PER_ELEMENT[t.type]!);
    offset += size + ((32 - (size % 32)) % 32);
  }
  while (parts.length % 32 !== 0) parts.push(0);
  return { bytes: Uint8Array.from(parts), dataSize: offset };
}

export function writeGguf(path: string, kvs: readonly Kv[], tensors: readonly GgufT[]): void {
  const { bytes, dataSize } = ggufHeader(kvs, tensors);
  writeFileSync(path, bytes);
  truncateSync(path, bytes.length + dataSize);
}

/** Meta-Llama-3-8B as llama.cpp's convert_hf_to_gguf.py writes it (Q4_K_M-like types), plus rope_freqs. */
export function llama3Gguf(): { kvs: Kv[]; tensors: GgufT[] } {
  const kvs: Kv[] = [
    ["general.architecture", "llama"],
    ["general.name", "Meta Llama 3 8B"],
    ["llama.block_count", 32],
    ["llama.context_length", 8192],
    ["llama.embedding_length", 4096],
    ["llama.feed_forward_length", 14336],
    ["llama.attention.head_count", 32],
    ["llama.attention.head_count_kv", 8],
    ["llama.rope.freq_base", { f32: 500000 }],
    ["llama.attention.layer_norm_rms_epsilon", { f32: 1e-5 }],
  ];
  const tensors: GgufT[] = [{ name: "token_embd.weight", ne: [4096, 128256], type: 12 }, { name: "rope_freqs.weight", ne: [64], type: 0 }];
  for (let i = 0; i < 32; i++) {
    const b = `blk.${i}.`;
    tensors.push(
      { name: `${b}attn_norm.weight`, ne: [4096], type: 0 },
      { name: `${b}attn_q.weight`, ne: [4096, 4096], type: 12 },
      { name: `${b}attn_k.weight`, ne: [4096, 1024], type: 12 },
      { name: `${b}attn_v.weight`, ne: [4096, 1024], type: 12 },
      { name: `${b}attn_output.weight`, ne: [4096, 4096], type: 12 },
      { name: `${b}ffn_norm.weight`, ne: [4096], type: 0 },
      { name: `${b}ffn_gate.weight`, ne: [4096, 14336], type: 12 },
      { name: `${b}ffn_up.weight`, ne: [4096, 14336], type: 12 },
      { name: `${b}ffn_down.weight`, ne: [14336, 4096], type: 12 },
    );
  }
  tensors.push({ name: "output_norm.weight", ne: [4096], type: 0 }, { name: "output.weight", ne: [4096, 128256], type: 12 });
  return { kvs, tensors };
}
