/** Builds the comparison report: one row per method, same model, same denominators. Pure. */
import { modelParams } from "../model/compact.js";
import { DEFAULT_CONTEXT, evaluate, OptionsError, type EvalContext, type Formula } from "../../formulas/types.js";
import { InputError } from "../errors.js";
import type { Inventory } from "../model/types.js";
import { activeParams, activeParamsWithoutEmbedding } from "../model/active.js";
import type { ComparisonReport, Row } from "./schema.js";
import { atLeast, formatVersion } from "../versions.js";

/**
 * Release pairs that cannot build the model at all: peft 0.21's PeftModelForSeq2SeqLM reads
 * `_prepare_encoder_decoder_kwargs_for_generation`, which transformers 5 removed, so every SEQ_2_SEQ_LM wrap
 * raises. The counts are what PEFT builds once that generation-only call is bypassed.
 */
function releaseWarnings(inv: Inventory, ctx: EvalContext): string[] {
  if (inv.task === "SEQ_2_SEQ_LM" && atLeast(ctx.peft, "0.21.0") && ctx.transformers[0] >= 5)
    return [`peft ${formatVersion(ctx.peft)} cannot wrap SEQ_2_SEQ_LM models of transformers ${formatVersion(ctx.transformers)} (it calls _prepare_encoder_decoder_kwargs_for_generation, which transformers 5 removed); counts are what PEFT builds once that call is bypassed`];
  return [];
}

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
  const baseParams = modelParams(inv);
  return {
    method: req.formula.id,
    title: req.formula.title,
    options: options as Record<string, unknown>,
    trainableParams: breakdown.trainable,
    allParams: breakdown.allParams,
    baseParams,
    percentOfAll: percent(breakdown.trainable, breakdown.allParams),
    percentOfFull: percent(breakdown.trainable, baseParams),
    parts: breakdown.parts.map((p) => ({ name: p.name, modules: p.modules, count: p.count, ...(p.kind ? { kind: p.kind } : {}) })),
    warnings: [...breakdown.warnings],
    ...(breakdown.activeTrainable !== undefined ? { activeTrainableParams: breakdown.activeTrainable } : {}),
    library: "peft",
  };
}

export interface ReportOptions {
  /** leave out rows whose method cannot apply to this model (a panel), listing them in `skipped` */
  readonly skipInapplicable?: boolean;
}

/** Rows in request order; a row equal to an earlier one (same method, same parsed options) is shown once. */
function buildRows(inv: Inventory, rows: readonly RowRequest[], ctx: EvalContext, o: ReportOptions): { rows: Row[]; skipped: { method: string; reason: string }[] } {
  const out: Row[] = [];
  const skipped: { method: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    let row: Row;
    try {
      row = buildRow(inv, r, ctx);
    } catch (e) {
      if (!o.skipInapplicable || !(e instanceof InputError) || e instanceof OptionsError) throw e;
      skipped.push({ method: r.formula.id, reason: e.message.replace(new RegExp(`^${r.formula.id}: `), "") });
      continue;
    }
    const key = `${row.method}\u0000${JSON.stringify(row.options)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
  }
  return { rows: out, skipped };
}

export function buildReport(model: ModelRef, inv: Inventory, requests: readonly RowRequest[], ctx: EvalContext = DEFAULT_CONTEXT, o: ReportOptions = {}): ComparisonReport {
  const { rows, skipped } = buildRows(inv, requests, ctx, o);
  return {
    schemaVersion: 1,
    versions: { peft: formatVersion(ctx.peft), transformers: formatVersion(ctx.transformers) },
    model: {
      id: model.id,
      source: model.source,
      modelType: inv.modelType,
      modelClass: inv.modelClass,
      task: inv.task,
      baseParams: modelParams(inv),
      ...(inv.experts ? { activeParams: activeParams(inv)!, activeParamsWithoutEmbedding: activeParamsWithoutEmbedding(inv)! } : {}),
      notes: [...(inv.notes ?? [])],
      ...(inv.transforms?.length ? { transforms: inv.transforms.map((t) => ({ ...t })) } : {}),
      warnings: releaseWarnings(inv, ctx),
    },
    rows,
    ...(skipped.length ? { skipped } : {}),
  };
}
