/**
 * Counting a sweep by arithmetic. A method whose counts are affine in an integer option for fixed other options
 * (LoRA in r: r·(d_in + d_out) per wrapped module, a rank_pattern entry fixed, DoRA's magnitude constant) says
 * so (`Formula.affine`); `planMethod` then counts two values exactly and every other value as slope·v + intercept
 * per part. The line is only drawn when both exact breakdowns have the same parts (names, module numbers, kinds,
 * order), the same warnings and integer slopes; a value whose line count is not a safe non-negative integer is
 * counted exactly. Active parameters of an MoE are not affine (k/E of the routed part, rounded): the routed part
 * is (settle keeps it, `routedTrainableOf`), and the active count is recomputed from it as settle does.
 */
import type { ParamBreakdown, Part } from "../breakdown.js";
import { activeShare } from "../model/active.js";
import type { Inventory } from "../model/types.js";

const ROUTED = new WeakMap<ParamBreakdown, number>();

/** Records the trainable parameters of a breakdown that sit in routed experts (settle, apply.ts). */
export function keepRouted(b: ParamBreakdown, routed: number): ParamBreakdown {
  ROUTED.set(b, routed);
  return b;
}

/** The trainable parameters in routed experts of a breakdown settle made, if it recorded them. */
export function routedTrainableOf(b: ParamBreakdown): number | undefined {
  return ROUTED.get(b);
}

/** slope, intercept of the line through (v0, c0) and (v1, c1), when the slope is an integer */
function fit(v0: number, c0: number, v1: number, c1: number): readonly [number, number] | undefined {
  const d = c1 - c0;
  const dv = v1 - v0;
  if (d % dv !== 0) return undefined;
  const slope = d / dv;
  return [slope, c0 - slope * v0];
}

const sameWarnings = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((w, i) => w === b[i]);
const samePart = (a: Part, b: Part) => a.name === b.name && a.modules === b.modules && a.kind === b.kind;

/** The breakdown at an integer value, or undefined where the line does not give a safe count. */
export type CountLine = (v: number) => ParamBreakdown | undefined;

/** The line through two exact breakdowns of one method at integer values v0 ≠ v1, or undefined if there is none. */
export function countLine(v0: number, b0: ParamBreakdown, v1: number, b1: ParamBreakdown, experts: Inventory["experts"]): CountLine | undefined {
  if (v0 === v1 || !Number.isSafeInteger(v0) || !Number.isSafeInteger(v1)) return undefined;
  if (b0.parts.length !== b1.parts.length || !b0.parts.every((p, i) => samePart(p, b1.parts[i]!)) || !sameWarnings(b0.warnings, b1.warnings)) return undefined;
  const active = b0.activeTrainable !== undefined;
  if (active !== (b1.activeTrainable !== undefined)) return undefined;
  const r0 = routedTrainableOf(b0);
  const r1 = routedTrainableOf(b1);
  if (active && (experts === undefined || r0 === undefined || r1 === undefined)) return undefined;
  const lines = [...b0.parts.map((p, i) => fit(v0, p.count, v1, b1.parts[i]!.count)), fit(v0, b0.trainable, v1, b1.trainable), fit(v0, b0.allParams, v1, b1.allParams), active ? fit(v0, r0!, v1, r1!) : ([0, 0] as const)];
  if (lines.some((l) => l === undefined)) return undefined;
  // flat arrays and index loops: a sweep calls this once per point, mostly before the JIT has optimised it
  const slopes = lines.map((l) => l![0]);
  const intercepts = lines.map((l) => l![1]);
  const n = b0.parts.length;
  const parts0 = b0.parts;
  return (v) => {
    const counts = new Array<number>(slopes.length);
    for (let i = 0; i < slopes.length; i++) {
      const c = slopes[i]! * v + intercepts[i]!;
      if (!Number.isSafeInteger(c) || c < 0) return undefined;
      counts[i] = c;
    }
    const parts = new Array<Part>(n);
    for (let i = 0; i < n; i++) {
      const p = parts0[i]!;
      parts[i] = Object.freeze(p.kind === undefined ? { name: p.name, modules: p.modules, count: counts[i]! } : { name: p.name, modules: p.modules, count: counts[i]!, kind: p.kind });
    }
    const trainable = counts[n]!;
    const result = { trainable, allParams: counts[n + 1]!, parts, warnings: b0.warnings.slice() };
    if (!active) return result;
    const routed = counts[n + 2]!;
    return keepRouted({ ...result, activeTrainable: trainable - routed + activeShare(routed, experts!) }, routed);
  };
}
