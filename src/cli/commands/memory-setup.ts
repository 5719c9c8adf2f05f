/** `memory`'s training-setup flags → a MemorySetup and the GPU to check against (usage errors for bad values). */
import { InputError, UsageError } from "../../errors.js";
import { findGpu, parseSize, type Gpu } from "../../memory/gpus.js";
import { checkSharding } from "../../memory/sharding.js";
import { DTYPES, OPTIMIZERS, type Dtype, type MemorySetup, type OptimizerId, type Quantization, type Sharding, type Strategy } from "../../memory/types.js";
import type { Inventory } from "../../model/types.js";

export interface SetupFlags {
  dtype?: string;
  loadIn4bit?: boolean;
  loadIn8bit?: boolean;
  bnb4bitQuantType?: string;
  bnb4bitUseDoubleQuant?: boolean;
  llmInt8SkipModules?: string;
  prepareModelForKbitTraining?: boolean;
  autocastAdapterDtype?: boolean;
  optimizer?: string;
  masterWeights?: boolean;
  gpus?: string;
  nodes?: string;
  zero?: string;
  fsdp?: string;
  offloadOptimizer?: boolean;
  offloadParams?: boolean;
  gpu?: string;
  gpuMemory?: string;
  galoreTargets?: string;
  galoreRank?: string;
}

const TORCH_DTYPES: Readonly<Record<string, Dtype>> = { float32: "fp32", bfloat16: "bf16", float16: "fp16" };

/** transformers 5's from_pretrained default, dtype="auto": the config's `dtype` / `torch_dtype`, else float32. */
export function autoDtype(inv: Inventory): Dtype {
  const c = inv.config ?? {};
  const v = c["dtype"] ?? c["torch_dtype"];
  return typeof v === "string" && TORCH_DTYPES[v] !== undefined ? TORCH_DTYPES[v] : "fp32";
}

function positive(text: string | undefined, flag: string): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError("INVALID_FLAG", `${flag} must be a positive whole number (got "${text}")`, `e.g. ${flag} 8`);
  return n;
}

function strategyOf(f: SetupFlags, world: number): Strategy {
  if (f.zero !== undefined && f.fsdp !== undefined) throw new UsageError("CONFLICTING_FLAGS", "--zero and --fsdp cannot be combined", "pick DeepSpeed ZeRO or PyTorch FSDP");
  if (f.zero !== undefined) {
    const z = { "0": "ddp", "1": "zero1", "2": "zero2", "3": "zero3" }[f.zero] as Strategy | undefined;
    if (!z) throw new UsageError("INVALID_FLAG", `--zero must be 0, 1, 2 or 3 (got "${f.zero}")`, "0 = plain data parallel (DDP), 1/2/3 = ZeRO stages");
    return z;
  }
  if (f.fsdp !== undefined) return `fsdp-${f.fsdp}` as Strategy;
  return world > 1 ? "ddp" : "single";
}

function quantizationOf(f: SetupFlags): Quantization | null {
  if (f.loadIn4bit && f.loadIn8bit) throw new UsageError("CONFLICTING_FLAGS", "--load-in-4bit and --load-in-8bit cannot be combined", "pick one bitsandbytes mode");
  const skip = f.llmInt8SkipModules === undefined ? null : f.llmInt8SkipModules.split(",").map((s) => s.trim()).filter(Boolean);
  if (!f.loadIn4bit && !f.loadIn8bit) {
    if (f.bnb4bitQuantType !== undefined || f.bnb4bitUseDoubleQuant || skip !== null)
      throw new UsageError("INVALID_FLAG", "bitsandbytes options need --load-in-4bit or --load-in-8bit", "add --load-in-4bit (QLoRA) or --load-in-8bit");
    return null;
  }
  if (f.loadIn8bit && (f.bnb4bitQuantType !== undefined || f.bnb4bitUseDoubleQuant)) throw new UsageError("INVALID_FLAG", "--bnb-4bit-* options apply to --load-in-4bit only", "drop them, or use --load-in-4bit");
  // BitsAndBytesConfig defaults: bnb_4bit_quant_type="fp4", bnb_4bit_use_double_quant=False
  return { bits: f.loadIn4bit ? 4 : 8, quantType: f.bnb4bitQuantType === "nf4" ? "nf4" : "fp4", doubleQuant: Boolean(f.bnb4bitUseDoubleQuant), skipModules: skip };
}

export function setupOf(f: SetupFlags, inv: Inventory): MemorySetup {
  if (f.dtype !== undefined && !(DTYPES as readonly string[]).includes(f.dtype)) throw new UsageError("INVALID_FLAG", `--dtype must be one of ${DTYPES.join(", ")} (got "${f.dtype}")`, "e.g. --dtype bf16");
  if (f.optimizer !== undefined && !(OPTIMIZERS as readonly string[]).includes(f.optimizer)) throw new UsageError("INVALID_FLAG", `--optimizer must be one of ${OPTIMIZERS.join(", ")} (got "${f.optimizer}")`, "e.g. --optimizer adamw-8bit");
  const dtype = (f.dtype as Dtype | undefined) ?? autoDtype(inv);
  const gpusPerNode = positive(f.gpus, "--gpus");
  const nodes = positive(f.nodes, "--nodes");
  const strategy = strategyOf(f, gpusPerNode * nodes);
  const sharding: Sharding = { strategy, gpusPerNode, nodes, offloadOptimizer: Boolean(f.offloadOptimizer), offloadParams: Boolean(f.offloadParams) };
  try {
    checkSharding(sharding);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.code, e.message, e.hint);
    throw e;
  }
  // DeepSpeed's fp16 / bf16 training always keeps fp32 master weights and optimizer states
  const masterWeights = f.masterWeights ?? (strategy.startsWith("zero") && dtype !== "fp32");
  const quantization = quantizationOf(f);
  if (f.prepareModelForKbitTraining && quantization === null) throw new UsageError("INVALID_FLAG", "--prepare-model-for-kbit-training needs --load-in-4bit or --load-in-8bit", "it upcasts a quantized model's other parameters to fp32");
  const optimizer = (f.optimizer as OptimizerId | undefined) ?? "adamw";
  const base = { dtype, quantization, kbitUpcast: Boolean(f.prepareModelForKbitTraining), autocastAdapterDtype: f.autocastAdapterDtype ?? true, optimizer, masterWeights, sharding };
  if (optimizer !== "galore-adamw") {
    if (f.galoreTargets !== undefined || f.galoreRank !== undefined) throw new UsageError("INVALID_FLAG", "--galore-targets / --galore-rank need --optimizer galore-adamw", "add --optimizer galore-adamw");
    return base;
  }
  if (f.galoreTargets === undefined) throw new UsageError("INVALID_FLAG", "--optimizer galore-adamw needs --galore-targets", 'the Trainer requires optim_target_modules, e.g. --galore-targets all-linear or "q_proj,v_proj"');
  // the Trainer reads a string as one regex; a list entry matches by name, substring or regex
  const targets = f.galoreTargets.includes(",") ? f.galoreTargets.split(",").map((t) => t.trim()).filter(Boolean) : f.galoreTargets;
  return { ...base, galore: { targets, rank: f.galoreRank === undefined ? 128 : positive(f.galoreRank, "--galore-rank") } };
}

export function gpuOf(f: SetupFlags): { gpu: Gpu | null; bytes: bigint | null } {
  if (f.gpu !== undefined && f.gpuMemory !== undefined) throw new UsageError("CONFLICTING_FLAGS", "--gpu and --gpu-memory cannot be combined", "name a GPU, or give its memory");
  try {
    if (f.gpu !== undefined) {
      const gpu = findGpu(f.gpu);
      return { gpu, bytes: BigInt(gpu.mib) * 1_048_576n };
    }
    return { gpu: null, bytes: f.gpuMemory === undefined ? null : parseSize(f.gpuMemory) };
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.code, e.message, e.hint);
    throw e;
  }
}
