/**
 * The exact header of a `.safetensors` file, as the safetensors library (Rust `serialize`, which
 * `safetensors.torch.save_file` and PEFT's `save_pretrained` call) writes it: 8 bytes of little-endian
 * header length, then one line of JSON — `{"__metadata__":{"format":"pt"},"<name>":{"dtype":"BF16",
 * "shape":[8,2048],"data_offsets":[0,32768]},...}` with no spaces, tensors sorted by dtype (safetensors' `Dtype`
 * enum, last variant first: I64, F32, I32, BF16, F16, I16, U8) and then by name (byte order), data offsets in that
 * order — padded with spaces to a multiple of 8 bytes so the data that follows is aligned. Checked byte for byte against safetensors 0.8.0 (tests/size/safetensors-header.test.ts).
 * @see safetensors/src/tensor.rs `prepare` and `serialize`; PEFT utils/save_and_load.py (metadata {"format": "pt"})
 */

export type Dtype = "fp32" | "fp16" | "bf16";

export const DTYPES: readonly Dtype[] = ["fp32", "fp16", "bf16"];

/** Bytes per element, and safetensors' dtype tag. */
export const DTYPE_INFO: Readonly<Record<Dtype, { readonly bytes: number; readonly tag: string }>> = {
  fp32: { bytes: 4, tag: "F32" },
  fp16: { bytes: 2, tag: "F16" },
  bf16: { bytes: 2, tag: "BF16" },
};

/** safetensors' dtype tags of the tensors PEFT writes (float weights, integer index buffers). */
export type TensorTag = "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "U8";

export const TAG_BYTES: Readonly<Record<TensorTag, number>> = { F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, U8: 1 };

/** Position in safetensors' `Dtype` enum (safetensors/src/tensor.rs); `prepare` sorts by it, descending. */
const TAG_ORDER: Readonly<Record<TensorTag, number>> = { U8: 4, I16: 9, F16: 11, BF16: 12, I32: 13, F32: 15, I64: 18 };

export interface TensorEntry {
  /** the key in the file, e.g. base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight */
  readonly name: string;
  readonly shape: readonly number[];
  /** the tensor's own dtype (default: the dtype the header is built for) */
  readonly dtype?: TensorTag;
}

/** PEFT's save_pretrained metadata. */
export const PEFT_METADATA: Readonly<Record<string, string>> = { format: "pt" };

/** The header JSON (before padding); a tensor without its own dtype is in `dtype`; offsets follow the sorted order. */
export function headerJson(tensors: readonly TensorEntry[], dtype: Dtype, metadata: Readonly<Record<string, string>> | null = PEFT_METADATA): string {
  const fallback = DTYPE_INFO[dtype].tag as TensorTag;
  const tagged = tensors.map((t) => ({ t, tag: t.dtype ?? fallback }));
  tagged.sort((a, b) => TAG_ORDER[b.tag] - TAG_ORDER[a.tag] || (a.t.name < b.t.name ? -1 : a.t.name > b.t.name ? 1 : 0));
  const parts: string[] = [];
  if (metadata) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  let offset = 0;
  for (const { t, tag } of tagged) {
    let n = TAG_BYTES[tag];
    for (const d of t.shape) n *= d;
    parts.push(`${JSON.stringify(t.name)}:{"dtype":"${tag}","shape":[${t.shape.join(",")}],"data_offsets":[${offset},${offset + n}]}`);
    offset += n;
  }
  return `{${parts.join(",")}}`;
}

/** UTF-8 length of a string (names are ASCII in practice; counted exactly anyway). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Header JSON length padded with spaces to a multiple of 8, as the file stores it. */
export function paddedHeaderLength(jsonLength: number): number {
  return jsonLength + ((8 - (jsonLength % 8)) % 8);
}

/** Bytes before the tensor data: the 8-byte length prefix plus the padded JSON header. */
export function headerBytes(tensors: readonly TensorEntry[], dtype: Dtype, metadata: Readonly<Record<string, string>> | null = PEFT_METADATA): number {
  return 8 + paddedHeaderLength(utf8Length(headerJson(tensors, dtype, metadata)));
}
