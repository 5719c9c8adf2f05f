/**
 * The training setup a memory estimate depends on, and the byte sizes of the dtypes involved. Pure: no I/O.
 * Bytes are BigInt throughout src/memory (a 405B model's optimizer states pass 2^53 bits long before bytes do,
 * and sums of products must stay exact); the report converts them to numbers only after checking they are safe.
 */
import type { PartKind } from "../breakdown.js";

export const DTYPES = ["fp32", "bf16", "fp16"] as const;
export type Dtype = (typeof DTYPES)[number];

/** bytes per element (torch: float32 4, bfloat16 / float16 2) */
export const DTYPE_BYTES: Readonly<Record<Dtype, bigint>> = { fp32: 4n, bf16: 2n, fp16: 2n };

/** transformers' BitsAndBytesConfig, the parts that change what is stored. */
export interface Quantization {
  readonly bits: 4 | 8;
  /** bnb_4bit_quant_type (storage is the same for both: 4 bits per value) */
  readonly quantType: "nf4" | "fp4";
  /** bnb_4bit_use_double_quant */
  readonly doubleQuant: boolean;
  /** llm_int8_skip_modules: when given, replaces transformers' default skips (tied, output embeddings, last module) */
  readonly skipModules: readonly string[] | null;
}

export const OPTIMIZERS = [
  "adamw",
  "adamw-fused",
  "adamw-8bit",
  "paged-adamw-8bit",
  "adamw-bnb-32bit",
  "lion",
  "lion-8bit",
  "sgd",
  "sgd-momentum",
  "adafactor",
  "muon",
  "normuon",
  "galore-adamw",
] as const;
export type OptimizerId = (typeof OPTIMIZERS)[number];

export const STRATEGIES = ["single", "ddp", "zero1", "zero2", "zero3", "fsdp-full", "fsdp-grad-op", "fsdp-hybrid", "fsdp-hybrid-grad-op"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Sharding {
  readonly strategy: Strategy;
  readonly gpusPerNode: number;
  readonly nodes: number;
  /** optimizer states and master weights (and, under ZeRO-2/3, gradient partitions) live in CPU memory */
  readonly offloadOptimizer: boolean;
  /** parameters (and FSDP's gradients) live in CPU memory: ZeRO-3 / FSDP full or hybrid shard only */
  readonly offloadParams: boolean;
}

export interface MemorySetup {
  /** storage dtype of the base model (from_pretrained dtype=) */
  readonly dtype: Dtype;
  readonly quantization: Quantization | null;
  /** prepare_model_for_kbit_training: every fp16/bf16 parameter of a quantized model upcast to fp32 */
  readonly kbitUpcast: boolean;
  /** PEFT's autocast_adapter_dtype (default true): fp16/bf16 adapter weights are kept in fp32 */
  readonly autocastAdapterDtype: boolean;
  readonly optimizer: OptimizerId;
  /** an fp32 copy of every 16-bit trainable tensor, on which the optimizer works (DeepSpeed, apex O2) */
  readonly masterWeights: boolean;
  readonly sharding: Sharding;
  /** GaLore (galore-adamw): the Trainer's optim_target_modules (a regex string, "all-linear", or names) and rank */
  readonly galore?: { readonly targets: string | readonly string[]; readonly rank: number };
}

export const SINGLE_GPU: Sharding = { strategy: "single", gpusPerNode: 1, nodes: 1, offloadOptimizer: false, offloadParams: false };

/** A part of a ParamBreakdown or of a report row (whose optional kind may be present as undefined). */
export interface PartLike {
  readonly name: string;
  readonly modules: number;
  readonly count: number;
  readonly kind?: PartKind | undefined;
}

/** ceil(a / b) for positive BigInts */
export const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
