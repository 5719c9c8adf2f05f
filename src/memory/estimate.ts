/**
 * Model-state memory of one method on one model under one training setup: weights, the method's tensors,
 * gradients, optimizer states, master weights, then per GPU. Exact bytes of the tensors each library allocates
 * (see weights.ts, tensors.ts, buffers.ts, optimizers.ts, sharding.ts for the rules and their sources).
 * Activations, the CUDA context, allocator fragmentation and transient communication buffers are not model
 * states and are not counted.
 */
import { InputError } from "../errors.js";
import type { Inventory } from "../model/types.js";
import { methodBuffers } from "./buffers.js";
import { galoreBytes } from "./galore.js";
import { masterBytes, optimizerBytes } from "./optimizers.js";
import { perGpu, type PerGpu } from "./sharding.js";
import { groupBytes, groupNumel, methodTensors, type TensorGroup } from "./tensors.js";
import { DTYPE_BYTES, type Dtype, type MemorySetup, type PartLike } from "./types.js";
import { baseWeights, storageDtype, type BaseWeights } from "./weights.js";

/** What the counting engine says about a method (a report row, or a ParamBreakdown with its options). */
export interface MethodCount {
  readonly method: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly parts: readonly PartLike[];
  readonly trainableParams: number;
  readonly allParams: number;
  readonly baseParams: number;
}

export interface MemoryEstimate {
  readonly dtypes: { readonly base: Dtype; readonly adapter: Dtype };
  readonly weights: BaseWeights;
  /** the method's own tensors: trainable ones, modules_to_save copies, frozen added parameters, buffers */
  readonly adapter: { readonly trainable: bigint; readonly copies: bigint; readonly frozen: bigint; readonly buffers: bigint; readonly total: bigint };
  readonly grads: bigint;
  readonly optimizer: { readonly states: bigint; readonly master: bigint; readonly total: bigint };
  /** weights + adapter + grads + optimizer, on one device before any sharding */
  readonly total: bigint;
  readonly perGpu: PerGpu;
  /** CPU memory that exists on every setup (torch's per-tensor `step` scalars) */
  readonly cpuAlways: bigint;
  readonly trainableTensors: bigint;
  readonly warnings: readonly string[];
}

const ADDED = new Set<string | undefined>(["adapter", "shared", "prompt", "delta", "copy", undefined]);

/** PEFT's adapter dtype: fp32 unless autocast is off and the base is a 16-bit float model. */
export function adapterDtype(setup: MemorySetup): Dtype {
  if (setup.autocastAdapterDtype || setup.quantization !== null) return "fp32";
  return storageDtype(setup);
}

export function estimateMemory(inv: Inventory, m: MethodCount, setup: MemorySetup): MemoryEstimate {
  const warnings: string[] = [];
  if (m.method === "full" && setup.quantization !== null)
    throw new InputError("QUANTIZED_FULL_FINETUNE", `full fine-tuning cannot train a ${setup.quantization.bits}-bit quantized model (transformers' Trainer refuses purely quantized models)`, "drop --load-in-4bit / --load-in-8bit for the full row, or compare PEFT methods only");
  const dtypes = { base: storageDtype(setup), adapter: adapterDtype(setup) };
  if (setup.quantization !== null && !setup.autocastAdapterDtype)
    warnings.push(`adapter tensors counted in fp32 (on bitsandbytes layers PEFT keeps them fp32); those on unquantized modules would be ${dtypes.base}`);
  const weights = baseWeights(inv, setup);
  const addedCount = m.method === "full" ? 0 : m.parts.filter((p) => ADDED.has(p.kind)).reduce((s, p) => s + p.count, 0);
  const frozenAdded = m.method === "full" ? 0n : BigInt(Math.max(0, m.allParams - m.baseParams - addedCount));
  const groups = methodTensors(inv, m.method, m.parts, frozenAdded, dtypes);
  const trainable = groups.filter((g) => g.trainable);
  const trainNumel = trainable.reduce((s, g) => s + groupNumel(g), 0n);
  if (trainNumel !== BigInt(m.trainableParams)) warnings.push(`memory counts ${trainNumel} trainable elements for ${m.trainableParams} trainable parameters`);
  if (setup.quantization !== null && m.parts.some((p) => p.kind === "base")) warnings.push("base weights trained in place are counted in the load dtype; a quantized module's weight cannot train");
  if (m.parts.length > 0 && Object.keys(m.options).some((k) => /_pattern$/.test(k) && isNonEmpty(m.options[k])))
    warnings.push("per-tensor sizes inside a part are taken as equal (a rank_pattern changes bitsandbytes' block counts only)");

  const bytes = (g: TensorGroup) => groupBytes(g, DTYPE_BYTES[g.dtype]);
  const sum = (gs: readonly TensorGroup[]) => gs.reduce((s, g) => s + bytes(g), 0n);
  const notInPlace = groups.filter((g) => !g.inPlace);
  const copies = sum(notInPlace.filter((g) => g.trainable && g.name.endsWith("(copy)")));
  const trainableAdded = sum(notInPlace.filter((g) => g.trainable)) - copies;
  const frozen = sum(notInPlace.filter((g) => !g.trainable));
  const buffers = methodBuffers(inv, m.method, m.options, m.parts, dtypes.adapter).reduce((s, b) => s + b.numel * DTYPE_BYTES[b.dtype], 0n);
  const adapterTotal = trainableAdded + copies + frozen + buffers;

  const grads = sum(trainable);
  const opt = setup.optimizer === "galore-adamw" ? { states: galoreStates(m.method, trainable, setup), cpu: 0n } : optimizerBytes(setup.optimizer, trainable, setup.masterWeights);
  const master = setup.masterWeights ? masterBytes(trainable) : 0n;
  const optimizer = { states: opt.states, master, total: opt.states + master };
  const total = weights.total + adapterTotal + grads + optimizer.total;
  const gpu = perGpu({ weights: weights.total, added: adapterTotal - buffers, grads, optimizer: optimizer.total, buffers }, setup.sharding);
  const tensors = trainable.reduce((s, g) => s + g.tensors, 0n);
  return { dtypes, weights, adapter: { trainable: trainableAdded, copies, frozen, buffers, total: adapterTotal }, grads, optimizer, total, perGpu: gpu, cpuAlways: opt.cpu, trainableTensors: tensors, warnings };
}

function galoreStates(method: string, trainable: readonly TensorGroup[], setup: MemorySetup): bigint {
  if (method !== "full") throw new InputError("GALORE_WITH_ADAPTER", "GaLore trains full weights: with a PEFT method its Linear targets are frozen or adapter layers, which peftcount does not model", "use galore-adamw with full fine-tuning only");
  return galoreBytes(trainable, setup.galore ?? { targets: "all-linear", rank: 128 });
}

function isNonEmpty(v: unknown): boolean {
  return v !== null && typeof v === "object" && Object.keys(v).length > 0;
}
