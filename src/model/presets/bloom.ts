import type { Preset } from "./types.js";

const INVENTORY = "transformers 4.43.3 instantiation recorded in shared/reference/inventories.json";
const TIED = "lm_head is tied to transformer.word_embeddings and counted once.";

export const BLOOM_PRESETS: readonly Preset[] = [
  {
    id: "bloom-560m",
    aliases: ["bigscience/bloom-560m"],
    config: {
      model_type: "bloom",
      hidden_size: 1024,
      n_layer: 24,
      n_head: 16,
      vocab_size: 250880,
      layer_norm_epsilon: 1e-5,
      apply_residual_connection_post_layernorm: false,
      tie_word_embeddings: true,
    },
    publishedParams: 559_214_592,
    source: INVENTORY,
    configSource: "the config recorded for bloom-560m in shared/reference/inventories.json (architecture keys only; no verbatim copy of the hub file was found)",
    note: TIED,
  },
  {
    id: "bloomz-7b1",
    aliases: ["bigscience/bloomz-7b1"],
    config: {
      model_type: "bloom",
      hidden_size: 4096,
      n_layer: 30,
      n_head: 32,
      vocab_size: 250880,
      layer_norm_epsilon: 1e-5,
      apply_residual_connection_post_layernorm: false,
      tie_word_embeddings: true,
    },
    publishedParams: 7_069_016_064,
    source: `${INVENTORY} for bloom-7b1, the model bloomz-7b1 is fine-tuned from (same architecture)`,
    configSource:
      "the config recorded for bloom-7b1 in shared/reference/inventories.json: bloomz-7b1 is bloom-7b1 fine-tuned on xP3, with the same architecture (no verbatim copy of bloomz-7b1's config.json was found)",
    note: TIED,
  },
];
