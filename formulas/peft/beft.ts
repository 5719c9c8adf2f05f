/**
 * BEFT, bias-efficient fine-tuning (arXiv:2509.15974): each wrapped Linear gets one trainable bias-like
 * vector of d_out (`beft_bias`, shape 1 × d_out), whether or not the layer has a bias of its own; nothing
 * else trains. nn.Linear only; BEFT's config has no exclude / layer keys and no bias option.
 * @see peft src/peft/tuners/beft/layer.py `update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { BEFT_TARGETS } from "../../src/peft/default-targets-own.js";
import { BASIC_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const beftOptionsSchema = lazySchema(() => z.object({
  init_weights: describe(z._default(z.boolean(), true), "zero-initialise the vectors (no effect on the count)"),
  ...BASIC_TARGETING,
}));
export type BeftOptions = z.output<typeof beftOptionsSchema>;

export function countBeft(inv: Inventory, o: BeftOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  return wrapModules(inv, o, { method: "beft", defaults: BEFT_TARGETS, wrappable: ["linear"], perModule: (m, add) => add("beft_bias", featuresOf(m).outFeatures) }, ctx);
}

export const beft = {
  id: "beft",
  title: "BEFT",
  paper: "arXiv:2509.15974",
  peftType: "BEFT",
  expression: "Σ_targets d_out",
  schema: beftOptionsSchema,
  peftVersions: { since: "0.20.0" },
  count: countBeft,
  compact: indexFree,
} as const satisfies Formula<typeof beftOptionsSchema>;
