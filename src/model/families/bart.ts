/**
 * BART encoder-decoder, as transformers 4.43 builds it.
 *
 * - `model.shared` is a BartScaledWordEmbedding; `BartEncoder` / `BartDecoder` each build their
 *   *own* `embed_tokens` module and then point its `.weight` at the shared Parameter
 *   (`self.embed_tokens.weight = embed_tokens.weight`). So, unlike T5, `named_modules()` yields three
 *   Embedding modules (`model.shared`, `model.encoder.embed_tokens`, `model.decoder.embed_tokens`)
 *   whose weight is one tensor, counted once: the two stack embeddings are *tied*, not aliases.
 * - Learned positions (`BartLearnedPositionalEmbedding`) have `max_position_embeddings + 2` rows
 *   (the fairseq offset of 2), one table per stack; `layernorm_embedding` after the embeddings.
 * - Layers: `self_attn` (k/v/q/out_proj, all with bias) + `self_attn_layer_norm`, decoder adds
 *   `encoder_attn` + `encoder_attn_layer_norm`, then `fc1`, `fc2`, `final_layer_norm` (post-norm;
 *   no final stack LayerNorm, unlike mBART).
 * - `BartForConditionalGeneration.final_logits_bias` is a registered buffer, not a parameter.
 * Defaults are `BartConfig`'s (attribute_map: hidden_size → d_model,
 * num_attention_heads → encoder_attention_heads).
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import type { Anatomy, StackAnatomy } from "../anatomy.js";
import { separateAttention, uniformStack } from "./anatomy-parts.js";

export interface BartDims extends ModelDims {
  readonly numDecoderLayers: number;
  readonly maxPositionEmbeddings: number;
  readonly decoderAttentionHeads: number;
  readonly decoderFfnDim: number;
}

export function readBartDims(cfg: ConfigReader): BartDims {
  const hiddenSize = cfg.int(["hidden_size", "d_model"], 1024);
  const encHeads = cfg.int(["num_attention_heads", "encoder_attention_heads"], 16);
  const decHeads = cfg.int("decoder_attention_heads", 16);
  // BartAttention refuses an embed_dim its heads cannot split
  const headDim = cfg.divides("d_model", hiddenSize, "encoder_attention_heads", encHeads);
  cfg.divides("d_model", hiddenSize, "decoder_attention_heads", decHeads);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int("encoder_layers", 12),
    numDecoderLayers: cfg.int("decoder_layers", 12),
    numAttentionHeads: encHeads,
    numKeyValueHeads: encHeads,
    headDim,
    intermediateSize: cfg.int("encoder_ffn_dim", 4096),
    vocabSize: cfg.int("vocab_size", 50265),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: true,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 1024),
    decoderAttentionHeads: decHeads,
    decoderFfnDim: cfg.int("decoder_ffn_dim", 4096),
  };
}

function addAttention(list: ModuleList, at: string, d: number): void {
  for (const proj of ["k_proj", "v_proj", "q_proj", "out_proj"]) list.linear(`${at}.${proj}`, d, d, true);
}

/**
 * One BartEncoder / BartDecoder under `at`. `shared`: path of the embedding whose weight the
 * stack's `embed_tokens` reuses; undefined when the stack owns it (BartForCausalLM).
 */
function addStack(list: ModuleList, at: string, d: BartDims, decoder: boolean, shared: string | undefined): void {
  const h = d.hiddenSize;
  list.embedding(`${at}.embed_tokens`, d.vocabSize, h, "BartScaledWordEmbedding");
  if (shared) list.tie(`${at}.embed_tokens`, `${shared}.weight`);
  list.embedding(`${at}.embed_positions`, d.maxPositionEmbeddings + 2, h, "BartLearnedPositionalEmbedding");
  const layers = decoder ? d.numDecoderLayers : d.numHiddenLayers;
  const ffn = decoder ? d.decoderFfnDim : d.intermediateSize;
  for (let i = 0; i < layers; i++) {
    const L = `${at}.layers.${i}`;
    addAttention(list, `${L}.self_attn`, h);
    list.norm(`${L}.self_attn_layer_norm`, h, true, "LayerNorm");
    if (decoder) {
      addAttention(list, `${L}.encoder_attn`, h);
      list.norm(`${L}.encoder_attn_layer_norm`, h, true, "LayerNorm");
    }
    list.linear(`${L}.fc1`, h, ffn, true);
    list.linear(`${L}.fc2`, ffn, h, true);
    list.norm(`${L}.final_layer_norm`, h, true, "LayerNorm");
  }
  list.norm(`${at}.layernorm_embedding`, h, true, "LayerNorm");
}

/** The anatomy of the stack `addStack` builds under `at` (decoder attention uses decoder_attention_heads). */
function stackAnatomy(at: string, d: BartDims, decoder: boolean): StackAnatomy {
  const heads = decoder ? d.decoderAttentionHeads : d.numAttentionHeads;
  const attention = (block: string) => separateAttention(block, ["q_proj", "k_proj", "v_proj", "out_proj"], heads, heads, d.hiddenSize / heads);
  return uniformStack(decoder ? "decoder" : "encoder", `${at}.layers`, decoder ? d.numDecoderLayers : d.numHiddenLayers, {
    selfAttention: attention("self_attn"),
    ...(decoder ? { crossAttention: attention("encoder_attn") } : {}),
    ffn: { in: ["fc1"], out: "fc2", intermediateSize: decoder ? d.decoderFfnDim : d.intermediateSize },
    norms: ["self_attn_layer_norm", ...(decoder ? ["encoder_attn_layer_norm"] : []), "final_layer_norm"],
  });
}

/** The anatomy of the stacks under `stacks` (their own token / position tables and `layernorm_embedding`s). */
function bartAnatomy(d: BartDims, shared: string | undefined, stacks: readonly string[], head: readonly string[]): Anatomy {
  return {
    hiddenSize: d.hiddenSize,
    vocabSize: d.vocabSize,
    stacks: stacks.map((at) => stackAnatomy(at, d, at.endsWith("decoder"))),
    embeddings: [...(shared ? [shared] : []), ...stacks.flatMap((at) => [`${at}.embed_tokens`, `${at}.embed_positions`])],
    norms: stacks.map((at) => `${at}.layernorm_embedding`),
    head,
  };
}

const CLASS_SUFFIX: Partial<Record<Task, string>> = {
  SEQ_2_SEQ_LM: "ForConditionalGeneration",
  FEATURE_EXTRACTION: "Model",
  SEQ_CLS: "ForSequenceClassification",
  QUESTION_ANS: "ForQuestionAnswering",
  CAUSAL_LM: "ForCausalLM",
};

export const BART_TASKS: readonly Task[] = ["SEQ_2_SEQ_LM", "FEATURE_EXTRACTION", "SEQ_CLS", "QUESTION_ANS", "CAUSAL_LM"];

/** BartForCausalLM: the decoder alone (own, unshared embed_tokens) under `model.decoder`, plus lm_head. */
function buildCausal(cfg: ConfigReader, d: BartDims): Inventory {
  const list = new ModuleList();
  addStack(list, "model.decoder", d, true, undefined);
  list.linear("lm_head", d.hiddenSize, d.vocabSize, false);
  if (d.tieWordEmbeddings) list.tie("lm_head", "model.decoder.embed_tokens.weight");
  return {
    modelType: cfg.modelType,
    task: "CAUSAL_LM",
    modelClass: "BartForCausalLM",
    modules: list.modules,
    // BartForCausalLM copies the config with is_encoder_decoder = False
    dims: { ...d, isEncoderDecoder: false },
    inputEmbeddings: "model.decoder.embed_tokens",
    outputEmbeddings: "lm_head",
    layersPath: "model.decoder.layers",
    anatomy: bartAnatomy(d, undefined, ["model.decoder"], ["lm_head"]),
  };
}

function buildBart(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readBartDims(cfg);
  if (opts.task === "CAUSAL_LM") return buildCausal(cfg, d);
  const p = opts.task === "FEATURE_EXTRACTION" ? "" : "model.";
  const list = new ModuleList();
  list.embedding(`${p}shared`, d.vocabSize, d.hiddenSize, "BartScaledWordEmbedding");
  addStack(list, `${p}encoder`, d, false, `${p}shared`);
  addStack(list, `${p}decoder`, d, true, `${p}shared`);
  let outputEmbeddings: string | undefined;
  const notes: string[] = [];
  const headStart = list.modules.length;
  switch (opts.task) {
    case "SEQ_2_SEQ_LM":
      list.linear("lm_head", d.hiddenSize, d.vocabSize, false);
      if (d.tieWordEmbeddings) list.tie("lm_head", "model.shared.weight");
      outputEmbeddings = "lm_head";
      notes.push(`final_logits_bias (1 × ${d.vocabSize}) is a buffer, not a parameter: not counted`);
      break;
    case "SEQ_CLS":
      list.linear("classification_head.dense", d.hiddenSize, d.hiddenSize, true);
      list.linear("classification_head.out_proj", d.hiddenSize, opts.numLabels, true);
      break;
    case "QUESTION_ANS":
      // BartForQuestionAnswering forces config.num_labels = 2
      list.linear("qa_outputs", d.hiddenSize, 2, true);
      break;
    default:
      break;
  }
  return {
    modelType: cfg.modelType,
    task: opts.task,
    modelClass: `Bart${CLASS_SUFFIX[opts.task]!}`,
    modules: list.modules,
    dims: d,
    inputEmbeddings: `${p}shared`,
    ...(outputEmbeddings ? { outputEmbeddings } : {}),
    layersPath: `${p}encoder.layers`,
    anatomy: bartAnatomy(d, `${p}shared`, [`${p}encoder`, `${p}decoder`], list.modules.slice(headStart).map((m) => m.name)),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

export const bartFamily: Family = {
  modelTypes: ["bart"],
  tasks: BART_TASKS,
  defaultTask: "SEQ_2_SEQ_LM",
  defaultNumLabels: 3,
  build: buildBart,
};
