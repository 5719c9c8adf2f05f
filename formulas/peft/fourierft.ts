/**
 * FourierFT (Gao et al. 2024): each wrapped Linear / Conv1D learns `n_frequency` spectral coefficients at
 * fixed random positions of its weight's 2-D Fourier spectrum, so a module costs exactly `n_frequency`
 * parameters (`fourierft_spectrum`), whatever its shape (the positions are a buffer, not a parameter).
 * `n_frequency` per module: the first `n_frequency_pattern` key matching `.*\.KEY$` (or the full name).
 * PEFT refuses `n_frequency` above d_in·d_out of a module. `bias="fourier_only"` trains the wrapped biases.
 * @see peft src/peft/tuners/fourierft/layer.py `update_layer`, model.py `_create_and_replace`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { FOURIERFT_TARGETS } from "../../src/peft/default-targets.js";
import { fourierPatternValue } from "../../src/peft/pattern-keys.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import type { Inventory } from "../../src/model/types.js";
import { coefficientsFor } from "../../src/peft/spectral-coefficients.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const positive = z.int().check(z.positive());

export const fourierftOptionsSchema = lazySchema(() => z.object({
  n_frequency: describe(z._default(positive, 1000), "learnable spectral coefficients per wrapped module (at most d_in·d_out)"),
  n_frequency_pattern: describe(z._default(z.nullable(z.record(z.string(), positive)), {}), "n_frequency per module-name pattern"),
  scaling: describe(z._default(z.number(), 150), "scale of the delta weight (no effect on the count)"),
  random_loc_seed: describe(z._default(z.nullable(z.int()), 777), "seed of the spectral positions (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), false), "zero-initialise the spectrum (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "fourier_only"]), "none"), "which biases train: none, all, fourier_only (those of wrapped modules)"),
  ...FULL_TARGETING,
}));
export type FourierftOptions = z.output<typeof fourierftOptionsSchema>;

export function countFourierft(inv: Inventory, o: FourierftOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("fourierft", o, ctx);
  return wrapModules(
    inv,
    o,
    {
      method: "fourierft",
      defaults: FOURIERFT_TARGETS,
      wrappable: ["linear", "conv1d"],
      perModule: (m, add) => add("fourierft_spectrum", coefficientsFor("fourierft", m, fourierPatternValue(o.n_frequency_pattern, m.name, "n_frequency_pattern") ?? o.n_frequency)),
    },
    ctx,
  );
}

export const fourierft = {
  id: "fourierft",
  title: "FourierFT",
  paper: "arXiv:2405.03003",
  peftType: "FOURIERFT",
  expression: "Σ_targets n_frequency  (per-module n_frequency_pattern)",
  schema: fourierftOptionsSchema,
  count: countFourierft,
  compact: indexFree,
} as const satisfies Formula<typeof fourierftOptionsSchema>;
