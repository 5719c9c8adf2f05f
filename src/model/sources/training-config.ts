/**
 * Training configs → the adapter_config.json the tool hands to PEFT (pure: the YAML is parsed by the CLI).
 * axolotl (`src/axolotl/loaders/adapter.py` load_lora, config schema `utils/schemas/peft.py`):
 *   adapter lora|qlora → LORA; lora_r → r; lora_alpha; lora_dropout; lora_target_modules → target_modules;
 *   lora_target_linear: true → every Linear but the output layer (PEFT's "all-linear"); lora_modules_to_save →
 *   modules_to_save; lora_fan_in_fan_out → fan_in_fan_out; peft_use_dora → use_dora; peft_use_rslora →
 *   use_rslora; peft_layers_to_transform → layers_to_transform; peft_layers_pattern → layers_pattern;
 *   base_model (base_model_config, when given, names the config) → base_model_name_or_path.
 * LLaMA-Factory (`hparams/finetuning_args.py` LoraArguments, `model/adapter.py` _setup_lora_tuning):
 *   finetuning_type lora (its default); lora_rank → r (default 8); lora_alpha (default 2 × rank);
 *   lora_dropout (default 0); lora_target "all" → all-linear, else a comma-separated list (default "all");
 *   additional_target → modules_to_save; use_dora; use_rslora; model_name_or_path → base_model_name_or_path.
 * Keys that change what is trained but that a count from the config cannot model are warned about by name.
 */
import { didYouMean, InputError } from "../../errors.js";

export interface TrainingAdapter {
  readonly adapter: Record<string, unknown>;
  readonly warnings: readonly string[];
}

type Doc = Record<string, unknown>;

const AXOLOTL_LORA_KEYS = ["lora_r", "lora_alpha", "lora_dropout", "lora_target_modules", "lora_target_linear", "lora_modules_to_save", "lora_fan_in_fan_out", "lora_model_dir", "lora_on_cpu", "lora_mlp_kernel", "lora_qkv_kernel", "lora_o_kernel", "lora_embedding_kernel", "lora_dropout_kernel", "peft_use_dora", "peft_use_rslora", "peft_layers_to_transform", "peft_layers_pattern", "peft_init_lora_weights", "peft_layer_replication", "peft_trainable_token_indices", "peft_ensure_weight_tying", "peft_target_parameters", "peft_autocast_adapter_dtype", "lora_target_parameters"];
const AXOLOTL_UNMODELLED: Readonly<Record<string, string>> = {
  unfrozen_parameters: "unfreezes base parameters by pattern (trainable beyond the adapter)",
  tokens: "adds tokens, which resizes the embeddings",
  added_tokens_overrides: "changes the vocabulary",
  resize_token_embeddings_to_32x: "pads the vocabulary to a multiple of 32, which resizes the embeddings",
  lora_model_dir: "resumes from a saved adapter: count that adapter_config.json instead",
  peft_layer_replication: "replicates layers",
  peft_target_parameters: "targets parameters (MoE experts) that this mapping does not pass on",
  lora_target_parameters: "targets parameters (MoE experts) that this mapping does not pass on",
  peft_trainable_token_indices: "trains single token rows",
};
const LF_LORA_KEYS = ["lora_rank", "lora_alpha", "lora_dropout", "lora_target", "additional_target", "loraplus_lr_ratio", "loraplus_lr_embedding", "use_rslora", "use_dora", "pissa_init", "pissa_iter", "pissa_convert", "create_new_adapter", "lora_parameters"];
const LF_UNMODELLED: Readonly<Record<string, string>> = {
  resize_vocab: "resizes the embeddings to the tokenizer",
  new_special_tokens: "adds tokens, which resizes the embeddings",
  adapter_name_or_path: "starts from a saved adapter: count that adapter_config.json instead",
  use_llama_pro: "expands the model with new trainable blocks",
};

const isSet = (v: unknown) => v !== undefined && v !== null && v !== "" && v !== false;

function positiveInt(doc: Doc, key: string, label: string, fallback?: number): number | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) throw new InputError("INVALID_TRAINING_CONFIG", `${label}: ${key} must be a positive integer (got ${JSON.stringify(v)})`, `fix "${key}" in ${label}`);
  return v;
}

function names(doc: Doc, key: string, label: string): string[] | undefined {
  const v = doc[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v as string[];
  throw new InputError("INVALID_TRAINING_CONFIG", `${label}: ${key} must be a list of module names (got ${JSON.stringify(v)})`, `fix "${key}" in ${label}`);
}

/** Unknown keys in the adapter's own namespace (a typo there silently changes what is trained). */
function typoWarnings(doc: Doc, label: string, prefix: RegExp, known: readonly string[]): string[] {
  return Object.keys(doc)
    .filter((k) => prefix.test(k) && !known.includes(k))
    .map((k) => `${label}: unknown key "${k}" is ignored; ${didYouMean(k, known)}the count uses the defaults for what it was meant to set`);
}

function unmodelled(doc: Doc, label: string, table: Readonly<Record<string, string>>): string[] {
  return Object.entries(table).filter(([k]) => isSet(doc[k])).map(([k, why]) => `${label}: "${k}" ${why}; the count does not include it`);
}

export function fromAxolotl(doc: Doc, label: string): TrainingAdapter {
  const kind = doc["adapter"];
  if (kind !== "lora" && kind !== "qlora")
    throw new InputError("INVALID_TRAINING_CONFIG", `${label}: adapter is ${JSON.stringify(kind ?? null)}; peftcount reads axolotl's lora and qlora adapters`, kind === undefined || kind === null ? 'set "adapter: lora" (without it axolotl fine-tunes every parameter)' : `use "peftcount count --method ..." for ${String(kind)}`);
  const base = doc["base_model_config"] ?? doc["base_model"];
  if (typeof base !== "string" || base === "") throw new InputError("INVALID_TRAINING_CONFIG", `${label}: base_model is missing`, "axolotl configs name the model in base_model");
  const warnings = [...typoWarnings(doc, label, /^(lora|peft)_/, AXOLOTL_LORA_KEYS), ...unmodelled(doc, label, AXOLOTL_UNMODELLED)];
  const listed = names(doc, "lora_target_modules", label);
  let target: string | string[] | null = listed ?? null;
  if (doc["lora_target_linear"] === true) {
    target = "all-linear";
    if (listed?.length) warnings.push(`${label}: lora_target_linear adds every Linear layer to lora_target_modules; counted as target_modules "all-linear" (a listed non-Linear module is not included)`);
  }
  const r = positiveInt(doc, "lora_r", label, 8)!;
  const adapter: Record<string, unknown> = {
    peft_type: "LORA",
    task_type: "CAUSAL_LM",
    base_model_name_or_path: base,
    r,
    lora_alpha: positiveInt(doc, "lora_alpha", label, 8),
    lora_dropout: typeof doc["lora_dropout"] === "number" ? doc["lora_dropout"] : 0,
    target_modules: target,
    use_dora: doc["peft_use_dora"] === true,
    use_rslora: doc["peft_use_rslora"] === true,
    fan_in_fan_out: doc["lora_fan_in_fan_out"] === true,
  };
  const save = names(doc, "lora_modules_to_save", label);
  if (save) adapter["modules_to_save"] = save;
  const layers = doc["peft_layers_to_transform"];
  if (layers !== undefined && layers !== null) adapter["layers_to_transform"] = layers;
  if (typeof doc["peft_layers_pattern"] === "string" || Array.isArray(doc["peft_layers_pattern"])) adapter["layers_pattern"] = doc["peft_layers_pattern"];
  return { adapter, warnings };
}

export function fromLlamaFactory(doc: Doc, label: string): TrainingAdapter {
  const type = doc["finetuning_type"] ?? "lora";
  if (type !== "lora")
    throw new InputError("INVALID_TRAINING_CONFIG", `${label}: finetuning_type is ${JSON.stringify(type)}; peftcount reads LLaMA-Factory's lora fine-tuning`, type === "full" || type === "freeze" ? "full and freeze fine-tuning train base parameters: see the full fine-tuning row of peftcount compare" : 'use "finetuning_type: lora"');
  const base = doc["model_name_or_path"];
  if (typeof base !== "string" || base === "") throw new InputError("INVALID_TRAINING_CONFIG", `${label}: model_name_or_path is missing`, "LLaMA-Factory configs name the model in model_name_or_path");
  const warnings = [...typoWarnings(doc, label, /^(lora|pissa|loraplus)_/, LF_LORA_KEYS), ...unmodelled(doc, label, LF_UNMODELLED)];
  if (doc["stage"] === "rm" || doc["stage"] === "ppo") warnings.push(`${label}: stage ${String(doc["stage"])} adds a value head (hidden_size + 1 parameters, trainable); the count does not include it`);
  const r = positiveInt(doc, "lora_rank", label, 8)!;
  const targets = names(doc, "lora_target", label) ?? ["all"];
  const adapter: Record<string, unknown> = {
    peft_type: "LORA",
    task_type: "CAUSAL_LM",
    base_model_name_or_path: base,
    r,
    lora_alpha: positiveInt(doc, "lora_alpha", label, r * 2),
    lora_dropout: typeof doc["lora_dropout"] === "number" ? doc["lora_dropout"] : 0,
    target_modules: targets.length === 1 && targets[0] === "all" ? "all-linear" : targets,
    use_dora: doc["use_dora"] === true,
    use_rslora: doc["use_rslora"] === true,
  };
  const save = names(doc, "additional_target", label);
  if (save) adapter["modules_to_save"] = save;
  return { adapter, warnings };
}
