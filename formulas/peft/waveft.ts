/**
 * WaveFT (Bilican et al. 2025): each wrapped Linear / Conv1D learns `n_frequency` wavelet coefficients at
 * fixed random positions (`waveft_spectrum`), so a module costs `n_frequency` parameters whatever its shape
 * and wavelet family (the family only pads the inverse transform). Per module: with
 * `proportional_parameters`, a share of n_frequency × (number of targets) proportional to d_in·d_out
 * (Python `round`, at least 1 from peft 0.20); else the `n_frequency_pattern` key matching the end of the
 * name (PEFT's `get_pattern_key`), else `n_frequency`. PEFT refuses more coefficients than d_in·d_out.
 * @see peft src/peft/tuners/waveft/layer.py `update_layer`, model.py `_create_and_replace`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import type { Inventory } from "../../src/model/types.js";
import { WAVEFT_TARGETS } from "../../src/peft/default-targets-own.js";
import { suffixPatternValue } from "../../src/peft/pattern-keys.js";
import { coefficientsFor, proportionalCoefficients } from "../../src/peft/spectral-coefficients.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const positive = z.int().check(z.positive());

/** Daubechies 1-38, Symlets 2-20, Coiflets 1-17: the families of peft's WAVELET_REDUCTIONS (waveft/constants.py). */
const WAVELETS = [
  ...Array.from({ length: 38 }, (_, i) => `db${i + 1}`),
  ...Array.from({ length: 19 }, (_, i) => `sym${i + 2}`),
  ...Array.from({ length: 17 }, (_, i) => `coif${i + 1}`),
] as [string, ...string[]];

export const waveftOptionsSchema = lazySchema(() => z.object({
  n_frequency: describe(z._default(positive, 2592), "learnable wavelet coefficients per wrapped module (at most d_in·d_out)"),
  n_frequency_pattern: describe(z._default(z.nullable(z.record(z.string(), positive)), {}), "n_frequency per module-name pattern"),
  proportional_parameters: describe(z._default(z.boolean(), false), "share n_frequency × (number of targets) in proportion to each module's d_in·d_out"),
  wavelet_family: describe(z._default(z.enum(WAVELETS), "db1"), "wavelet of the inverse transform (no effect on the count)"),
  use_idwt: describe(z._default(z.boolean(), true), "apply the inverse wavelet transform (no effect on the count)"),
  scaling: describe(z._default(z.number(), 25), "scale of the delta weight (no effect on the count)"),
  random_loc_seed: describe(z._default(z.int(), 777), "seed of the coefficient positions (no effect on the count)"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "zero-initialise the coefficients (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "waveft_only"]), "none"), "which biases train: none, all, waveft_only (those of wrapped modules)"),
  ...FULL_TARGETING,
}));
export type WaveftOptions = z.output<typeof waveftOptionsSchema>;

export function countWaveft(inv: Inventory, o: WaveftOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("waveft", o, ctx);
  let proportional: Map<string, number> | undefined;
  return wrapModules(
    inv,
    o,
    {
      method: "waveft",
      defaults: WAVEFT_TARGETS,
      wrappable: ["linear", "conv1d"],
      check: (wrapped) => {
        if (o.proportional_parameters) proportional = proportionalCoefficients(wrapped, o.n_frequency, ctx);
      },
      perModule: (m, add) => {
        const n = proportional?.get(m.name) ?? suffixPatternValue(o.n_frequency_pattern, m.name, "n_frequency_pattern") ?? o.n_frequency;
        add("waveft_spectrum", coefficientsFor("waveft", m, n));
      },
    },
    ctx,
  );
}

export const waveft = {
  id: "waveft",
  title: "WaveFT",
  paper: "arXiv:2505.12532",
  peftType: "WAVEFT",
  expression: "Σ_targets n_frequency  (per-module pattern, or proportional to d_in·d_out)",
  schema: waveftOptionsSchema,
  peftVersions: { since: "0.18.0" },
  count: countWaveft,
} as const satisfies Formula<typeof waveftOptionsSchema>;
