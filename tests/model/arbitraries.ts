/**
 * fast-check arbitraries for small but valid Hugging Face `config.json`s of several families
 * (Llama-likes incl. GQA, GPT-2, BERT, T5), shared by the property tests. Sizes stay tiny so a
 * property run of ~100 cases costs milliseconds; layers stay in 1..8.
 */
import { fc } from "@fast-check/vitest";

export type RawCfg = Record<string, unknown> & { model_type: string };

/** num_attention_heads as a multiple of num_key_value_heads (GQA, MQA and MHA all occur). */
const heads = fc.record({ kv: fc.integer({ min: 1, max: 3 }), group: fc.integer({ min: 1, max: 3 }) }).map(({ kv, group }) => ({ kv, heads: kv * group }));
const layers = fc.integer({ min: 1, max: 8 });
const vocab = fc.integer({ min: 2, max: 48 });
const width = fc.integer({ min: 1, max: 24 });

export const LLAMA_LIKE_TYPES = ["llama", "mistral", "qwen2", "gemma", "phi3"] as const;

/** A Llama-like decoder; gemma gets an explicit `head_dim` (its class default is 256). */
export function llamaLikeConfig(modelType: (typeof LLAMA_LIKE_TYPES)[number] | "mistral" | "mixtral"): fc.Arbitrary<RawCfg> {
  return fc
    .record({ h: heads, headDim: fc.integer({ min: 1, max: 6 }), inter: width, vocab, layers, tie: fc.boolean(), attnBias: fc.boolean(), mlpBias: fc.boolean() })
    .map(({ h, headDim, inter, vocab: v, layers: l, tie, attnBias, mlpBias }) => ({
      model_type: modelType,
      hidden_size: h.heads * headDim,
      num_attention_heads: h.heads,
      num_key_value_heads: h.kv,
      intermediate_size: inter,
      vocab_size: v,
      num_hidden_layers: l,
      tie_word_embeddings: tie,
      max_position_embeddings: 64,
      ...(modelType === "gemma" ? { head_dim: headDim } : {}),
      ...(modelType === "llama" ? { attention_bias: attnBias, mlp_bias: mlpBias } : {}),
    }));
}

export const gpt2Config: fc.Arbitrary<RawCfg> = fc
  .record({ h: fc.integer({ min: 1, max: 4 }), headDim: fc.integer({ min: 1, max: 6 }), layers, vocab, positions: fc.integer({ min: 1, max: 32 }), inner: fc.option(width, { nil: undefined }), cross: fc.boolean(), tie: fc.boolean() })
  .map(({ h, headDim, layers: l, vocab: v, positions, inner, cross, tie }) => ({
    model_type: "gpt2",
    n_embd: h * headDim,
    n_head: h,
    n_layer: l,
    vocab_size: v,
    n_positions: positions,
    ...(inner === undefined ? {} : { n_inner: inner }),
    add_cross_attention: cross,
    tie_word_embeddings: tie,
  }));

export const bertConfig: fc.Arbitrary<RawCfg> = fc
  .record({ h: fc.integer({ min: 1, max: 4 }), headDim: fc.integer({ min: 1, max: 6 }), layers, vocab, inter: width, positions: fc.integer({ min: 1, max: 32 }), types: fc.integer({ min: 1, max: 3 }), pos: fc.constantFrom("absolute", "relative_key", "relative_key_query") })
  .map(({ h, headDim, layers: l, vocab: v, inter, positions, types, pos }) => ({
    model_type: "bert",
    hidden_size: h * headDim,
    num_attention_heads: h,
    num_hidden_layers: l,
    intermediate_size: inter,
    vocab_size: v,
    max_position_embeddings: positions,
    type_vocab_size: types,
    position_embedding_type: pos,
  }));

/** T5: the inner attention width num_heads·d_kv need not equal d_model. */
export const t5Config: fc.Arbitrary<RawCfg> = fc
  .record({ dModel: width, heads: fc.integer({ min: 1, max: 4 }), dKv: fc.integer({ min: 1, max: 6 }), dFf: width, layers, vocab, ff: fc.constantFrom("relu", "gated-gelu"), tie: fc.boolean(), buckets: fc.integer({ min: 1, max: 16 }) })
  .map(({ dModel, heads: h, dKv, dFf, layers: l, vocab: v, ff, tie, buckets }) => ({
    model_type: "t5",
    d_model: dModel,
    num_heads: h,
    d_kv: dKv,
    d_ff: dFf,
    num_layers: l,
    vocab_size: v,
    feed_forward_proj: ff,
    tie_word_embeddings: tie,
    relative_attention_num_buckets: buckets,
  }));

/** Any of the families above, with its natural head. */
export const anyConfig: fc.Arbitrary<RawCfg> = fc.oneof(...LLAMA_LIKE_TYPES.map(llamaLikeConfig), gpt2Config, bertConfig, t5Config);

/** Target names that occur once in every repeated block and nowhere else, per model_type. */
export const PER_LAYER_TARGETS: Readonly<Record<string, readonly string[]>> = {
  llama: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  mistral: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  qwen2: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  gemma: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
  phi3: ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"],
  gpt2: ["c_attn", "c_proj", "c_fc"],
  bert: ["query", "key", "value"],
  // T5: block 0's relative_attention_bias is not per-layer; wi / wi_0 / wi_1 depend on feed_forward_proj
  t5: ["q", "k", "v", "o", "wo"],
};

/** Replace the layer count of a generated config, whatever key its family reads. */
export function withLayers(cfg: RawCfg, n: number): RawCfg {
  if (cfg.model_type === "gpt2") return { ...cfg, n_layer: n };
  if (cfg.model_type === "t5") return { ...cfg, num_layers: n };
  return { ...cfg, num_hidden_layers: n };
}
