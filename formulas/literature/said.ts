/**
 * Intrinsic-dimension fine-tuning (Aghajanyan, Zettlemoyer, Gupta 2020, arXiv:2012.13255; after Li et al. 2018):
 * every weight moves only inside a random d-dimensional subspace, θ = θ₀ + P·θ_d, with P a fixed Fastfood
 * projection. DID trains exactly d parameters; SAID (structure-aware) spends m of them on one scale λᵢ per weight
 * tensor (θᵢ = θ₀,ᵢ + λᵢ·P(θ_{d−m})ᵢ), so it trains d too and needs d > m. The projection is not a parameter: its
 * buffers (Fastfood's per-tensor diagonals and permutation, about 3·Dᵢ + Dᵢ values for a tensor of Dᵢ entries)
 * are memory, reported in a note, never in the count.
 */
import { modelParams } from "../../src/model/compact.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { type Inventory } from "../../src/model/types.js";
import { describe, type Formula } from "../types.js";

export const saidSchema = lazySchema(() => z.object({
  d: describe(z._default(z.int().check(z.positive()), 1000), "intrinsic dimension: the trainable parameters"),
  structured: describe(z._default(z.boolean(), true), "SAID: one learned scale per weight tensor, taken out of d (false: DID)"),
}));
export type SaidOptions = z.output<typeof saidSchema>;

export function countSaid(inv: Inventory, o: SaidOptions): ParamBreakdown {
  const tensors = inv.modules.reduce((s, m) => s + m.params.filter((p) => p.tiedTo === undefined).length, 0);
  const base = modelParams(inv);
  if (o.d > base) throw new InputError("INVALID_OPTION", `said: d = ${o.d} exceeds the model's ${base} parameters`, "choose d below the parameter count (typical: 10^2 to 10^5)");
  if (o.structured && o.d <= tensors)
    throw new InputError("INVALID_OPTION", `said: structured (SAID) spends one scale on each of the model's ${tensors} weight tensors, so d must exceed ${tensors} (got ${o.d})`, `set d above ${tensors}, or structured=false (DID)`);
  const parts = o.structured
    ? [
        { name: "said.theta_d", modules: 1, count: o.d - tensors, kind: "shared" as const },
        { name: "said.lambda", modules: tensors, count: tensors, kind: "shared" as const },
      ]
    : [{ name: "did.theta_d", modules: 1, count: o.d, kind: "shared" as const }];
  return {
    trainable: o.d,
    allParams: base + o.d,
    parts,
    warnings: [`the Fastfood projection adds buffers, not parameters: about ${(4 * base).toLocaleString("en-US")} values (3 diagonals + a permutation per weight entry), memory only`],
  };
}

export const said = {
  id: "said",
  title: "Intrinsic dimension (SAID / DID)",
  paper: "arXiv:2012.13255",
  peftType: null,
  expression: "d (SAID: d − m subspace coordinates + m per-tensor scales)",
  schema: saidSchema,
  count: countSaid,
} as const satisfies Formula<typeof saidSchema>;
