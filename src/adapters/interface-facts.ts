/**
 * Facts of AdapterHub's per-model interfaces that the anatomy cannot tell, cited from the adapters source
 * (main 88f18eb, reported as 1.2.0; the same in v1.0.0). AdapterHub itself keys these on the model class
 * (`MODEL_MIXIN_MAPPING`), so they are keyed on `model_type` here. Which methods a model supports at all is
 * AdapterHub's support table (./support.ts).
 */

/**
 * AdapterHub's Llama and Mistral mixins wrap `mlp.down_proj` under the "intermediate" LoRA key and
 * `mlp.up_proj` under "output" (models/llama/mixin_llama.py and models/mistral/mixin_mistral.py
 * `*DecoderLayerMixin`); every other interface (mixins and the plugin interfaces, whose Qwen2 entry names
 * `layer_intermediate_proj="mlp.up_proj"`) wraps the projection into the intermediate width as
 * "intermediate" and the one back to the hidden width as "output".
 */
const FFN_KEYS_SWAPPED = new Set(["llama", "mistral"]);

export function ffnKeysSwapped(modelType: string): boolean {
  return FFN_KEYS_SWAPPED.has(modelType);
}
