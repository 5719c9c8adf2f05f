/**
 * The `--json` contract. This zod schema is the single source: `peftcount schema` prints its JSON Schema
 * and a test validates real output against it. Adding a field is fine; renaming or removing one needs a new
 * schemaVersion.
 */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { taskSchema } from "../model/tasks.js";

const count = z.int().check(z.nonnegative());

export const partSchema = z.object({
  name: describe(z.string(), "module-name pattern and parameter, e.g. model.layers.*.self_attn.q_proj.lora_A"),
  modules: describe(count, "how many modules contribute"),
  count: describe(count, "trainable parameters of this group"),
  kind: z.optional(describe(z.enum(["adapter", "shared", "copy", "bias", "prompt", "delta", "base"]), "adapter tensor per module, tensor shared once, trainable copy, unfrozen bias, prompt parameters, delta on existing weights, or base weights trained in place")),
});

export const rowSchema = z.object({
  method: describe(z.string(), "method id (peftcount methods)"),
  title: z.string(),
  options: describe(z.record(z.string(), z.unknown()), "the parsed options, defaults filled in, PEFT key names"),
  trainableParams: describe(count, "parameters with requires_grad after the method is applied (PEFT semantics)"),
  allParams: describe(count, "PEFT's all params: the model plus everything the method adds, tied tensors once"),
  baseParams: describe(count, "the model before the method, as instantiated for the task"),
  percentOfAll: describe(z.number(), "100 · trainable / all (PEFT's trainable%)"),
  percentOfFull: describe(z.number(), "100 · trainable / base (AdapterHub's %Param)"),
  parts: describe(z.array(partSchema), "trainable parameters by module group; they sum to trainableParams"),
  warnings: z.array(z.string()),
  activeTrainableParams: z.optional(describe(count, "MoE only: trainable parameters a token passes through (routed experts count top-k / experts)")),
});

export const comparisonReportSchema = z.object({
  schemaVersion: z.literal(1),
  versions: z.optional(describe(z.object({ peft: z.string(), transformers: z.string() }), "the releases whose behaviour the counts reproduce (--peft-version / --transformers-version)")),
  model: z.object({
    id: z.string(),
    source: describe(z.string(), "preset:<id> or the config.json path"),
    modelType: z.string(),
    modelClass: z.string(),
    task: taskSchema,
    baseParams: count,
    activeParams: z.optional(describe(count, "MoE only: parameters used per token (top-k routed experts, shared experts, everything dense)")),
    activeParamsWithoutEmbedding: z.optional(describe(count, "MoE only: activeParams less the input-embedding matrix (the unembedding, or a tied embedding, stays): the convention of gpt-oss's model card")),
    notes: z.array(z.string()),
    warnings: z.optional(describe(z.array(z.string()), "what the pinned releases cannot do with this model (also printed on stderr)")),
  }),
  rows: z.array(rowSchema),
  skipped: z.optional(describe(z.array(z.object({ method: z.string(), reason: z.string() })), "methods of a panel (compare's default rows, --methods all) that cannot apply to this model, and why")),
});

export type Row = z.output<typeof rowSchema>;
export type ComparisonReport = z.output<typeof comparisonReportSchema>;
