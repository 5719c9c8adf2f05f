/**
 * `--transform "NAME key=value ..."` (repeatable) on every command that builds a model, and compare's
 * `--compare-original`: the transforms themselves are pure (src/model/transforms); here a malformed spec becomes a
 * usage error (exit 2), and the original model's rows are put beside the transformed model's.
 */
import { UsageError } from "../errors.js";
import { applyTransforms, TransformSpecError } from "../model/transforms/index.js";
import type { Inventory } from "../model/types.js";
import type { ComparisonReport } from "../report/schema.js";

/** The inventory after the --transform flags, in order (the inventory itself when there are none). */
export function transformed(inv: Inventory, specs: readonly string[] | undefined): Inventory {
  if (!specs?.length) return inv;
  try {
    return applyTransforms(inv, specs);
  } catch (e) {
    if (e instanceof TransformSpecError) throw new UsageError(e.code, e.message, e.hint);
    throw e;
  }
}

/** Each transformed row followed by the same method's row on the original model (marked `original`). */
export function withOriginalRows(report: ComparisonReport, original: ComparisonReport): ComparisonReport {
  const key = (r: { method: string; options: unknown }) => `${r.method}\u0000${JSON.stringify(r.options)}`;
  const left = new Map(original.rows.map((r) => [key(r), r] as const));
  const rows: ComparisonReport["rows"] = [];
  const mark = (r: ComparisonReport["rows"][number]) => ({ ...r, title: `${r.title} (original)`, original: true });
  for (const r of report.rows) {
    rows.push(r);
    const o = left.get(key(r));
    if (o) rows.push(mark(o)), left.delete(key(r));
  }
  for (const o of left.values()) rows.push(mark(o));
  return { ...report, rows };
}
