import type { Preset } from "./types.js";

export const PHI_PRESETS: readonly Preset[] = [
  {
    id: "phi-2",
    aliases: ["microsoft/phi-2"],
    config: {
      model_type: "phi",
      hidden_size: 2560,
      intermediate_size: 10240,
      num_hidden_layers: 32,
      num_attention_heads: 32,
      num_key_value_heads: 32,
      vocab_size: 51200,
      max_position_embeddings: 2048,
      partial_rotary_factor: 0.4,
      layer_norm_eps: 1e-5,
      tie_word_embeddings: false,
      hidden_act: "gelu_new",
      rope_theta: 10000.0,
      qk_layernorm: false,
    },
    publishedParams: 2_779_683_840,
    source: "transformers 4.43.3 instantiation recorded in shared/reference/inventories.json",
    configSource: "the config recorded for phi-2 in shared/reference/inventories.json (architecture keys only; no verbatim copy of the hub file was found)",
    note: "lm_head is untied and has a bias (51,200), both counted.",
  },
];
