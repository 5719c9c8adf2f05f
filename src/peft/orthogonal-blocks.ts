/**
 * Block arithmetic the orthogonal methods share (OFT, BOFT), and a way to add the warnings PEFT prints
 * while it builds a layer (a block size it adjusted, a factor that only a GPU honours) to a count.
 */
import type { ParamBreakdown } from "../breakdown.js";

/**
 * OFT's `adjust_oft_parameters` (peft src/peft/tuners/oft/layer.py): a block size or block count that does
 * not divide `n` becomes the nearest divisor of `n`, the smaller one on a tie; anything ≥ `n` becomes `n`.
 * Same rule from peft 0.17 to 0.21.
 */
export function nearestDivisor(n: number, wanted: number): number {
  if (wanted >= n) return n;
  let higher = wanted;
  while (higher <= n && n % higher !== 0) higher++;
  let lower = wanted;
  while (lower > 1 && n % lower !== 0) lower--;
  return wanted - lower <= higher - wanted ? lower : higher;
}

/** Python's `int(math.log2(n))` for a positive integer, without floating-point rounding. */
export function floorLog2(n: number): number {
  let k = 0;
  while (2 ** (k + 1) <= n) k++;
  return k;
}

/** The count with PEFT's layer-building warnings appended (each once, in the order first seen). */
export function withWarnings(b: ParamBreakdown, extra: Iterable<string>): ParamBreakdown {
  const more = [...new Set(extra)].filter((w) => !b.warnings.includes(w));
  return more.length === 0 ? b : { ...b, warnings: [...b.warnings, ...more] };
}
