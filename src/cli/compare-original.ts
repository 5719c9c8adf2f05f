/** `compare --compare-original`: every row once more on the model before its --transform steps, right below. */
import { UsageError } from "../errors.js";
import type { ComparisonReport } from "../report/schema.js";
import type { Versions } from "../versions.js";
import { reportFor, type SourcedRow } from "./emit.js";
import type { Io } from "./io.js";
import { loadInventory, type ModelFlags } from "./load.js";
import { withOriginalRows } from "./transform-flag.js";

export async function besideOriginal(io: Io, opts: Record<string, unknown>, rows: readonly SourcedRow[], ctx: Versions, explicit: boolean, report: ComparisonReport): Promise<ComparisonReport> {
  const flags = opts as ModelFlags & { compareOriginal?: boolean };
  if (!flags.compareOriginal) return report;
  if (!flags.transform?.length) throw new UsageError("CONFLICTING_FLAGS", "--compare-original needs --transform", 'e.g. --transform "prune heads=0.5 ffn=0.5" --compare-original');
  const { ref, inv } = loadInventory(io, { ...flags, transform: [] });
  return withOriginalRows(report, await reportFor(ref, inv, rows, ctx, { skipInapplicable: !explicit }));
}
