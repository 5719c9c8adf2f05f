/**
 * Mamba presets (the state-spaces `-hf` conversions transformers loads). The counts are the checkpoints'
 * tensors, which is what MambaForCausalLM instantiates (lm_head tied to backbone.embeddings). Mamba-Codestral is
 * Mistral's Mamba-2 (`mamba2`, transformers ≥ 4.44), untied.
 */
import type { Preset } from "./types.js";

const KEYS = "the keys that matter, typed from the published config.json";
const ORACLE = "transformers 5.18.0 instantiation of this config (shared/tools/oracle inventory), equal to the model card's figure";

export const MAMBA_PRESETS: readonly Preset[] = [
  {
    id: "mamba-130m",
    aliases: ["state-spaces/mamba-130m-hf"],
    config: {
      architectures: ["MambaForCausalLM"], model_type: "mamba", hidden_size: 768, num_hidden_layers: 24, vocab_size: 50280, state_size: 16, expand: 2,
      conv_kernel: 4, time_step_rank: 48, use_bias: false, use_conv_bias: true, tie_word_embeddings: true,
    },
    publishedParams: 129_135_360,
    source: ORACLE,
    configSource: `${KEYS}: https://huggingface.co/state-spaces/mamba-130m-hf/blob/main/config.json`,
  },
  {
    id: "mamba-2.8b",
    aliases: ["state-spaces/mamba-2.8b-hf"],
    config: {
      architectures: ["MambaForCausalLM"], model_type: "mamba", hidden_size: 2560, num_hidden_layers: 64, vocab_size: 50280, state_size: 16, expand: 2,
      conv_kernel: 4, time_step_rank: 160, use_bias: false, use_conv_bias: true, tie_word_embeddings: true,
    },
    publishedParams: 2_768_345_600,
    source: ORACLE,
    configSource: `${KEYS}: https://huggingface.co/state-spaces/mamba-2.8b-hf/blob/main/config.json`,
  },
  {
    id: "mamba-codestral-7b",
    aliases: ["mistralai/Mamba-Codestral-7B-v0.1", "codestral-mamba"],
    config: {
      architectures: ["Mamba2ForCausalLM"], model_type: "mamba2", hidden_size: 4096, num_hidden_layers: 64, vocab_size: 32768, state_size: 128, expand: 2,
      head_dim: 64, num_heads: 128, n_groups: 8, conv_kernel: 4, time_step_rank: 256, use_bias: false, use_conv_bias: true, rms_norm: true,
      norm_before_gate: true, tie_word_embeddings: false,
    },
    publishedParams: 7_285_403_648,
    source: ORACLE,
    configSource:
      `${KEYS}: https://huggingface.co/mistralai/Mamba-Codestral-7B-v0.1/blob/main/config.json ` +
      "(read offline from its verbatim transcription, `_name_or_path` \"/raid/pablo/codestral-hf-good/\" included, in " +
      "github.com/subho406/mlstm_kernels mlstm_kernels/utils/benchmark/benchmarks/huggingface_model_benchmark.py)",
  },
];
