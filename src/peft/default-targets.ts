/**
 * PEFT's default `target_modules` per method family and `model_type` (peft 0.21 `utils/constants.py`,
 * TRANSFORMERS_MODELS_TO_<METHOD>_TARGET_MODULES_MAPPING), used when an adapter config leaves
 * `target_modules` null. A model_type absent from a table makes PEFT refuse such a config.
 * Most families copy LoRA's table; the ones that differ are spelled out.
 */
type Table = Readonly<Record<string, string | readonly string[]>>;

export const LORA_TARGETS: Table = {
  t5: ["q", "v"],
  mt5: ["q", "v"],
  bart: ["q_proj", "v_proj"],
  gpt2: ["c_attn"],
  bloom: ["query_key_value"],
  "blip-2": ["q", "v", "q_proj", "v_proj"],
  opt: ["q_proj", "v_proj"],
  gptj: ["q_proj", "v_proj"],
  gpt_neox: ["query_key_value"],
  gpt_neo: ["q_proj", "v_proj"],
  bert: ["query", "value"],
  roberta: ["query", "value"],
  "xlm-roberta": ["query", "value"],
  electra: ["query", "value"],
  "deberta-v2": ["query_proj", "value_proj"],
  deberta: ["in_proj"],
  layoutlm: ["query", "value"],
  llama: ["q_proj", "v_proj"],
  llama4: ["q_proj", "v_proj"],
  chatglm: ["query_key_value"],
  gpt_bigcode: ["c_attn"],
  mpt: ["Wqkv"],
  RefinedWebModel: ["query_key_value"],
  RefinedWeb: ["query_key_value"],
  falcon: ["query_key_value"],
  btlm: ["c_proj", "c_attn"],
  codegen: ["qkv_proj"],
  mistral: ["q_proj", "v_proj"],
  mixtral: ["q_proj", "v_proj"],
  stablelm: ["q_proj", "v_proj"],
  phi: ["q_proj", "v_proj", "fc1", "fc2"],
  gemma: ["q_proj", "v_proj"],
  gemma2: ["q_proj", "v_proj"],
  gemma3_text: ["q_proj", "v_proj"],
  gemma4: ".*language_model\\..*\\.(q_proj|v_proj)",
  qwen2: ["q_proj", "v_proj"],
  qwen3: ["q_proj", "v_proj"],
  nemotron_h: ["q_proj", "k_proj", "v_proj", "o_proj"],
  rwkv: ["key", "value", "receptance", "output"],
  rwkv7: ["r_proj", "k_proj", "v_proj", "o_proj", "key", "value"],
};

export const ADAMSS_TARGETS: Table = { ...LORA_TARGETS, vit: ["query", "value"] };

export const BOFT_TARGETS: Table = LORA_TARGETS;

export const C3A_TARGETS: Table = { ...LORA_TARGETS, gpt2: ["mlp.c_proj"], gpt_bigcode: ["mlp.c_proj"] };

export const DEFT_TARGETS: Table = LORA_TARGETS;

export const DELORA_TARGETS: Table = LORA_TARGETS;

export const FOURIERFT_TARGETS: Table = { ...LORA_TARGETS, gpt2: ["mlp.c_proj"], gpt_bigcode: ["mlp.c_proj"] };

export const FROD_TARGETS: Table = { ...LORA_TARGETS, phi: ["q_proj", "v_proj"], vit: ["query", "value"] };

export const GLORA_TARGETS: Table = LORA_TARGETS;

export const GRALORA_TARGETS: Table = LORA_TARGETS;

export const HIRA_TARGETS: Table = LORA_TARGETS;

export const HRA_TARGETS: Table = LORA_TARGETS;

export const LILY_TARGETS: Table = LORA_TARGETS;

export const LOHA_TARGETS: Table = LORA_TARGETS;

export const LOKR_TARGETS: Table = LORA_TARGETS;

export const MISS_TARGETS: Table = LORA_TARGETS;

export const OFT_TARGETS: Table = LORA_TARGETS;

export const PEANUT_TARGETS: Table = LORA_TARGETS;

export const POLY_TARGETS: Table = LORA_TARGETS;

export const PSOFT_TARGETS: Table = LORA_TARGETS;

export const PVERA_TARGETS: Table = { ...LORA_TARGETS, phi: ["q_proj", "v_proj"], dinov2: ["query", "value"] };

export const RANDLORA_TARGETS: Table = LORA_TARGETS;

export const ROAD_TARGETS: Table = LORA_TARGETS;

export const SHIRA_TARGETS: Table = { ...LORA_TARGETS, phi: ["q_proj", "v_proj"] };

export const SUPERTUNING_TARGETS: Table = LORA_TARGETS;

export const TINYLORA_TARGETS: Table = LORA_TARGETS;

export const UNILORA_TARGETS: Table = LORA_TARGETS;

export const VERA_TARGETS: Table = { ...LORA_TARGETS, phi: ["q_proj", "v_proj"] };
