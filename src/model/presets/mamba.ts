/**
 * Mamba presets (the state-spaces `-hf` conversions transformers loads). The counts are the checkpoints'
 * tensors, which is what MambaForCausalLM instantiates (lm_head tied to backbone.embeddings).
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
];
