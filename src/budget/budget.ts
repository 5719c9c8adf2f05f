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
import { searchDirected } from "./directed.js";
import { searchLargest, type Measured, type SearchResult } from "./search.js";
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
  /** adapter sizes are computed (and searched, for adapter-size) for a model loaded in this dtype */
  readonly dtype?: Dtype | undefined;
  /** PEFT's autocast_adapter_dtype for those sizes (default true: adapter weights in fp32) */
  readonly autocastAdapterDtype?: boolean | undefined;
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
  /** other values with the chosen value's count (a step function's flat run), from..to */
  readonly same?: { readonly from: number; readonly to: number };
}

/**
 * Any row source: the knob, the target, and the row at a knob value (with its file size when the target is
 * one). budget for PEFT methods (solveBudget) and for AdapterHub configs (src/budget/adapterhub.ts) use it.
 */
export interface BudgetSource {
  readonly knob: SizeKnob;
  readonly target: BudgetTarget;
  /** largest knob value tried */
  readonly max: number;
  readonly evaluate: (value: number, sized: boolean) => Evaluated;
  /** whether the answer's rows carry file sizes (a dtype was given) */
  readonly sizes: boolean;
}

export const DEFAULT_MAX_KNOB = 1 << 20;

/** The row at a knob value; with its file size when `sized` (the search needs it only for an adapter-size target). */
export function evaluateAt(req: BudgetRequest, value: number, sized = req.target.kind === "adapter-size"): Evaluated {
  const row = buildRow(req.inv, { formula: req.formula, options: { ...req.options, [req.knob.key]: value } }, req.ctx);
  return sized && req.dtype ? { row, size: rowAdapterSize(req.inv, req.formula, row, req.dtype, req.ctx, { autocastAdapterDtype: req.autocastAdapterDtype !== false }) } : { row };
}

function metricOf(target: BudgetTarget, e: Evaluated): number {
  return target.kind === "adapter-size" ? e.size!.bytes : e.row.trainableParams;
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
  return solveBudgetFor({
    knob: req.knob,
    target: req.target,
    max: req.max ?? DEFAULT_MAX_KNOB,
    evaluate: (v, withSize) => evaluateAt(req, v, withSize),
    sizes: req.dtype !== undefined,
  });
}

/** The search over any row source: search.ts for a growing dense knob (PEFT's), directed.ts otherwise. */
export function solveBudgetFor(src: BudgetSource): BudgetAnswer {
  const { knob, target } = src;
  const spec = {
    knob: knob.key,
    min: knob.min,
    max: src.max,
    measure: (v: number) => {
      const e = src.evaluate(v, target.kind === "adapter-size");
      return { result: e, metric: metricOf(target, e) };
    },
    fits: (e: Evaluated) => fits(target, e),
    metricName: target.kind === "adapter-size" ? "adapter file size" : "count",
  };
  const result: SearchResult<Evaluated> & { same?: { from: number; to: number } } =
    (knob.direction ?? "up") === "up" && !knob.sparse ? searchLargest<Evaluated>(spec) : searchDirected<Evaluated>({ ...spec, direction: knob.direction ?? "up", sparse: knob.sparse ?? false });
  const { evaluations, capped, plateau } = result;
  const same = result.same ? { same: result.same } : {};
  const withSize = <T extends Measured<Evaluated> | undefined>(m: T): T => (!src.sizes || !m || !("result" in m) || m.result.size ? m : { ...m, result: src.evaluate(m.value, true) });
  const best = withSize(result.best);
  const next = withSize(result.next);
  if (target.kind === "percent") {
    if (!best) return next && "result" in next ? { chosen: { value: next.value, ...next.result }, next: undefined, evaluations, capped, plateau } : { chosen: undefined, next, evaluations, capped, plateau };
    if (next && "result" in next && !lowerIsCloser(target.percent, best.result.row, next.result.row))
      return { chosen: { value: next.value, ...next.result }, next: best, evaluations, capped, plateau };
  }
  return { chosen: best ? { value: best.value, ...best.result } : undefined, next, evaluations, capped, plateau, ...same };
}
