import type { Preset } from "./types.js";

const INVENTORY = "transformers 4.43.3 instantiation recorded in shared/reference/inventories.json";
const INVENTORY_CONFIG = (id: string) =>
  `the config recorded for ${id} in shared/reference/inventories.json (architecture keys only; no verbatim copy of the hub file was found)`;
const UNTIED = "The output embedding embed_out is a separate (untied) matrix and counts in full.";

export const GPT_NEOX_PRESETS: readonly Preset[] = [
  {
    id: "pythia-160m",
    aliases: ["EleutherAI/pythia-160m"],
    config: {
      model_type: "gpt_neox",
      hidden_size: 768,
      intermediate_size: 3072,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      vocab_size: 50304,
      max_position_embeddings: 2048,
      rotary_pct: 0.25,
      rotary_emb_base: 10000,
      use_parallel_residual: true,
      layer_norm_eps: 1e-5,
      tie_word_embeddings: false,
      hidden_act: "gelu",
    },
    publishedParams: 162_322_944,
    source: INVENTORY,
    configSource: INVENTORY_CONFIG("pythia-160m"),
    note: UNTIED,
  },
  {
    id: "pythia-1.4b",
    aliases: ["EleutherAI/pythia-1.4b"],
    config: {
      model_type: "gpt_neox",
      hidden_size: 2048,
      intermediate_size: 8192,
      num_hidden_layers: 24,
      num_attention_heads: 16,
      vocab_size: 50304,
      max_position_embeddings: 2048,
      rotary_pct: 0.25,
      rotary_emb_base: 10000,
      use_parallel_residual: true,
      layer_norm_eps: 1e-5,
      tie_word_embeddings: false,
      hidden_act: "gelu",
    },
    publishedParams: 1_414_647_808,
    source: INVENTORY,
    configSource: INVENTORY_CONFIG("pythia-1.4b"),
    note: UNTIED,
  },
];
