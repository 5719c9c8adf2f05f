/**
 * A model's anatomy, declared by its family (never guessed from names): the stacks of layers, and in each
 * layer where attention (self / cross; q, k, v, o or fused, with GQA's key/value width and head_dim), the
 * feed-forward block (in / out projections, or routed experts with a router and shared experts), and the
 * norms sit; plus the embeddings and the task head. Paths inside a layer are relative to the layer's path
 * (`self_attn.q_proj` under `model.layers.7`); stack-level and model-level paths are full paths.
 *
 * What reads it: `inspect` (categories), AdapterHub placement (after attention output, after the FFN,
 * cross-attention, embeddings for invertible adapters), prompt methods, MoE totals.
 */

/** One attention block of a layer. */
export interface AttentionAnatomy {
  /** relative path of the attention module (`self_attn`, `attention.self`, `layer.0.SelfAttention`): anything under it is attention */
  readonly block: string;
  /** separate projections (relative paths); absent when fused */
  readonly q?: string;
  readonly k?: string;
  readonly v?: string;
  /** fused q/k/v projection (`c_attn`, `query_key_value`, `qkv_proj`, `Wqkv`) */
  readonly qkv?: string;
  /** fused k/v projection (when q is separate: `kv_proj`, GPT-2 cross-attention `c_attn` of `q_attn`) */
  readonly kv?: string;
  /** output projection */
  readonly o: string;
  readonly heads: number;
  /** key/value heads (GQA / MQA); equal to `heads` for plain multi-head attention */
  readonly kvHeads: number;
  readonly headDim: number;
}

/** A dense feed-forward block. */
export interface FeedForwardAnatomy {
  /** relative path of the block (`mlp`, `DenseReluDense`, `ffn`); absent when its projections sit directly in the layer (BERT) */
  readonly block?: string;
  /** projections into the intermediate width (`gate_proj` + `up_proj`, `fc1`, `intermediate.dense`, `gate_up_proj`) */
  readonly in: readonly string[];
  /** projection back to the hidden width (`down_proj`, `fc2`, `output.dense`) */
  readonly out: string;
  readonly intermediateSize: number;
  /**
   * the in projections carry a gate and an up half (SwiGLU / GEGLU: `gate_proj` + `up_proj`, `wi_0` + `wi_1`,
   * or a fused `gate_up_proj`): their widths sum to 2 · intermediateSize (1 · intermediateSize when absent)
   */
  readonly gated?: boolean;
}

/** A mixture-of-experts block. */
export interface ExpertsAnatomy {
  /** relative path of the MoE block (`mlp`, `block_sparse_moe`, `feed_forward`) */
  readonly block: string;
  /** router / gate (relative); a Linear in most families */
  readonly router: string;
  /** relative path under which the routed experts live (`mlp.experts`) */
  readonly routed: string;
  readonly numExperts: number;
  readonly perToken: number;
  /** shared experts (relative), always active */
  readonly shared?: readonly string[];
}

/** One transformer (or Mamba) layer. */
export interface LayerAnatomy {
  readonly selfAttention?: AttentionAnatomy;
  readonly crossAttention?: AttentionAnatomy;
  /** a dense FFN, absent in MoE layers that have only experts */
  readonly ffn?: FeedForwardAnatomy;
  readonly experts?: ExpertsAnatomy;
  /** a state-space / recurrent mixer in place of attention (Mamba: `mixer`) */
  readonly mixer?: string;
  /** relative paths of the layer's norms, in registration order */
  readonly norms: readonly string[];
}

export interface StackAnatomy {
  readonly role: "encoder" | "decoder";
  /** path prefix of the layers (`model.layers`, `encoder.block`, `bert.encoder.layer`) */
  readonly layersPath: string;
  /** one entry per layer (the same object for identical layers) */
  readonly layers: readonly LayerAnatomy[];
  /** full path of the stack's final norm, if any */
  readonly finalNorm?: string;
}

export interface Anatomy {
  readonly hiddenSize: number;
  readonly vocabSize: number;
  /** encoder and/or decoder stacks in module order (a decoder-only or encoder-only model has one) */
  readonly stacks: readonly StackAnatomy[];
  /** full paths of embedding modules: word embeddings first, then positions / token types */
  readonly embeddings: readonly string[];
  /** full paths of the task head's modules (`lm_head`, `classifier.dense`, `score`, pooler), empty if none */
  readonly head: readonly string[];
  /**
   * full paths of norms outside the layers that are no stack's final norm (BERT's `embeddings.LayerNorm`,
   * BART's `layernorm_embedding`, BLOOM's `word_embeddings_layernorm`), in registration order
   */
  readonly norms?: readonly string[];
  /**
   * full paths of Linear projections between the embedding width and the hidden size (DeBERTa's
   * `embeddings.embed_proj`, OPT's `project_out` / `project_in`): counted with the embeddings
   */
  readonly embeddingProjections?: readonly string[];
}

/** Full path of a module of layer `i` of a stack. */
export function layerPath(stack: StackAnatomy, i: number, relative: string): string {
  return `${stack.layersPath}.${i}.${relative}`;
}
