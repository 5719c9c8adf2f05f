/**
 * AdapterHub (`adapters`) methods and named configs. One method per AdapterHub `architecture` (bottleneck
 * adapters are `null`), and the named configs of AdapterHub's `ADAPTER_CONFIG_MAP` over them (`seq_bn`,
 * `houlsby`, `compacter`, `lora`, `ia3`, `mam`, ...). Add entries to the two lists (one line each).
 * CLI ids are namespaced: `adapters:<named config>` (`adapters:seq_bn`, `adapters:lora`).
 */
import { didYouMean } from "../../src/errors.js";
import type { AdapterHubMethod, AdapterHubNamedConfig } from "../../src/adapters/types.js";
import { BOTTLENECK_CONFIGS, bottleneck } from "./bottleneck.js";
import { UNION_CONFIGS } from "./unions.js";
import { IA3_CONFIG } from "./ia3.js";
import { LORA_CONFIGS, adaptersLora } from "./lora.js";
import { MTL_LORA_CONFIG, adaptersMtlLora } from "./mtl-lora.js";
import { PREFIX_TUNING_CONFIGS, adaptersPrefixTuning } from "./prefix-tuning.js";
import { PROMPT_TUNING_CONFIG, adaptersPromptTuning } from "./prompt-tuning.js";
import { REFT_CONFIGS, adaptersLoreft } from "./reft.js";

/** methods by architecture */
export const ADAPTERHUB_METHODS: readonly AdapterHubMethod[] = [bottleneck, adaptersLora, adaptersPrefixTuning, adaptersPromptTuning, adaptersLoreft, adaptersMtlLora];

/** named configs, in the order `methods` lists them */
export const ADAPTERHUB_CONFIGS: readonly AdapterHubNamedConfig[] = [...BOTTLENECK_CONFIGS, ...LORA_CONFIGS, IA3_CONFIG, MTL_LORA_CONFIG, ...PREFIX_TUNING_CONFIGS, PROMPT_TUNING_CONFIG, ...REFT_CONFIGS, ...UNION_CONFIGS];

/** peftcount's option on every AdapterHub config: also train the layer norms (the Compacter paper's `unfreeze_layer_norms`) */
export const UNFREEZE_LAYER_NORMS = "unfreeze_layer_norms";
export const UNFREEZE_LAYER_NORMS_TEXT = "peftcount's option, not an AdapterHub key (the Compacter paper's): also train every layer norm of the model";

/** peftcount's keys for a flexible head on AdapterHub's AdapterModel (src/adapters/heads.ts), listed by `methods` */
export const HEAD_OPTIONS = [
  { key: "head", default: null, required: false, description: "peftcount's option: add a flexible head as add_*_head does (classification, multilabel_classification, tagging, multiple_choice, question_answering, causal_lm, masked_lm, seq2seq_lm) on the bare model" },
  { key: "head_layers", default: null, required: false, description: "the head's layers (add_*_head's default: 2 for classification, multiple choice and LM heads, 1 for tagging, QA, seq2seq_lm)" },
  { key: "num_labels", default: 2, required: false, description: "the head's labels (classification, tagging, question answering; also --num-labels)" },
] as const;

/** the CLI prefix of AdapterHub method ids */
export const ADAPTERHUB_PREFIX = "adapters:";

export function methodForArchitecture(architecture: string | null): AdapterHubMethod | undefined {
  return ADAPTERHUB_METHODS.find((m) => m.architecture === architecture);
}

export function namedConfig(name: string): AdapterHubNamedConfig | undefined {
  return ADAPTERHUB_CONFIGS.find((c) => c.name === name);
}

export function namedConfigNames(): string[] {
  return ADAPTERHUB_CONFIGS.map((c) => c.name);
}

/** "did you mean" text for an unknown config name */
export function unknownConfigHint(name: string): string {
  return `${didYouMean(name, namedConfigNames())}AdapterHub configs: ${namedConfigNames().join(", ")}`;
}
