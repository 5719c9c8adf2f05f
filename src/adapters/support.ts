/**
 * Which models AdapterHub can add adapters to, per release: the model classes with an adapter mixin
 * (adapters src/adapters/models/__init__.py MODEL_MIXIN_MAPPING) and, from 1.2.0, the plugin interfaces
 * (src/adapters/wrappers/interfaces.py CUSTOM_INTERFACES: bottleneck, LoRA, ReFT and invertible adapters only;
 * EAT: LoRA only). Prompt tuning needs the model's `support_prompt_tuning` (False for T5, mT5, BART, GPT-2,
 * GPT-J, Llama, Mistral, ...): from 1.2.0 `add_adapter` refuses it (`supports_adapter`), before that the
 * prompt-tuning layer was silently not added. This is AdapterHub's own support table, not a counting rule:
 * where adapters sit comes from the model's anatomy.
 */
import { InputError } from "../errors.js";
import { atLeast, formatVersion } from "../versions.js";
import type { AdapterHubContext } from "./types.js";

interface Support {
  /** first release with this model type */
  readonly since?: string;
  /** supported through a plugin interface: only these methods */
  readonly interfaceMethods?: readonly string[];
  /** the model's `support_prompt_tuning` */
  readonly promptTuning: boolean;
}

const INTERFACE = ["bottleneck", "lora", "reft", "invertible"] as const;
const mixin = (promptTuning: boolean, since?: string): Support => (since ? { promptTuning, since } : { promptTuning });
const plugin: Support = { since: "1.2.0", interfaceMethods: INTERFACE, promptTuning: false };

const MODEL_TYPES: Readonly<Record<string, Support>> = {
  albert: mixin(true),
  bart: mixin(false),
  beit: mixin(true),
  bert: mixin(true),
  "bert-generation": mixin(true),
  clip: mixin(false),
  deberta: mixin(true),
  "deberta-v2": mixin(true),
  distilbert: mixin(true),
  electra: mixin(true),
  "encoder-decoder": mixin(false),
  gpt2: mixin(false),
  gptj: mixin(false),
  llama: mixin(false),
  mbart: mixin(false),
  mistral: mixin(false),
  mt5: mixin(false),
  plbart: mixin(false),
  roberta: mixin(true),
  t5: mixin(false),
  vit: mixin(true),
  whisper: mixin(false),
  "xlm-roberta": mixin(true),
  xmod: mixin(true),
  modernbert: plugin,
  gemma2: plugin,
  gemma3_text: plugin,
  qwen2: plugin,
  qwen3: plugin,
  phi: plugin,
  // main 88f18eb (#832, after the v1.2.0 tag, reported as 1.2.0): an audio model's interface with LoRA only
  eat: { since: "1.2.0", interfaceMethods: ["lora"], promptTuning: false },
};

/** AdapterHub's method types (adapters src/adapters/interface.py AdapterMethod) */
export type AdapterHubMethodType = "bottleneck" | "prefix_tuning" | "lora" | "prompt_tuning" | "reft" | "invertible";

export function supportedModelTypes(ctx: AdapterHubContext): string[] {
  return Object.entries(MODEL_TYPES)
    .filter(([, s]) => s.since === undefined || atLeast(ctx.adapters, s.since))
    .map(([t]) => t)
    .sort();
}

/** What AdapterHub does with this model type in this release; refuses one it has no adapter support for. */
export function supportOf(modelType: string, ctx: AdapterHubContext): Support {
  const s = MODEL_TYPES[modelType];
  if (s && (s.since === undefined || atLeast(ctx.adapters, s.since))) return s;
  const later = s?.since ? ` (supported from adapters ${s.since})` : "";
  throw new InputError(
    "UNSUPPORTED_MODEL_TYPE",
    `AdapterHub (adapters ${formatVersion(ctx.adapters)}) has no adapter support for model_type "${modelType}"${later}`,
    `AdapterHub supports: ${supportedModelTypes(ctx).join(", ")}`,
  );
}

/** `true` when the model is adapted through a plugin interface (bottleneck layers hooked onto the layer). */
export function isInterfaceModel(modelType: string, ctx: AdapterHubContext): boolean {
  return supportOf(modelType, ctx).interfaceMethods !== undefined;
}

/**
 * Refuses a method the model's interface lacks, with AdapterHub's reason. Prompt tuning on a model without
 * `support_prompt_tuning` returns "skip" before 1.2.0 (the layer was silently not added: 0 parameters).
 */
export function checkMethodSupport(modelType: string, method: AdapterHubMethodType, ctx: AdapterHubContext): "ok" | "skip" {
  const s = supportOf(modelType, ctx);
  if (s.interfaceMethods && !s.interfaceMethods.includes(method))
    throw new InputError(
      "UNSUPPORTED_METHOD",
      `AdapterHub's plugin interface for ${modelType} supports ${s.interfaceMethods.join(", ")} adapters, not ${method} (add_adapter raises "Adapter config or type ... is not supported by this model")`,
      `use one of ${s.interfaceMethods.join(", ")} on ${modelType}`,
    );
  if (method === "prompt_tuning" && !s.promptTuning) {
    if (!atLeast(ctx.adapters, "1.2.0")) return "skip";
    throw new InputError(
      "UNSUPPORTED_METHOD",
      `AdapterHub's ${modelType} model does not support prompt tuning (support_prompt_tuning = False; adapters ${formatVersion(ctx.adapters)} refuses it in add_adapter)`,
      "adapters 1.0.x–1.1.x silently added no prompt (0 parameters): pass --adapters-version 1.0.0 to count that",
    );
  }
  return "ok";
}
