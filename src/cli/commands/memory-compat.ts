/** `memory --compat deepspeed`: DeepSpeed's ZeRO estimator output for the model (full fine-tuning, its conventions). */
import { UsageError } from "../../errors.js";
import { accelerateSizes, accelerateText } from "../../memory/accelerate.js";
import { deepspeedParams, deepspeedText, zero2Rows, zero3Rows } from "../../memory/deepspeed.js";
import type { Inventory } from "../../model/types.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import type { SetupFlags } from "./memory-setup.js";

function count(text: string | undefined, flag: string): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError("INVALID_FLAG", `${flag} must be a positive whole number (got "${text}")`, `e.g. ${flag} 8`);
  return n;
}

/** `accelerate estimate-memory`'s table for the model without head (an AutoModel inventory). */
export function runAccelerateCompat(flags: OutputOptions, title: string, inv: Inventory, io: Io): void {
  const sizes = accelerateSizes(inv);
  if (!sizes.exact) io.stderr(`warning: accelerate counts buffers and keeps _no_split_modules whole; peftcount knows them for bert and llama only, so ${inv.modelType}'s buffers are left out\n`);
  if (formatOf(flags) === "json") {
    io.stdout(`${JSON.stringify({ compat: "accelerate", model: title, modelClass: inv.modelClass, totalBytes: Number(sizes.total), largestLayerBytes: Number(sizes.largestLayer), exact: sizes.exact }, null, 2)}\n`);
    return;
  }
  io.stdout(accelerateText(title, sizes));
}

export function runDeepspeedCompat(flags: SetupFlags & OutputOptions, inv: Inventory, io: Io): void {
  if (flags.zero !== "2" && flags.zero !== "3")
    throw new UsageError("INVALID_FLAG", "--compat deepspeed needs --zero 2 or --zero 3", "DeepSpeed has estimators for ZeRO-2 and ZeRO-3");
  const stage = flags.zero === "2" ? 2 : 3;
  const gpusPerNode = count(flags.gpus, "--gpus");
  const nodes = count(flags.nodes, "--nodes");
  if (formatOf(flags) === "json") {
    const { total, largestLayer } = deepspeedParams(inv);
    const rows = stage === 2 ? zero2Rows(total, gpusPerNode, nodes) : zero3Rows(total, largestLayer, gpusPerNode, nodes);
    io.stdout(`${JSON.stringify({ compat: "deepspeed", stage, gpusPerNode, nodes, totalParams: total, largestLayerParams: largestLayer, rows: rows.map((r) => ({ cpuBytes: r.cpu, gpuBytes: r.gpu, options: r.options })) }, null, 2)}\n`);
    return;
  }
  io.stdout(deepspeedText(stage, inv, gpusPerNode, nodes));
}
