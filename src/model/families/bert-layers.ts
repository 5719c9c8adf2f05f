/**
 * The BERT-style encoder block shared by BERT, RoBERTa, XLM-RoBERTa and DeBERTa-v2, as transformers
 * names it: `attention.self.<q,k,v>`, `attention.output.{dense,LayerNorm}`, `intermediate.dense`,
 * `output.{dense,LayerNorm}`. What differs per family (projection names, relative-position tables,
 * cross-attention) is passed in.
 */
import type { AttentionAnatomy, LayerAnatomy } from "../anatomy.js";
import type { ModuleList } from "../builder.js";
import type { Task } from "../tasks.js";

export interface EncoderLayerSpec {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  /** fills `<at>.self.*` (the self-attention projections and any positional tables) */
  readonly selfAttention: (at: string) => void;
  /** BERT decoders with `add_cross_attention`: a second attention block after the first */
  readonly crossAttention?: (at: string) => void;
}

/** `<at>.self.*` + `<at>.output.dense` + `<at>.output.LayerNorm` (BertAttention / DebertaV2Attention). */
function addAttentionBlock(list: ModuleList, at: string, hidden: number, self: (at: string) => void): void {
  self(`${at}.self`);
  list.linear(`${at}.output.dense`, hidden, hidden, true);
  list.norm(`${at}.output.LayerNorm`, hidden, true, "LayerNorm");
}

/** One encoder layer at `L` (e.g. `bert.encoder.layer.3`), modules in `named_modules()` order. */
export function addEncoderLayer(list: ModuleList, L: string, s: EncoderLayerSpec): void {
  addAttentionBlock(list, `${L}.attention`, s.hiddenSize, s.selfAttention);
  if (s.crossAttention) addAttentionBlock(list, `${L}.crossattention`, s.hiddenSize, s.crossAttention);
  list.linear(`${L}.intermediate.dense`, s.hiddenSize, s.intermediateSize, true);
  list.linear(`${L}.output.dense`, s.intermediateSize, s.hiddenSize, true);
  list.norm(`${L}.output.LayerNorm`, s.hiddenSize, true, "LayerNorm");
}

/** Heads, head width and the q/k/v names inside `<block>.self` of the family's self-attention. */
export interface BertAttentionNames {
  readonly names: readonly [string, string, string];
  readonly heads: number;
  readonly headDim: number;
}

/** The anatomy of one layer `addEncoderLayer` builds (q/k/v under `<block>.self`, o = `<block>.output.dense`). */
export function bertLayerAnatomy(a: BertAttentionNames, intermediateSize: number, crossAttention = false): LayerAnatomy {
  const attention = (block: string): AttentionAnatomy => {
    const [q, k, v] = a.names;
    return { block, q: `${block}.self.${q}`, k: `${block}.self.${k}`, v: `${block}.self.${v}`, o: `${block}.output.dense`, heads: a.heads, kvHeads: a.heads, headDim: a.headDim };
  };
  return {
    selfAttention: attention("attention"),
    ...(crossAttention ? { crossAttention: attention("crossattention") } : {}),
    ffn: { in: ["intermediate.dense"], out: "output.dense", intermediateSize },
    norms: ["attention.output.LayerNorm", ...(crossAttention ? ["crossattention.output.LayerNorm"] : []), "output.LayerNorm"],
  };
}

/**
 * Where the encoder sits for this head: the task classes keep it under their `base_model_prefix`
 * attribute (`bert.`, `roberta.`, `deberta.`, `distilbert.`); the bare model (FEATURE_EXTRACTION) has no prefix.
 */
export function encoderPrefix(task: Task, base: string): string {
  return task === "FEATURE_EXTRACTION" ? "" : `${base}.`;
}
