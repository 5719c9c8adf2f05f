/**
 * `peftcount memory --json`: model-state bytes per method row, per GPU, and whether they fit. This zod schema is
 * the contract (`peftcount schema memory`); bytes are exact integers (checked below 2^53 before they leave
 * BigInt). Built from a comparison report (same rows, same counts) and the training setup. Pure.
 */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { InputError } from "../errors.js";
import { estimateMemory, type MemoryEstimate } from "../memory/estimate.js";
import { type Gpu } from "../memory/gpus.js";
import { OPTIMIZER_TITLES } from "../memory/optimizers.js";
import { DTYPES, OPTIMIZERS, STRATEGIES, type MemorySetup } from "../memory/types.js";
import type { Inventory } from "../model/types.js";
import type { ComparisonReport } from "./schema.js";

const bytes = (text: string) => describe(z.int().check(z.nonnegative()), `${text} (bytes)`);

export const COUNTED = [
  "parameters of the base model as stored (load dtype, or bitsandbytes' packed data + quantization state per tensor)",
  "the method's tensors: trainable adapter tensors (PEFT's dtype), modules_to_save copies, frozen added parameters, projection / original-token buffers",
  "gradients of trainable tensors (their dtype); DDP's gradient buckets",
  "optimizer states as the optimizer allocates them, and fp32 master weights when kept",
];
export const NOT_COUNTED = [
  "activations (they depend on batch size, sequence length, attention kernel and gradient checkpointing)",
  "the CUDA context, allocator caching / fragmentation, temporary buffers (dequantized layers, all-gathered ZeRO-3 / FSDP layers, communication buckets)",
  "the model's non-persistent buffers (rotary inv_freq) and a model class's _keep_in_fp32_modules",
];

const partsSchema = z.object({
  weights: bytes("base model parameters as stored"),
  quantizedData: bytes("bitsandbytes packed 4-bit / int8 weights (part of weights)"),
  quantizedState: bytes("bitsandbytes absmax / SCB, offsets, nested states, code tables (part of weights)"),
  adapter: bytes("the method's tensors: adapterTrainable + copies + frozenAdded + buffers"),
  adapterTrainable: bytes("trainable tensors the method creates"),
  copies: bytes("modules_to_save copies (in the base dtype, in addition to the frozen original)"),
  frozenAdded: bytes("parameters the method adds that do not train"),
  buffers: bytes("persistent non-parameter tensors the method keeps (VeRA / RandLoRA projections, trainable-token originals)"),
  grads: bytes("gradients of every trainable tensor"),
  optimizerStates: bytes("optimizer states"),
  masterWeights: bytes("fp32 master copies of 16-bit trainable tensors"),
  total: bytes("weights + adapter + grads + optimizerStates + masterWeights, one device, before sharding"),
});

const perGpuSchema = z.object({
  weights: bytes("base model parameters on one GPU (after partitioning / offload)"),
  adapter: bytes("the method's parameters and buffers on one GPU"),
  params: bytes("parameters on one GPU: weights + the method's parameters (buffers apart)"),
  grads: bytes("gradients on one GPU"),
  optimizer: bytes("optimizer states + master weights on one GPU"),
  buffers: bytes("method buffers (never partitioned)"),
  ddpBuckets: bytes("DDP gradient buckets (gradient_as_bucket_view=False)"),
  total: bytes("model states on one GPU"),
  cpu: bytes("what one GPU's worker keeps in CPU memory instead (offload)"),
});

export const memoryRowSchema = z.object({
  method: z.string(),
  title: z.string(),
  options: z.record(z.string(), z.unknown()),
  trainableParams: z.int().check(z.nonnegative()),
  trainableTensors: describe(z.int().check(z.nonnegative()), "trainable tensors (optimizer `step` scalars are per tensor)"),
  dtypes: describe(z.object({ base: z.enum(DTYPES), adapter: z.enum(DTYPES) }), "storage dtype of unquantized base tensors, and of the tensors PEFT creates"),
  bytes: partsSchema,
  perGpu: perGpuSchema,
  cpuAlways: bytes("host memory in every setup: torch optimizers' CPU `step` scalars"),
  fits: describe(z.nullable(z.boolean()), "perGpu.total <= the GPU's memory (null without --gpu / --gpu-memory)"),
  headroom: describe(z.nullable(z.int()), "GPU memory minus perGpu.total, bytes (negative: does not fit)"),
  warnings: z.array(z.string()),
});

export const memoryReportSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal("memory"),
  model: z.object({ id: z.string(), source: z.string(), modelType: z.string(), modelClass: z.string(), task: z.string(), baseParams: z.int().check(z.nonnegative()) }),
  setup: z.object({
    dtype: z.enum(DTYPES),
    quantization: z.nullable(z.object({ bits: z.union([z.literal(4), z.literal(8)]), quantType: z.enum(["nf4", "fp4"]), doubleQuant: z.boolean(), skipModules: z.nullable(z.array(z.string())) })),
    kbitUpcast: describe(z.boolean(), "prepare_model_for_kbit_training's upcast of fp16/bf16 parameters to fp32"),
    autocastAdapterDtype: z.boolean(),
    optimizer: z.enum(OPTIMIZERS),
    optimizerTitle: z.string(),
    masterWeights: z.boolean(),
    strategy: z.enum(STRATEGIES),
    gpusPerNode: z.int().check(z.positive()),
    nodes: z.int().check(z.positive()),
    offloadOptimizer: z.boolean(),
    offloadParams: z.boolean(),
    gpu: z.nullable(z.object({ id: z.string(), name: z.string(), bytes: bytes("nvidia-smi memory.total") })),
    gpuMemory: describe(z.nullable(z.int().check(z.positive())), "memory of one GPU the rows are checked against (bytes)"),
  }),
  counted: z.array(z.string()),
  notCounted: z.array(z.string()),
  rows: z.array(memoryRowSchema),
  skipped: z.optional(z.array(z.object({ method: z.string(), reason: z.string() }))),
});

export type MemoryRow = z.output<typeof memoryRowSchema>;
export type MemoryReport = z.output<typeof memoryReportSchema>;

function exact(b: bigint, what: string): number {
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new InputError("TOO_LARGE", `${what}: ${b} bytes is past 2^53 and cannot be reported exactly`, "use fewer layers or a smaller model");
  return Number(b);
}

function rowOf(r: ComparisonReport["rows"][number], e: MemoryEstimate, gpuMemory: bigint | null): MemoryRow {
  const n = (b: bigint) => exact(b, r.method);
  const g = e.perGpu;
  return {
    method: r.method,
    title: r.title,
    options: r.options,
    trainableParams: r.trainableParams,
    trainableTensors: n(e.trainableTensors),
    dtypes: e.dtypes,
    bytes: {
      weights: n(e.weights.total),
      quantizedData: n(e.weights.quantizedData),
      quantizedState: n(e.weights.quantizedState),
      adapter: n(e.adapter.total),
      adapterTrainable: n(e.adapter.trainable),
      copies: n(e.adapter.copies),
      frozenAdded: n(e.adapter.frozen),
      buffers: n(e.adapter.buffers),
      grads: n(e.grads),
      optimizerStates: n(e.optimizer.states),
      masterWeights: n(e.optimizer.master),
      total: n(e.total),
    },
    perGpu: { weights: n(g.weights), adapter: n(g.added + g.buffers), params: n(g.params), grads: n(g.grads), optimizer: n(g.optimizer), buffers: n(g.buffers), ddpBuckets: n(g.ddpBuckets), total: n(g.total), cpu: n(g.cpu) },
    cpuAlways: n(e.cpuAlways),
    fits: gpuMemory === null ? null : g.total <= gpuMemory,
    headroom: gpuMemory === null ? null : n(gpuMemory - g.total),
    warnings: [...r.warnings, ...e.warnings],
  };
}

/** Memory rows for a comparison report's rows; a row the setup cannot train (full FT of a 4-bit model) is skipped with the reason. */
export function buildMemoryReport(report: ComparisonReport, inv: Inventory, setup: MemorySetup, gpu: { readonly gpu: Gpu | null; readonly bytes: bigint | null }): MemoryReport {
  const rows: MemoryRow[] = [];
  const skipped = [...(report.skipped ?? [])];
  for (const r of report.rows) {
    let e: MemoryEstimate;
    try {
      e = estimateMemory(inv, r, setup);
    } catch (err) {
      if (!(err instanceof InputError) || err.code === "TOO_LARGE") throw err;
      skipped.push({ method: r.method, reason: err.message });
      continue;
    }
    rows.push(rowOf(r, e, gpu.bytes));
  }
  const s = setup.sharding;
  return {
    schemaVersion: 1,
    kind: "memory",
    model: { id: report.model.id, source: report.model.source, modelType: report.model.modelType, modelClass: report.model.modelClass, task: report.model.task, baseParams: report.model.baseParams },
    setup: {
      dtype: setup.dtype,
      quantization: setup.quantization ? { ...setup.quantization, skipModules: setup.quantization.skipModules ? [...setup.quantization.skipModules] : null } : null,
      kbitUpcast: setup.kbitUpcast,
      autocastAdapterDtype: setup.autocastAdapterDtype,
      optimizer: setup.optimizer,
      optimizerTitle: OPTIMIZER_TITLES[setup.optimizer],
      masterWeights: setup.masterWeights,
      strategy: s.strategy,
      gpusPerNode: s.gpusPerNode,
      nodes: s.nodes,
      offloadOptimizer: s.offloadOptimizer,
      offloadParams: s.offloadParams,
      gpu: gpu.gpu ? { id: gpu.gpu.id, name: gpu.gpu.name, bytes: gpu.gpu.mib * 1_048_576 } : null,
      gpuMemory: gpu.bytes === null ? null : exact(gpu.bytes, "--gpu-memory"),
    },
    counted: COUNTED,
    notCounted: NOT_COUNTED,
    rows,
    ...(skipped.length ? { skipped } : {}),
  };
}
