/**
 * DoRA: LoRA plus a learned magnitude vector per wrapped module (d_out for Linear / Conv1D, the
 * embedding width for Embedding). In PEFT it is LoRA with `use_dora=True`; here it is also its own id
 * so comparisons can name it.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { countLoraParams, loraAffine, loraCompact, loraOptionsSchema } from "./lora.js";
import { describe, type Formula } from "../types.js";

export const doraOptionsSchema = lazySchema(() => z.extend(loraOptionsSchema, {
  // a DoRA row is DoRA: use_dora=false would be LoRA under DoRA's name (count it with the lora method)
  use_dora: describe(z._default(z.literal(true), true), "always true here; LoRA without DoRA is the lora method"),
}));

export const dora = {
  id: "dora",
  title: "DoRA",
  paper: "arXiv:2402.09353",
  peftType: null,
  expression: "Σ_targets r·(d_in + d_out) + d_out",
  schema: doraOptionsSchema,
  count: countLoraParams,
  compact: loraCompact,
  affine: loraAffine,
} as const satisfies Formula<typeof doraOptionsSchema>;
