/**
 * ALBERT presets. `publishedParams` counts the bare encoder (AlbertModel with its pooler, the FEATURE_EXTRACTION
 * class): one shared layer run 12 times, so 11.7M parameters for a BERT-base-sized network.
 */
import type { Preset } from "./types.js";

export const ALBERT_PRESETS: readonly Preset[] = [
  {
    id: "albert-base-v2",
    aliases: ["albert/albert-base-v2"],
    config: {
      architectures: ["AlbertForMaskedLM"], model_type: "albert", attention_probs_dropout_prob: 0, classifier_dropout_prob: 0.1, embedding_size: 128,
      hidden_act: "gelu_new", hidden_dropout_prob: 0, hidden_size: 768, initializer_range: 0.02, inner_group_num: 1, intermediate_size: 3072,
      layer_norm_eps: 1e-12, max_position_embeddings: 512, num_attention_heads: 12, num_hidden_groups: 1, num_hidden_layers: 12, type_vocab_size: 2,
      vocab_size: 30000, pad_token_id: 0, bos_token_id: 2, eos_token_id: 3,
    },
    publishedParams: 11_683_584,
    publishedTask: "FEATURE_EXTRACTION",
    source: "transformers 5.18.0 instantiation of AlbertModel from this config (shared/tools/oracle inventory); the 11.7M of the ALBERT paper's base row",
    configSource: "typed from the published config.json: https://huggingface.co/albert/albert-base-v2/blob/main/config.json",
    note: "AlbertForSequenceClassification with 2 labels: 11,685,122 (pooler kept, + classifier 1,538)",
  },
];
