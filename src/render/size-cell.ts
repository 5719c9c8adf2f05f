/** compare --size's cell and note: the row's adapter_model.safetensors in decimal units (as check / budget / sweep). */
import { formatBytes } from "../budget/units.js";
import type { ComparisonReport, Row } from "../report/schema.js";

export function sizeCell(r: Row): string {
  const s = r.adapterSize;
  if (s === undefined) return "";
  return `${formatBytes(s.bytes)}${s.complete ? "" : "+"}`;
}

/** The column's note when the report has it (compare --size), else undefined. */
export function sizeNote(report: ComparisonReport): string | undefined {
  if (report.adapterFileSetup === undefined) return undefined;
  const partial = report.rows.some((r) => r.adapterSize?.complete === false) ? "; + = the file also holds frozen tensors not sized" : "";
  return `adapter file: ${report.adapterFileSetup}${partial}`;
}
