/**
 * The `--json` contract. This zod schema is the single source: `peftcount schema` prints its JSON Schema
 * and a test validates real output against it. Adding a field is fine; renaming or removing one needs a new
 * schemaVersion.
 */
import { z } from "zod";
import { taskSchema } from "../model/tasks.js";

const count = z.number().int().nonnegative();

export const partSchema = z.object({
  name: z.string().meta({ description: "module-name pattern and parameter, e.g. model.layers.*.self_attn.q_proj.lora_A" }),
  modules: count.meta({ description: "how many modules contribute" }),
  count: count.meta({ description: "trainable parameters of this group" }),
});

export const rowSchema = z.object({
  method: z.string().meta({ description: "method id (peftcount methods)" }),
  title: z.string(),
  options: z.record(z.string(), z.unknown()).meta({ description: "the parsed options, defaults filled in, PEFT key names" }),
  trainableParams: count.meta({ description: "parameters with requires_grad after the method is applied (PEFT semantics)" }),
  allParams: count.meta({ description: "PEFT's all params: the model plus everything the method adds, tied tensors once" }),
  baseParams: count.meta({ description: "the model before the method, as instantiated for the task" }),
  percentOfAll: z.number().meta({ description: "100 · trainable / all (PEFT's trainable%)" }),
  percentOfFull: z.number().meta({ description: "100 · trainable / base (AdapterHub's %Param)" }),
  parts: z.array(partSchema).meta({ description: "trainable parameters by module group; they sum to trainableParams" }),
  warnings: z.array(z.string()),
  activeTrainableParams: count.optional().meta({ description: "MoE only: trainable parameters a token passes through (routed experts count top-k / experts)" }),
});

export const comparisonReportSchema = z.object({
  schemaVersion: z.literal(1),
  model: z.object({
    id: z.string(),
    source: z.string().meta({ description: "preset:<id> or the config.json path" }),
    modelType: z.string(),
    modelClass: z.string(),
    task: taskSchema,
    baseParams: count,
    activeParams: count.optional().meta({ description: "MoE only: parameters used per token (top-k routed experts, shared experts, everything dense)" }),
    notes: z.array(z.string()),
  }),
  rows: z.array(rowSchema),
});

export type Row = z.output<typeof rowSchema>;
export type ComparisonReport = z.output<typeof comparisonReportSchema>;
