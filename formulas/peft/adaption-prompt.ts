/**
 * LLaMA-Adapter (adaption prompt): the top `adapter_layers` attention modules are wrapped, each with a
 * learned prompt of adapter_len × hidden_size and one zero-initialised gate (peft
 * src/peft/tuners/adaption_prompt/layer.py `_BaseAdaptedAttention.__init__`): adapter_layers·(adapter_len·
 * hidden_size + 1). The prompt is hidden_size wide even with grouped-query attention (it is projected by
 * the layer's own k/v). PEFT supports only the model types in its TRANSFORMERS_MODEL_CONFIG (llama,
 * mistral, gpt2: `prepare_config`). Everything else is frozen, the task head too: the config has no
 * modules_to_save.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import { settle, type AddedParam, type ParamBreakdown } from "../../src/peft/apply.js";
import { TASK_MODULES_TO_SAVE } from "../../src/peft/defaults.js";
import { moduleTree } from "../../src/peft/modules.js";
import { describe, type Formula } from "../types.js";

/** PEFT's supported model types: the attention module to wrap and a child it reads (q_proj / c_proj weight dtype). */
const SUPPORTED: Readonly<Record<string, { target: string; child: string }>> = {
  llama: { target: "self_attn", child: "q_proj" },
  mistral: { target: "self_attn", child: "q_proj" },
  gpt2: { target: "attn", child: "c_proj" },
};

export const adaptionPromptOptionsSchema = lazySchema(() => z.object({
  adapter_len: describe(z.int().check(z.positive()), "prompt tokens per adapted layer (required)"),
  adapter_layers: describe(z.int().check(z.positive()), "adapted layers, counted from the top (required)"),
  target_modules: describe(z._default(z.nullable(z.string()), null), 'the attention modules to wrap (null: "self_attn", GPT-2 "attn")'),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type (the head stays frozen: no modules_to_save)"),
}));
export type AdaptionPromptOptions = z.output<typeof adaptionPromptOptionsSchema>;

export function countAdaptionPromptParams(inv: Inventory, o: AdaptionPromptOptions): ParamBreakdown {
  const spec = SUPPORTED[inv.modelType];
  if (!spec)
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `adaption-prompt: Unsupported model type for adaption prompt: '${inv.modelType}' (PEFT raises)`,
      `PEFT's LLaMA-Adapter supports ${Object.keys(SUPPORTED).join(", ")}`,
    );
  const target = o.target_modules ?? spec.target;
  const tree = moduleTree(inv.modules);
  const parents = tree.names.filter((n) => n.endsWith(`.${target}`));
  if (parents.length < o.adapter_layers)
    throw new InputError(
      "INVALID_OPTION",
      `adaption-prompt: Config specifies more adapter layers '${o.adapter_layers}' than the model has '${parents.length}' (PEFT raises)`,
      parents.length > 0 ? `use adapter_layers <= ${parents.length}` : `no module is named "${target}"; leave target_modules unset`,
    );
  const adapted = parents.slice(parents.length - o.adapter_layers);
  const notAttention = adapted.find((p) => !tree.names.includes(`${p}.${spec.child}`));
  if (notAttention !== undefined)
    throw new InputError("UNSUPPORTED_TARGET", `adaption-prompt: "${notAttention}" is not an attention module PEFT can adapt (it has no ${spec.child})`, `leave target_modules unset ("${spec.target}")`);
  const added: AddedParam[] = adapted.flatMap((module) => [
    { module, param: "adaption_prompt", count: o.adapter_len * inv.dims.hiddenSize },
    { module, param: "adaption_gate", count: 1 },
  ]);
  const warnings = TASK_MODULES_TO_SAVE[inv.task]
    ? [`LLaMA-Adapter has no modules_to_save: PEFT leaves the ${inv.task} head frozen${o.task_type ? " even with task_type set" : ""}`]
    : [];
  return settle({ inv, tree, added, wrapped: [], bias: "none", modulesToSave: null, trainableTokenIndices: null, warnings });
}

export const adaptionPrompt = {
  id: "adaption-prompt",
  title: "LLaMA-Adapter",
  paper: "arXiv:2303.16199",
  peftType: "ADAPTION_PROMPT",
  expression: "adapter_layers·(adapter_len·hidden_size + 1)",
  schema: adaptionPromptOptionsSchema,
  count: countAdaptionPromptParams,
} as const satisfies Formula<typeof adaptionPromptOptionsSchema>;
