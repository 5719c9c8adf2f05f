/**
 * `compare --size`: each PEFT row with the size of its `adapter_model.safetensors` (src/size/), for a base model
 * loaded in one dtype. Full fine-tuning saves no adapter; AdapterHub rows (their own file layout) and
 * --compare-original rows (counted on another model) get none.
 */
import type { EvalContext } from "../../formulas/types.js";
import { findFormula } from "../../formulas/index.js";
import type { Inventory } from "../model/types.js";
import type { SizeOptions } from "../size/adapter-size.js";
import { rowAdapterSize } from "../size/row-size.js";
import type { Dtype } from "../size/safetensors-header.js";
import type { ComparisonReport } from "./schema.js";

/** What the column assumes (the load dtype, the adapter weights' dtype), for compare --size's report. */
function sizeSetup(report: ComparisonReport): string | undefined {
  const s = report.rows.find((r) => r.adapterSize !== undefined)?.adapterSize;
  if (s === undefined) return undefined;
  const weights = s.adapterDtype === s.dtype ? `adapter weights ${s.adapterDtype} too` : `adapter weights ${s.adapterDtype} (PEFT's autocast_adapter_dtype)`;
  return `adapter_model.safetensors as PEFT saves it for a ${s.dtype} model, ${weights}`;
}

export function withSizeColumn<R extends ComparisonReport>(report: R, inv: Inventory, dtype: Dtype, o: SizeOptions, ctx?: EvalContext): R {
  const rows = report.rows.map((r) => {
    const formula = r.method === "full" || r.library === "adapters" || r.original === true ? undefined : findFormula(r.method);
    return formula ? { ...r, adapterSize: rowAdapterSize(inv, formula, r, dtype, ctx, o) } : r;
  });
  const sized = { ...report, rows };
  const setup = sizeSetup(sized);
  return setup === undefined ? sized : { ...sized, adapterFileSetup: setup };
}
