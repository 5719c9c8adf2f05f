/**
 * BART base and large. No verbatim config.json of these models is in shared/reference/configs; the
 * configs below are the keys that shape the model (plus `id2label`, which sets the 3-way
 * classification head of BartForSequenceClassification), from where `configSource` says.
 */
import type { Preset } from "./types.js";

const ID2LABEL = { "0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2" };

const POSITIONS_NOTE =
  "transformers' learned position tables have max_position_embeddings + 2 = 1026 rows per stack (fairseq offset); " +
  "ports that use 1024 rows (e.g. keras-hub) report 2×2×d_model fewer parameters. final_logits_bias is a buffer, not counted.";

export const BART_PRESETS: readonly Preset[] = [
  {
    id: "bart-base",
    aliases: ["facebook/bart-base"],
    config: {
      model_type: "bart",
      d_model: 768,
      encoder_layers: 6,
      decoder_layers: 6,
      encoder_attention_heads: 12,
      decoder_attention_heads: 12,
      encoder_ffn_dim: 3072,
      decoder_ffn_dim: 3072,
      max_position_embeddings: 1024,
      vocab_size: 50265,
      scale_embedding: false,
      pad_token_id: 1,
      id2label: ID2LABEL,
    },
    publishedParams: 139_420_416,
    source:
      "transformers parameter count of a model built from facebook/bart-base's config: sdpython/onnx-diagnostic _unittests/ut_torch_models/test_hghub_model.py (test_feature_extraction_bart_base expects n_weights 139420416)",
    configSource:
      "architecture keys of facebook/bart-base config.json (huggingface.co/facebook/bart-base/blob/2557745e7ac18ec6d9ebd50643d812acae81180a/config.json shows d_model 768, 12 decoder heads, ffn 3072; the remaining values as in copies of the file, e.g. huggingface.co/dtruong46me/train-bart-base with \"_name_or_path\": \"facebook/bart-base\"); not a verbatim config.json",
    note: POSITIONS_NOTE,
  },
  {
    id: "bart-large",
    aliases: ["facebook/bart-large"],
    config: {
      model_type: "bart",
      d_model: 1024,
      encoder_layers: 12,
      decoder_layers: 12,
      encoder_attention_heads: 16,
      decoder_attention_heads: 16,
      encoder_ffn_dim: 4096,
      decoder_ffn_dim: 4096,
      max_position_embeddings: 1024,
      vocab_size: 50265,
      scale_embedding: false,
      pad_token_id: 1,
      id2label: ID2LABEL,
    },
    publishedParams: 406_291_456,
    source:
      "transformers `AutoModel.from_pretrained(\"facebook/bart-large\").num_parameters()` = 406291456 as listed in public code (a model-summary docstring beside facebook/bart-base 139420416); keras-hub's bart_large_en (406,287,360) is 4,096 lower, the 2 extra position rows × 2 stacks × 1024",
    configSource:
      "architecture keys of facebook/bart-large config.json as shown in Hugging Face fine-tunes that copy it (\"_name_or_path\": \"facebook/bart-large\", e.g. huggingface.co/adamjweintraut/bart-finetuned-lyrlen-128-tokens); these are also BartConfig's defaults; not a verbatim config.json",
    note: POSITIONS_NOTE,
  },
];
