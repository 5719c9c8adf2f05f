/** Adapter file size of a report row (src/report/build.ts), for the formula that counted it. Pure. */
import type { EvalContext, Formula } from "../../formulas/types.js";
import type { Inventory } from "../model/types.js";
import { buildRow } from "../report/build.js";
import type { Row } from "../report/schema.js";
import { adapterSize, type AdapterSize, type SizeOptions } from "./adapter-size.js";
import type { Dtype } from "./safetensors-header.js";

/** `dtype`: the base model's load dtype; adapter weights in fp32 unless `autocastAdapterDtype: false` (PEFT's default). */
export function rowAdapterSize(inv: Inventory, formula: Formula, row: Row, dtype: Dtype, ctx?: EvalContext, o: SizeOptions = {}): AdapterSize {
  const projection = row.options["prefix_projection"] === true;
  return adapterSize(
    {
      inv,
      peftType: formula.peftType,
      ...(ctx ? { versions: ctx } : {}),
      // prefix tuning saves the encoder's output (tokens × layers·2·dim), not the projection MLP's weights
      ...(projection ? { countWithoutProjection: () => buildRow(inv, { formula, options: { ...row.options, prefix_projection: false } }, ctx).trainableParams } : {}),
    },
    row,
    dtype,
    o,
  );
}
