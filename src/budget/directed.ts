/**
 * The knob search for either direction, and for knobs with refused values in between. A knob whose count
 * FALLS as it grows (AdapterHub's reduction_factor: d = max(1, H // rf)) is answered with the SMALLEST value
 * that fits; one whose count grows, with the largest (search.ts does that for the PEFT knobs). A sparse knob's
 * refused values are skipped rather than read as "does not fit" (Compacter's bottleneck must divide by
 * phm_dim: rf 5 refused between 4 and 6). Both reduce to one problem: the two neighbouring valid values where
 * a monotone predicate turns from true to false, found by doubling then bisection; a refused midpoint is
 * replaced by the nearest valid value between the bounds. Every evaluated value is kept and checked: the
 * count never moves against the declared direction and nothing flips back. Pure (the measure is a callback).
 */
import { InputError } from "../errors.js";
import { measureAt, type Measured, type SearchResult, type SearchSpec } from "./search.js";

export type Direction = "up" | "down";

export interface DirectedSpec<T> extends SearchSpec<T> {
  /** up: the count grows with the knob (answer: the largest value that fits); down: it falls (the smallest) */
  readonly direction: Direction;
  /** refused values are skipped (gaps), not read as "does not fit" */
  readonly sparse: boolean;
  /** evaluations allowed before the search gives up on gaps of refused values (default 4096) */
  readonly limit?: number;
}

export interface DirectedResult<T> extends SearchResult<T> {
  /** the valid values with the chosen value's metric (a step function's flat run): from..to */
  readonly same?: { readonly from: number; readonly to: number };
}

type Ok<T> = Extract<Measured<T>, { result: T }>;

export function searchDirected<T>(spec: DirectedSpec<T>): DirectedResult<T> {
  const seen = new Map<number, Measured<T>>();
  const limit = spec.limit ?? 4096;
  const at = (value: number): Measured<T> => {
    let m = seen.get(value);
    if (!m) {
      if (seen.size >= limit)
        throw new InputError("SEARCH_LIMIT", `more than ${limit} values of ${spec.knob} evaluated: too many are refused between the bounds to search`, `narrow the range with --max-value, or see the values with "peftcount sweep"`);
      seen.set(value, (m = measureAt(spec.measure, value)));
    }
    return m;
  };
  const up = spec.direction === "up";
  const fitsAt = (m: Measured<T>) => "result" in m && spec.fits(m.result);
  // true then false as the knob grows: "fits" for up, "does not fit" for down; undefined = skip (sparse refusal)
  const pred = (m: Measured<T>): boolean | undefined => ("result" in m ? spec.fits(m.result) === up : spec.sparse ? undefined : !up ? true : false);
  const [lo, hi] = boundary(at, pred, spec);
  const lower = lo >= spec.min ? at(lo) : undefined;
  const upper = hi <= spec.max ? at(hi) : undefined;
  const best = (up ? lower : upper) as Ok<T> | undefined;
  const next = up ? upper : lower;
  if (best) window(spec, at, best.value);
  assertDirected(spec, seen, fitsAt);
  const same = best ? sameRun(spec, at, best) : undefined;
  // up: everything fits to max; down: nothing fits up to max
  const capped = hi > spec.max;
  const half = up && best ? seen.get(Math.floor(best.value / 2)) : undefined;
  const plateau = capped && best !== undefined && half !== undefined && "metric" in half && half.metric === best.metric;
  return { best, next, evaluations: seen.size, capped, plateau, ...(same && same.from !== same.to ? { same } : {}) };
}

/** A valid value strictly between lo and hi, nearest to mid; undefined when every one is refused (sparse). */
function validBetween<T>(at: (v: number) => Measured<T>, pred: (m: Measured<T>) => boolean | undefined, lo: number, hi: number): number | undefined {
  const mid = lo + Math.floor((hi - lo) / 2);
  for (let d = 0; mid - d > lo || mid + d < hi; d++) {
    for (const v of d === 0 ? [mid] : [mid + d, mid - d]) if (v > lo && v < hi && pred(at(v)) !== undefined) return v;
  }
  return undefined;
}

/** [lo, hi]: neighbouring valid values with pred(lo) true, pred(hi) false (min − 1 and max + 1 stand for "none"). */
function boundary<T>(at: (v: number) => Measured<T>, pred: (m: Measured<T>) => boolean | undefined, spec: DirectedSpec<T>): [number, number] {
  let lo = spec.min - 1;
  let hi = spec.max + 1;
  // doubling: min, 2·min, 4·min, ..., max
  for (let p = spec.min; ; p = Math.min(spec.max, p * 2)) {
    const r = pred(at(p));
    if (r === false) {
      hi = p;
      break;
    }
    if (r === true) lo = p;
    if (p === spec.max) break;
  }
  for (;;) {
    const w = validBetween(at, pred, lo, hi);
    if (w === undefined) return [lo, hi];
    if (pred(at(w))) lo = w;
    else hi = w;
  }
}

/** The values just past the answer (below it for up, above it for down), for the monotonicity check. */
function window<T>(spec: DirectedSpec<T>, at: (v: number) => Measured<T>, best: number): void {
  const n = spec.window ?? 4;
  if (spec.direction === "up") for (let v = Math.max(spec.min, best - n); v < best; v++) at(v);
  else for (let v = best + 1; v <= Math.min(spec.max, best + n); v++) at(v);
}

/** The flat run of valid values around the answer with its metric (searched only when a neighbour shares it). */
function sameRun<T>(spec: DirectedSpec<T>, at: (v: number) => Measured<T>, best: Ok<T>): { from: number; to: number } {
  const up = spec.direction === "up";
  const valid = (m: Measured<T>) => "metric" in m;
  const m = best.metric;
  // the neighbour on the far side of the answer (towards smaller counts), skipping refused values
  let v = best.value + (up ? -1 : 1);
  while (v >= spec.min && v <= spec.max && !valid(at(v)) && spec.sparse) v += up ? -1 : 1;
  const n = v >= spec.min && v <= spec.max ? at(v) : undefined;
  if (!n || !("metric" in n) || n.metric !== m) return { from: best.value, to: best.value };
  const skip = (x: Measured<T>) => (valid(x) ? undefined : spec.sparse ? undefined : false);
  if (up) {
    // ascending over [min, best]: "below the metric" is true, then false from the run's start
    const [, from] = boundary(at, (x) => ("metric" in x ? (x as Ok<T>).metric < m : skip(x)), { ...spec, max: best.value });
    return { from, to: best.value };
  }
  const [to] = boundary(at, (x) => ("metric" in x ? (x as Ok<T>).metric === m : skip(x)), { ...spec, min: best.value });
  return { from: best.value, to };
}

/** Over the evaluated values in knob order: the metric moves with the direction only, and "fits" flips once. */
function assertDirected<T>(spec: DirectedSpec<T>, seen: ReadonlyMap<number, Measured<T>>, fitsAt: (m: Measured<T>) => boolean): void {
  const knob = spec.knob;
  const up = spec.direction === "up";
  const sorted = [...seen.values()].filter((m) => "result" in m || !spec.sparse).sort((a, b) => a.value - b.value);
  let prev: Ok<T> | undefined;
  let flipped: Measured<T> | undefined;
  const hint = `use "peftcount sweep" to see every value`;
  for (const m of sorted) {
    const f = fitsAt(m);
    if (flipped !== undefined && f === up)
      throw new InputError("NOT_MONOTONE", up ? `${knob}=${m.value} fits but ${knob}=${flipped.value} does not, so no largest value can be searched for` : `${knob}=${m.value} does not fit but ${knob}=${flipped.value} does, so no smallest value can be searched for`, hint);
    if ("result" in m) {
      const mm = m as Ok<T>;
      if (prev && (up ? mm.metric < prev.metric : mm.metric > prev.metric))
        throw new InputError("NOT_MONOTONE", `the count ${up ? "falls" : "rises"} as ${knob} grows (${knob}=${prev.value}: ${prev.metric}, ${knob}=${mm.value}: ${mm.metric}), so no ${up ? "largest" : "smallest"} value can be searched for`, hint);
      prev = mm;
    }
    if (flipped === undefined && f !== up) flipped = m;
  }
}
