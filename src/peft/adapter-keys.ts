/**
 * What an adapter_config.json may hold: the keys of PEFT's config class for its `peft_type`, with their
 * defaults (peft 0.21's dataclasses, peft-config-keys.json; BONE from peft 0.18). A key PEFT does not know is a
 * typo or a key of another method: warned, with the nearest real key. A key PEFT knows that peftcount does not
 * model is refused when its value can change the count; count-neutral keys (initialisation, dropout, scaling,
 * bookkeeping) and keys left at PEFT's default pass.
 */
import { InputError, nearest } from "../errors.js";
import PEFT_CONFIG_KEYS from "./peft-config-keys.json" with { type: "json" };

const KEYS = PEFT_CONFIG_KEYS as Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Keys that never change a parameter count, whatever their value. */
const COUNT_NEUTRAL =
  /^(peft_type|task_type|base_model_name_or_path|revision|inference_mode|auto_mapping|peft_version|runtime_config|megatron_config|megatron_core|fan_in_fan_out|init_.*|.*_init|.*init_text|.*_dropout|dropout|.*alpha.*|.*scaling.*|.*_seed|.*prng_key|save_.*|tokenizer_.*|.*_kwargs|loftq_config|eva_config|corda_config|lora_ga_config|num_attention_heads|token_dim|num_layers|num_transformer_submodules|layers_pattern)$/;

const isEmpty = (v: unknown) => v === null || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface KeyReport {
  readonly warnings: readonly string[];
}

export function peftConfigKeys(peftType: string): readonly string[] | undefined {
  const k = KEYS[peftType];
  return k ? Object.keys(k) : undefined;
}

/**
 * Checks an adapter_config.json's keys against PEFT's config class and the formula's schema keys.
 * Throws for a modelled-nowhere key whose value matters; returns warnings for unknown keys.
 */
export function checkAdapterKeys(peftType: string, adapter: Readonly<Record<string, unknown>>, modelled: readonly string[], file: string): KeyReport {
  const known = KEYS[peftType];
  const warnings: string[] = [];
  if (!known) return { warnings };
  for (const [key, value] of Object.entries(adapter)) {
    if (modelled.includes(key)) continue;
    if (key in known) {
      if (COUNT_NEUTRAL.test(key) || isEmpty(value) || same(value, known[key])) continue;
      throw new InputError(
        "UNSUPPORTED_OPTION",
        `${file}: "${key}": ${JSON.stringify(value)} is an option of PEFT's ${peftType} config that peftcount does not model, and it can change the count`,
        `remove "${key}" (or set it to PEFT's default, ${JSON.stringify(known[key] ?? null)}) to count the rest`,
      );
    }
    const near = nearest(key, [...new Set([...Object.keys(known), ...modelled])]);
    warnings.push(`${file}: "${key}" is not an option of PEFT's ${peftType} config and is ignored${near ? ` (did you mean "${near}"?)` : ""}`);
  }
  if (adapter["inference_mode"] === true)
    warnings.push(`${file}: inference_mode is true (PEFT writes it on save); counting what training trains, as with inference_mode false`);
  return { warnings };
}
