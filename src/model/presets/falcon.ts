import type { Preset } from "./types.js";

export const FALCON_PRESETS: readonly Preset[] = [
  {
    id: "falcon-7b",
    aliases: ["tiiuae/falcon-7b"],
    config: {
      model_type: "falcon",
      hidden_size: 4544,
      num_hidden_layers: 32,
      num_attention_heads: 71,
      multi_query: true,
      parallel_attn: true,
      bias: false,
      alibi: false,
      new_decoder_architecture: false,
      vocab_size: 65024,
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: true,
    },
    publishedParams: 6_921_720_704,
    source: "transformers 4.43.3 instantiation recorded in shared/reference/inventories.json",
    configSource: "the config recorded for falcon-7b in shared/reference/inventories.json (architecture keys only; no verbatim copy of the hub file was found)",
    note:
      "Multi-query attention: query_key_value is 4544 → 4544 + 2·64 (one shared key/value head). lm_head is tied to transformer.word_embeddings and counted once (counting it separately would add 65,024 × 4,544 = 295,469,056).",
  },
];
