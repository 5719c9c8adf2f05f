/** compare --memory's cell: the row's model-state bytes per GPU in GiB (2^30), and whether they fit. */
import { formatBytes } from "../memory/gpus.js";
import type { Row } from "../report/schema.js";

export function memoryCell(r: Row): string {
  if (r.memory === undefined) return "";
  const size = formatBytes(BigInt(r.memory.perGpuBytes));
  return r.memory.fits === null ? size : `${size} ${r.memory.fits ? "fits" : "over"}`;
}
