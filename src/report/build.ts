/** Builds the comparison report: one row per method, same model, same denominators. Pure. */
import { DEFAULT_CONTEXT, evaluate, type EvalContext, type Formula } from "../../formulas/types.js";
import type { Inventory } from "../model/types.js";
import { activeParams } from "../model/active.js";
import { totalParams } from "../model/types.js";
import type { ComparisonReport, Row } from "./schema.js";

export interface ModelRef {
  readonly id: string;
  readonly source: string;
}

export interface RowRequest {
  readonly formula: Formula;
  /** raw options with PEFT key names, validated here */
  readonly options: Record<string, unknown>;
}

const percent = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);

export function buildRow(inv: Inventory, req: RowRequest, ctx: EvalContext = DEFAULT_CONTEXT): Row {
  const { options, breakdown } = evaluate(req.formula, inv, req.options, ctx);
  const baseParams = totalParams(inv.modules);
  return {
    method: req.formula.id,
    title: req.formula.title,
    options: options as Record<string, unknown>,
    trainableParams: breakdown.trainable,
    allParams: breakdown.allParams,
    baseParams,
    percentOfAll: percent(breakdown.trainable, breakdown.allParams),
    percentOfFull: percent(breakdown.trainable, baseParams),
    parts: breakdown.parts.map((p) => ({ name: p.name, modules: p.modules, count: p.count })),
    warnings: [...breakdown.warnings],
    ...(breakdown.activeTrainable !== undefined ? { activeTrainableParams: breakdown.activeTrainable } : {}),
  };
}

export function buildReport(model: ModelRef, inv: Inventory, rows: readonly RowRequest[], ctx: EvalContext = DEFAULT_CONTEXT): ComparisonReport {
  return {
    schemaVersion: 1,
    model: {
      id: model.id,
      source: model.source,
      modelType: inv.modelType,
      modelClass: inv.modelClass,
      task: inv.task,
      baseParams: totalParams(inv.modules),
      ...(inv.experts ? { activeParams: activeParams(inv)! } : {}),
      notes: [...(inv.notes ?? [])],
    },
    rows: rows.map((r) => buildRow(inv, r, ctx)),
  };
}
