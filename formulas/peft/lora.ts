/**
 * LoRA (and DoRA with `use_dora`), counted as peft 0.17 builds it.
 * Per wrapped Linear / Conv1D: lora_A (r × in) + lora_B (out × r) [+ out with lora_bias] [+ out DoRA magnitude];
 * per wrapped Embedding: lora_embedding_A (r × vocab) + lora_embedding_B (dim × r) [+ dim DoRA magnitude].
 * r per module: the first `rank_pattern` key matching the end of the module name, else `r`.
 * `lora_alpha`, `alpha_pattern`, `use_rslora`, `lora_dropout` change scaling only, never the count.
 */
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import { settle, type AddedParam, type ParamBreakdown } from "../../src/peft/apply.js";
import { biasMatchesSuffix, effectiveModulesToSave, headTaskWarning } from "../../src/peft/tuner.js";
import { moduleTree } from "../../src/peft/modules.js";
import { matchStart } from "../../src/peft/regex.js";
import { replicateLayers } from "../../src/peft/replicate.js";
import { findTargets } from "../../src/peft/targets.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";

const rank = z.int().check(z.positive());

export const loraOptionsSchema = z.object({
  r: describe(z._default(rank, 8), "adapter rank"),
  target_modules: describe(z._default(z.nullable(stringOrList), null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type'),
  exclude_modules: describe(z._default(z.nullable(stringOrList), null), "names (suffix) or a regex string never to wrap"),
  lora_alpha: describe(z._default(z.number(), 8), "scaling numerator (no effect on the count)"),
  lora_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  use_rslora: describe(z._default(z.boolean(), false), "rank-stabilised scaling (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "lora_only"]), "none"), "which biases train: none, all (every parameter named *bias*), lora_only"),
  lora_bias: describe(z._default(z.boolean(), false), "give lora_B a bias"),
  use_dora: describe(z._default(z.boolean(), false), "DoRA: add a magnitude vector per wrapped module"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  layers_to_transform: describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt"),
  layers_pattern: describe(z._default(z.nullable(stringOrList), null), "name of the layer list, for layers_to_transform"),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), rank)), {}), "rank per module-name pattern"),
  alpha_pattern: describe(z._default(z.nullable(z.record(z.string(), z.number())), {}), "alpha per module-name pattern (no effect on the count)"),
  trainable_token_indices: describe(z._default(z.nullable(z.union([z.array(nonNegInt), z.record(z.string(), z.array(nonNegInt))])), null), "token rows of the embedding to train"),
  layer_replication: describe(z._default(z.nullable(z.array(z.tuple([nonNegInt, nonNegInt]))), null), "[[start, end), ...] layer ranges to stack, sharing weights"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
  fan_in_fan_out: describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)"),
  target_parameters: describe(z._default(z.nullable(z.array(z.string())), null), "LoRA on bare parameters (e.g. fused MoE experts): not counted yet, refused"),
  use_qalora: describe(z._default(z.boolean(), false), "QALoRA on GPTQ-quantized layers: not modelled, refused"),
});
export type LoraOptions = z.output<typeof loraOptionsSchema>;


function rankFor(key: string, o: LoraOptions): number {
  for (const [pattern, r] of Object.entries(o.rank_pattern ?? {})) if (matchStart(`(.*\\.)?(${pattern})$`, [pattern], key, "rank_pattern")) return r;
  return o.r;
}

export function countLoraParams(inventory: Inventory, o: LoraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  if (o.target_parameters !== null && o.target_parameters.length > 0)
    throw new InputError("UNSUPPORTED_OPTION", "lora: target_parameters (LoRA on bare parameters) is not counted yet", "count the target_modules part alone by removing target_parameters, or use --expert-layout per-expert for MoE experts");
  if (o.use_qalora)
    throw new InputError("UNSUPPORTED_OPTION", "lora: use_qalora applies to GPTQ-quantized layers, which peftcount does not model", "remove use_qalora to count LoRA on the unquantized layers");
  const inv = o.layer_replication ? replicateLayers(inventory, o.layer_replication) : inventory;
  const tree = moduleTree(inv.modules);
  const modulesToSave = effectiveModulesToSave(o.modules_to_save, o.task_type);
  const warnings: string[] = [];
  const wrapped = findTargets(inv, tree, { ...o, modules_to_save: modulesToSave }, "lora", ["linear", "conv1d", "embedding"], warnings);
  const added: AddedParam[] = [];
  const add = (module: string, param: string, count: number) => added.push({ module, param, count });
  for (const m of wrapped) {
    const r = rankFor(m.name, o);
    if (m.kind === "embedding") {
      const vocab = m.numEmbeddings!;
      const dim = m.embeddingDim!;
      add(m.name, "lora_embedding_A", r * vocab);
      add(m.name, "lora_embedding_B", dim * r);
      if (o.use_dora) add(m.name, "lora_magnitude_vector", dim);
    } else {
      const fin = m.inFeatures!;
      const fout = m.outFeatures!;
      add(m.name, "lora_A", r * fin);
      add(m.name, "lora_B", fout * r + (o.lora_bias ? fout : 0));
      if (o.use_dora) add(m.name, "lora_magnitude_vector", fout);
    }
  }
  const head = headTaskWarning(inv, o.task_type);
  if (head) warnings.push(head);
  return settle({ inv, tree, added, wrapped, bias: o.bias, biasEndsWith: biasMatchesSuffix(ctx), modulesToSave, trainableTokenIndices: o.trainable_token_indices, warnings });
}

export const lora = {
  id: "lora",
  title: "LoRA",
  paper: "arXiv:2106.09685",
  peftType: "LORA",
  expression: "Σ_targets r·(d_in + d_out)  [+ d_out per target with use_dora / lora_bias]",
  schema: loraOptionsSchema,
  count: countLoraParams,
} as const satisfies Formula<typeof loraOptionsSchema>;
