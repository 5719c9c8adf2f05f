/**
 * Facts of AdapterHub's per-model interfaces that the anatomy cannot tell, each cited from the adapters
 * source (main 88f18eb, reported as 1.2.0; tag v1.0.0 where it differs). AdapterHub itself keys these on the
 * model type (its `MODEL_MIXIN_MAPPING` and `CUSTOM_INTERFACES`), so they are keyed on `model_type` here.
 */
import { InputError } from "../errors.js";
import { atLeast, type Version } from "../versions.js";

/**
 * Models integrated through the plugin `AdapterModelInterface` (src/adapters/wrappers/interfaces.py,
 * since 1.2.0, commit 2884024 #738) and the methods each lists in `adapter_methods`.
 */
export const PLUGIN_INTERFACE_METHODS: Readonly<Record<string, readonly string[]>> = {
  modernbert: ["bottleneck", "lora", "reft", "invertible"],
  gemma2: ["bottleneck", "lora", "reft", "invertible"],
  gemma3_text: ["bottleneck", "lora", "reft", "invertible"],
  qwen2: ["bottleneck", "lora", "reft", "invertible"],
  qwen3: ["bottleneck", "lora", "reft", "invertible"],
  phi: ["bottleneck", "lora", "reft", "invertible"],
};

/**
 * Mixin models whose base class sets `support_prompt_tuning = False` (models/{bart,gpt2,gptj,llama,mistral,
 * plbart,t5,whisper,clip,encoder_decoder}/mixin_*.py; mT5 and mBART reuse the T5 / BART mixins).
 */
const NO_PROMPT_TUNING = new Set(["bart", "mbart", "plbart", "gpt2", "gptj", "llama", "mistral", "t5", "mt5", "whisper", "clip", "encoder-decoder"]);

/**
 * AdapterHub's Llama and Mistral mixins wrap `mlp.down_proj` under the "intermediate" LoRA key and
 * `mlp.up_proj` under "output" (models/llama/mixin_llama.py and models/mistral/mixin_mistral.py
 * `*DecoderLayerMixin`, the same in v1.0.0); every other interface wraps the projection into the
 * intermediate width as "intermediate" and the one back to the hidden width as "output".
 */
const FFN_KEYS_SWAPPED = new Set(["llama", "mistral"]);

export function ffnKeysSwapped(modelType: string): boolean {
  return FFN_KEYS_SWAPPED.has(modelType);
}

/**
 * AdapterHub's `supports_adapter` (model_mixin.py, since 1.2.0): a plugin interface supports only the
 * methods it lists; a mixin model supports prompt tuning only if its class allows it. Before 1.2.0 there was
 * no such check: prompt tuning on a model without it silently added no prompt (`null` = add nothing).
 */
export function checkSupported(method: "prefix_tuning" | "prompt_tuning" | "lora" | "reft", modelType: string, adapters: Version): "ok" | "nothing" {
  const plugin = PLUGIN_INTERFACE_METHODS[modelType];
  const reason = `AdapterHub ${atLeast(adapters, "1.2.0") ? "refuses it" : "has no interface for it"}: "Adapter config or type '${method}' is not supported by this model."`;
  if (plugin) {
    if (!plugin.includes(method))
      throw new InputError("ADAPTERS_METHOD_UNSUPPORTED", `${method} on ${modelType}: AdapterHub's plugin interface for ${modelType} lists only ${plugin.join(", ")}; ${reason}`, `use one of ${plugin.join(", ")}`);
    return "ok";
  }
  if (method === "prompt_tuning" && NO_PROMPT_TUNING.has(modelType)) {
    if (!atLeast(adapters, "1.2.0")) return "nothing";
    throw new InputError("ADAPTERS_METHOD_UNSUPPORTED", `prompt_tuning on ${modelType}: its AdapterHub interface has no prompt tuning (support_prompt_tuning = False); ${reason}`, "use prefix_tuning or lora; adapters < 1.2.0 silently added no prompt (0 trainable)");
  }
  return "ok";
}
