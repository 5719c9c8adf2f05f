/**
 * The size of `adapter_model.safetensors` for one counted row: the tensor data (elements × bytes of the dtype)
 * plus the exact safetensors header (8-byte length + padded JSON). Pure.
 */
import type { Inventory } from "../model/types.js";
import { DTYPE_INFO, headerBytes, TAG_BYTES, type Dtype, type TensorTag } from "./safetensors-header.js";
import { savedTensors, type RowLike, type SavedTensor, type SizeContext } from "./saved-tensors.js";

export interface SizeOptions {
  /** PEFT's `autocast_adapter_dtype` (default true): adapter weights of a fp16 / bf16 model are kept in fp32 */
  readonly autocastAdapterDtype?: boolean;
}

export interface AdapterSize {
  /** the base model's load dtype (torch_dtype) */
  readonly dtype: Dtype;
  /** the adapter weights' dtype: fp32 when PEFT autocasts a fp16 / bf16 model, else the load dtype */
  readonly adapterDtype: Dtype;
  readonly autocastAdapterDtype: boolean;
  /** the whole file: header + data */
  readonly bytes: number;
  readonly headerBytes: number;
  readonly dataBytes: number;
  readonly tensors: number;
  /** bytes of embedding / LM-head tensors saved whole (modules_to_save copies of them, targeted embedding layers) */
  readonly embeddingCopyBytes: number;
  /** false when a tensor's shape or module names were inferred (the header may be off by a few bytes; data is exact) */
  readonly headerExact: boolean;
  /** false when the file also holds frozen tensors peftcount does not size (see UNSIZED_PROJECTIONS) */
  readonly complete: boolean;
}

/**
 * Methods whose files hold frozen tensors peftcount does not size yet (checked against files PEFT 0.21.0 writes:
 * tests/size/frozen-tensors.test.ts). Their files are larger than reported.
 */
export const UNSIZED_PROJECTIONS: ReadonlySet<string> = new Set<string>();

/** The adapter weights' dtype for a load dtype (peft `cast_adapter_dtype`: fp16 / bf16 → fp32 when autocasting). */
export function adapterDtypeFor(load: Dtype, o: SizeOptions = {}): Dtype {
  return o.autocastAdapterDtype === false ? load : "fp32";
}

function tagOf(t: SavedTensor, load: Dtype, adapter: Dtype): TensorTag {
  const s = t.storage ?? "adapter";
  if (s === "adapter") return DTYPE_INFO[adapter].tag as TensorTag;
  if (s === "base") return DTYPE_INFO[load].tag as TensorTag;
  return s;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Whether a saved tensor is a whole embedding / LM-head matrix. */
function isEmbeddingCopy(inv: Inventory, t: SavedTensor): boolean {
  if (t.kind === "embedding") return true;
  if (t.kind !== "copy") return false;
  const names = [inv.inputEmbeddings, inv.outputEmbeddings].filter((n): n is string => Boolean(n));
  return names.some((n) => t.name.startsWith(`base_model.model.${n}.`)) || /\.(embed_tokens|lm_head|wte|word_embeddings)\./.test(t.name);
}

/** Each tensor with the dtype it is saved in, for a model loaded in `dtype`. */
export function typedTensors(tensors: readonly SavedTensor[], dtype: Dtype, o: SizeOptions = {}): (SavedTensor & { readonly dtype: TensorTag })[] {
  const adapterDtype = adapterDtypeFor(dtype, o);
  return tensors.map((t) => ({ ...t, dtype: tagOf(t, dtype, adapterDtype) }));
}

/** The file for tensors of a model loaded in `dtype` (each tensor's own dtype from its storage rule). */
export function sizeOfTensors(inv: Inventory, tensors: readonly SavedTensor[], dtype: Dtype, complete = true, o: SizeOptions = {}): AdapterSize {
  const adapterDtype = adapterDtypeFor(dtype, o);
  const typed = typedTensors(tensors, dtype, o);
  let data = 0;
  let embedding = 0;
  for (const t of typed) {
    const n = numel(t.shape) * TAG_BYTES[t.dtype];
    data += n;
    if (isEmbeddingCopy(inv, t)) embedding += n;
  }
  const header = headerBytes(typed, dtype);
  return {
    dtype,
    adapterDtype,
    autocastAdapterDtype: o.autocastAdapterDtype !== false,
    bytes: header + data,
    headerBytes: header,
    dataBytes: data,
    tensors: tensors.length,
    embeddingCopyBytes: embedding,
    headerExact: tensors.every((t) => t.exactShape && t.exactName),
    complete,
  };
}

export function adapterSize(ctx: SizeContext, row: RowLike, dtype: Dtype, o: SizeOptions = {}): AdapterSize {
  const complete = !(ctx.peftType !== null && UNSIZED_PROJECTIONS.has(ctx.peftType));
  return sizeOfTensors(ctx.inv, savedTensors(ctx, row), dtype, complete, o);
}

/** The stderr warning for a file whose frozen projections are not sized, else undefined. */
export function incompleteWarning(size: AdapterSize): string | undefined {
  return size.complete ? undefined : "the adapter file also holds frozen tensors of this method that peftcount does not size yet: the file is larger than reported";
}

/** The stderr warning when whole embedding / LM-head copies are most of the file, else undefined. */
export function embeddingWarning(size: AdapterSize): string | undefined {
  if (size.embeddingCopyBytes * 2 <= size.dataBytes) return undefined;
  const share = Math.round((100 * size.embeddingCopyBytes) / size.dataBytes);
  return `embed_tokens / lm_head copies are ${share}% of the adapter file: modules_to_save (or targeting an embedding layer) saves the whole matrix; trainable_token_indices trains a few rows instead`;
}
