/**
 * Built-in mixture-of-experts models (mixtral, qwen2_moe, qwen3_moe). Configs are pasted verbatim (key order
 * kept) from shared/reference/configs where a copy exists, otherwise the keys recorded in
 * shared/reference/inventories.json. `publishedParams` counts every expert (total, not active); `moe` is
 * the publisher's rounded total / active figures with their source.
 */
import { MOE_MODERN_PRESETS } from "./moe-modern.js";
import type { Preset } from "./types.js";

const REFERENCE = "shared/reference/inventories.json";
const instantiated = (key: string) => `transformers 4.43.3 instantiation recorded in ${REFERENCE} (${key}, experts as separate Linear modules)`;
const recorded = (key: string) => `config recorded in ${REFERENCE} (${key}; parameter-relevant keys only, no verifiable verbatim config.json was found)`;
const aic = (file: string, id: string) =>
  `verbatim config.json from ai-dynamo/aiconfigurator@095f58a51c4ca8e61b66ec108d86f223f8d559ce:aic-core/src/aiconfigurator_core/model_configs/${file} (shared/reference/configs/${id}.json)`;

const CLASSIC_MOE_PRESETS: readonly Preset[] = [
  {
    id: "mixtral-8x7b", aliases: ["mistralai/Mixtral-8x7B-v0.1", "mistralai/Mixtral-8x7B-Instruct-v0.1"],
    config: {
      "architectures": ["MixtralForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
      "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 32768, "model_type": "mixtral",
      "num_attention_heads": 32, "num_experts_per_tok": 2, "num_hidden_layers": 32, "num_key_value_heads": 8, "num_local_experts": 8,
      "output_router_logits": false, "rms_norm_eps": 1e-05, "rope_theta": 1000000.0, "router_aux_loss_coef": 0.02, "sliding_window": null,
      "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.36.0.dev0", "use_cache": true, "vocab_size": 32000,
    },
    publishedParams: 46_702_792_704, source: instantiated("mixtral-8x7b-v0.1"),
    configSource: aic("mistralai--Mixtral-8x7B-v0.1_config.json", "mixtral-8x7b"),
    moe: { total: 46.7e9, active: 12.9e9, unit: 1e8, rounding: "nearest", activeConvention: "with-embedding", url: "https://mistral.ai/news/mixtral-of-experts" },
    note: "8 experts, 2 per token: 12,879,925,248 active parameters per token (Mistral: 46.7B total, 12.9B per token).",
  },
  {
    id: "mixtral-8x22b", aliases: ["mistralai/Mixtral-8x22B-v0.1", "mistralai/Mixtral-8x22B-Instruct-v0.1"],
    config: {
      "architectures": ["MixtralForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
      "hidden_size": 6144, "initializer_range": 0.02, "intermediate_size": 16384, "max_position_embeddings": 65536, "model_type": "mixtral",
      "num_attention_heads": 48, "num_experts_per_tok": 2, "num_hidden_layers": 56, "num_key_value_heads": 8, "num_local_experts": 8,
      "output_router_logits": false, "rms_norm_eps": 1e-05, "rope_theta": 1000000, "router_aux_loss_coef": 0.001, "sliding_window": null,
      "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.38.0", "use_cache": true, "vocab_size": 32000,
    },
    publishedParams: 140_620_634_112,
    source: "Hugging Face safetensors parameter count of the Mixtral-8x22B-v0.1 checkpoint: 140,620,634,112 (mistral-community/Mixtral-8x22B-v0.1 mirror; the mistralai/Mixtral-8x22B-v0.1 page rounds to 141B)",
    configSource: aic("mistralai--Mixtral-8x22B-v0.1_config.json", "mixtral-8x22b"),
    moe: { total: 141e9, active: 39e9, unit: 1e9, rounding: "nearest", activeConvention: "with-embedding", url: "https://mistral.ai/news/mixtral-8x22b" },
    note: "The exact count was found for the official weights' community mirror (and for WizardLM-2-8x22B, same shapes), not on the mistralai page, which shows 141B; our inventory gives 140,620,634,112, which agrees. 39,152,031,744 active per token (2 of 8 experts).",
  },
  {
    id: "qwen1.5-moe-a2.7b", aliases: ["Qwen/Qwen1.5-MoE-A2.7B", "Qwen/Qwen1.5-MoE-A2.7B-Chat"],
    config: {
      "model_type": "qwen2_moe", "hidden_size": 2048, "intermediate_size": 5632, "moe_intermediate_size": 1408,
      "shared_expert_intermediate_size": 5632, "num_experts": 60, "num_experts_per_tok": 4, "decoder_sparse_step": 1, "norm_topk_prob": false,
      "mlp_only_layers": [], "num_hidden_layers": 24, "num_attention_heads": 16, "num_key_value_heads": 16, "vocab_size": 151936,
      "max_position_embeddings": 8192, "rms_norm_eps": 1e-06, "tie_word_embeddings": false, "rope_theta": 1000000.0, "hidden_act": "silu",
    },
    publishedParams: 14_315_784_192, source: instantiated("qwen1.5-moe-a2.7b"),
    configSource: recorded("qwen1.5-moe-a2.7b"),
    moe: { total: 14.3e9, active: 2.7e9, unit: 1e8, rounding: "nearest", activeConvention: "with-embedding", url: "https://qwenlm.github.io/blog/qwen-moe/" },
    note: "60 routed experts (4 per token) plus a shared expert: 2,689,173,504 active parameters per token (Qwen: 14.3B total, 2.7B activated).",
  },
  {
    id: "qwen3-30b-a3b", aliases: ["Qwen/Qwen3-30B-A3B", "Qwen/Qwen3-30B-A3B-Base", "Qwen/Qwen3-30B-A3B-Instruct-2507"],
    config: {
      "architectures": ["Qwen3MoeForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 151643, "decoder_sparse_step": 1,
      "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 6144,
      "max_position_embeddings": 40960, "max_window_layers": 48, "mlp_only_layers": [], "model_type": "qwen3_moe", "moe_intermediate_size": 768,
      "norm_topk_prob": true, "num_attention_heads": 32, "num_experts": 128, "num_experts_per_tok": 8, "num_hidden_layers": 48,
      "num_key_value_heads": 4, "output_router_logits": false, "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000.0,
      "router_aux_loss_coef": 0.001, "sliding_window": null, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
      "transformers_version": "4.51.0", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936,
    },
    publishedParams: 30_532_122_624,
    source: "Qwen/Qwen3-30B-A3B model.safetensors.index.json metadata: 30,532,122,624 parameters (the model page rounds to 30.5B)",
    configSource: aic("Qwen--Qwen3-30B-A3B_config.json", "qwen3-30b-a3b"),
    moe: { total: 30.5e9, active: 3.3e9, unit: 1e8, rounding: "truncated", activeConvention: "with-embedding", url: "https://huggingface.co/Qwen/Qwen3-30B-A3B" },
    note: "Not in transformers 4.43 (Qwen3-MoE arrived in 4.51). 128 experts, 8 per token: 3,353,032,704 active per token (Qwen: 30.5B total, 3.3B activated: the second decimal is dropped, not rounded). The exact count was found quoted from the index metadata by secondary sources; our inventory gives the same.",
  },
  {
    id: "qwen3-235b-a22b", aliases: ["Qwen/Qwen3-235B-A22B", "Qwen/Qwen3-235B-A22B-Instruct-2507"],
    config: {
      "architectures": ["Qwen3MoeForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 151643, "decoder_sparse_step": 1,
      "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 12288,
      "max_position_embeddings": 40960, "max_window_layers": 94, "mlp_only_layers": [], "model_type": "qwen3_moe", "moe_intermediate_size": 1536,
      "norm_topk_prob": true, "num_attention_heads": 64, "num_experts": 128, "num_experts_per_tok": 8, "num_hidden_layers": 94,
      "num_key_value_heads": 4, "output_router_logits": false, "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000.0,
      "router_aux_loss_coef": 0.001, "sliding_window": null, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
      "transformers_version": "4.51.0", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936,
    },
    publishedParams: 235_093_634_560,
    source: "Qwen/Qwen3-235B-A22B model.safetensors.index.json total_size 470,187,269,120 bytes = 2 bytes x 235,093,634,560 parameters in BF16 (the model page rounds to 235B)",
    configSource: aic("Qwen--Qwen3-235B-A22B_config.json", "qwen3-235b-a22b"),
    moe: { total: 235e9, active: 22e9, unit: 1e9, rounding: "nearest", activeConvention: "with-embedding", url: "https://huggingface.co/Qwen/Qwen3-235B-A22B" },
    note: "Not in transformers 4.43 (Qwen3-MoE arrived in 4.51). 128 experts, 8 per token: 22,190,763,520 active per token. The exact figure was found quoted from the index metadata by secondary sources; our inventory gives the same.",
  },
];

/** Every built-in MoE model: the families transformers 4.43 already had, then the transformers-5 ones (moe-modern.ts). */
export const MOE_PRESETS: readonly Preset[] = [...CLASSIC_MOE_PRESETS, ...MOE_MODERN_PRESETS];
