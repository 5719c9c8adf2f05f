/**
 * Llama-like decoders: llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3_text, vaultgemma, phi3.
 * One backbone, varied by a few switches: GQA (`num_key_value_heads`), explicit `head_dim`,
 * `attention_bias` / `mlp_bias`, Qwen2's q/k/v-only biases, Qwen3's and Gemma3's q/k norms,
 * Gemma2/3's sandwich norms (VaultGemma: input + pre-feed-forward norms only), Phi-3's fused
 * `qkv_proj` / `gate_up_proj`, the Gemmas' scaled-embedding classes (release rules in ../releases.ts).
 * Defaults are those of each transformers `<Arch>Config` class.
 */
import type { AttentionAnatomy, FeedForwardAnatomy, LayerAnatomy } from "../anatomy.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";

import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, DECODER_TASKS, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import { gemmaScaledEmbedding, phiTokenHeadIsScore } from "../releases.js";
import type { Version } from "../../versions.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import { fusedAttention, separateAttention, uniformStack } from "./anatomy-parts.js";

interface Variant {
  readonly arch: string;
  readonly defaults: {
    vocab: number;
    hidden: number;
    intermediate: number;
    layers: number;
    heads: number;
    /** undefined: same as heads */
    kvHeads?: number;
    /** undefined: hidden / heads */
    headDim?: number;
    tie: boolean;
  };
  /** biases on q,k,v only, always (Qwen2) */
  readonly qkvBiasAlways?: boolean;
  /** `attention_bias` / `mlp_bias` keys are read */
  readonly attentionBiasKey?: boolean;
  readonly mlpBiasKey?: boolean;
  readonly qkNorm?: boolean;
  /** per-layer norms after the MLP, in registration order (default: input + post-attention) */
  readonly norms?: readonly string[];
  readonly fused?: boolean;
  /** QUESTION_ANS keeps the backbone under `transformer.` (Llama, for backward compatibility) */
  readonly qaBase?: string;
  /** class of `embed_tokens` in this transformers release, when it is not nn.Embedding (the Gemmas' scaled embeddings) */
  readonly embedClass?: (t: Version) => string | undefined;
  /** TOKEN_CLS head name in this release (default `score`) */
  readonly tokenClassifier?: (t: Version) => "score" | "classifier";
  /** heads this model type has, when fewer than the family's */
  readonly tasks?: readonly Task[];
  /** model class names that do not follow `<arch><suffix>` */
  readonly classNames?: Partial<Record<Task, string>>;
}

const SANDWICH = ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"];

const VARIANTS: Record<string, Variant> = {
  llama: {
    arch: "Llama",
    defaults: { vocab: 32000, hidden: 4096, intermediate: 11008, layers: 32, heads: 32, tie: false },
    attentionBiasKey: true,
    mlpBiasKey: true,
    qaBase: "transformer",
  },
  mistral: { arch: "Mistral", defaults: { vocab: 32000, hidden: 4096, intermediate: 14336, layers: 32, heads: 32, kvHeads: 8, tie: false } },
  // Qwen2/Qwen3ForQuestionAnswering keep the backbone under `transformer.` (base_model_prefix, for BC)
  qwen2: { arch: "Qwen2", defaults: { vocab: 151936, hidden: 4096, intermediate: 22016, layers: 32, heads: 32, kvHeads: 32, tie: false }, qkvBiasAlways: true, qaBase: "transformer" },
  qwen3: {
    arch: "Qwen3",
    defaults: { vocab: 151936, hidden: 4096, intermediate: 22016, layers: 32, heads: 32, kvHeads: 32, headDim: 128, tie: false },
    attentionBiasKey: true,
    qkNorm: true,
    qaBase: "transformer",
  },
  // transformers has no question-answering head for Gemma, Gemma2 or Phi-3
  gemma: {
    arch: "Gemma",
    defaults: { vocab: 256000, hidden: 3072, intermediate: 24576, layers: 28, heads: 16, kvHeads: 16, headDim: 256, tie: true },
    attentionBiasKey: true,
    embedClass: (t) => (gemmaScaledEmbedding(t) ? "GemmaTextScaledWordEmbedding" : undefined),
    tasks: ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS", "FEATURE_EXTRACTION"],
  },
  gemma2: {
    arch: "Gemma2",
    defaults: { vocab: 256000, hidden: 2304, intermediate: 9216, layers: 26, heads: 8, kvHeads: 4, headDim: 256, tie: true },
    attentionBiasKey: true,
    norms: SANDWICH,
    embedClass: (t) => (gemmaScaledEmbedding(t) ? "Gemma2TextScaledWordEmbedding" : undefined),
    tasks: ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS", "FEATURE_EXTRACTION"],
  },
  // Gemma3TextConfig defaults; Gemma3TextModel embeds with Gemma3TextScaledWordEmbedding (embed_scale is a
  // buffer, not a parameter). Text-only heads: Gemma3ForCausalLM, Gemma3TextModel, Gemma3TextForSequenceClassification.
  gemma3_text: {
    arch: "Gemma3",
    defaults: { vocab: 262208, hidden: 2304, intermediate: 9216, layers: 26, heads: 8, kvHeads: 4, headDim: 256, tie: true },
    attentionBiasKey: true,
    norms: SANDWICH,
    qkNorm: true,
    embedClass: () => "Gemma3TextScaledWordEmbedding",
    tasks: ["CAUSAL_LM", "SEQ_CLS", "FEATURE_EXTRACTION"],
    classNames: { FEATURE_EXTRACTION: "Gemma3TextModel", SEQ_CLS: "Gemma3TextForSequenceClassification" },
  },
  // VaultGemmaConfig defaults (Gemma2-like, without the post-attention / post-feed-forward norms);
  // transformers has only VaultGemmaForCausalLM and VaultGemmaModel.
  vaultgemma: {
    arch: "VaultGemma",
    defaults: { vocab: 256000, hidden: 2304, intermediate: 9216, layers: 26, heads: 8, kvHeads: 4, headDim: 256, tie: true },
    attentionBiasKey: true,
    norms: ["input_layernorm", "pre_feedforward_layernorm"],
    embedClass: () => "VaultGemmaTextScaledWordEmbedding",
    tasks: ["CAUSAL_LM", "FEATURE_EXTRACTION"],
  },
  phi3: {
    arch: "Phi3",
    defaults: { vocab: 32064, hidden: 3072, intermediate: 8192, layers: 32, heads: 32, tie: false },
    fused: true,
    tokenClassifier: (t) => (phiTokenHeadIsScore(t) ? "score" : "classifier"),
    tasks: ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS", "FEATURE_EXTRACTION"],
  },
};

export interface LlamaDims extends ModelDims {
  readonly attentionBias: boolean;
  readonly mlpBias: boolean;
}

/** The shared dimensions of a Llama-like config (also used by the MoE families). */
export function readLlamaDims(cfg: ConfigReader, v: Variant["defaults"], keys: { attentionBias?: boolean; mlpBias?: boolean } = {}): LlamaDims {
  const hiddenSize = cfg.int("hidden_size", v.hidden);
  const numAttentionHeads = cfg.int("num_attention_heads", v.heads);
  const numKeyValueHeads = cfg.int("num_key_value_heads", v.kvHeads ?? numAttentionHeads);
  const headDim = cfg.has("head_dim") ? cfg.int("head_dim") : v.headDim ?? cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
  cfg.divides("num_attention_heads", numAttentionHeads, "num_key_value_heads", numKeyValueHeads);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int("num_hidden_layers", v.layers),
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    intermediateSize: cfg.int("intermediate_size", v.intermediate),
    vocabSize: cfg.int("vocab_size", v.vocab),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", v.tie),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 2048),
    attentionBias: keys.attentionBias ? cfg.bool("attention_bias", false) : false,
    mlpBias: keys.mlpBias ? cfg.bool("mlp_bias", false) : false,
  };
}

/** q/k/v/o projections (+ q/k norms) of one layer. */
export function addAttention(
  list: ModuleList,
  at: string,
  d: LlamaDims,
  o: { arch: string; qkvBias?: boolean; qkNorm?: boolean; fused?: boolean },
): void {
  const q = d.numAttentionHeads * d.headDim;
  const kv = d.numKeyValueHeads * d.headDim;
  const qkvBias = o.qkvBias ?? d.attentionBias;
  if (o.fused) {
    // Phi3Attention registers o_proj before qkv_proj
    list.linear(`${at}.o_proj`, q, d.hiddenSize, d.attentionBias);
    list.linear(`${at}.qkv_proj`, d.hiddenSize, q + 2 * kv, d.attentionBias);
  } else {
    list.linear(`${at}.q_proj`, d.hiddenSize, q, qkvBias);
    list.linear(`${at}.k_proj`, d.hiddenSize, kv, qkvBias);
    list.linear(`${at}.v_proj`, d.hiddenSize, kv, qkvBias);
    list.linear(`${at}.o_proj`, q, d.hiddenSize, d.attentionBias);
  }
  if (o.qkNorm) {
    list.norm(`${at}.q_norm`, d.headDim, false, `${o.arch}RMSNorm`);
    list.norm(`${at}.k_norm`, d.headDim, false, `${o.arch}RMSNorm`);
  }
}

/** The anatomy of what `addAttention` builds at `block` (layer-relative, default `self_attn`). */
export function attentionAnatomy(d: LlamaDims, o: { fused?: boolean; block?: string } = {}): AttentionAnatomy {
  const block = o.block ?? "self_attn";
  return o.fused
    ? fusedAttention(block, "qkv_proj", "o_proj", d.numAttentionHeads, d.numKeyValueHeads, d.headDim)
    : separateAttention(block, ["q_proj", "k_proj", "v_proj", "o_proj"], d.numAttentionHeads, d.numKeyValueHeads, d.headDim);
}

/** The anatomy of what `addGatedMlp` builds at `block` (layer-relative, default `mlp`). */
export function gatedMlpAnatomy(inter: number, names = ["gate_proj", "up_proj", "down_proj"], fused = false, block = "mlp"): FeedForwardAnatomy {
  const inProj = fused ? ["gate_up_proj"] : [names[0]!, names[1]!];
  return { block, in: inProj.map((n) => `${block}.${n}`), out: `${block}.${names[2]!}`, intermediateSize: inter, gated: true };
}

/** gate/up/down (or fused gate_up) MLP of one layer, or of one expert. */
export function addGatedMlp(list: ModuleList, at: string, hidden: number, inter: number, bias: boolean, names = ["gate_proj", "up_proj", "down_proj"], fused = false): void {
  if (fused) {
    list.linear(`${at}.gate_up_proj`, hidden, 2 * inter, bias);
  } else {
    list.linear(`${at}.${names[0]}`, hidden, inter, bias);
    list.linear(`${at}.${names[1]}`, hidden, inter, bias);
  }
  list.linear(`${at}.${names[2]}`, inter, hidden, bias);
}

function buildLlamaLike(modelType: string, cfg: ConfigReader, opts: BuildOptions): Inventory {
  const v = VARIANTS[modelType]!;
  const d = readLlamaDims(cfg, v.defaults, { attentionBias: v.attentionBiasKey ?? false, mlpBias: v.mlpBiasKey ?? false });
  const norm = `${v.arch}RMSNorm`;
  const p = backbonePrefix(opts.task, "model", v.qaBase);
  const list = new ModuleList();
  const fused = v.fused ?? false;
  const layerNorms = v.norms ?? ["input_layernorm", "post_attention_layernorm"];
  list.embedding(`${p}embed_tokens`, d.vocabSize, d.hiddenSize, v.embedClass?.(opts.transformers));
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    addAttention(list, `${L}.self_attn`, d, { arch: v.arch, ...(v.qkvBiasAlways ? { qkvBias: true } : {}), qkNorm: v.qkNorm ?? false, fused });
    addGatedMlp(list, `${L}.mlp`, d.hiddenSize, d.intermediateSize, d.mlpBias, undefined, fused);
    for (const n of layerNorms) list.norm(`${L}.${n}`, d.hiddenSize, false, norm);
  }
  list.norm(`${p}norm`, d.hiddenSize, false, norm);
  const layer: LayerAnatomy = {
    selfAttention: attentionAnatomy(d, { fused }),
    ffn: gatedMlpAnatomy(d.intermediateSize, undefined, fused),
    norms: [...(v.qkNorm ? ["self_attn.q_norm", "self_attn.k_norm"] : []), ...layerNorms],
  };
  return decoderInventory(list, opts, {
    modelType: modelType,
    modelClass: v.classNames?.[opts.task] ?? `${v.arch}${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: d,
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    ...(v.tokenClassifier ? { head: { tokenClassifier: v.tokenClassifier(opts.transformers) } } : {}),
    anatomy: {
      hiddenSize: d.hiddenSize,
      vocabSize: d.vocabSize,
      stacks: [uniformStack("decoder", `${p}layers`, d.numHiddenLayers, layer, `${p}norm`)],
      embeddings: [`${p}embed_tokens`],
    },
  });
}

export const llamaFamily: Family = {
  modelTypes: Object.keys(VARIANTS),
  tasks: DECODER_TASKS,
  tasksByType: Object.fromEntries(Object.entries(VARIANTS).flatMap(([type, v]) => (v.tasks ? [[type, v.tasks]] : []))),
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildLlamaLike(cfg.modelType, cfg, opts),
};

