/**
 * BERT-like encoders: bert, roberta, xlm-roberta. One module tree (`embeddings.*`,
 * `encoder.layer.*`, `pooler.dense`), heads as the transformers classes build them (see
 * bert-heads.ts; the same in 4.43 and 5.x, except that XLM-RoBERTa registers its head first from
 * transformers 5: `xlmRobertaHeadFirst`). Defaults are those of BertConfig / RobertaConfig / XLMRobertaConfig.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import { InputError } from "../../errors.js";
import type { BuildOptions, Family } from "../family.js";
import { MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Task } from "../tasks.js";
import { robertaPositionEmbeddingsLast, xlmRobertaHeadFirst } from "../releases.js";
import type { Inventory, ModelDims } from "../types.js";
import { addBertHead, hasBertPooler, type BertHeadStyle } from "./bert-heads.js";
import { addEncoderLayer, bertLayerAnatomy, encoderPrefix } from "./bert-layers.js";
import { namesAddedBy, uniformStack } from "./anatomy-parts.js";
import type { Anatomy } from "../anatomy.js";

interface Variant {
  /** class-name stem: `Bert` → BertModel, BertForSequenceClassification, ... */
  readonly arch: string;
  /** attribute holding the encoder in the task classes (`base_model_prefix`) */
  readonly base: string;
  readonly vocabSize: number;
  readonly heads: BertHeadStyle;
}

const VARIANTS: Record<string, Variant> = {
  bert: { arch: "Bert", base: "bert", vocabSize: 30522, heads: "bert" },
  roberta: { arch: "Roberta", base: "roberta", vocabSize: 50265, heads: "roberta" },
  // XLMRobertaConfig keeps BertConfig's vocab_size default; its classes still call the encoder `roberta`.
  "xlm-roberta": { arch: "XLMRoberta", base: "roberta", vocabSize: 30522, heads: "roberta" },
};

export interface BertDims extends ModelDims {
  readonly typeVocabSize: number;
  /** `absolute`, or `relative_key` / `relative_key_query` (adds a `distance_embedding` per self-attention) */
  readonly positionEmbeddingType: string;
  readonly isDecoder: boolean;
  readonly addCrossAttention: boolean;
  /** num_attention_heads × head size: the q/k/v width */
  readonly allHeadSize: number;
}

export function readBertDims(cfg: ConfigReader, vocabDefault: number): BertDims {
  const hiddenSize = cfg.int("hidden_size", 768);
  const numAttentionHeads = cfg.int("num_attention_heads", 12);
  // BertSelfAttention refuses a width the heads cannot split, unless the config declares `embedding_size`
  // (then the head size is floor(hidden / heads)).
  if (!cfg.has("embedding_size")) cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
  const headDim = Math.floor(hiddenSize / numAttentionHeads);
  if (headDim < 1) cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int("num_hidden_layers", 12),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim,
    allHeadSize: headDim * numAttentionHeads,
    intermediateSize: cfg.int("intermediate_size", 3072),
    vocabSize: cfg.int("vocab_size", vocabDefault),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 512),
    typeVocabSize: cfg.int("type_vocab_size", 2),
    positionEmbeddingType: cfg.str("position_embedding_type", "absolute"),
    isDecoder: cfg.bool("is_decoder", false),
    addCrossAttention: cfg.bool("add_cross_attention", false),
  };
}

/** q/k/v of one BertSelfAttention, plus its relative-distance table when the config asks for one. */
function selfAttention(list: ModuleList, d: BertDims, relative: boolean) {
  return (at: string): void => {
    list.linear(`${at}.query`, d.hiddenSize, d.allHeadSize, true);
    list.linear(`${at}.key`, d.hiddenSize, d.allHeadSize, true);
    list.linear(`${at}.value`, d.hiddenSize, d.allHeadSize, true);
    if (relative) list.embedding(`${at}.distance_embedding`, 2 * d.maxPositionEmbeddings! - 1, d.headDim);
  };
}

/** `embeddings.*` + `encoder.layer.*` (+ `pooler.dense`) under `p`; `positionLast`: RobertaEmbeddings of transformers 5. */
export function addBertEncoder(list: ModuleList, p: string, d: BertDims, pooler: boolean, positionLast = false): void {
  const E = `${p}embeddings`;
  list.embedding(`${E}.word_embeddings`, d.vocabSize, d.hiddenSize);
  if (!positionLast) list.embedding(`${E}.position_embeddings`, d.maxPositionEmbeddings!, d.hiddenSize);
  list.embedding(`${E}.token_type_embeddings`, d.typeVocabSize, d.hiddenSize);
  list.norm(`${E}.LayerNorm`, d.hiddenSize, true, "LayerNorm");
  if (positionLast) list.embedding(`${E}.position_embeddings`, d.maxPositionEmbeddings!, d.hiddenSize);
  const relative = d.positionEmbeddingType === "relative_key" || d.positionEmbeddingType === "relative_key_query";
  for (let i = 0; i < d.numHiddenLayers; i++) {
    addEncoderLayer(list, `${p}encoder.layer.${i}`, {
      hiddenSize: d.hiddenSize,
      intermediateSize: d.intermediateSize,
      selfAttention: selfAttention(list, d, relative),
      // cross-attention is always built with absolute positions
      ...(d.addCrossAttention ? { crossAttention: selfAttention(list, d, false) } : {}),
    });
  }
  if (pooler) list.linear(`${p}pooler.dense`, d.hiddenSize, d.hiddenSize, true);
}

/** The anatomy of what `addBertEncoder` builds under `p`, with the head's modules. */
function bertAnatomy(p: string, d: BertDims, pooler: boolean, head: readonly string[]): Anatomy {
  const E = `${p}embeddings`;
  const attention = { names: ["query", "key", "value"] as const, heads: d.numAttentionHeads, headDim: d.headDim };
  return {
    hiddenSize: d.hiddenSize,
    vocabSize: d.vocabSize,
    stacks: [uniformStack("encoder", `${p}encoder.layer`, d.numHiddenLayers, bertLayerAnatomy(attention, d.intermediateSize, d.addCrossAttention))],
    embeddings: [`${E}.word_embeddings`, `${E}.position_embeddings`, `${E}.token_type_embeddings`],
    norms: [`${E}.LayerNorm`],
    head: [...(pooler ? [`${p}pooler.dense`] : []), ...head],
  };
}

function modelClass(v: Variant, task: Task): string {
  // BERT's causal-LM class has its own name; RoBERTa's follows the `For…` pattern.
  if (task === "CAUSAL_LM" && v.heads === "bert") return `${v.arch}LMHeadModel`;
  return `${v.arch}${MODEL_CLASS_SUFFIX[task]}`;
}

function buildBertLike(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const v = VARIANTS[cfg.modelType]!;
  const d = readBertDims(cfg, v.vocabSize);
  if (d.addCrossAttention && !d.isDecoder)
    throw new InputError(
      "INVALID_CONFIG",
      `${cfg.where}: "add_cross_attention" is true but "is_decoder" is not`,
      `transformers only builds cross-attention in a decoder; set "is_decoder": true or drop "add_cross_attention"`,
    );
  const p = encoderPrefix(opts.task, v.base);
  const embedPath = `${p}embeddings.word_embeddings`;
  const list = new ModuleList();
  const head = { task: opts.task, numLabels: opts.numLabels, arch: v.arch, hiddenSize: d.hiddenSize, vocabSize: d.vocabSize, tieWordEmbeddings: d.tieWordEmbeddings, embedPath };
  const pooler = hasBertPooler(v.heads, opts.task);
  const encoder = () => addBertEncoder(list, p, d, pooler, v.heads === "roberta" && robertaPositionEmbeddingsLast(opts.transformers));
  let outputEmbeddings: string | undefined;
  let headNames: string[];
  if (cfg.modelType === "xlm-roberta" && xlmRobertaHeadFirst(opts.transformers)) {
    // the head is registered first, so its LM decoder owns the tied word-embedding tensor
    ({ result: outputEmbeddings, names: headNames } = namesAddedBy(list, () => addBertHead(list, v.heads, { ...head, tieWordEmbeddings: false })));
    encoder();
    if (outputEmbeddings && d.tieWordEmbeddings) list.tie(embedPath, `${outputEmbeddings}.weight`);
  } else {
    encoder();
    ({ result: outputEmbeddings, names: headNames } = namesAddedBy(list, () => addBertHead(list, v.heads, head)));
  }
  return {
    modelType: cfg.modelType,
    task: opts.task,
    modelClass: modelClass(v, opts.task),
    modules: list.modules,
    dims: d,
    inputEmbeddings: embedPath,
    ...(outputEmbeddings ? { outputEmbeddings } : {}),
    layersPath: `${p}encoder.layer`,
    anatomy: bertAnatomy(p, d, pooler, headNames),
  };
}

export const bertFamily: Family = {
  modelTypes: Object.keys(VARIANTS),
  tasks: ["SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION", "CAUSAL_LM"],
  defaultTask: "SEQ_CLS",
  build: buildBertLike,
};
