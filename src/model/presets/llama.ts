/**
 * Built-in Llama-like models (llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3, phi3).
 * Configs are pasted verbatim (key order kept) from shared/reference/configs where a copy exists,
 * otherwise the keys recorded with transformers' instantiation in shared/reference/inventories.json.
 * `publishedParams` is what transformers instantiates for the natural head (tied weights once).
 */
import type { Preset } from "./types.js";

const REFERENCE = "shared/reference/inventories.json";
const instantiated = (key: string) => `transformers 4.43.3 instantiation recorded in ${REFERENCE} (${key})`;
const recorded = (key: string) => `config recorded in ${REFERENCE} (${key}; parameter-relevant keys only, no verifiable verbatim config.json was found)`;
const ome = (file: string, id: string) =>
  `verbatim config.json from sgl-project/ome@17b77edad23bae262e0c9adb7f12039397a5d33d:pkg/hfutil/modelconfig/testdata/${file} (shared/reference/configs/${id}.json)`;
const aic = (file: string, id: string) =>
  `verbatim config.json from ai-dynamo/aiconfigurator@095f58a51c4ca8e61b66ec108d86f223f8d559ce:aic-core/src/aiconfigurator_core/model_configs/${file} (shared/reference/configs/${id}.json)`;

export const LLAMA_PRESETS: readonly Preset[] = [
  {
    id: "llama-2-7b", aliases: ["meta-llama/Llama-2-7b-hf"],
    config: {
      "model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32,
      "num_key_value_heads": 32, "vocab_size": 32000, "max_position_embeddings": 4096, "rms_norm_eps": 1e-05, "tie_word_embeddings": false,
      "hidden_act": "silu", "rope_theta": 10000.0,
    },
    publishedParams: 6_738_415_616, source: instantiated("llama-2-7b"),
    configSource: recorded("llama-2-7b"),
  },
  {
    id: "llama-2-13b", aliases: ["meta-llama/Llama-2-13b-hf"],
    config: {
      "model_type": "llama", "hidden_size": 5120, "intermediate_size": 13824, "num_hidden_layers": 40, "num_attention_heads": 40,
      "num_key_value_heads": 40, "vocab_size": 32000, "max_position_embeddings": 4096, "rms_norm_eps": 1e-05, "tie_word_embeddings": false,
      "hidden_act": "silu", "rope_theta": 10000.0,
    },
    publishedParams: 13_015_864_320, source: instantiated("llama-2-13b"),
    configSource: recorded("llama-2-13b"),
  },
  {
    id: "llama-2-70b", aliases: ["meta-llama/Llama-2-70b-hf"],
    config: {
      "model_type": "llama", "hidden_size": 8192, "intermediate_size": 28672, "num_hidden_layers": 80, "num_attention_heads": 64,
      "num_key_value_heads": 8, "vocab_size": 32000, "max_position_embeddings": 4096, "rms_norm_eps": 1e-05, "tie_word_embeddings": false,
      "hidden_act": "silu", "rope_theta": 10000.0,
    },
    publishedParams: 68_976_648_192, source: instantiated("llama-2-70b"),
    configSource: recorded("llama-2-70b"),
  },
  {
    id: "llama-3-8b", aliases: ["meta-llama/Meta-Llama-3-8B"],
    config: {
      "model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
      "num_key_value_heads": 8, "vocab_size": 128256, "max_position_embeddings": 8192, "rms_norm_eps": 1e-05, "tie_word_embeddings": false,
      "hidden_act": "silu", "rope_theta": 500000.0,
    },
    publishedParams: 8_030_261_248, source: instantiated("llama-3-8b"),
    configSource: recorded("llama-3-8b"),
  },
  {
    id: "llama-3-70b", aliases: ["meta-llama/Meta-Llama-3-70B"],
    config: {
      "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000, "eos_token_id": 128001,
      "hidden_act": "silu", "hidden_size": 8192, "initializer_range": 0.02, "intermediate_size": 28672, "max_position_embeddings": 8192,
      "model_type": "llama", "num_attention_heads": 64, "num_hidden_layers": 80, "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
      "rope_scaling": null, "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.40.0.dev0",
      "use_cache": true, "vocab_size": 128256,
    },
    publishedParams: 70_553_706_496, source: instantiated("llama-3-70b"),
    configSource: ome("llama3.json", "llama-3-70b"),
  },
  {
    id: "llama-3.1-8b", aliases: ["meta-llama/Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B"],
    config: {
      "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000, "eos_token_id": 128001,
      "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 131072,
      "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "pretraining_tp": 1,
      "rms_norm_eps": 1e-05,
      "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
      "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.43.0.dev0", "use_cache": true,
      "vocab_size": 128256,
    },
    publishedParams: 8_030_261_248,
    source: "Hugging Face safetensors parameter count of meta-llama/Llama-3.1-8B: 8,030,261,248 (model.safetensors.index.json total_size 16,060,522,496 bytes = 2 bytes x 8,030,261,248 in BF16); equal to the transformers 4.43.3 instantiation of Meta-Llama-3-8B (same dimensions) in shared/reference/inventories.json",
    configSource: aic("meta-llama--Meta-Llama-3.1-8B_config.json", "llama-3.1-8b"),
    note: "The exact count was found quoted from the Hugging Face safetensors metadata by secondary sources (the model page itself rounds to 8.03B); our inventory gives the same 8,030,261,248.",
  },
  {
    id: "llama-3.1-405b", aliases: ["meta-llama/Llama-3.1-405B", "meta-llama/Meta-Llama-3.1-405B"],
    config: {
      "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000, "eos_token_id": 128001,
      "hidden_act": "silu", "hidden_size": 16384, "initializer_range": 0.02, "intermediate_size": 53248, "max_position_embeddings": 131072,
      "mlp_bias": false, "model_type": "llama", "num_attention_heads": 128, "num_hidden_layers": 126, "num_key_value_heads": 8, "pretraining_tp": 1,
      "rms_norm_eps": 1e-05,
      "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
      "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.42.3", "use_cache": true,
      "vocab_size": 128256,
    },
    publishedParams: 405_853_388_800,
    source: "Hugging Face API record of meta-llama/Llama-3.1-405B: safetensors total 405,853,388,800 parameters (the model page rounds to 406B)",
    configSource: aic("meta-llama--Meta-Llama-3.1-405B_config.json", "llama-3.1-405b"),
    note: "The exact count was found quoted from the Hugging Face API by secondary sources; our inventory gives the same 405,853,388,800.",
  },
  {
    id: "llama-3.2-1b", aliases: ["meta-llama/Llama-3.2-1B"],
    config: {
      "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000,
      "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02,
      "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32,
      "num_hidden_layers": 16, "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
      "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
      "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.45.0.dev0", "use_cache": true,
      "vocab_size": 128256,
    },
    publishedParams: 1_235_814_400, source: instantiated("llama-3.2-1b; tied lm_head counted once"),
    configSource: ome("llama3_2_1b.json", "llama-3.2-1b"),
    note: "The config is Llama-3.2-1B-Instruct's (eos_token_id list); the base model differs only in eos_token_id.",
  },
  {
    id: "llama-3.2-3b", aliases: ["meta-llama/Llama-3.2-3B"],
    config: {
      "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000, "eos_token_id": 128001,
      "head_dim": 128, "hidden_act": "silu", "hidden_size": 3072, "initializer_range": 0.02, "intermediate_size": 8192,
      "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 24, "num_hidden_layers": 28,
      "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
      "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
      "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.45.0.dev0", "use_cache": true,
      "vocab_size": 128256,
    },
    publishedParams: 3_212_749_824, source: instantiated("llama-3.2-3b; tied lm_head counted once"),
    configSource: "config.json of meta-llama/Llama-3.2-3B from citsjtu2020/LLM-Prof@8434c8d19c396b2f95d92a67845a7c0a0e0dd512:sglang/Model_Config.md, section 'Llama-3.2-3B' (shared/reference/configs/llama-3.2-3b.json; keys and values unchanged)",
  },
  {
    id: "mistral-7b-v0.1", aliases: ["mistralai/Mistral-7B-v0.1"],
    config: {
      "architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 4096,
      "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 32768, "model_type": "mistral", "num_attention_heads": 32,
      "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "sliding_window": 4096,
      "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.34.0.dev0", "use_cache": true, "vocab_size": 32000,
    },
    publishedParams: 7_241_732_096, source: instantiated("mistral-7b-v0.1"),
    configSource: ome("mistral.json", "mistral-7b-v0.1"),
  },
  {
    id: "qwen2.5-0.5b", aliases: ["Qwen/Qwen2.5-0.5B"],
    config: {
      "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu",
      "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24,
      "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
      "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.40.1",
      "use_cache": true, "use_mrope": false, "use_sliding_window": false, "vocab_size": 151936,
    },
    publishedParams: 494_032_768,
    source: "Hugging Face safetensors parameter count of Qwen/Qwen2.5-0.5B: 494,032,768 (290 BF16 tensors; the page shows 494M); equal to the transformers 4.43.3 instantiation of Qwen2-0.5B (same dimensions) in shared/reference/inventories.json",
    configSource: ome("qwen2.5_0.5b.json", "qwen2.5-0.5b"),
    note: "Tied embeddings: lm_head shares embed_tokens and is counted once.",
  },
  {
    id: "qwen2.5-7b", aliases: ["Qwen/Qwen2.5-7B"],
    config: {
      "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu",
      "hidden_size": 3584, "initializer_range": 0.02, "intermediate_size": 18944, "max_position_embeddings": 131072, "max_window_layers": 28,
      "model_type": "qwen2", "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4, "rms_norm_eps": 1e-06,
      "rope_theta": 1000000.0, "sliding_window": 131072, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.40.1",
      "use_cache": true, "use_mrope": false, "use_sliding_window": false, "vocab_size": 152064,
    },
    publishedParams: 7_615_616_512, source: instantiated("qwen2.5-7b"),
    configSource: ome("qwen2.5_7b.json", "qwen2.5-7b"),
  },
  {
    id: "qwen2.5-72b", aliases: ["Qwen/Qwen2.5-72B"],
    config: {
      "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu",
      "hidden_size": 8192, "initializer_range": 0.02, "intermediate_size": 29568, "max_position_embeddings": 131072, "max_window_layers": 80,
      "model_type": "qwen2", "num_attention_heads": 64, "num_hidden_layers": 80, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
      "rope_theta": 1000000.0, "sliding_window": 131072, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.43.1",
      "use_cache": true, "use_sliding_window": false, "vocab_size": 152064,
    },
    publishedParams: 72_706_203_648,
    source: "Hugging Face safetensors metadata: 72,706,203,648 parameters for the Qwen2.5-72B architecture (the Qwen/Qwen2.5-72B page rounds to 72.7B)",
    configSource: ome("qwen2.5_72b.json", "qwen2.5-72b"),
    note: "The exact count was found in safetensors metadata quoted for Qwen2.5-72B checkpoints with unchanged shapes (Instruct and fine-tunes), not on the base model's page, which shows 72.7B; our inventory gives 72,706,203,648, which agrees.",
  },
  {
    id: "qwen3-8b", aliases: ["Qwen/Qwen3-8B"],
    config: {
      "architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151645,
      "head_dim": 128, "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 12288,
      "max_position_embeddings": 40960, "max_window_layers": 36, "model_type": "qwen3", "num_attention_heads": 32, "num_hidden_layers": 36,
      "num_key_value_heads": 8, "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000, "sliding_window": null,
      "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.51.0", "use_cache": true, "use_sliding_window": false,
      "vocab_size": 151936,
    },
    publishedParams: 8_190_735_360,
    source: "Qwen/Qwen3-8B safetensors shard headers: 399 BF16 tensors, 8,190,735,360 parameters (16,381,470,720 bytes); the model page rounds to 8.19B",
    configSource: aic("Qwen--Qwen3-8B_config.json", "qwen3-8b"),
    note: "The exact count was found quoted from the checkpoint headers by secondary sources; our inventory gives the same 8,190,735,360.",
  },
  {
    id: "gemma-2b", aliases: ["google/gemma-2b"],
    config: {
      "model_type": "gemma", "hidden_size": 2048, "intermediate_size": 16384, "num_hidden_layers": 18, "num_attention_heads": 8,
      "num_key_value_heads": 1, "head_dim": 256, "vocab_size": 256000, "max_position_embeddings": 8192, "rms_norm_eps": 1e-06,
      "tie_word_embeddings": true, "hidden_act": "gelu_pytorch_tanh", "hidden_activation": "gelu_pytorch_tanh", "rope_theta": 10000.0,
    },
    publishedParams: 2_506_172_416, source: instantiated("gemma-2b; tied lm_head counted once"),
    configSource: recorded("gemma-2b"),
  },
  {
    id: "gemma-2-9b", aliases: ["google/gemma-2-9b"],
    config: {
      "architectures": ["Gemma2ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "attn_logit_softcapping": 50.0, "bos_token_id": 2,
      "cache_implementation": "hybrid", "eos_token_id": 1, "final_logit_softcapping": 30.0, "head_dim": 256, "hidden_act": "gelu_pytorch_tanh",
      "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 3584, "initializer_range": 0.02, "intermediate_size": 14336,
      "max_position_embeddings": 8192, "model_type": "gemma2", "num_attention_heads": 16, "num_hidden_layers": 42, "num_key_value_heads": 8,
      "pad_token_id": 0, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06, "rope_theta": 10000.0, "sliding_window": 4096,
      "sliding_window_size": 4096, "torch_dtype": "float32", "transformers_version": "4.42.0.dev0", "use_cache": true, "vocab_size": 256000,
    },
    publishedParams: 9_241_705_984,
    source: "google/gemma-2-9b safetensors: 9,241,705,984 parameters (every tensor of the F32 checkpoint, 36,966,823,936 bytes); the model page rounds to 9.24B",
    configSource: ome("gemma_2_9b.json", "gemma-2-9b"),
    note: "Tied embeddings: lm_head shares embed_tokens and is counted once. The exact count was found quoted from the checkpoint by secondary sources; our inventory gives the same.",
  },
  {
    id: "phi-3-mini-4k", aliases: ["microsoft/Phi-3-mini-4k-instruct"],
    config: {
      "model_type": "phi3", "hidden_size": 3072, "intermediate_size": 8192, "num_hidden_layers": 32, "num_attention_heads": 32,
      "num_key_value_heads": 32, "vocab_size": 32064, "max_position_embeddings": 4096, "original_max_position_embeddings": 4096,
      "rms_norm_eps": 1e-05, "tie_word_embeddings": false, "hidden_act": "silu", "rope_theta": 10000.0, "sliding_window": 2047,
    },
    publishedParams: 3_821_079_552, source: instantiated("phi-3-mini-4k"),
    configSource: recorded("phi-3-mini-4k"),
  },
  {
    id: "gemma-3-1b", aliases: ["google/gemma-3-1b-pt", "google/gemma-3-1b-it"],
    config: {
      "architectures": ["Gemma3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "attn_logit_softcapping": null, "bos_token_id": 2,
      "cache_implementation": "hybrid", "eos_token_id": [1, 106], "final_logit_softcapping": null, "head_dim": 256,
      "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 1152, "initializer_range": 0.02, "intermediate_size": 6912,
      "max_position_embeddings": 32768, "model_type": "gemma3_text", "num_attention_heads": 4, "num_hidden_layers": 26, "num_key_value_heads": 1,
      "pad_token_id": 0, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06, "rope_local_base_freq": 10000, "rope_scaling": null,
      "rope_theta": 1000000, "sliding_window": 512, "sliding_window_pattern": 6, "torch_dtype": "bfloat16", "transformers_version": "4.50.0.dev0",
      "use_cache": true, "vocab_size": 262144,
    },
    publishedParams: 999_885_952,
    source: "google/gemma-3-1b-it safetensors (BF16): 999,885,952 parameters; the model page shows 1,000M",
    configSource: ome("gemma3_text.json", "gemma-3-1b"),
    note: "Gemma3ForCausalLM (text-only); tied lm_head counted once. The config's eos_token_id [1, 106] suggests the -it file; -pt has the same shapes. Not in transformers 4.43 (added in 4.50): module names follow current transformers.",
  },
  {
    id: "gemma-3-27b", aliases: ["google/gemma-3-27b-pt", "google/gemma-3-27b-it"],
    config: {
      "architectures": ["Gemma3ForConditionalGeneration"], "boi_token_index": 255999, "eoi_token_index": 256000, "eos_token_id": [1, 106],
      "image_token_index": 262144, "initializer_range": 0.02, "mm_tokens_per_image": 256, "model_type": "gemma3",
      "text_config": {"head_dim": 128, "hidden_size": 5376, "intermediate_size": 21504, "model_type": "gemma3_text", "num_attention_heads": 32, "num_hidden_layers": 62, "num_key_value_heads": 16, "query_pre_attn_scalar": 168, "rope_scaling": {"factor": 8.0, "rope_type": "linear"}, "sliding_window": 1024},
      "torch_dtype": "bfloat16", "transformers_version": "4.50.0.dev0",
      "vision_config": {"hidden_size": 1152, "image_size": 896, "intermediate_size": 4304, "model_type": "siglip_vision_model", "num_attention_heads": 16, "num_hidden_layers": 27, "patch_size": 14, "vision_use_head": false},
    },
    publishedParams: 27_009_346_304,
    source: "google/gemma-3-27b-it safetensors total 27,432,406,640 parameters (page: 27.4B) minus the SigLIP vision tower (416,866,032) and the multimodal projector (6,194,304), both computed from the config's vision_config",
    configSource: ome("gemma3.json", "gemma-3-27b"),
    note: "Language model only: text_config read with Gemma3TextConfig defaults (vocab_size 262208, tied embeddings), built as Gemma3ForCausalLM; the vision tower and projector of Gemma3ForConditionalGeneration are not counted.",
  },
];
