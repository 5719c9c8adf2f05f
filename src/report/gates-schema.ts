/**
 * The --json payloads of `check`, `budget` and `sweep`: the usual comparison report (schema.ts; `rows` as
 * compare and count print them) plus one section for the command, and each row's adapter file size. Adding
 * fields keeps schemaVersion 1.
 */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { comparisonReportSchema, rowSchema } from "./schema.js";
import { adapterSizeSchema } from "./size-schema.js";

const count = z.int().check(z.nonnegative());

// the row's adapter file size (size-schema.ts, also on compare --size rows)
export { adapterSizeSchema };

export const sizedRowSchema = z.extend(rowSchema, { adapterSize: z.optional(adapterSizeSchema) });

export const limitResultSchema = z.object({
  limit: describe(z.enum(["maxTrainable", "maxPercent", "maxPercentOfFull", "maxAdapterSize", "failOnUnmatchedTargets"]), "the limit, by its flag in camelCase"),
  max: describe(z.union([z.number(), z.string(), z.boolean()]), "the limit as given (parameters, percent, bytes)"),
  actual: describe(z.union([z.number(), z.array(z.string())]), "the measured value (unmatched target entries for failOnUnmatchedTargets)"),
  pass: z.boolean(),
  over: z.optional(describe(z.number(), "by how much the actual value exceeds the limit (same unit)")),
});

export const checkSectionSchema = z.object({
  pass: z.boolean(),
  limits: z.array(limitResultSchema),
  limitsFile: z.optional(describe(z.string(), "the limits file read (peftcount.json, package.json, peftcount.yaml)")),
});

export const budgetSectionSchema = z.object({
  knob: describe(z.string(), "the option searched (PEFT's name), e.g. r"),
  target: describe(z.object({ kind: z.enum(["trainable", "adapter-size", "percent"]), value: z.union([z.number(), z.string()]) }), "the limit searched against"),
  value: describe(z.nullable(count), "the chosen value: the largest that fits (percent: the closest), null when none fits"),
  next: z.nullable(z.object({ value: count, trainableParams: z.optional(count), allParams: z.optional(count), adapterBytes: z.optional(count), refused: z.optional(z.string()) })),
  evaluations: describe(count, "knob values evaluated exactly"),
  capped: describe(z.boolean(), "the search stopped at its largest value with everything fitting"),
  plateau: z.optional(describe(z.boolean(), "capped, and the count stopped growing with the knob: every larger value fits too")),
  direction: z.optional(describe(z.enum(["up", "down"]), 'down: the count falls as the knob grows (AdapterHub reduction_factor), so value is the SMALLEST that fits and capped means none fits up to the end of the search')),
  same: z.optional(describe(z.object({ from: count, to: count, open: z.optional(describe(z.boolean(), "the run reaches the end of the search, past which every value counts the same")) }), "the knob values with the chosen value's count (a step function's flat run)")),
});

export const sweepSectionSchema = z.object({
  knob: z.string(),
  values: z.array(count),
});

export const gatesReportSchema = z.extend(comparisonReportSchema, {
  rows: z.array(sizedRowSchema),
  check: z.optional(checkSectionSchema),
  budget: z.optional(budgetSectionSchema),
  sweep: z.optional(sweepSectionSchema),
});

export type SizedRow = z.output<typeof sizedRowSchema>;
export type LimitResult = z.output<typeof limitResultSchema>;
export type CheckSection = z.output<typeof checkSectionSchema>;
export type BudgetSection = z.output<typeof budgetSectionSchema>;
export type GatesReport = z.output<typeof gatesReportSchema>;
