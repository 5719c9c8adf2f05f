/**
 * Model states per GPU under data parallelism, as the ZeRO paper (Rajbhandari et al. 2020, §5) and PyTorch FSDP
 * define the stages:
 *   DDP            everything replicated; plus DDP's gradient buckets, a second copy of the gradients while
 *                  `gradient_as_bucket_view=False` (the default; torch DistributedDataParallel docs)
 *   ZeRO-1         optimizer states (and fp32 master weights) partitioned over all N GPUs
 *   ZeRO-2         + gradients partitioned            (FSDP SHARD_GRAD_OP is the same split)
 *   ZeRO-3         + parameters partitioned, the frozen base too (FSDP FULL_SHARD)
 *   FSDP hybrid    FULL_SHARD / SHARD_GRAD_OP within a node (N = GPUs per node), replicated across nodes
 * A partitioned total T takes ceil(T / N) bytes per GPU: DeepSpeed's and FSDP's padding of flat buffers to
 * alignment boundaries is not modelled (a few bytes to KiB per group). Buffers are never partitioned.
 * Offload (DeepSpeed ZeRO-Offload / ZeRO-Infinity CPU): optimizer states and master weights, and under ZeRO-2/3
 * the gradient partitions, live in CPU memory (the GPU keeps 16-bit parameters); parameter offload (ZeRO-3, FSDP
 * CPUOffload) moves the parameter partitions, and under FSDP the gradients and optimizer states with them.
 * Transient buffers (all-gathered layers, prefetch, reduce buckets of ZeRO, communication) are not model states
 * and are not counted.
 */
import { InputError } from "../errors.js";
import { ceilDiv, type Sharding } from "./types.js";

export interface ModelStates {
  /** parameters of the base model as stored */
  readonly weights: bigint;
  /** parameters the method adds (trainable, copies, frozen) */
  readonly added: bigint;
  readonly grads: bigint;
  /** optimizer states and master weights */
  readonly optimizer: bigint;
  /** never partitioned (adapter buffers) */
  readonly buffers: bigint;
}

export interface PerGpu extends ModelStates {
  /** weights + added */
  readonly params: bigint;
  /** DDP's gradient buckets */
  readonly ddpBuckets: bigint;
  readonly total: bigint;
  /** what one GPU's worker keeps in CPU memory instead */
  readonly cpu: bigint;
}

export const worldSize = (s: Sharding): bigint => BigInt(s.gpusPerNode) * BigInt(s.nodes);

/** Over how many GPUs each kind of state is partitioned (1: replicated). */
export function partitions(s: Sharding): { params: bigint; grads: bigint; optimizer: bigint } {
  const n = worldSize(s);
  const g = BigInt(s.gpusPerNode);
  switch (s.strategy) {
    case "single":
    case "ddp":
      return { params: 1n, grads: 1n, optimizer: 1n };
    case "zero1":
      return { params: 1n, grads: 1n, optimizer: n };
    case "zero2":
    case "fsdp-grad-op":
      return { params: 1n, grads: n, optimizer: n };
    case "zero3":
    case "fsdp-full":
      return { params: n, grads: n, optimizer: n };
    case "fsdp-hybrid":
      return { params: g, grads: g, optimizer: g };
    case "fsdp-hybrid-grad-op":
      return { params: 1n, grads: g, optimizer: g };
  }
}

export function checkSharding(s: Sharding): void {
  if (!Number.isSafeInteger(s.gpusPerNode) || s.gpusPerNode < 1 || !Number.isSafeInteger(s.nodes) || s.nodes < 1)
    throw new InputError("INVALID_SHARDING", `GPUs per node and nodes must be positive whole numbers (got ${s.gpusPerNode} × ${s.nodes})`, "e.g. --gpus 8 --nodes 2");
  if (s.strategy === "single" && worldSize(s) > 1n)
    throw new InputError("INVALID_SHARDING", `${worldSize(s)} GPUs need a data-parallel strategy`, "add --zero 0|1|2|3 (0 = DDP) or --fsdp full|grad-op|hybrid|hybrid-grad-op");
  const fsdp = s.strategy.startsWith("fsdp");
  if (s.offloadParams && !(s.strategy === "zero3" || s.strategy === "fsdp-full" || s.strategy === "fsdp-hybrid"))
    throw new InputError("INVALID_SHARDING", "parameter offload needs partitioned parameters", "use --zero 3 or --fsdp full / hybrid with --offload-params");
  if (s.offloadOptimizer && fsdp)
    throw new InputError("INVALID_SHARDING", "FSDP offloads parameters, gradients and optimizer states together", "use --offload-params with --fsdp");
  if (s.offloadOptimizer && !s.strategy.startsWith("zero"))
    throw new InputError("INVALID_SHARDING", "optimizer offload is DeepSpeed ZeRO's", "add --zero 1|2|3");
}

export function perGpu(total: ModelStates, s: Sharding): PerGpu {
  checkSharding(s);
  const k = partitions(s);
  const weights = ceilDiv(total.weights, k.params);
  const added = ceilDiv(total.added, k.params);
  const params = weights + added;
  const grads = ceilDiv(total.grads, k.grads);
  const optimizer = ceilDiv(total.optimizer, k.optimizer);
  const fsdp = s.strategy.startsWith("fsdp");
  const offParams = s.offloadParams;
  const offGrads = (s.offloadOptimizer && (s.strategy === "zero2" || s.strategy === "zero3")) || (fsdp && s.offloadParams);
  const offOptimizer = s.offloadOptimizer || (fsdp && s.offloadParams);
  const ddpBuckets = s.strategy === "ddp" && worldSize(s) > 1n ? total.grads : 0n;
  const gpu = { weights: offParams ? 0n : weights, added: offParams ? 0n : added, params: offParams ? 0n : params, grads: offGrads ? 0n : grads, optimizer: offOptimizer ? 0n : optimizer };
  const cpu = (offParams ? params : 0n) + (offGrads ? grads : 0n) + (offOptimizer ? optimizer : 0n);
  return { ...gpu, buffers: total.buffers, ddpBuckets, total: gpu.params + gpu.grads + gpu.optimizer + total.buffers + ddpBuckets, cpu };
}
