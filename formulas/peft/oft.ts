/**
 * OFT (Qiu et al. 2023): each wrapped layer's input side is rotated by a block-diagonal orthogonal matrix
 * built (Cayley transform) from skew-symmetric b×b blocks. PEFT stores only the strict upper triangle of
 * each block, so a layer with n input features costs `r · b(b−1)/2` (`oft_R`), with r = n / b blocks, or
 * one block's worth when `block_share`. Give either `r` (blocks) or `oft_block_size` (b), not both; one
 * that does not divide n is moved to the nearest divisor, as PEFT does (with its warning).
 * The upper-triangle storage is the same in every release modelled (0.17.1 to 0.21.0). peft 0.19 (#3005)
 * also wraps `nn.Embedding` (`oft_embedding_R`, rotating the embedding width); before, PEFT refuses it.
 * `coft`, `eps`, `use_cayley_neumann`, `module_dropout` change the maths only, never the count.
 * @see peft src/peft/tuners/oft/layer.py `update_layer`, `OFTRotationModule`, `adjust_oft_parameters`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { OFT_TARGETS } from "../../src/peft/default-targets.js";
import { nearestDivisor, withWarnings } from "../../src/peft/orthogonal-blocks.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { atLeast } from "../../src/versions.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const oftOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(nonNegInt, 0), "blocks per wrapped layer (0: derive from oft_block_size); give r or oft_block_size, not both"),
  oft_block_size: describe(z._default(nonNegInt, 32), "block size b (0: derive from r); should divide the layer's input width"),
  module_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "multiplicative block dropout (no effect on the count)"),
  coft: describe(z._default(z.boolean(), false), "constrained OFT (no effect on the count)"),
  eps: describe(z._default(z.number(), 6e-5), "COFT's rotation freedom (no effect on the count)"),
  block_share: describe(z._default(z.boolean(), false), "one block shared by all blocks of a layer"),
  use_cayley_neumann: describe(z._default(z.boolean(), true), "Neumann-series Cayley transform (no effect on the count)"),
  num_cayley_neumann_terms: describe(z._default(z.int(), 5), "Neumann terms (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "weight layout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "identity initialisation (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "oft_only"]), "none"), "which biases train: none, all, oft_only (those of wrapped layers)"),
  ...FULL_TARGETING,
}));
export type OftOptions = z.output<typeof oftOptionsSchema>;

/** The (blocks, block size) PEFT settles on for a layer with `n` input features, and its warning if it adjusted. */
export function oftBlocks(n: number, o: Pick<OftOptions, "r" | "oft_block_size">): { r: number; b: number; warning?: string } {
  if (o.r === 0) {
    const b = n % o.oft_block_size !== 0 || o.oft_block_size > n ? nearestDivisor(n, o.oft_block_size) : o.oft_block_size;
    return { r: n / b, b, ...(b !== o.oft_block_size && { warning: `oft_block_size ${o.oft_block_size} does not divide ${n}: PEFT adjusts it to ${b}` }) };
  }
  const r = n % o.r !== 0 || o.r > n ? nearestDivisor(n, o.r) : o.r;
  return { r, b: n / r, ...(r !== o.r && { warning: `r ${o.r} does not divide ${n}: PEFT adjusts it to ${r}` }) };
}

export function countOft(inv: Inventory, o: OftOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  if ((o.r === 0) === (o.oft_block_size === 0))
    throw new InputError(
      "CONFLICTING_OPTIONS",
      o.r === 0 ? "oft: r and oft_block_size are both 0" : `oft: give r (${o.r}) or oft_block_size (${o.oft_block_size}), not both (PEFT refuses it: r × oft_block_size = in_features)`,
      "set oft_block_size (e.g. 32) and r=0, or r and oft_block_size=0",
    );
  checkLayerKeys("oft", o, ctx, false);
  const warnings: string[] = [];
  const perModule = (m: ParamModule, add: (param: string, count: number) => void) => {
    const embedding = m.kind === "embedding";
    const { r, b, warning } = oftBlocks(embedding ? m.embeddingDim : featuresOf(m).inFeatures, o);
    if (warning) warnings.push(warning);
    add(embedding ? "oft_embedding_R" : "oft_R", (o.block_share ? 1 : r) * ((b * (b - 1)) / 2));
  };
  // peft 0.19 (#3005 "Enable OFT to work with embeddings") added the Embedding layer
  const wrappable = atLeast(ctx.peft, "0.19.0") ? (["linear", "embedding"] as const) : (["linear"] as const);
  return withWarnings(wrapModules(inv, o, { method: "oft", defaults: OFT_TARGETS, wrappable, perModule }, ctx), warnings);
}

export const oft = {
  id: "oft",
  title: "OFT",
  paper: "arXiv:2306.07280",
  peftType: "OFT",
  expression: "Σ_targets (d_in / b) · b(b−1)/2  [b(b−1)/2 with block_share]",
  schema: oftOptionsSchema,
  count: countOft,
  compact: indexFree,
} as const satisfies Formula<typeof oftOptionsSchema>;
