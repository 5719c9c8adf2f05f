/**
 * Exact integer search for the largest knob value that fits a limit: doubling from the knob's minimum until a
 * value does not fit (or PEFT refuses it), then bisection. Nothing is assumed: every evaluated value is kept,
 * and the measured quantity must not fall as the knob grows over all of them (plus a dense window just
 * below the answer); a method that breaks that is reported, not answered. Pure (the measure is a callback).
 */
import { InputError } from "../errors.js";

/** What one knob value costs: the measured quantity (parameters, bytes), or PEFT's refusal. */
export type Measured<T> = { readonly value: number; readonly result: T; readonly metric: number } | { readonly value: number; readonly refused: string };

export interface SearchSpec<T> {
  readonly knob: string;
  readonly min: number;
  /** the search stops here (answer "at least max") */
  readonly max: number;
  /** evaluates the knob value; throws InputError when PEFT refuses it */
  readonly measure: (value: number) => { result: T; metric: number };
  /** whether a measured value satisfies the limit (monotone: true, then false, as the metric grows) */
  readonly fits: (result: T) => boolean;
  /** values below the answer re-checked one by one (default 4) */
  readonly window?: number;
  /** what `metric` measures, for messages (default "count") */
  readonly metricName?: string;
}

export interface SearchResult<T> {
  /** the largest fitting value, undefined when even the minimum does not fit */
  readonly best: Extract<Measured<T>, { result: T }> | undefined;
  /** the value after best (or the minimum when nothing fits): what does not fit, or is refused; undefined at max */
  readonly next: Measured<T> | undefined;
  readonly evaluations: number;
  /** true when the search stopped at `max` with everything fitting */
  readonly capped: boolean;
  /** capped, and the measured value no longer grows (the same at max as at half of it): any larger value fits too */
  readonly plateau: boolean;
}

/** One knob value measured: its result, or PEFT's refusal (an InputError) as `refused`; other errors propagate. */
export function measureAt<T>(measure: (value: number) => { result: T; metric: number }, value: number): Measured<T> {
  try {
    return { value, ...measure(value) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { value, refused: e.message };
  }
}

export function searchLargest<T>(spec: SearchSpec<T>): SearchResult<T> {
  const seen = new Map<number, Measured<T>>();
  const at = (value: number): Measured<T> => {
    let m = seen.get(value);
    if (!m) seen.set(value, (m = measureAt(spec.measure, value)));
    return m;
  };
  const ok = (m: Measured<T>) => "result" in m && spec.fits(m.result);
  let lo = spec.min;
  if (!ok(at(lo))) {
    // "nothing fits" is only an answer if larger values cost at least as much: look a little further, so a
    // metric that falls as the knob grows (RandLoRA's saved bases shrink with r) is reported, not answered
    for (const v of [lo + 1, lo * 2, lo * 4]) if (v <= spec.max) at(v);
    return finish(spec, seen, undefined, at(spec.min), false);
  }
  let hi = lo;
  // doubling: lo fits; find a value that does not
  for (;;) {
    const next = Math.min(spec.max, lo * 2);
    if (next === lo) return finish(spec, seen, at(lo) as Extract<Measured<T>, { result: T }>, undefined, true);
    if (!ok(at(next))) {
      hi = next;
      break;
    }
    lo = next;
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (ok(at(mid))) lo = mid;
    else hi = mid;
  }
  return finish(spec, seen, at(lo) as Extract<Measured<T>, { result: T }>, at(lo + 1), false);
}

function finish<T>(spec: SearchSpec<T>, seen: Map<number, Measured<T>>, best: Extract<Measured<T>, { result: T }> | undefined, next: Measured<T> | undefined, capped: boolean): SearchResult<T> {
  if (best) {
    const window = spec.window ?? 4;
    for (let v = Math.max(spec.min, best.value - window); v < best.value; v++) {
      if (!seen.has(v)) seen.set(v, measureAt(spec.measure, v));
    }
  }
  assertMonotone(spec.knob, seen, spec.fits, spec.metricName ?? "count");
  const half = best ? seen.get(Math.floor(best.value / 2)) : undefined;
  const plateau = capped && best !== undefined && half !== undefined && "metric" in half && half.metric === best.metric;
  return { best, next, evaluations: seen.size, capped, plateau };
}

/** Over the evaluated values in knob order: the metric never falls, and nothing fits after a value that does not. */
function assertMonotone<T>(knob: string, seen: ReadonlyMap<number, Measured<T>>, fits: (r: T) => boolean, metricName: string): void {
  const sorted = [...seen.values()].sort((a, b) => a.value - b.value);
  let prev: Extract<Measured<T>, { result: T }> | undefined;
  let failedAt: number | undefined;
  for (const m of sorted) {
    if (!("result" in m)) {
      failedAt ??= m.value;
      continue;
    }
    if (prev && m.metric < prev.metric)
      throw new InputError("NOT_MONOTONE", `the ${metricName} falls as ${knob} grows (${knob}=${prev.value}: ${prev.metric}, ${knob}=${m.value}: ${m.metric}), so no largest value can be searched for`, `use "peftcount sweep" to see every value`);
    if (failedAt !== undefined && fits(m.result))
      throw new InputError("NOT_MONOTONE", `${knob}=${m.value} fits but ${knob}=${failedAt} does not, so no largest value can be searched for`, `use "peftcount sweep" to see every value`);
    if (!fits(m.result)) failedAt ??= m.value;
    prev = m;
  }
}
