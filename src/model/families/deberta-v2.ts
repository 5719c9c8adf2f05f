/**
 * DeBERTa-v2 / v3 (`deberta-v2`): the BERT-style block with `query_proj` / `key_proj` / `value_proj`,
 * disentangled relative attention (one shared `encoder.rel_embeddings` table, optionally layer-normed;
 * separate `pos_key_proj` / `pos_query_proj` unless `share_att_key`), no absolute position table when
 * `position_biased_input` is false, optional `embed_proj` and convolution layer. SEQ_CLS adds a
 * ContextPooler (`pooler.dense`) and `classifier`. Defaults are DebertaV2Config's (deberta-v2-xlarge).
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import { InputError } from "../../errors.js";
import type { BuildOptions, Family } from "../family.js";
import { MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory, ModelDims } from "../types.js";
import { addEncoderLayer, bertLayerAnatomy, encoderPrefix } from "./bert-layers.js";
import { uniformStack } from "./anatomy-parts.js";
import type { Anatomy } from "../anatomy.js";

/** `pos_att_type` as DebertaV2Config stores it: a list, or the legacy `"p2c|c2p"` string. */
function posAttTypes(cfg: ConfigReader): readonly string[] {
  const v = cfg.raw["pos_att_type"];
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return v.toLowerCase().split("|").map((x) => x.trim());
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw new InputError(
    "INVALID_CONFIG",
    `${cfg.where}: "pos_att_type" must be a list such as ["p2c", "c2p"] or a string such as "p2c|c2p" (got ${JSON.stringify(v)})`,
    `fix "pos_att_type" in the config of this ${cfg.modelType} model, or remove it to use the transformers default`,
  );
}

const ANY_INT = Number.MIN_SAFE_INTEGER;

export interface DebertaV2Dims extends ModelDims {
  readonly embeddingSize: number;
  readonly typeVocabSize: number;
  readonly positionBiasedInput: boolean;
  readonly allHeadSize: number;
  /** rows of `encoder.rel_embeddings`, 0 without relative attention */
  readonly relEmbeddingRows: number;
  /** extra `pos_key_proj` (c2p) / `pos_query_proj` (p2c) per layer */
  readonly posKeyProj: boolean;
  readonly posQueryProj: boolean;
  readonly relLayerNorm: boolean;
  /** `conv_kernel_size` (0: no conv layer) and `conv_groups` */
  readonly convKernelSize: number;
  readonly convGroups: number;
  readonly poolerHiddenSize: number;
}

export function readDebertaV2Dims(cfg: ConfigReader): DebertaV2Dims {
  const hiddenSize = cfg.int("hidden_size", 1536);
  const numAttentionHeads = cfg.int("num_attention_heads", 24);
  // DisentangledSelfAttention always requires the width to split evenly, even with `attention_head_size`.
  const split = cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
  const headDim = cfg.int("attention_head_size", split);
  const maxPositionEmbeddings = cfg.int("max_position_embeddings", 512);
  const relative = cfg.bool("relative_attention", false);
  const maxRel = cfg.int("max_relative_positions", -1, ANY_INT);
  const buckets = cfg.int("position_buckets", -1, ANY_INT);
  const span = buckets > 0 ? buckets : maxRel < 1 ? maxPositionEmbeddings : maxRel;
  const pos = posAttTypes(cfg);
  const shareAttKey = cfg.bool("share_att_key", false);
  const norms = cfg.str("norm_rel_ebd", "none").toLowerCase().split("|").map((x) => x.trim());
  const convKernelSize = cfg.int("conv_kernel_size", 0, ANY_INT);
  const convGroups = cfg.int("conv_groups", 1);
  if (convKernelSize > 0) cfg.divides("hidden_size", hiddenSize, "conv_groups", convGroups);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int("num_hidden_layers", 24),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim,
    allHeadSize: numAttentionHeads * headDim,
    intermediateSize: cfg.int("intermediate_size", 6144),
    vocabSize: cfg.int("vocab_size", 128100),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: false,
    maxPositionEmbeddings,
    embeddingSize: cfg.int("embedding_size", hiddenSize),
    typeVocabSize: cfg.int("type_vocab_size", 0, 0),
    positionBiasedInput: cfg.bool("position_biased_input", true),
    relEmbeddingRows: relative ? 2 * span : 0,
    posKeyProj: relative && !shareAttKey && pos.includes("c2p"),
    posQueryProj: relative && !shareAttKey && pos.includes("p2c"),
    relLayerNorm: norms.includes("layer_norm"),
    convKernelSize,
    convGroups,
    poolerHiddenSize: cfg.int("pooler_hidden_size", hiddenSize),
  };
}

function addDebertaV2Encoder(list: ModuleList, p: string, d: DebertaV2Dims): void {
  const e = d.embeddingSize;
  list.embedding(`${p}embeddings.word_embeddings`, d.vocabSize, e);
  if (d.positionBiasedInput) list.embedding(`${p}embeddings.position_embeddings`, d.maxPositionEmbeddings!, e);
  if (d.typeVocabSize > 0) list.embedding(`${p}embeddings.token_type_embeddings`, d.typeVocabSize, e);
  if (e !== d.hiddenSize) list.linear(`${p}embeddings.embed_proj`, e, d.hiddenSize, false);
  list.norm(`${p}embeddings.LayerNorm`, d.hiddenSize, true, "LayerNorm");
  const selfAttention = (at: string): void => {
    list.linear(`${at}.query_proj`, d.hiddenSize, d.allHeadSize, true);
    list.linear(`${at}.key_proj`, d.hiddenSize, d.allHeadSize, true);
    list.linear(`${at}.value_proj`, d.hiddenSize, d.allHeadSize, true);
    if (d.posKeyProj) list.linear(`${at}.pos_key_proj`, d.hiddenSize, d.allHeadSize, true);
    if (d.posQueryProj) list.linear(`${at}.pos_query_proj`, d.hiddenSize, d.allHeadSize, true);
  };
  for (let i = 0; i < d.numHiddenLayers; i++)
    addEncoderLayer(list, `${p}encoder.layer.${i}`, { hiddenSize: d.hiddenSize, intermediateSize: d.intermediateSize, selfAttention });
  if (d.relEmbeddingRows > 0) list.embedding(`${p}encoder.rel_embeddings`, d.relEmbeddingRows, d.hiddenSize);
  if (d.relLayerNorm) list.norm(`${p}encoder.LayerNorm`, d.hiddenSize, true, "LayerNorm");
  if (d.convKernelSize > 0) {
    // nn.Conv1d(hidden, hidden, k, groups): weight [out, in / groups, k] + bias [out]
    const h = d.hiddenSize;
    list.other(`${p}encoder.conv.conv`, "Conv1d", { weight: [h, h / d.convGroups, d.convKernelSize], bias: [h] });
    list.norm(`${p}encoder.conv.LayerNorm`, h, true, "LayerNorm");
  }
}

/** The anatomy of what `addDebertaV2Encoder` builds under `p` (the ConvLayer's `conv` is neither attention nor FFN). */
function debertaV2Anatomy(p: string, d: DebertaV2Dims, head: readonly string[]): Anatomy {
  const E = `${p}embeddings`;
  const attention = { names: ["query_proj", "key_proj", "value_proj"] as const, heads: d.numAttentionHeads, headDim: d.headDim };
  return {
    hiddenSize: d.hiddenSize,
    vocabSize: d.vocabSize,
    stacks: [uniformStack("encoder", `${p}encoder.layer`, d.numHiddenLayers, bertLayerAnatomy(attention, d.intermediateSize))],
    embeddings: [
      `${E}.word_embeddings`,
      ...(d.positionBiasedInput ? [`${E}.position_embeddings`] : []),
      ...(d.typeVocabSize > 0 ? [`${E}.token_type_embeddings`] : []),
      // the relative-position table shared by every layer's disentangled attention
      ...(d.relEmbeddingRows > 0 ? [`${p}encoder.rel_embeddings`] : []),
    ],
    ...(d.embeddingSize !== d.hiddenSize ? { embeddingProjections: [`${E}.embed_proj`] } : {}),
    norms: [`${E}.LayerNorm`, ...(d.relLayerNorm ? [`${p}encoder.LayerNorm`] : []), ...(d.convKernelSize > 0 ? [`${p}encoder.conv.LayerNorm`] : [])],
    head,
  };
}

function buildDebertaV2(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readDebertaV2Dims(cfg);
  const p = encoderPrefix(opts.task, "deberta");
  const list = new ModuleList();
  addDebertaV2Encoder(list, p, d);
  const headStart = list.modules.length;
  switch (opts.task) {
    case "SEQ_CLS":
      // ContextPooler is pooler_hidden_size wide, but reports hidden_size as the classifier's input.
      list.linear("pooler.dense", d.poolerHiddenSize, d.poolerHiddenSize, true);
      list.linear("classifier", d.hiddenSize, opts.numLabels, true);
      break;
    case "TOKEN_CLS":
      list.linear("classifier", d.hiddenSize, opts.numLabels, true);
      break;
    case "QUESTION_ANS":
      list.linear("qa_outputs", d.hiddenSize, opts.numLabels, true);
      break;
    default:
      break;
  }
  return {
    modelType: cfg.modelType,
    task: opts.task,
    modelClass: `DebertaV2${MODEL_CLASS_SUFFIX[opts.task]}`,
    modules: list.modules,
    dims: d,
    inputEmbeddings: `${p}embeddings.word_embeddings`,
    layersPath: `${p}encoder.layer`,
    anatomy: debertaV2Anatomy(p, d, list.modules.slice(headStart).map((m) => m.name)),
  };
}

export const debertaV2Family: Family = {
  modelTypes: ["deberta-v2"],
  tasks: ["SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"],
  defaultTask: "SEQ_CLS",
  build: buildDebertaV2,
};
