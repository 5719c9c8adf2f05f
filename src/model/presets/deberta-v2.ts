import type { Preset } from "./types.js";

export const DEBERTA_V2_PRESETS: readonly Preset[] = [
  {
    id: "deberta-v3-base",
    aliases: ["microsoft/deberta-v3-base"],
    config: {
      model_type: "deberta-v2",
      hidden_size: 768,
      intermediate_size: 3072,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      vocab_size: 128100,
      max_position_embeddings: 512,
      type_vocab_size: 0,
      hidden_act: "gelu",
      layer_norm_eps: 1e-7,
      relative_attention: true,
      position_buckets: 256,
      norm_rel_ebd: "layer_norm",
      share_att_key: true,
      pos_att_type: ["p2c", "c2p"],
      position_biased_input: false,
      max_relative_positions: -1,
      pad_token_id: 0,
    },
    publishedParams: 183_831_552,
    publishedTask: "FEATURE_EXTRACTION",
    source: "transformers 4.43.3 instantiation recorded in shared/reference/inventories.json",
    configSource:
      "the config recorded for deberta-v3-base in tests/golden/inventories.json; same values as the official file " +
      'https://huggingface.co/microsoft/deberta-v3-base/blob/e339e9c9cfc61aabba5c47ed41203af62f5b22cd/config.json (which writes pos_att_type as "p2c|c2p")',
    note:
      "publishedParams is the bare encoder (FEATURE_EXTRACTION: DebertaV2Model, no pooler, no absolute position table), " +
      "not the checkpoint's MLM head; DebertaV2ForSequenceClassification adds pooler.dense + classifier: 184,423,682 with 2 labels.",
  },
];
