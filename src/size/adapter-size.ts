/**
 * The size of `adapter_model.safetensors` for one counted row: the tensor data (elements × bytes of the dtype)
 * plus the exact safetensors header (8-byte length + padded JSON). Pure.
 */
import type { Inventory } from "../model/types.js";
import { DTYPE_INFO, headerBytes, type Dtype } from "./safetensors-header.js";
import { savedTensors, type RowLike, type SavedTensor, type SizeContext } from "./saved-tensors.js";

export interface AdapterSize {
  readonly dtype: Dtype;
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
 * Methods whose frozen random projections PEFT saves with `save_projection` (the default) and peftcount does not
 * size yet (VeRA's are sized: saved-tensors.ts). Their files are larger than reported.
 */
export const UNSIZED_PROJECTIONS: ReadonlySet<string> = new Set(["RANDLORA", "PVERA", "FROD", "TINYLORA"]);

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Whether a saved tensor is a whole embedding / LM-head matrix. */
function isEmbeddingCopy(inv: Inventory, t: SavedTensor): boolean {
  if (t.kind === "embedding") return true;
  if (t.kind !== "copy") return false;
  const names = [inv.inputEmbeddings, inv.outputEmbeddings].filter((n): n is string => Boolean(n));
  return names.some((n) => t.name.startsWith(`base_model.model.${n}.`)) || /\.(embed_tokens|lm_head|wte|word_embeddings)\./.test(t.name);
}

export function sizeOfTensors(inv: Inventory, tensors: readonly SavedTensor[], dtype: Dtype, complete = true): AdapterSize {
  const per = DTYPE_INFO[dtype].bytes;
  let data = 0;
  let embedding = 0;
  for (const t of tensors) {
    const n = numel(t.shape) * per;
    data += n;
    if (isEmbeddingCopy(inv, t)) embedding += n;
  }
  const header = headerBytes(tensors, dtype);
  return {
    dtype,
    bytes: header + data,
    headerBytes: header,
    dataBytes: data,
    tensors: tensors.length,
    embeddingCopyBytes: embedding,
    headerExact: tensors.every((t) => t.exactShape && t.exactName),
    complete,
  };
}

export function adapterSize(ctx: SizeContext, row: RowLike, dtype: Dtype): AdapterSize {
  const complete = !(ctx.peftType !== null && UNSIZED_PROJECTIONS.has(ctx.peftType) && row.options["save_projection"] !== false);
  return sizeOfTensors(ctx.inv, savedTensors(ctx, row), dtype, complete);
}

/** The stderr warning for a file whose frozen projections are not sized, else undefined. */
export function incompleteWarning(size: AdapterSize): string | undefined {
  return size.complete ? undefined : "the adapter file also holds the method's frozen random projections (save_projection=true), which peftcount does not size yet: the file is larger than reported";
}

/** The stderr warning when whole embedding / LM-head copies are most of the file, else undefined. */
export function embeddingWarning(size: AdapterSize): string | undefined {
  if (size.embeddingCopyBytes * 2 <= size.dataBytes) return undefined;
  const share = Math.round((100 * size.embeddingCopyBytes) / size.dataBytes);
  return `embed_tokens / lm_head copies are ${share}% of the adapter file: modules_to_save (or targeting an embedding layer) saves the whole matrix; trainable_token_indices trains a few rows instead`;
}
