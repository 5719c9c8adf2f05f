/**
 * bitsandbytes storage of a quantized weight, per tensor, as bitsandbytes allocates it.
 *
 * 4-bit (bitsandbytes/functional.py `quantize_4bit`, fake kernel in bitsandbytes/_ops.py):
 *   packed data  ((n + 1) // 2, 1) uint8 (bnb_4bit_quant_storage=uint8: two values a byte)
 *   absmax       ceil(n / 64) float32 (blocksize 64)
 *   code         the NF4 / FP4 table, 16 float32, a new tensor per call (`get_4bit_type(..., device)`)
 * with double quantization (compress_statistics=True) the absmax is itself quantized:
 *   offset       absmax.mean(), a 0-d float32
 *   absmax       ceil(n / 64) uint8 (quantize_blockwise(absmax - offset, blocksize=256): `empty_like(A, uint8)`)
 *   state2.absmax  ceil(ceil(n / 64) / 256) float32
 *   state2.code  the 8-bit dynamic map, 256 float32, copied per tensor (`code.to(A.device, copy=True)`)
 * 8-bit (bitsandbytes/nn/modules.py `Int8Params._quantize` → `int8_vectorwise_quant`):
 *   CB           [out, in] int8 (the weight's data)
 *   SCB          [out] float32 (one absmax per output row)
 */
import { ceilDiv, type Quantization } from "./types.js";

export const BNB_4BIT_BLOCKSIZE = 64n;
export const BNB_NESTED_BLOCKSIZE = 256n;
/** 16 float32 values of the NF4 / FP4 code */
export const BNB_4BIT_CODE_BYTES = 64n;
/** 256 float32 values of create_dynamic_map() */
export const BNB_DYNAMIC_MAP_BYTES = 1024n;

export interface QuantizedBytes {
  /** packed 4-bit data or int8 weight */
  readonly data: bigint;
  /** absmax / SCB, offsets, nested state and code tables */
  readonly state: bigint;
}

/** Bytes of one 4-bit weight of `n` elements. */
export function fourBitBytes(n: bigint, doubleQuant: boolean): QuantizedBytes {
  const data = (n + 1n) / 2n;
  const blocks = ceilDiv(n, BNB_4BIT_BLOCKSIZE);
  if (!doubleQuant) return { data, state: blocks * 4n + BNB_4BIT_CODE_BYTES };
  const nested = ceilDiv(blocks, BNB_NESTED_BLOCKSIZE);
  return { data, state: blocks + 4n + nested * 4n + BNB_DYNAMIC_MAP_BYTES + BNB_4BIT_CODE_BYTES };
}

/** Bytes of one int8 weight of shape [rows, cols] (LLM.int8(): int8 data + one float32 scale per row). */
export function eightBitBytes(rows: bigint, cols: bigint): QuantizedBytes {
  return { data: rows * cols, state: rows * 4n };
}

export function quantizedBytes(q: Quantization, rows: bigint, cols: bigint): QuantizedBytes {
  return q.bits === 4 ? fourBitBytes(rows * cols, q.doubleQuant) : eightBitBytes(rows, cols);
}
