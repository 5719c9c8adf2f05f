/**
 * BOFT (Liu et al. 2023): OFT's rotation factored into `boft_n_butterfly_factor` (m) butterfly components,
 * each a block-diagonal matrix of full b×b blocks. Per wrapped Linear with n input and d_out output features:
 * `boft_R` = m × (n / b) × b × b = m·n·b, plus the output scale `boft_s` (d_out × 1). Give either
 * `boft_block_size` (b) or `boft_block_num` (n / b), not both; PEFT refuses sizes that do not fit the layer.
 * m is honoured only where BOFT's CUDA extension (fbd_cuda) loads: on a CPU-only machine PEFT silently uses
 * m = 1. peftcount counts as on a GPU, and says so when m > 1. Same rule in peft 0.17.1 to 0.21.0.
 * The permutation matrices `boft_P` are a buffer, not parameters.
 * @see peft src/peft/tuners/boft/layer.py `BOFTLayer.update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { BOFT_TARGETS } from "../../src/peft/default-targets.js";
import { floorLog2, withWarnings } from "../../src/peft/orthogonal-blocks.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

export const boftOptionsSchema = lazySchema(() => z.object({
  boft_block_size: describe(z._default(nonNegInt, 4), "block size b (0: derive from boft_block_num); must divide the layer's input width"),
  boft_block_num: describe(z._default(nonNegInt, 0), "blocks per layer (0: derive from boft_block_size)"),
  boft_n_butterfly_factor: describe(z._default(nonNegInt, 1), "butterfly components m (honoured where BOFT's CUDA extension loads; PEFT uses 1 on CPU-only machines)"),
  boft_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "multiplicative block dropout (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "weight layout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "identity initialisation (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "boft_only"]), "none"), "which biases train: none, all, boft_only (those of wrapped layers)"),
  ...FULL_TARGETING,
}));
export type BoftOptions = z.output<typeof boftOptionsSchema>;

const refuse = (m: ParamModule, why: string) =>
  new InputError("OPTION_OUT_OF_RANGE", `boft: ${why} (PEFT refuses it at ${m.name})`, "choose boft_block_size / boft_block_num / boft_n_butterfly_factor that fit every targeted layer's input width");

/** (blocks, block size) for a layer of `n` input features, with PEFT's refusals; `e` = m − 1 (the paper's notation). */
export function boftBlocks(m: ParamModule, n: number, o: BoftOptions, e: number): { num: number; b: number } {
  let num = o.boft_block_num;
  let b = o.boft_block_size;
  if (b === 0) {
    if (n % num !== 0) throw refuse(m, `in_features ${n} is not divisible by boft_block_num ${num}`);
    if (e !== 0 && e > floorLog2(num)) throw refuse(m, `boft_n_butterfly_factor ${e + 1} is too large for boft_block_num ${num}`);
    if (e !== 0 && num % 2 ** e !== 0) throw refuse(m, `boft_block_num ${num} is not a multiple of 2^${e}`);
    b = n / num;
  } else {
    if (n % b !== 0) throw refuse(m, `in_features ${n} is not divisible by boft_block_size ${b}`);
    if (e !== 0 && (n < b * 2 ** e || n % (b * 2 ** e) !== 0)) throw refuse(m, `in_features ${n}, boft_n_butterfly_factor ${e + 1} and boft_block_size ${b} do not fit (n must be a multiple of b·2^${e})`);
    num = n / b;
  }
  // PEFT also wants an even block count here; both paths above already made it a multiple of 2^e
  if (e !== 0 && b % 2 !== 0) throw refuse(m, `boft_block_size ${b} must be even with a butterfly factor above 1`);
  return { num, b };
}

export function countBoft(inv: Inventory, o: BoftOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  if ((o.boft_block_size === 0) === (o.boft_block_num === 0))
    throw new InputError(
      "CONFLICTING_OPTIONS",
      o.boft_block_size === 0 ? "boft: boft_block_size and boft_block_num are both 0" : `boft: give boft_block_size (${o.boft_block_size}) or boft_block_num (${o.boft_block_num}), not both (PEFT refuses it)`,
      "set boft_block_size (e.g. 4) and boft_block_num=0, or boft_block_num and boft_block_size=0",
    );
  if (o.boft_n_butterfly_factor === 0)
    throw new InputError("OPTION_OUT_OF_RANGE", "boft: boft_n_butterfly_factor must be a positive integer (PEFT refuses 0 where its CUDA extension loads)", "use boft_n_butterfly_factor=1 for plain block-diagonal OFT");
  checkLayerKeys("boft", o, ctx, false);
  const factor = o.boft_n_butterfly_factor;
  const b = wrapModules(
    inv,
    o,
    {
      method: "boft",
      defaults: BOFT_TARGETS,
      wrappable: ["linear"],
      perModule: (m, add) => {
        const n = featuresOf(m).inFeatures;
        const blocks = boftBlocks(m, n, o, factor - 1);
        add("boft_R", factor * blocks.num * blocks.b * blocks.b);
        add("boft_s", featuresOf(m).outFeatures);
      },
    },
    ctx,
  );
  const gpuOnly = `counted as on a GPU where BOFT's CUDA extension (fbd_cuda) loads; on a CPU-only machine PEFT silently uses boft_n_butterfly_factor=1 (count that with boft_n_butterfly_factor=1)`;
  return withWarnings(b, factor > 1 ? [gpuOnly] : []);
}

export const boft = {
  id: "boft",
  title: "BOFT",
  paper: "arXiv:2311.06243",
  peftType: "BOFT",
  expression: "Σ_targets m·d_in·b + d_out  (m = boft_n_butterfly_factor, b = block size)",
  schema: boftOptionsSchema,
  count: countBoft,
  compact: indexFree,
} as const satisfies Formula<typeof boftOptionsSchema>;
