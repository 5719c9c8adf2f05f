/**
 * AdaLoRA: an SVD-shaped LoRA whose rank a budget allocator prunes during training. `get_peft_model`
 * builds every wrapped Linear / Conv1D at `init_r` (`r` is ignored, as PEFT warns):
 * lora_A (init_r × in) + lora_E (init_r × 1) + lora_B (out × init_r), plus `ranknum`, a one-element
 * parameter holding the rank (peft src/peft/tuners/adalora/layer.py `AdaLoraLayer.update_layer`).
 * `ranknum` is created with requires_grad=False; peft 0.21 (#3490, "Refactor state dict handling") stopped
 * `_mark_only_adapters_as_trainable` from freezing parameters inside tuner layers, and `ranknum` is
 * re-created as a trainable Parameter whenever it is moved to the base layer's device or dtype (meta device,
 * bf16, GPU: how the reference vectors are built), so from 0.21 it counts as trainable. (On a float32 CPU
 * model nothing moves it and it stays frozen: that one case is 1 parameter per module lower.)
 * `rank_pattern` (the ranks the allocator kept) is applied only when a trained adapter is loaded.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { ADALORA_TARGETS } from "../../src/peft/default-targets-own.js";
import { refuseLayersPatternAlone, refuseLayersWithRegexTargets } from "../../src/peft/layer-checks.js";
import { replicateLayers } from "../../src/peft/replicate.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { atLeast } from "../../src/versions.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";
import { refuseMambaTargets } from "../../src/peft/mamba-targets.js";

const list = z.nullable(stringOrList);

export const adaloraOptionsSchema = lazySchema(() => z.object({
  init_r: describe(z._default(nonNegInt, 12), "rank every wrapped module starts with (0 is allowed)"),
  target_r: describe(z._default(nonNegInt, 8), "average rank the allocator prunes to (no effect on the count at creation)"),
  total_step: describe(z._default(z.nullable(z.int()), null), "total training steps; PEFT refuses a missing or non-positive value"),
  tinit: describe(z._default(z.int(), 0), "warm-up steps before pruning"),
  tfinal: describe(z._default(z.int(), 0), "final steps without pruning"),
  deltaT: describe(z._default(z.int(), 1), "steps between two budget allocations (no effect on the count)"),
  beta1: describe(z._default(z.number(), 0.85), "EMA of the sensitivity (no effect on the count)"),
  beta2: describe(z._default(z.number(), 0.85), "EMA of the uncertainty (no effect on the count)"),
  orth_reg_weight: describe(z._default(z.number(), 0.5), "orthogonal regularisation weight; peft ≥ 0.20 refuses a negative one"),
  r: describe(z._default(z.int().check(z.positive()), 8), "ignored by AdaLoRA (PEFT warns when it is not 8): init_r is the rank"),
  target_modules: describe(z._default(list, null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s AdaLoRA default for the model_type'),
  exclude_modules: describe(z._default(list, null), "names (suffix) or a regex string never to wrap"),
  lora_alpha: describe(z._default(z.number(), 8), "scaling (no effect on the count)"),
  lora_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "lora_only"]), "none"), "which biases train: none, all, lora_only"),
  use_rslora: describe(z._default(z.boolean(), false), "rank-stabilised scaling (no effect on the count)"),
  lora_bias: describe(z._default(z.boolean(), false), "ignored by AdaLoRA's layers (no bias is added)"),
  use_dora: describe(z._default(z.boolean(), false), "refused by PEFT for AdaLoRA"),
  loftq_config: describe(z._default(z.nullable(z.record(z.string(), z.unknown())), {}), "refused by PEFT for AdaLoRA when not empty"),
  rank_pattern: describe(z._default(z.nullable(z.record(z.string(), z.unknown())), null), "ranks kept by the allocator; applied only when a trained adapter is loaded"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  layers_to_transform: describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt"),
  layers_pattern: describe(z._default(list, null), "name of the layer list, for layers_to_transform"),
  layer_replication: describe(z._default(z.nullable(z.array(z.tuple([nonNegInt, nonNegInt]))), null), "[[start, end), ...] layer ranges to stack, sharing weights"),
  trainable_token_indices: describe(z._default(z.nullable(z.union([z.array(nonNegInt), z.record(z.string(), z.array(nonNegInt))])), null), "token rows of the embedding to train"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
  target_parameters: describe(z._default(z.nullable(z.array(z.string())), null), "LoRA on bare parameters: not supported by AdaLoRA's layers, refused"),
}));
export type AdaloraOptions = z.output<typeof adaloraOptionsSchema>;

/** AdaLoraConfig.__post_init__ (and LoraConfig's, which it calls first). */
function refusals(o: AdaloraOptions, ctx: EvalContext): void {
  const refuse: (message: string, hint: string) => never = (message, hint) => {
    throw new InputError("INVALID_OPTION", `adalora: ${message}`, hint);
  };
  if (o.use_dora) refuse("AdaLoRA does not support DoRA (PEFT refuses use_dora)", "remove use_dora, or count dora instead");
  if (o.loftq_config !== null && Object.keys(o.loftq_config).length > 0) refuse("AdaLoRA does not support LoftQ (PEFT refuses loftq_config)", "remove loftq_config");
  refuseLayersWithRegexTargets("adalora", o, true);
  refuseLayersPatternAlone("adalora", o, ctx);
  if (o.total_step === null || o.total_step <= 0) refuse(`total_step is ${o.total_step ?? "missing"}: AdaLoRA needs the total training steps (PEFT refuses it)`, "set total_step to the number of training steps, e.g. total_step=1000");
  if (atLeast(ctx.peft, "0.20.0") && o.orth_reg_weight < 0) refuse(`orth_reg_weight must be 0 or more (got ${o.orth_reg_weight})`, "use orth_reg_weight ≥ 0");
  if (o.tinit >= o.total_step - o.tfinal) refuse(`tinit=${o.tinit}, tfinal=${o.tfinal} and total_step=${o.total_step} leave no budgeting phase (PEFT refuses it)`, "decrease tinit / tfinal or increase total_step");
  if (o.target_parameters !== null && o.target_parameters.length > 0)
    throw new InputError("UNSUPPORTED_OPTION", "adalora: target_parameters (LoRA on bare parameters) is not supported by AdaLoRA", "remove target_parameters");
}

export function countAdalora(inventory: Inventory, o: AdaloraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  refusals(o, ctx);
  const inv = o.layer_replication ? replicateLayers(inventory, o.layer_replication) : inventory;
  // #3490 (peft 0.21): parameters inside tuner layers are no longer frozen by name, so ranknum trains
  const ranknumTrains = atLeast(ctx.peft, "0.21.0");
  const b = wrapModules(inv, o, {
    method: "adalora",
    defaults: ADALORA_TARGETS,
    wrappable: ["linear", "conv1d"],
    check: (wrapped, _o, inv) => refuseMambaTargets("adalora", "ADALORA", inv.modelType, wrapped.map((m) => m.name), ctx),
    perModule(m, add) {
      const r = o.init_r;
      add("lora_A", r * featuresOf(m).inFeatures);
      add("lora_E", r);
      add("lora_B", featuresOf(m).outFeatures * r);
      add("ranknum", 1, ranknumTrains);
    },
  }, ctx);
  const notes: string[] = [];
  if (o.r !== 8) notes.push(`r=${o.r} is not used by AdaLoRA (PEFT warns too): init_r=${o.init_r} is the rank`);
  if (o.rank_pattern !== null && Object.keys(o.rank_pattern).length > 0)
    notes.push("rank_pattern (the ranks kept after training) is applied only when a trained adapter is loaded; counted at init_r, as get_peft_model builds it");
  return notes.length === 0 ? b : { ...b, warnings: [...b.warnings, ...notes] };
}

export const adalora = {
  id: "adalora",
  title: "AdaLoRA",
  paper: "arXiv:2303.10512",
  peftType: "ADALORA",
  expression: "Σ_targets init_r·(d_in + d_out + 1) + 1 (ranknum; trainable from peft 0.21)",
  schema: adaloraOptionsSchema,
  count: countAdalora,
  compact: indexFree,
} as const satisfies Formula<typeof adaloraOptionsSchema>;
