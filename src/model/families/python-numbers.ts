/**
 * Python / NumPy float arithmetic that config classes use to derive layer sizes, reproduced bit for bit:
 * a width that is off by one rounding step is a wrong count.
 */

/** np.linspace(start, stop, num) (endpoint=True): i · step + start in float64, the last point set to stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, i) => (step === 0 ? (i / (num - 1)) * (stop - start) : i * step) + start);
  out[num - 1] = stop;
  return out;
}

/** The exact value of a finite double as mantissa · 2^exponent (BigInt mantissa). */
function exact(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const bits = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bits === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = bits - 1075;
  }
  return { m: sign * m, e };
}

/**
 * Python's round(x, ndigits) for ndigits ≥ 0: the exact decimal value of the double rounded half to even, then
 * the double nearest that decimal (so round(0.125, 2) is 0.12 and round(2.675, 2) is 2.67, unlike x·100 rounding).
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const { m, e } = exact(x);
  const scale = 10n ** BigInt(ndigits);
  // x · 10^n = m · scale · 2^e as a fraction num / den
  let num = m * scale;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  const neg = num < 0n;
  if (neg) num = -num;
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const v = Number(q) / Number(scale);
  return neg ? -v : v;
}
