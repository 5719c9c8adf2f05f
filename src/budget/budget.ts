/**
 * `budget`: the largest value of a method's size knob that fits a limit — trainable parameters, the adapter
 * file size for a dtype — or the value closest to a share of the model (PEFT's trainable%), with its exact
 * count and the next value's. Every answer comes from real evaluations (search.ts), never a float estimate. Pure.
 */
import type { EvalContext, Formula } from "../../formulas/types.js";
import type { Inventory } from "../model/types.js";
import { buildRow } from "../report/build.js";
import type { Row } from "../report/schema.js";
import type { AdapterSize } from "../size/adapter-size.js";
import { rowAdapterSize } from "../size/row-size.js";
import type { Dtype } from "../size/safetensors-header.js";
import type { SizeKnob } from "./knobs.js";
import { searchLargest, type Measured } from "./search.js";
import { percentAtMost, type Decimal } from "./units.js";

export type BudgetTarget =
  | { readonly kind: "trainable"; readonly max: number }
  | { readonly kind: "adapter-size"; readonly maxBytes: number }
  | { readonly kind: "percent"; readonly percent: Decimal };

export interface BudgetRequest {
  readonly inv: Inventory;
  readonly formula: Formula;
  readonly options: Readonly<Record<string, unknown>>;
  readonly knob: SizeKnob;
  readonly target: BudgetTarget;
  /** adapter sizes are computed (and searched, for adapter-size) in this dtype */
  readonly dtype?: Dtype | undefined;
  readonly ctx?: EvalContext | undefined;
  /** largest knob value tried (default 2^20) */
  readonly max?: number;
}

export interface Evaluated {
  readonly row: Row;
  readonly size?: AdapterSize;
}

export interface BudgetAnswer {
  /** the chosen value, undefined when even the smallest does not fit */
  readonly chosen: (Evaluated & { readonly value: number }) | undefined;
  /** the value after the chosen one (for percent: the other neighbour), or its refusal */
  readonly next: Measured<Evaluated> | undefined;
  readonly evaluations: number;
  readonly capped: boolean;
  /** capped, and the count stopped growing: every larger value fits too */
  readonly plateau: boolean;
}

export const DEFAULT_MAX_KNOB = 1 << 20;

/** The row at a knob value; with its file size when `sized` (the search needs it only for an adapter-size target). */
export function evaluateAt(req: BudgetRequest, value: number, sized = req.target.kind === "adapter-size"): Evaluated {
  const row = buildRow(req.inv, { formula: req.formula, options: { ...req.options, [req.knob.key]: value } }, req.ctx);
  return sized && req.dtype ? { row, size: rowAdapterSize(req.inv, req.formula, row, req.dtype, req.ctx) } : { row };
}

/** Sizes for the answer's rows when a dtype was asked for but not searched on. */
function sized<T extends Measured<Evaluated> | undefined>(req: BudgetRequest, m: T): T {
  if (!m || !("result" in m) || m.result.size || !req.dtype) return m;
  return { ...m, result: { ...m.result, size: rowAdapterSize(req.inv, req.formula, m.result.row, req.dtype, req.ctx) } };
}

function metricOf(req: BudgetRequest, e: Evaluated): number {
  return req.target.kind === "adapter-size" ? e.size!.bytes : e.row.trainableParams;
}

function fits(target: BudgetTarget, e: Evaluated): boolean {
  switch (target.kind) {
    case "trainable":
      return e.row.trainableParams <= target.max;
    case "adapter-size":
      return e.size!.bytes <= target.maxBytes;
    case "percent":
      return percentAtMost(e.row.trainableParams, e.row.allParams, target.percent);
  }
}

/** |p − a| ≤ |b − p| for trainable% a below p and b above, exactly. */
function lowerIsCloser(p: Decimal, a: Row, b: Row): boolean {
  const [t1, a1, t2, a2] = [a.trainableParams, a.allParams, b.trainableParams, b.allParams].map(BigInt) as [bigint, bigint, bigint, bigint];
  return 2n * p.num * a1 * a2 <= 100n * p.den * (t1 * a2 + t2 * a1);
}

export function solveBudget(req: BudgetRequest): BudgetAnswer {
  const result = searchLargest<Evaluated>({
    knob: req.knob.key,
    min: req.knob.min,
    max: req.max ?? DEFAULT_MAX_KNOB,
    measure: (v) => {
      const e = evaluateAt(req, v);
      return { result: e, metric: metricOf(req, e) };
    },
    fits: (e) => fits(req.target, e),
  });
  const { evaluations, capped, plateau } = result;
  const best = sized(req, result.best);
  const next = sized(req, result.next);
  if (req.target.kind === "percent") {
    if (!best) return next && "result" in next ? { chosen: { value: next.value, ...next.result }, next: undefined, evaluations, capped, plateau } : { chosen: undefined, next, evaluations, capped, plateau };
    if (next && "result" in next && !lowerIsCloser(req.target.percent, best.result.row, next.result.row))
      return { chosen: { value: next.value, ...next.result }, next: best, evaluations, capped, plateau };
  }
  return { chosen: best ? { value: best.value, ...best.result } : undefined, next, evaluations, capped, plateau };
}
