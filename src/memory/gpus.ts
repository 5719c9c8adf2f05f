/**
 * GPU memory: named cards and sizes typed by the user. A card's size is `memory.total` as nvidia-smi reports
 * it (MiB = 2^20 bytes), the memory the driver exposes; the CUDA context and the caching allocator take some of
 * it before any model state is allocated (not counted here).
 * Units are honest: GB / MB / KB / TB are powers of 10, GiB / MiB / KiB / TiB powers of 2.
 */
import { didYouMean, InputError } from "../errors.js";

export interface Gpu {
  readonly id: string;
  readonly name: string;
  /** nvidia-smi memory.total, MiB */
  readonly mib: number;
}

export const GPUS: readonly Gpu[] = [
  { id: "t4", name: "NVIDIA T4 16GB", mib: 15_360 },
  { id: "a10g", name: "NVIDIA A10G 24GB", mib: 23_028 },
  { id: "l4", name: "NVIDIA L4 24GB", mib: 23_034 },
  { id: "rtx-4090", name: "NVIDIA GeForce RTX 4090 24GB", mib: 24_564 },
  { id: "a100-40gb", name: "NVIDIA A100 40GB", mib: 40_960 },
  { id: "l40s", name: "NVIDIA L40S 48GB", mib: 46_068 },
  { id: "a100-80gb", name: "NVIDIA A100 80GB", mib: 81_920 },
  { id: "h100-80gb", name: "NVIDIA H100 80GB HBM3", mib: 81_559 },
  { id: "h200", name: "NVIDIA H200 141GB", mib: 143_771 },
];

export const gpuBytes = (g: Gpu): bigint => BigInt(g.mib) * 1_048_576n;

export function findGpu(id: string): Gpu {
  const key = id.toLowerCase().replace(/_/g, "-");
  const g = GPUS.find((x) => x.id === key);
  if (g) return g;
  const ids = GPUS.map((x) => x.id);
  throw new InputError("UNKNOWN_GPU", `unknown GPU "${id}"`, `${didYouMean(key, ids)}known GPUs: ${ids.join(", ")}; or give the size: --gpu-memory 80GiB`);
}

const UNITS: Readonly<Record<string, bigint>> = {
  b: 1n,
  kb: 10n ** 3n,
  mb: 10n ** 6n,
  gb: 10n ** 9n,
  tb: 10n ** 12n,
  kib: 2n ** 10n,
  mib: 2n ** 20n,
  gib: 2n ** 30n,
  tib: 2n ** 40n,
};

/** "80GiB", "81920 MiB", "79.5GB", "85899345920" (bytes) → bytes (fractions of a byte dropped). */
export function parseSize(text: string): bigint {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? (m[3] ?? "").toLowerCase() || "b" : "";
  const scale = UNITS[unit];
  if (!m || scale === undefined)
    throw new InputError("INVALID_SIZE", `cannot read the size "${text}"`, "give a number with a unit: 80GiB, 81920MiB, 80GB (GB = 10^9 bytes, GiB = 2^30 bytes), or bytes");
  const frac = m[2] ?? "";
  const bytes = (BigInt(m[1]! + frac) * scale) / 10n ** BigInt(frac.length);
  if (bytes === 0n) throw new InputError("INVALID_SIZE", `the size "${text}" is zero`, "give the memory of one GPU, e.g. 80GiB");
  return bytes;
}

/** Bytes for people: binary units with two decimals, rounded half up ("5.94 GiB"); exact bytes are in --json. */
export function formatBytes(b: bigint): string {
  const units: [bigint, string][] = [
    [2n ** 40n, "TiB"],
    [2n ** 30n, "GiB"],
    [2n ** 20n, "MiB"],
    [2n ** 10n, "KiB"],
  ];
  const neg = b < 0n;
  const a = neg ? -b : b;
  for (const [size, unit] of units) {
    if (a < size) continue;
    const hundredths = (a * 100n + size / 2n) / size;
    return `${neg ? "-" : ""}${hundredths / 100n}.${String(hundredths % 100n).padStart(2, "0")} ${unit}`;
  }
  return `${neg ? "-" : ""}${a} B`;
}
