/**
 * Mixture-of-experts presets of the families transformers 5 builds (DeepSeek-V2/V3, OLMoE, gpt-oss, Llama 4,
 * DBRX, Jamba, Phi-3.5-MoE, Granite MoE). Publishers give rounded totals and active counts, each in its own
 * convention; `moe` records them with their source, and `publishedParams` is what transformers 5.18 builds
 * (`oracle inventory`, meta device), which reproduces the published figures within their rounding
 * (tests/model/presets-moe.test.ts). Configs: verbatim where a verbatim copy exists (shared/reference/configs,
 * ai-dynamo/aiconfigurator), otherwise the parameter-relevant keys, as each configSource says.
 */
import type { Preset } from "./types.js";

const BUILT = "parameters transformers 5.18.0 builds for this config (oracle inventory, meta device); the publisher gives rounded figures only: see moe and note";
const aic = (file: string, id: string) =>
  `verbatim config.json from ai-dynamo/aiconfigurator@095f58a51c4ca8e61b66ec108d86f223f8d559ce:aic-core/src/aiconfigurator_core/model_configs/${file} (shared/reference/configs/${id}.json)`;
const keysOf = (repo: string) => `the parameter-relevant keys of ${repo}'s config.json as quoted in a public project's test fixtures (no verbatim copy was found)`;
const fromCard = (repo: string) => `the parameter-relevant keys of ${repo}'s config.json, written from its model card and config (no verbatim copy was found); checked against the published total and active counts`;

export const MOE_MODERN_PRESETS: readonly Preset[] = [
  {
    id: "deepseek-v2-lite", aliases: ["deepseek-ai/DeepSeek-V2-Lite", "deepseek-ai/DeepSeek-V2-Lite-Chat"],
    config: {
      "architectures": ["DeepseekV2ForCausalLM"], "first_k_dense_replace": 1, "hidden_act": "silu", "hidden_size": 2048, "intermediate_size": 10944,
      "kv_lora_rank": 512, "max_position_embeddings": 163840, "model_type": "deepseek_v2", "moe_intermediate_size": 1408, "moe_layer_freq": 1,
      "n_routed_experts": 64, "n_shared_experts": 2, "num_attention_heads": 16, "num_experts_per_tok": 6, "num_hidden_layers": 27, "num_key_value_heads": 16,
      "q_lora_rank": null, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "rope_theta": 10000, "tie_word_embeddings": false, "v_head_dim": 128,
      "vocab_size": 102400,
    },
    publishedParams: 15_706_484_224, source: BUILT,
    configSource: keysOf("deepseek-ai/DeepSeek-V2-Lite-Chat"),
    moe: { total: 1.57e10, active: 2.4e9, unit: 1e8, rounding: "truncated", activeConvention: "without-embedding", url: "https://arxiv.org/abs/2405.04434" },
    note: "DeepSeek-V2 paper: 15.7B total, 2.4B activated per token. We build 15,706,484,224 and 2,451,435,008 active without the input embedding (2,661,150,208 with it): the published 2.4B drops the second decimal. The first layer is dense (first_k_dense_replace 1); 64 routed experts (6 per token) and 2 shared experts per MoE layer; q_lora_rank null: a full-rank q_proj.",
  },
  {
    id: "deepseek-v2", aliases: ["deepseek-ai/DeepSeek-V2", "deepseek-ai/DeepSeek-V2-Chat"],
    config: {
      "architectures": ["DeepseekV2ForCausalLM"], "first_k_dense_replace": 1, "hidden_act": "silu", "hidden_size": 5120, "intermediate_size": 12288,
      "kv_lora_rank": 512, "max_position_embeddings": 163840, "model_type": "deepseek_v2", "moe_intermediate_size": 1536, "moe_layer_freq": 1,
      "n_routed_experts": 160, "n_shared_experts": 2, "num_attention_heads": 128, "num_experts_per_tok": 6, "num_hidden_layers": 60,
      "num_key_value_heads": 128, "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "rope_theta": 10000, "tie_word_embeddings": false,
      "v_head_dim": 128, "vocab_size": 102400,
    },
    publishedParams: 235_741_434_880, source: BUILT,
    configSource: fromCard("deepseek-ai/DeepSeek-V2"),
    moe: { total: 2.36e11, active: 2.1e10, unit: 1e9, rounding: "nearest", activeConvention: "without-embedding", url: "https://huggingface.co/deepseek-ai/DeepSeek-V2" },
    note: "Model card: 236B total, 21B activated. We build 235,741,434,880 and 20,851,512,320 active without the input embedding (21,375,800,320 with it): both round to 21B. 160 routed experts (6 per token), 2 shared.",
  },
  {
    id: "deepseek-v3", aliases: ["deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-V3-Base", "deepseek-ai/DeepSeek-V3-0324"],
    config: {
      "architectures": ["DeepseekV3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
      "auto_map": {"AutoConfig": "configuration_deepseek.DeepseekV3Config", "AutoModel": "modeling_deepseek.DeepseekV3Model", "AutoModelForCausalLM": "modeling_deepseek.DeepseekV3ForCausalLM"},
      "bos_token_id": 0, "eos_token_id": 1, "ep_size": 1, "first_k_dense_replace": 3, "hidden_act": "silu", "hidden_size": 7168, "initializer_range": 0.02,
      "intermediate_size": 18432, "kv_lora_rank": 512, "max_position_embeddings": 163840, "model_type": "deepseek_v3", "moe_intermediate_size": 2048,
      "moe_layer_freq": 1, "n_group": 8, "n_routed_experts": 256, "n_shared_experts": 1, "norm_topk_prob": true, "num_attention_heads": 128,
      "num_experts_per_tok": 8, "num_hidden_layers": 61, "num_key_value_heads": 128, "num_nextn_predict_layers": 1, "q_lora_rank": 1536,
      "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
      "quantization_config": {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8", "weight_block_size": [128, 128]}, "rms_norm_eps": 1e-06,
      "rope_scaling": {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0, "original_max_position_embeddings": 4096, "type": "yarn"},
      "rope_theta": 10000, "routed_scaling_factor": 2.5, "scoring_func": "sigmoid", "tie_word_embeddings": false, "topk_group": 4, "topk_method": "noaux_tc",
      "torch_dtype": "bfloat16", "transformers_version": "4.33.1", "use_cache": true, "v_head_dim": 128, "vocab_size": 129280,
    },
    publishedParams: 671_026_404_352, source: BUILT,
    configSource: aic("deepseek-ai--DeepSeek-V3_config.json", "deepseek-v3"),
    moe: { total: 6.71e11, active: 3.7e10, unit: 1e9, rounding: "nearest", activeConvention: "without-embedding", url: "https://huggingface.co/deepseek-ai/DeepSeek-V3" },
    note: "Model card: 671B total, 37B activated; the 685B on Hugging Face adds the multi-token-prediction (MTP) module, which transformers does not build: peftcount reports it in a note (11,610,067,968 parameters plus 1,853,358,080 in its copies of the embedding and head), never in the total. We build 671,026,404,352 and 36,625,603,584 active without the input embedding (37,552,282,624 with it). The router's e_score_correction_bias is a buffer, not a parameter.",
  },
  {
    id: "olmoe-1b-7b", aliases: ["allenai/OLMoE-1B-7B-0924", "allenai/OLMoE-1B-7B-0924-Instruct", "allenai/OLMoE-1B-7B-0125", "allenai/OLMoE-1B-7B-0125-Instruct"],
    config: {
      "architectures": ["OlmoeForCausalLM"], "hidden_size": 2048, "intermediate_size": 1024, "max_position_embeddings": 4096, "model_type": "olmoe",
      "num_attention_heads": 16, "num_experts": 64, "num_experts_per_tok": 8, "num_hidden_layers": 16, "num_key_value_heads": 16,
      "tie_word_embeddings": false, "vocab_size": 50304,
    },
    publishedParams: 6_919_161_856, source: BUILT,
    configSource: keysOf("allenai/OLMoE-1B-7B-0125-Instruct"),
    moe: { total: 6.9e9, active: 1.3e9, unit: 1e8, rounding: "nearest", activeConvention: "with-embedding", url: "https://arxiv.org/abs/2409.02060" },
    note: "OLMoE paper: 6.9B total, 1.3B active. We build 6,919,161,856 and 1,282,017,280 active (1,178,994,688 without the input embedding). 64 experts, 8 per token, q/k norms.",
  },
  {
    id: "gpt-oss-20b", aliases: ["openai/gpt-oss-20b"],
    config: {
      "architectures": ["GptOssForCausalLM"], "attention_bias": true, "attention_dropout": 0.0, "eos_token_id": 200002, "experts_per_token": 4,
      "head_dim": 64, "hidden_act": "silu", "hidden_size": 2880, "initial_context_length": 4096, "initializer_range": 0.02, "intermediate_size": 2880,
      "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention"],
      "max_position_embeddings": 131072, "model_type": "gpt_oss", "num_attention_heads": 64, "num_experts_per_tok": 4, "num_hidden_layers": 24,
      "num_key_value_heads": 8, "num_local_experts": 32, "output_router_logits": false, "pad_token_id": 199999,
      "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"},
      "rms_norm_eps": 1e-05,
      "rope_scaling": {"beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0, "original_max_position_embeddings": 4096, "rope_type": "yarn", "truncate": false},
      "rope_theta": 150000, "router_aux_loss_coef": 0.9, "sliding_window": 128, "swiglu_limit": 7.0, "tie_word_embeddings": false,
      "transformers_version": "4.55.0.dev0", "use_cache": true, "vocab_size": 201088,
    },
    publishedParams: 20_914_757_184, source: BUILT,
    configSource: aic("openai--gpt-oss-20b_config.json", "gpt-oss-20b"),
    moe: { total: 2.091e10, active: 3.61e9, unit: 1e7, rounding: "nearest", activeConvention: "without-embedding", url: "https://arxiv.org/abs/2508.10925" },
    note: "gpt-oss model card (table 1): 20.91B total, 3.61B active, counting the unembedding but not the embedding. We build 20,914,757,184 and 3,608,307,264 active without the input embedding (4,187,440,704 with it). The MXFP4 quantization_config does not change the counts. 32 experts, 4 per token.",
  },
  {
    id: "gpt-oss-120b", aliases: ["openai/gpt-oss-120b"],
    config: {
      "architectures": ["GptOssForCausalLM"], "attention_bias": true, "attention_dropout": 0.0, "eos_token_id": 200002, "experts_per_token": 4,
      "head_dim": 64, "hidden_act": "silu", "hidden_size": 2880, "initial_context_length": 4096, "initializer_range": 0.02, "intermediate_size": 2880,
      "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention"],
      "max_position_embeddings": 131072, "model_type": "gpt_oss", "num_attention_heads": 64, "num_experts_per_tok": 4, "num_hidden_layers": 36,
      "num_key_value_heads": 8, "num_local_experts": 128, "output_router_logits": false, "pad_token_id": 199999,
      "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"},
      "rms_norm_eps": 1e-05,
      "rope_scaling": {"beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0, "original_max_position_embeddings": 4096, "rope_type": "yarn", "truncate": false},
      "rope_theta": 150000, "router_aux_loss_coef": 0.9, "sliding_window": 128, "swiglu_limit": 7.0, "tie_word_embeddings": false,
      "transformers_version": "4.55.0.dev0", "use_cache": true, "vocab_size": 201088,
    },
    publishedParams: 116_829_156_672, source: BUILT,
    configSource: aic("openai--gpt-oss-120b_config.json", "gpt-oss-120b"),
    moe: { total: 1.1683e11, active: 5.13e9, unit: 1e7, rounding: "nearest", activeConvention: "without-embedding", url: "https://arxiv.org/abs/2508.10925" },
    note: "gpt-oss model card (table 1): 116.83B total, 5.13B active, counting the unembedding but not the embedding. We build 116,829,156,672 and 5,132,849,472 active without the input embedding (5,711,982,912 with it). 128 experts, 4 per token.",
  },
  {
    id: "llama-4-scout", aliases: ["meta-llama/Llama-4-Scout-17B-16E", "meta-llama/Llama-4-Scout-17B-16E-Instruct"],
    config: {
      "architectures": ["Llama4ForConditionalGeneration"], "boi_token_index": 200080, "eoi_token_index": 200081, "image_token_index": 200092,
      "model_type": "llama4",
      "text_config": {"_attn_implementation_autoset": true, "attention_bias": false, "attention_chunk_size": 8192, "attention_dropout": 0.0, "bos_token_id": 200000, "eos_token_id": [200001, 200007, 200008], "for_llm_compressor": false, "head_dim": 128, "hidden_act": "silu", "hidden_size": 5120, "initializer_range": 0.02, "interleave_moe_layer_step": 1, "intermediate_size": 8192, "intermediate_size_mlp": 16384, "max_position_embeddings": 10485760, "model_type": "llama4_text", "no_rope_layers": [], "num_attention_heads": 40, "num_experts_per_tok": 1, "num_hidden_layers": 48, "num_key_value_heads": 8, "num_local_experts": 16, "output_router_logits": false, "pad_token_id": 200018, "rms_norm_eps": 1e-05, "rope_scaling": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}, "rope_theta": 500000.0, "router_aux_loss_coef": 0.001, "router_jitter_noise": 0.0, "torch_dtype": "bfloat16", "use_cache": true, "use_qk_norm": true, "vocab_size": 202048},
      "torch_dtype": "bfloat16", "transformers_version": "4.51.0.dev0",
      "vision_config": {"_attn_implementation_autoset": true, "attention_dropout": 0.0, "hidden_act": "gelu", "hidden_size": 1408, "image_size": 336, "initializer_range": 0.02, "intermediate_size": 5632, "model_type": "llama4_vision_model", "multi_modal_projector_bias": false, "norm_eps": 1e-05, "num_attention_heads": 16, "num_channels": 3, "num_hidden_layers": 34, "patch_size": 14, "pixel_shuffle_ratio": 0.5, "projector_dropout": 0.0, "projector_input_dim": 4096, "projector_output_dim": 4096, "rope_theta": 10000, "vision_feature_layer": -1, "vision_feature_select_strategy": "default", "vision_output_dim": 4096},
    },
    publishedParams: 107_769_861_120, source: BUILT,
    configSource: "shared/reference/configs/llama-4-scout.json (sgl-project/ome testdata llama4_scout_17b_16e.json: an edited copy whose parameter-relevant dims agree with a second copy; see its SOURCES.md)",
    moe: { active: 1.7e10, unit: 1e9, rounding: "nearest", activeConvention: "with-embedding", url: "https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E" },
    note: "Model card: 17B active, 109B total; the 109B includes the vision encoder and projector, which peftcount does not build (it counts the text model, Llama4ForCausalLM): 107,769,861,120. 17,172,894,720 active (16,138,408,960 without the input embedding). 16 routed experts, 1 per token, plus a shared expert in every layer.",
  },
  {
    id: "llama-4-maverick", aliases: ["meta-llama/Llama-4-Maverick-17B-128E", "meta-llama/Llama-4-Maverick-17B-128E-Instruct"],
    config: {
      "architectures": ["Llama4ForConditionalGeneration"], "boi_token_index": 200080, "eoi_token_index": 200081, "image_token_index": 200092,
      "model_type": "llama4",
      "text_config": {"attention_bias": false, "attention_chunk_size": 8192, "attention_dropout": 0.0, "head_dim": 128, "hidden_act": "silu", "hidden_size": 5120, "interleave_moe_layer_step": 2, "intermediate_size": 8192, "intermediate_size_mlp": 16384, "max_position_embeddings": 1048576, "model_type": "llama4_text", "num_attention_heads": 40, "num_experts_per_tok": 1, "num_hidden_layers": 48, "num_key_value_heads": 8, "num_local_experts": 128, "output_router_logits": false, "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 500000.0, "router_aux_loss_coef": 0.001, "torch_dtype": "bfloat16", "use_cache": true, "use_qk_norm": false, "vocab_size": 202048},
      "torch_dtype": "bfloat16", "transformers_version": "4.51.0.dev0",
      "vision_config": {"attention_dropout": 0.0, "hidden_act": "gelu", "hidden_size": 1408, "image_size": 336, "initializer_range": 0.02, "intermediate_size": 5632, "model_type": "llama4_vision_model", "multi_modal_projector_bias": false, "norm_eps": 1e-05, "num_attention_heads": 16, "num_channels": 3, "num_hidden_layers": 34, "patch_size": 14, "pixel_shuffle_ratio": 0.5, "projector_dropout": 0.0, "projector_input_dim": 4096, "projector_output_dim": 4096, "rope_theta": 10000, "torch_dtype": "bfloat16", "vision_feature_layer": -1, "vision_feature_select_strategy": "default", "vision_output_dim": 4096},
    },
    publishedParams: 400_711_848_960, source: BUILT,
    configSource: "verbatim config.json from ai-dynamo/aiconfigurator@64c5ddb697dd8ad88a938f65b23d25cf5f45de12:aic-core/src/aiconfigurator_core/model_configs/meta-llama--Llama-4-Maverick-17B-128E-Instruct_config.json",
    moe: { active: 1.7e10, unit: 1e9, rounding: "nearest", activeConvention: "with-embedding", url: "https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E" },
    note: "Model card: 17B active, 400B total; the total includes the vision encoder and projector, which peftcount does not build (it counts the text model, Llama4ForCausalLM): 400,711,848,960, so only the active figure is compared. 17,184,691,200 active (16,150,205,440 without the input embedding). MoE every other layer (interleave_moe_layer_step 2): 128 routed experts, 1 per token, plus a shared expert; the other layers are dense (intermediate_size_mlp).",
  },
  {
    id: "dbrx", aliases: ["databricks/dbrx-base", "databricks/dbrx-instruct"],
    config: {
      "architectures": ["DbrxForCausalLM"], "attn_config": {"clip_qkv": 8, "kv_n_heads": 8, "rope_theta": 500000}, "d_model": 6144, "emb_pdrop": 0.0,
      "ffn_config": {"ffn_hidden_size": 10752, "moe_jitter_eps": 0.01, "moe_loss_weight": 0.05, "moe_num_experts": 16, "moe_top_k": 4}, "max_seq_len": 32768,
      "model_type": "dbrx", "n_heads": 48, "n_layers": 40, "tie_word_embeddings": false, "vocab_size": 100352,
    },
    publishedParams: 131_596_523_520, source: BUILT,
    configSource: fromCard("databricks/dbrx-base"),
    moe: { total: 1.32e11, active: 3.6e10, unit: 1e9, rounding: "nearest", activeConvention: "with-embedding", url: "https://huggingface.co/databricks/dbrx-base" },
    note: "Model card: 132B total, 36B active. We build 131,596,523,520 and 36,469,708,800 active (35,853,146,112 without the input embedding). 16 experts, 4 per token.",
  },
  {
    id: "jamba-v0.1", aliases: ["ai21labs/Jamba-v0.1"],
    config: {
      "architectures": ["JambaForCausalLM"], "attn_layer_offset": 4, "attn_layer_period": 8, "expert_layer_offset": 1, "expert_layer_period": 2,
      "hidden_size": 4096, "intermediate_size": 14336, "mamba_conv_bias": true, "mamba_d_conv": 4, "mamba_d_state": 16, "mamba_dt_rank": 256,
      "mamba_expand": 2, "mamba_proj_bias": false, "model_type": "jamba", "num_attention_heads": 32, "num_experts": 16, "num_experts_per_tok": 2,
      "num_hidden_layers": 32, "num_key_value_heads": 8, "tie_word_embeddings": false, "vocab_size": 65536,
    },
    publishedParams: 51_570_323_328, source: BUILT,
    configSource: fromCard("ai21labs/Jamba-v0.1"),
    moe: { total: 5.2e10, active: 1.2e10, unit: 1e9, rounding: "nearest", activeConvention: "with-embedding", url: "https://huggingface.co/ai21labs/Jamba-v0.1" },
    note: "Model card: 52B total, 12B active. We build 51,570,323,328 and 12,110,311,296 active (11,841,875,840 without the input embedding). One attention layer in 8 (the rest Mamba), MoE every other layer: 16 experts, 2 per token.",
  },
  {
    id: "phi-3.5-moe", aliases: ["microsoft/Phi-3.5-MoE-instruct"],
    config: {
      "architectures": ["PhiMoEForCausalLM"], "attention_bias": true, "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 6400,
      "lm_head_bias": true, "max_position_embeddings": 131072, "model_type": "phimoe", "num_attention_heads": 32, "num_experts_per_tok": 2,
      "num_hidden_layers": 32, "num_key_value_heads": 8, "num_local_experts": 16, "tie_word_embeddings": false, "vocab_size": 32064,
    },
    publishedParams: 41_873_153_344, source: BUILT,
    configSource: fromCard("microsoft/Phi-3.5-MoE-instruct"),
    moe: { total: 4.19e10, active: 6.6e9, unit: 1e8, rounding: "nearest", activeConvention: "with-embedding", url: "https://huggingface.co/microsoft/Phi-3.5-MoE-instruct" },
    note: "Model card: 41.9B total, 6.6B active. We build 41,873,153,344 and 6,640,999,744 active (6,509,665,600 without the input embedding). 16 experts, 2 per token; LayerNorm with biases, attention and lm_head biases.",
  },
  {
    id: "granite-3.1-3b-a800m", aliases: ["ibm-granite/granite-3.1-3b-a800m-base", "ibm-granite/granite-3.1-3b-a800m-instruct"],
    config: {
      "architectures": ["GraniteMoeForCausalLM"], "hidden_act": "silu", "hidden_size": 1536, "intermediate_size": 512, "max_position_embeddings": 131072,
      "model_type": "granitemoe", "num_attention_heads": 24, "num_experts_per_tok": 8, "num_hidden_layers": 32, "num_key_value_heads": 8,
      "num_local_experts": 40, "rope_theta": 10000000.0, "tie_word_embeddings": true, "vocab_size": 49155,
    },
    publishedParams: 3_298_793_472, source: BUILT,
    configSource: keysOf("ibm-granite/granite-3.1-3b-a800m-instruct"),
    moe: { total: 3.3e9, active: 8e8, unit: 1e8, rounding: "nearest", activeRounding: "truncated", activeConvention: "with-embedding", url: "https://huggingface.co/ibm-granite/granite-3.1-3b-a800m-instruct" },
    note: "Model card: 3.3B total, 800M active (the \"A800M\" of the name). We build 3,298,793,472 and 882,874,368 active (the embedding is tied to the LM head, so both conventions agree): the published 800M drops the last digit. 40 experts, 8 per token.",
  },
];
