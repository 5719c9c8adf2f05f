/**
 * `--compat deepspeed`: DeepSpeed's own ZeRO model-state estimators, reproduced digit for digit
 * (deepspeed/runtime/zero/stage_1_and_2.py `estimate_zero2_model_states_mem_needs`, stage3.py
 * `estimate_zero3_model_states_mem_needs` and their `_all_cold` printers). Their conventions, not ours: full
 * fine-tuning with fp16 mixed-precision Adam, total = distinct parameters (`data_ptr` once), largest layer = the
 * most parameters one module owns directly (`parameters(recurse=False)`), an `additional_buffer_factor` of 1.5 on
 * CPU, Python float arithmetic then int(), and sizes printed as x / 2**30 with a "GB" label (they are GiB).
 */
import type { Inventory } from "../model/types.js";
import { numel } from "../model/types.js";

export interface DeepspeedRow {
  readonly cpu: number;
  readonly gpu: number;
  readonly options: string;
}

/** DeepSpeed's model_to_params: distinct parameters, and the largest parameter count of one module. */
export function deepspeedParams(inv: Inventory): { total: number; largestLayer: number } {
  let total = 0;
  let largestLayer = 0;
  for (const m of inv.modules) {
    let own = 0;
    for (const p of m.params) {
      own += numel(p.shape);
      if (p.tiedTo === undefined) total += numel(p.shape);
    }
    largestLayer = Math.max(largestLayer, own);
  }
  return { total, largestLayer };
}

const BUFFER_FACTOR = 1.5;

/** estimate_zero2_model_states_mem_needs for cpu_offload True, then False (the printer's order). */
export function zero2Rows(total: number, gpusPerNode: number, nodes: number): DeepspeedRow[] {
  const gpus = nodes * gpusPerNode;
  return [true, false].map((offload) => {
    const gpu = offload ? 2 * total : 4 * total + Math.trunc((16 * total) / gpus);
    const cpu = offload ? total * Math.max(4 * gpus, 16) * BUFFER_FACTOR : total * 4 * gpusPerNode * BUFFER_FACTOR;
    return { cpu: Math.trunc(cpu), gpu: Math.trunc(gpu), options: `cpu_offload=${offload ? 1 : 0}` };
  });
}

/** estimate_zero3_model_states_mem_needs over the printer's option combinations. */
export function zero3Rows(total: number, largest: number, gpusPerNode: number, nodes: number): DeepspeedRow[] {
  const gpus = nodes * gpusPerNode;
  const gpusFactor = 1 / nodes;
  const largestMemory = 4 * largest;
  const rows: DeepspeedRow[] = [];
  for (const offload of [true, false])
    for (const offloadParams of [true, false]) {
      if (!offload && offloadParams) continue;
      for (const zeroInit of [true, false]) {
        let gpu: number;
        let cpu: number;
        if (offload && offloadParams) {
          gpu = largestMemory;
          cpu = zeroInit ? total * 18 * gpusFactor * BUFFER_FACTOR : total * Math.max(4 * gpusPerNode, 18 * gpusFactor) * BUFFER_FACTOR;
        } else if (offload) {
          gpu = largestMemory + Math.trunc((2 * total) / gpus);
          cpu = zeroInit ? total * 16 * gpusFactor * BUFFER_FACTOR : total * Math.max(4 * gpusPerNode, 16 * gpusFactor) * BUFFER_FACTOR;
        } else {
          gpu = largestMemory + Math.trunc((18 * total) / gpus);
          cpu = zeroInit ? largest * 4 * gpusPerNode * BUFFER_FACTOR : total * 4 * gpusPerNode * BUFFER_FACTOR;
        }
        const dev = (on: boolean) => (on ? "cpu " : "none");
        rows.push({ cpu: Math.trunc(cpu), gpu: Math.trunc(gpu), options: `offload_param=${dev(offloadParams)}, offload_optimizer=${dev(offload)}, zero_init=${zeroInit ? 1 : 0}` });
      }
    }
  return rows;
}

/** Python's f"{bytes / 2**30:{width}.2f}": the quotient is exact in a double, rounded half to even. */
export function pyGiB(bytes: number, width: number): string {
  const b = BigInt(bytes);
  const unit = 2n ** 30n;
  const scaled = b * 100n;
  let q = scaled / unit;
  const r = scaled % unit;
  if (r * 2n > unit || (r * 2n === unit && q % 2n === 1n)) q += 1n;
  const text = `${q / 100n}.${String(q % 100n).padStart(2, "0")}`;
  return text.padStart(width);
}

/** The text DeepSpeed's `estimate_zero{2,3}_model_states_mem_needs_all_cold` prints. */
export function deepspeedText(stage: 2 | 3, inv: Inventory, gpusPerNode: number, nodes: number): string {
  const { total, largestLayer } = deepspeedParams(inv);
  const rows = stage === 2 ? zero2Rows(total, gpusPerNode, nodes) : zero3Rows(total, largestLayer, gpusPerNode, nodes);
  const sw = stage === 2 ? `${Math.trunc(total / 1e6)}M total params.` : `${Math.trunc(total / 1e6)}M total params, ${Math.trunc(largestLayer / 1e6)}M largest layer params.`;
  return [
    "Estimated memory needed for params, optim states and gradients for a:",
    `HW: Setup with ${nodes} ${nodes > 1 ? "nodes" : "node"}, ${gpusPerNode} ${gpusPerNode > 1 ? "GPUs" : "GPU"} per node.`,
    `SW: Model with ${sw}`,
    "  per CPU  |  per GPU |   Options",
    ...rows.map((r) => ` ${pyGiB(r.cpu, 7)}GB | ${pyGiB(r.gpu, 6)}GB | ${r.options}`),
  ].join("\n") + "\n";
}
