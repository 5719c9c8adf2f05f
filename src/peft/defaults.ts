/**
 * PEFT's default `target_modules` per `model_type`, used when an adapter config leaves
 * `target_modules` null (peft 0.17 `utils/constants.py`, TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING).
 * A model_type absent here (phi3, qwen2_moe, ...) makes PEFT refuse a config without targets.
 */
export const LORA_DEFAULT_TARGETS: Readonly<Record<string, readonly string[]>> = {
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
  qwen2: ["q_proj", "v_proj"],
  qwen3: ["q_proj", "v_proj"],
};

/** Head names PEFT's task models add to `modules_to_save` (peft_model.py). */
export const TASK_MODULES_TO_SAVE: Readonly<Record<string, readonly string[]>> = {
  SEQ_CLS: ["classifier", "score"],
  TOKEN_CLS: ["classifier", "score"],
  QUESTION_ANS: ["qa_outputs"],
};

/** Names `all-linear` checks for a SEQ_CLS head to leave out (constants.py SEQ_CLS_HEAD_NAMES). */
export const SEQ_CLS_HEAD_NAMES = ["score", "classifier"] as const;
