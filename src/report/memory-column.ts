/**
 * `compare --memory`: the memory command's per-GPU model-state total as one more column of the comparison. Rows the
 * setup cannot train (full fine-tuning of a 4-bit model) keep no memory and are named in the memory notes; AdapterHub
 * rows get none (the memory engine follows PEFT's tensors).
 */
import type { Gpu } from "../memory/gpus.js";
import type { MemorySetup } from "../memory/types.js";
import type { Inventory } from "../model/types.js";
import { buildMemoryReport, type MemoryReport } from "./memory.js";
import type { ComparisonReport } from "./schema.js";

const key = (r: { method: string; options: Record<string, unknown> }) => `${r.method}\u0000${JSON.stringify(r.options)}`;

export function withMemoryColumn(report: ComparisonReport, inv: Inventory, setup: MemorySetup, gpu: { readonly gpu: Gpu | null; readonly bytes: bigint | null }): { report: ComparisonReport; memory: MemoryReport; notes: string[] } {
  const peft = report.rows.filter((r) => r.library !== "adapters" && r.original !== true);
  const memory = buildMemoryReport({ ...report, rows: peft, skipped: [] }, inv, setup, gpu);
  const byKey = new Map(memory.rows.map((m) => [key(m), m]));
  const rows = report.rows.map((r) => {
    const m = r.library === "adapters" || r.original === true ? undefined : byKey.get(key(r));
    return m ? { ...r, memory: { perGpuBytes: m.perGpu.total, fits: m.fits } } : r;
  });
  const notes = (memory.skipped ?? []).map((s) => `${s.method}: no memory (${s.reason})`);
  return { report: { ...report, rows }, memory, notes };
}
