import type { Preset } from "./types.js";

export const DISTILBERT_PRESETS: readonly Preset[] = [
  {
    id: "distilbert-base-uncased",
    aliases: ["distilbert/distilbert-base-uncased"],
    config: {
      activation: "gelu",
      architectures: ["DistilBertForMaskedLM"],
      attention_dropout: 0.1,
      dim: 768,
      dropout: 0.1,
      hidden_dim: 3072,
      initializer_range: 0.02,
      max_position_embeddings: 512,
      model_type: "distilbert",
      n_heads: 12,
      n_layers: 6,
      pad_token_id: 0,
      qa_dropout: 0.1,
      seq_classif_dropout: 0.2,
      sinusoidal_pos_embds: false,
      tie_weights_: true,
      transformers_version: "4.10.0.dev0",
      vocab_size: 30522,
    },
    publishedParams: 66_362_880,
    publishedTask: "FEATURE_EXTRACTION",
    source:
      'keras-team/keras-hub@0cb64f626c1ad0eef342b80ed3231d7a432a33b0:keras_hub/src/models/distil_bert/distil_bert_presets.py (distil_bert_base_en_uncased "params": 66362880, the same modules as DistilBertModel)',
    configSource:
      "https://huggingface.co/codewithdark/model-cache/commit/3d933924e8388d280238532c6adee3c0bf981290 (cached copy of distilbert/distilbert-base-uncased config.json; shared/reference/configs/SOURCES.md)",
    note:
      "publishedParams is the bare encoder (FEATURE_EXTRACTION: DistilBertModel), not the checkpoint's MLM head; " +
      "DistilBertForSequenceClassification adds pre_classifier + classifier: 66,955,010 with 2 labels.",
  },
];
