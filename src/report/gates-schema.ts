/**
 * The --json payloads of `check`, `budget` and `sweep`: the usual comparison report (schema.ts; `rows` as
 * compare and count print them) plus one section for the command, and each row's adapter file size. Adding
 * fields keeps schemaVersion 1.
 */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { comparisonReportSchema, rowSchema } from "./schema.js";

const count = z.int().check(z.nonnegative());

export const adapterSizeSchema = z.object({
  dtype: describe(z.enum(["fp32", "fp16", "bf16"]), "the base model's load dtype (torch_dtype): modules_to_save copies, biases and embedding layers are saved in it"),
  adapterDtype: describe(z.enum(["fp32", "fp16", "bf16"]), "dtype of the adapter weights: fp32 when PEFT autocasts (autocast_adapter_dtype=True, its default), else the load dtype"),
  autocastAdapterDtype: describe(z.boolean(), "PEFT's autocast_adapter_dtype the size assumes"),
  bytes: describe(count, "size of adapter_model.safetensors: header + data"),
  headerBytes: describe(count, "8-byte length + JSON header, padded to 8 bytes as the safetensors library writes it"),
  dataBytes: count,
  tensors: describe(count, "tensors in the file"),
  embeddingCopyBytes: describe(count, "bytes of whole embedding / LM-head matrices (modules_to_save copies, targeted embedding layers)"),
  headerExact: describe(z.boolean(), "false when a tensor's shape or module names were inferred (the data bytes are exact)"),
  complete: describe(z.boolean(), "false when the file also holds frozen tensors peftcount does not size yet"),
});

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
  same: z.optional(describe(z.object({ from: count, to: count }), "the knob values with the chosen value's count (a step function's flat run)")),
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
