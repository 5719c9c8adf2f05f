/**
 * How many spectral coefficients FourierFT and WaveFT give a wrapped module: `n_frequency` (or its
 * per-module override), never more than the module's d_in·d_out weights (PEFT refuses that in
 * `update_layer`), and, for WaveFT's `proportional_parameters`, a budget of n_frequency × (number of
 * targets) shared in proportion to d_in·d_out, computed in Python's floats and `round` to the same integer.
 * @see peft src/peft/tuners/waveft/model.py `_calculate_proportional_parameters`
 */
import { InputError } from "../errors.js";
import { featuresOf, type ParamModule } from "../model/types.js";
import { atLeast, type Versions } from "../versions.js";

/** `n` coefficients for module `m`, or PEFT's refusal when the module has fewer weights. */
export function coefficientsFor(method: string, m: ParamModule, n: number): number {
  const { inFeatures, outFeatures } = featuresOf(m);
  const cells = inFeatures * outFeatures;
  if (n > cells)
    throw new InputError("OPTION_OUT_OF_RANGE", `${method}: n_frequency ${n} exceeds the ${inFeatures}×${outFeatures} = ${cells} weights of ${m.name}`, "lower n_frequency (or give this module a smaller value in n_frequency_pattern)");
  if (n < 1)
    throw new InputError("OPTION_OUT_OF_RANGE", `${method}: ${m.name} would get ${n} coefficients, and PEFT needs a positive n_frequency`, "raise n_frequency, or target modules of more similar sizes");
  return n;
}

/** Python 3's `round` on a float: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return d < 0.5 ? f : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * WaveFT's proportional allocation, by module name: round(d_in·d_out / Σ d_in·d_out × n_frequency·N) for N
 * targets — at least 1 from peft 0.20 (#3438); before, a 0 makes PEFT refuse the module.
 */
export function proportionalCoefficients(wrapped: readonly ParamModule[], nFrequency: number, ctx: Versions): Map<string, number> {
  const cells = wrapped.map((m) => featuresOf(m).inFeatures * featuresOf(m).outFeatures);
  const total = cells.reduce((s, c) => s + c, 0);
  const budget = nFrequency * wrapped.length;
  const floor = atLeast(ctx.peft, "0.20.0") ? 1 : 0;
  return new Map(wrapped.map((m, i) => [m.name, Math.max(floor, roundHalfEven((cells[i]! / total) * budget))]));
}
