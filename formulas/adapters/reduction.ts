/**
 * Bottleneck widths as AdapterHub computes them (adapters src/adapters/methods/bottleneck.py add_adapter):
 * `int(hidden_size // reduction_factor)` with Python's floor division (floats included: 768 // 0.5 = 1536.0),
 * clamped to at least 1 by the Adapter; a per-layer mapping is read by `str(layer_idx)`, then "default".
 */
import { InputError } from "../../src/errors.js";

/** `int(a // b)` as Python computes it for ints and floats (float_floor_div in CPython's floatobject.c). */
export function pyIntFloorDiv(a: number, b: number): number {
  if (b === 0) throw new InputError("UNSUPPORTED_OPTIONS", "a reduction factor of 0 divides by zero in AdapterHub", "use a positive reduction factor");
  if (Number.isInteger(a) && Number.isInteger(b)) return Math.floor(a / b);
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0;
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return Math.trunc(floordiv);
}

export type ReductionFactor = number | Readonly<Record<string, number>>;

/** The reduction factor of layer `idx`. */
export function reductionFactorAt(rf: ReductionFactor, idx: number): number {
  if (typeof rf === "number") return rf;
  const own = rf[String(idx)];
  if (own !== undefined) return own;
  const d = rf["default"];
  if (d !== undefined) return d;
  throw new InputError(
    "UNSUPPORTED_OPTIONS",
    `reduction_factor has no entry for layer ${idx} and no "default" (AdapterHub raises KeyError)`,
    'add a default: {"1": 8, "default": 16}',
  );
}

/** The bottleneck width at layer `idx`: max(1, int(hidden // rf)). */
export function bottleneckWidth(hidden: number, rf: ReductionFactor, idx: number): number {
  return Math.max(1, pyIntFloorDiv(hidden, reductionFactorAt(rf, idx)));
}
