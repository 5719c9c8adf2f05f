/**
 * The `--json` contract. This zod schema is the single source: `peftcount schema` prints its JSON Schema
 * and a test validates real output against it. Adding a field is fine; renaming or removing one needs a new
 * schemaVersion.
 */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";
import { taskSchema } from "../model/tasks.js";
import { adapterSizeSchema } from "./size-schema.js";

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
  original: z.optional(describe(z.boolean(), "compare --compare-original: this row is counted on the model before its --transform steps")),
  options: describe(z.record(z.string(), z.unknown()), "the parsed options, defaults filled in, PEFT key names"),
  trainableParams: describe(count, "parameters with requires_grad after the method is applied (PEFT semantics)"),
  allParams: describe(count, "PEFT's all params: the model plus everything the method adds, tied tensors once"),
  baseParams: describe(count, "the model before the method, as instantiated for the task"),
  percentOfAll: describe(z.number(), "100 · trainable / all (PEFT's trainable%)"),
  percentOfFull: describe(z.number(), "100 · trainable / base: the share of full fine-tuning (AdapterHub's adapter_summary() %param, the adapter alone over the base model without heads, is adapterSummary.percentParam)"),
  parts: describe(z.array(partSchema), "trainable parameters by module group; they sum to trainableParams"),
  warnings: z.array(z.string()),
  activeTrainableParams: z.optional(describe(count, "MoE only: trainable parameters a token passes through (routed experts count top-k / experts)")),
  library: z.optional(describe(z.enum(["peft", "adapters"]), "whose convention the row follows: PEFT (requires_grad after get_peft_model) or AdapterHub (after train_adapter: a head outside base_model stays trainable)")),
  adapterSummary: z.optional(
    describe(
      z.object({ params: count, percentParam: z.number(), fullModel: count }),
      "AdapterHub rows: adapter_summary()'s #param (what the adapter adds), %param (over Full model) and Full model (the base model without the adapter; task heads and LM head left out)",
    ),
  ),
  memory: z.optional(
    describe(
      z.object({ perGpuBytes: count, fits: z.nullable(z.boolean()) }),
      "compare --memory: model-state bytes per GPU of this row (weights, adapter, gradients, optimizer states; the setup in the report's memorySetup), and whether they fit --gpu / --gpu-memory",
    ),
  ),
  adapterSize: z.optional(describe(adapterSizeSchema, "compare --size (and count / check / budget / sweep with --dtype): the adapter_model.safetensors PEFT saves for this row")),
  adapterConfig: z.optional(describe(z.record(z.string(), z.unknown()), "AdapterHub rows: the full config counted (AdapterHub key names, defaults filled in; unions list their configs)")),
});

export const comparisonReportSchema = z.object({
  schemaVersion: z.literal(1),
  versions: z.optional(describe(z.object({ peft: z.string(), transformers: z.string(), adapters: z.optional(describe(z.string(), "the AdapterHub release of the AdapterHub rows (--adapters-version, the adapter file's version, or the newest on transformers 4.57.6)")) }), "the releases whose behaviour the counts reproduce (--peft-version / --transformers-version)")),
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
    transforms: z.optional(describe(z.array(z.object({ name: z.string(), text: z.string(), summary: z.string() })), "model transforms applied before any method (--transform), in order: name, spec, what changed")),
    warnings: z.optional(describe(z.array(z.string()), "what the pinned releases cannot do with this model (also printed on stderr)")),
  }),
  rows: z.array(rowSchema),
  memorySetup: z.optional(describe(z.string(), "compare --memory: what the memory column assumes (dtype, quantization, optimizer, GPUs, sharding, the GPU checked against)")),
  adapterFileSetup: z.optional(describe(z.string(), "compare --size: what the adapter file column (rows[].adapterSize) assumes (the load dtype, the adapter weights' dtype)")),
  skipped: z.optional(describe(z.array(z.object({ method: z.string(), reason: z.string() })), "methods of a panel (compare's default rows, --methods all) that cannot apply to this model, and why")),
});

export type Row = z.output<typeof rowSchema>;
export type ComparisonReport = z.output<typeof comparisonReportSchema>;
