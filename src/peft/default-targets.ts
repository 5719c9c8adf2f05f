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

export const ADALORA_TARGETS: Table = {
  t5: ["q", "k", "v", "o", "wi", "wo"],
  mt5: ["q", "k", "v", "o", "wi_0", "wi_1", "wo"],
  bart: ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
  gpt2: ["c_attn"],
  bloom: ["query_key_value"],
  opt: ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
  gptj: ["q_proj", "v_proj"],
  gpt_neox: ["query_key_value"],
  gpt_neo: ["q_proj", "v_proj"],
  llama: ["q_proj", "v_proj"],
  llama4: ["q_proj", "v_proj"],
  bert: ["query", "value"],
  roberta: ["query", "key", "value", "dense"],
  "deberta-v2": ["query_proj", "key_proj", "value_proj", "dense"],
  gpt_bigcode: ["c_attn"],
  deberta: ["in_proj"],
  gemma: ["q_proj", "v_proj"],
  gemma2: ["q_proj", "v_proj"],
  gemma3_text: ["q_proj", "v_proj"],
  gemma4: ".*language_model\\..*\\.(q_proj|v_proj)",
  qwen2: ["q_proj", "v_proj"],
  qwen3: ["q_proj", "v_proj"],
  nemotron_h: ["q_proj", "k_proj", "v_proj", "o_proj"],
};

export const ADAMSS_TARGETS: Table = { ...LORA_TARGETS, vit: ["query", "value"] };

export const BEFT_TARGETS: Table = {
  t5: ["v"],
  mt5: ["v"],
  roberta: ["value"],
  opt: ["v_proj"],
  gptj: ["v_proj"],
  gpt_neo: ["v_proj"],
  bart: ["v_proj"],
  llama: ["v_proj"],
  llama4: ["v_proj"],
  mistral: ["v_proj"],
  mixtral: ["v_proj"],
  bert: ["value"],
  "deberta-v2": ["value_proj"],
  phi: ["v_proj"],
  gemma: ["v_proj"],
  gemma2: ["v_proj"],
  gemma3_text: ["v_proj"],
  qwen2: ["v_proj"],
  qwen3: ["v_proj"],
};

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

export const IA3_FEEDFORWARD_MODULES: Table = {
  t5: ["wo"],
  mt5: [],
  gpt2: ["mlp.c_proj"],
  bloom: ["mlp.dense_4h_to_h"],
  roberta: ["output.dense"],
  opt: ["fc2"],
  gptj: ["fc_out"],
  gpt_neox: ["dense_4h_to_h"],
  gpt_neo: ["c_proj"],
  bart: ["fc2"],
  gpt_bigcode: ["mlp.c_proj"],
  llama: ["down_proj"],
  llama4: ["down_proj"],
  mistral: ["down_proj"],
  mixtral: ["w2"],
  bert: ["output.dense"],
  "deberta-v2": ["output.dense"],
  deberta: ["output.dense"],
  RefinedWeb: ["dense_4h_to_h"],
  RefinedWebModel: ["dense_4h_to_h"],
  falcon: ["dense_4h_to_h"],
  phi: ["fc2"],
  gemma: ["down_proj"],
  gemma2: ["down_proj"],
  gemma3_text: ["down_proj"],
  qwen2: ["down_proj"],
  qwen3: ["down_proj"],
};

export const IA3_TARGETS: Table = {
  t5: ["k", "v", "wo"],
  mt5: ["k", "v", "wi_1"],
  gpt2: ["c_attn", "mlp.c_proj"],
  bloom: ["query_key_value", "mlp.dense_4h_to_h"],
  roberta: ["key", "value", "output.dense"],
  opt: ["q_proj", "k_proj", "fc2"],
  gptj: ["q_proj", "v_proj", "fc_out"],
  gpt_neox: ["query_key_value", "dense_4h_to_h"],
  gpt_neo: ["q_proj", "v_proj", "c_proj"],
  bart: ["q_proj", "v_proj", "fc2"],
  gpt_bigcode: ["c_attn", "mlp.c_proj"],
  llama: ["k_proj", "v_proj", "down_proj"],
  llama4: ["q_proj", "v_proj", "down_proj"],
  mistral: ["k_proj", "v_proj", "down_proj"],
  mixtral: ["k_proj", "v_proj", "w2"],
  bert: ["key", "value", "output.dense"],
  "deberta-v2": ["key_proj", "value_proj", "output.dense"],
  deberta: ["in_proj", "output.dense"],
  RefinedWebModel: ["query_key_value", "dense_4h_to_h"],
  RefinedWeb: ["query_key_value", "dense_4h_to_h"],
  falcon: ["query_key_value", "dense_4h_to_h"],
  phi: ["q_proj", "v_proj", "fc2"],
  gemma: ["q_proj", "v_proj", "down_proj"],
  gemma2: ["q_proj", "v_proj", "down_proj"],
  gemma3_text: ["q_proj", "v_proj", "down_proj"],
  qwen2: ["q_proj", "v_proj", "down_proj"],
  qwen3: ["q_proj", "v_proj", "down_proj"],
};

export const LILY_TARGETS: Table = LORA_TARGETS;

export const LN_TUNING_TARGETS: Table = {
  llama: ["input_layernorm", "post_attention_layernorm", "norm"],
  bloom: ["input_layernorm", "post_attention_layernorm", "ln_f"],
  llava: ["multi_modal_projector", "input_layernorm", "post_attention_layernorm", "norm", "embed_tokens", "lm_head"],
  t5: ["layer_norm", "final_layer_norm"],
  mt5: ["layer_norm", "final_layer_norm"],
  bart: ["self_attn_layer_norm", "encoder_attn_layer_norm", "final_layer_norm"],
  gpt2: ["ln_1", "ln_2", "ln_f"],
  "blip-2": ["layernorm", "LayerNorm", "final_layer_norm", "self_attn_layer_norm"],
  gptj: ["ln_1", "ln_f"],
  falcon: ["input_layernorm", "post_attention_layernorm", "ln_f"],
  mistral: ["input_layernorm", "post_attention_layernorm", "norm"],
  phi: ["input_layernorm", "final_layernorm"],
  gemma: ["input_layernorm", "post_attention_layernorm", "norm"],
  gemma2: ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm", "norm"],
  gemma3_text: ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm", "norm"],
  qwen2: ["post_attention_layernorm"],
  qwen3: ["post_attention_layernorm"],
};

export const LOHA_TARGETS: Table = LORA_TARGETS;

export const LOKR_TARGETS: Table = LORA_TARGETS;

export const MISS_TARGETS: Table = LORA_TARGETS;

export const OFT_TARGETS: Table = LORA_TARGETS;

export const OSF_TARGETS: Table = {
  llama: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  llama4: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  mistral: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  mixtral: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  gemma: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  gemma2: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  gemma3_text: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  qwen2: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  qwen3: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  phi: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "down_proj", "up_proj"],
  gpt2: ["c_attn", "c_proj"],
  bloom: ["query_key_value", "dense_4h_to_h"],
  opt: ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
  gptj: ["q_proj", "k_proj", "v_proj", "out_proj", "fc_in", "fc_out"],
  gpt_neox: ["query_key_value", "dense_4h_to_h"],
  falcon: ["query_key_value", "dense_4h_to_h"],
  gpt_bigcode: ["c_attn", "c_proj"],
};

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

export const VBLORA_TARGETS: Table = {
  t5: ["q", "k", "v", "o", "wi", "wo"],
  mt5: ["q", "k", "v", "o", "wi_0", "wi_1", "wo"],
  bart: ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
  gpt2: ["c_attn"],
  bloom: ["query_key_value"],
  opt: ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
  gptj: ["q_proj", "v_proj"],
  gpt_neox: ["query_key_value"],
  gpt_neo: ["q_proj", "v_proj"],
  llama: ["q_proj", "v_proj"],
  llama4: ["q_proj", "v_proj"],
  bert: ["query", "value"],
  roberta: ["query", "value"],
  "deberta-v2": ["query_proj", "key_proj", "value_proj", "dense"],
  gpt_bigcode: ["c_attn"],
  deberta: ["in_proj"],
  gemma: ["q_proj", "v_proj"],
  gemma2: ["q_proj", "v_proj"],
  gemma3_text: ["q_proj", "v_proj"],
  gemma4: ".*language_model\\..*\\.(q_proj|v_proj)",
  qwen2: ["q_proj", "v_proj"],
  qwen3: ["q_proj", "v_proj"],
  nemotron_h: ["q_proj", "k_proj", "v_proj", "o_proj"],
};

export const VERA_TARGETS: Table = { ...LORA_TARGETS, phi: ["q_proj", "v_proj"] };

export const WAVEFT_TARGETS: Table = {
  t5: ["q", "v"],
  mt5: ["q", "v"],
  bart: ["q_proj", "v_proj"],
  gpt2: ["mlp.c_proj"],
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
  gpt_bigcode: ["mlp.c_proj"],
  mpt: ["Wqkv"],
  RefinedWebModel: ["query_key_value"],
  RefinedWeb: ["query_key_value"],
  falcon: ["query_key_value"],
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
};

