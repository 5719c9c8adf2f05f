/**
 * `memory` report → table / markdown / csv (pure). Sizes for people are binary (GiB = 2^30 bytes) and say so;
 * exact bytes are in --json and --format csv.
 */
import type { ChalkInstance } from "chalk";
import { formatBytes } from "../memory/gpus.js";
import type { MemoryReport, MemoryRow } from "../report/memory.js";
import type { Row } from "../report/schema.js";
import { grouped, optionSummary } from "./format.js";
import { grid } from "./grid.js";

const size = (n: number) => formatBytes(BigInt(n));

const STRATEGY_TITLES: Readonly<Record<MemoryReport["setup"]["strategy"], string>> = {
  single: "",
  ddp: "DDP",
  zero1: "ZeRO-1",
  zero2: "ZeRO-2",
  zero3: "ZeRO-3",
  "fsdp-full": "FSDP full shard",
  "fsdp-grad-op": "FSDP shard grad-op",
  "fsdp-hybrid": "FSDP hybrid shard",
  "fsdp-hybrid-grad-op": "FSDP hybrid shard grad-op",
};

/** One line saying what was assumed: dtype, quantization, optimizer, GPUs and strategy, the GPU checked against. */
export function setupLine(r: MemoryReport): string {
  const s = r.setup;
  const q = s.quantization;
  const gpus = s.gpusPerNode * s.nodes;
  return [
    `${s.dtype} weights`,
    q ? (q.bits === 4 ? `4-bit ${q.quantType.toUpperCase()}${q.doubleQuant ? " + double quant" : ""}` : "8-bit LLM.int8()") : undefined,
    s.kbitUpcast ? "unquantized parameters upcast to fp32" : undefined,
    s.autocastAdapterDtype ? undefined : "autocast_adapter_dtype=False",
    s.optimizerTitle,
    s.masterWeights ? "fp32 master weights" : undefined,
    `${gpus} GPU${gpus === 1 ? "" : "s"}${s.nodes > 1 ? ` (${s.nodes} nodes × ${s.gpusPerNode})` : ""}${s.strategy === "single" ? "" : `, ${STRATEGY_TITLES[s.strategy]}`}`,
    s.offloadOptimizer ? "optimizer offloaded to CPU" : undefined,
    s.offloadParams ? "parameters offloaded to CPU" : undefined,
    s.gpuMemory !== null ? `checked against ${s.gpu ? `${s.gpu.name}, ` : ""}${size(s.gpuMemory)} per GPU` : undefined,
  ]
    .filter((x): x is string => x !== undefined)
    .join(" · ");
}

const summary = (row: MemoryRow) => optionSummary(row as unknown as Row);

function fitsCell(row: MemoryRow): string {
  if (row.fits === null || row.headroom === null) return "";
  return row.fits ? `yes (${size(row.headroom)} free)` : `no (${size(-row.headroom)} over)`;
}

interface Column {
  readonly head: string;
  readonly align: "left" | "right";
  readonly cell: (row: MemoryRow) => string;
}

function columns(r: MemoryReport): Column[] {
  const cpu = r.rows.some((x) => x.perGpu.cpu > 0);
  const fits = r.setup.gpuMemory !== null;
  return [
    { head: "Method", align: "left", cell: (x) => x.method },
    { head: "Options", align: "left", cell: summary },
    { head: "Trainable", align: "right", cell: (x) => grouped(x.trainableParams) },
    { head: "Weights", align: "right", cell: (x) => size(x.perGpu.weights) },
    { head: "Adapter", align: "right", cell: (x) => size(x.perGpu.adapter) },
    { head: "Grads", align: "right", cell: (x) => size(x.perGpu.grads + x.perGpu.ddpBuckets) },
    { head: "Optimizer", align: "right", cell: (x) => size(x.perGpu.optimizer) },
    { head: "Total / GPU", align: "right", cell: (x) => size(x.perGpu.total) },
    ...(cpu ? [{ head: "CPU / GPU", align: "right", cell: (x: MemoryRow) => size(x.perGpu.cpu) } as const] : []),
    ...(fits ? [{ head: "Fits", align: "left", cell: fitsCell } as const] : []),
  ];
}

function footer(r: MemoryReport): string[] {
  const ddp = r.rows.some((x) => x.perGpu.ddpBuckets > 0);
  return [
    "Model states only, per GPU; sizes in GiB (2^30 bytes), exact bytes with --json.",
    ...(ddp ? ["Grads include DDP's gradient buckets (a second copy while gradient_as_bucket_view=False)."] : []),
    `Not counted: ${r.notCounted.map((t) => t.replace(/ \(.*\)$/, "")).join("; ")}.`,
  ];
}

export function renderMemoryTable(r: MemoryReport, c: ChalkInstance, width?: number): string {
  const cols = columns(r);
  const m = r.model;
  const t = grid(
    cols.map((x) => x.head),
    cols.map((x) => x.align),
    r.rows.map((row) => cols.map((x) => x.cell(row))),
    c,
    // narrow terminals: options, the trainable count (count has it), then the parts of the total (weights,
    // grads, adapter, optimizer: the total stays, --json has every part), then method names cut
    { width, droppable: [1, 2, 3, 5, 4, 6], shrinkable: 0 },
  );
  return [`${c.bold(m.id)}  ${m.modelClass} (${m.task})  ${grouped(m.baseParams)} parameters`, setupLine(r), t, ...footer(r).map((l) => c.dim(l))].join("\n") + "\n";
}

export function renderMemoryMarkdown(r: MemoryReport): string {
  const cols = columns(r);
  const m = r.model;
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [
    `**${m.id}** — ${m.modelClass} (${m.task}), ${grouped(m.baseParams)} parameters`,
    "",
    setupLine(r),
    "",
    line(cols.map((x) => x.head)),
    line(cols.map((x) => (x.align === "right" ? "---:" : "---"))),
    ...r.rows.map((row) => line(cols.map((x) => x.cell(row).replace(/\|/g, "\\|") || " "))),
    "",
    ...footer(r),
  ].join("\n") + "\n";
}

/** Exact bytes, one row per method. */
export function renderMemoryCsv(r: MemoryReport): string {
  const keys = ["weights", "adapter", "params", "grads", "optimizer", "buffers", "ddpBuckets", "total", "cpu"] as const;
  const head = ["method", "trainableParams", ...keys.map((k) => `perGpu.${k}`), "bytes.total", "fits"];
  const rows = r.rows.map((x) => [x.method, String(x.trainableParams), ...keys.map((k) => String(x.perGpu[k])), String(x.bytes.total), x.fits === null ? "" : String(x.fits)]);
  return [head, ...rows].map((cells) => cells.join(",")).join("\r\n") + "\r\n";
}
