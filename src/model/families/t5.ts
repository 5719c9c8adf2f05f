/**
 * T5 and mT5 encoder-decoders, as transformers 4.43 and 5.x build them.
 *
 * - 4.x: `shared` is one `nn.Embedding` object that both stacks hold as `embed_tokens`
 *   (`T5Stack.embed_tokens = embed_tokens`), so `named_modules()` yields it once, as `shared`;
 *   `encoder.embed_tokens` / `decoder.embed_tokens` are aliases of the same module.
 *   5.x: each stack builds its own `embed_tokens` Embedding whose weight is tied to `shared.weight`
 *   (`t5StacksOwnEmbedTokens`), so targeting and modules_to_save see three modules.
 * - Every block: `layer.0` self-attention (q/k/v/o, no biases, inner dim = num_heads·d_kv, which
 *   may differ from d_model) + T5LayerNorm (weight only); decoder blocks add `layer.1`
 *   cross-attention (`EncDecAttention`); the last `layer.N` is the feed-forward
 *   (`DenseReluDense`: `wi`/`wo`, or `wi_0`/`wi_1`/`wo` when `feed_forward_proj` is `gated-*`).
 * - Only block 0 of each stack has a `relative_attention_bias` Embedding(num_buckets, num_heads),
 *   in its self-attention.
 * - The LM head: 4.x ties it to `shared` when `tie_word_embeddings` (T5 v1.0) and flan-t5 / mT5
 *   (`tie_word_embeddings: false`) untie it; 5.x always ties it (`t5AlwaysTiesLmHead`).
 * Defaults are those of `T5Config` / `MT5Config` (attribute_map: hidden_size → d_model,
 * num_attention_heads → num_heads, num_hidden_layers → num_layers).
 */
import { InputError } from "../../errors.js";
import { DEFAULT_VERSIONS, type Version } from "../../versions.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { t5AlwaysTiesLmHead, t5StacksOwnEmbedTokens } from "../releases.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import type { Anatomy, LayerAnatomy } from "../anatomy.js";
import { separateAttention, uniformStack } from "./anatomy-parts.js";

interface Variant {
  readonly arch: string;
  readonly defaults: { vocab: number; dModel: number; dFf: number; layers: number; heads: number; ffProj: string; tie: boolean };
}

const VARIANTS: Record<string, Variant> = {
  // T5Config; tie_word_embeddings comes from PretrainedConfig (true)
  t5: { arch: "T5", defaults: { vocab: 32128, dModel: 512, dFf: 2048, layers: 6, heads: 8, ffProj: "relu", tie: true } },
  // MT5Config
  mt5: { arch: "MT5", defaults: { vocab: 250112, dModel: 512, dFf: 1024, layers: 8, heads: 6, ffProj: "gated-gelu", tie: false } },
};

export interface T5Dims extends ModelDims {
  readonly numDecoderLayers: number;
  /** `feed_forward_proj` is `gated-<act>`: wi_0 / wi_1 / wo instead of wi / wo */
  readonly gatedFf: boolean;
  readonly relativeAttentionNumBuckets: number;
}

/** `gated-<act>` → gated; `<act>` → plain; anything else is rejected as T5Config does. */
function isGated(cfg: ConfigReader, ffProj: string): boolean {
  const parts = ffProj.split("-");
  const gated = parts[0] === "gated";
  const act = parts[parts.length - 1] ?? "";
  if (parts.length > 2 || (parts.length === 2 && !gated) || act === "" || act === "gated")
    throw new InputError(
      "INVALID_CONFIG",
      `${cfg.where}: "feed_forward_proj" must be "<activation>" or "gated-<activation>" (got ${JSON.stringify(ffProj)})`,
      `use e.g. "relu" (T5 v1.0) or "gated-gelu" (T5 v1.1, flan-t5, mT5) in the ${cfg.modelType} config`,
    );
  return gated;
}

export function readT5Dims(cfg: ConfigReader, v: Variant["defaults"], transformers: Version = DEFAULT_VERSIONS.transformers): T5Dims {
  const numHeads = cfg.int(["num_attention_heads", "num_heads"], v.heads);
  // T5Config resolves num_decoder_layers from the raw `num_layers` argument, before the
  // attribute_map alias `num_hidden_layers` is applied.
  const numDecoderLayers = cfg.int("num_decoder_layers", cfg.int("num_layers", v.layers));
  return {
    hiddenSize: cfg.int(["hidden_size", "d_model"], v.dModel),
    numHiddenLayers: cfg.int(["num_hidden_layers", "num_layers"], v.layers),
    numDecoderLayers,
    numAttentionHeads: numHeads,
    numKeyValueHeads: numHeads,
    headDim: cfg.int("d_kv", 64),
    intermediateSize: cfg.int("d_ff", v.dFf),
    vocabSize: cfg.int("vocab_size", v.vocab),
    // read (and type-checked) in every release; transformers 5 then ties regardless
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", v.tie) || t5AlwaysTiesLmHead(transformers),
    isEncoderDecoder: true,
    // T5Config derives is_gated_act from feed_forward_proj (and validates it), but a saved
    // `is_gated_act` key is applied afterwards through **kwargs and wins
    gatedFf: cfg.bool("is_gated_act", isGated(cfg, cfg.str("feed_forward_proj", v.ffProj))),
    relativeAttentionNumBuckets: cfg.int("relative_attention_num_buckets", 32),
  };
}

function addAttention(list: ModuleList, at: string, d: T5Dims, relativeBias: boolean): void {
  const inner = d.numAttentionHeads * d.headDim;
  list.linear(`${at}.q`, d.hiddenSize, inner, false);
  list.linear(`${at}.k`, d.hiddenSize, inner, false);
  list.linear(`${at}.v`, d.hiddenSize, inner, false);
  list.linear(`${at}.o`, inner, d.hiddenSize, false);
  if (relativeBias) list.embedding(`${at}.relative_attention_bias`, d.relativeAttentionNumBuckets, d.numAttentionHeads);
}

/** One T5Stack (`encoder` or `decoder`) under `at`, holding the shared embedding (or a tied copy) as `embed_tokens`. */
function addStack(list: ModuleList, at: string, d: T5Dims, arch: string, shared: string, decoder: boolean, ownEmbedTokens: boolean): void {
  const norm = `${arch}LayerNorm`;
  if (ownEmbedTokens) list.embedding(`${at}.embed_tokens`, d.vocabSize, d.hiddenSize).tie(`${at}.embed_tokens`, `${shared}.weight`);
  else list.alias(shared, `${at}.embed_tokens`);
  const layers = decoder ? d.numDecoderLayers : d.numHiddenLayers;
  for (let i = 0; i < layers; i++) {
    const B = `${at}.block.${i}.layer`;
    addAttention(list, `${B}.0.SelfAttention`, d, i === 0);
    list.norm(`${B}.0.layer_norm`, d.hiddenSize, false, norm);
    if (decoder) {
      addAttention(list, `${B}.1.EncDecAttention`, d, false);
      list.norm(`${B}.1.layer_norm`, d.hiddenSize, false, norm);
    }
    const F = `${B}.${decoder ? 2 : 1}`;
    if (d.gatedFf) {
      list.linear(`${F}.DenseReluDense.wi_0`, d.hiddenSize, d.intermediateSize, false);
      list.linear(`${F}.DenseReluDense.wi_1`, d.hiddenSize, d.intermediateSize, false);
    } else {
      list.linear(`${F}.DenseReluDense.wi`, d.hiddenSize, d.intermediateSize, false);
    }
    list.linear(`${F}.DenseReluDense.wo`, d.intermediateSize, d.hiddenSize, false);
    list.norm(`${F}.layer_norm`, d.hiddenSize, false, norm);
  }
  list.norm(`${at}.final_layer_norm`, d.hiddenSize, false, norm);
}

/**
 * The anatomy of one T5Block (`layer.0` self-attention, decoder `layer.1` cross-attention, the last
 * `layer.N` the DenseReluDense feed-forward); block 0's `relative_attention_bias` sits in its self-attention.
 */
function t5LayerAnatomy(d: T5Dims, decoder: boolean): LayerAnatomy {
  const attention = (block: string) => separateAttention(block, ["q", "k", "v", "o"], d.numAttentionHeads, d.numKeyValueHeads, d.headDim);
  const F = `layer.${decoder ? 2 : 1}`;
  const ffn = `${F}.DenseReluDense`;
  return {
    selfAttention: attention("layer.0.SelfAttention"),
    ...(decoder ? { crossAttention: attention("layer.1.EncDecAttention") } : {}),
    ffn: { block: ffn, in: d.gatedFf ? [`${ffn}.wi_0`, `${ffn}.wi_1`] : [`${ffn}.wi`], out: `${ffn}.wo`, intermediateSize: d.intermediateSize, ...(d.gatedFf ? { gated: true } : {}) },
    norms: ["layer.0.layer_norm", ...(decoder ? ["layer.1.layer_norm"] : []), `${F}.layer_norm`],
  };
}

function t5Anatomy(p: string, d: T5Dims, decoder: boolean, ownEmbedTokens: boolean, head: readonly string[]): Anatomy {
  const stacks = decoder ? ["encoder", "decoder"] : ["encoder"];
  return {
    hiddenSize: d.hiddenSize,
    vocabSize: d.vocabSize,
    stacks: stacks.map((at) => {
      const dec = at === "decoder";
      return uniformStack(dec ? "decoder" : "encoder", `${p}${at}.block`, dec ? d.numDecoderLayers : d.numHiddenLayers, t5LayerAnatomy(d, dec), `${p}${at}.final_layer_norm`);
    }),
    // transformers 4.x: the stacks' embed_tokens are aliases of `shared`, not modules of their own
    embeddings: [`${p}shared`, ...(ownEmbedTokens ? stacks.map((at) => `${p}${at}.embed_tokens`) : [])],
    head,
  };
}

/** Per task: class suffix, where the backbone sits, whether it has a decoder. */
const HEADS: Partial<Record<Task, { suffix: string; prefix: string; decoder: boolean }>> = {
  SEQ_2_SEQ_LM: { suffix: "ForConditionalGeneration", prefix: "", decoder: true },
  FEATURE_EXTRACTION: { suffix: "Model", prefix: "", decoder: true },
  // T5ForSequenceClassification: `transformer` = T5Model + classification_head
  SEQ_CLS: { suffix: "ForSequenceClassification", prefix: "transformer.", decoder: true },
  // T5ForQuestionAnswering keeps shared/encoder/decoder at the top level
  QUESTION_ANS: { suffix: "ForQuestionAnswering", prefix: "", decoder: true },
  // T5ForTokenClassification: `transformer` = T5EncoderModel (no decoder) + classifier
  TOKEN_CLS: { suffix: "ForTokenClassification", prefix: "transformer.", decoder: false },
};

export const T5_TASKS: readonly Task[] = ["SEQ_2_SEQ_LM", "FEATURE_EXTRACTION", "SEQ_CLS", "QUESTION_ANS", "TOKEN_CLS"];

function buildT5(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const v = VARIANTS[cfg.modelType]!;
  const head = HEADS[opts.task]!;
  const d = readT5Dims(cfg, v.defaults, opts.transformers);
  const p = head.prefix;
  const own = t5StacksOwnEmbedTokens(opts.transformers);
  const list = new ModuleList();
  list.embedding(`${p}shared`, d.vocabSize, d.hiddenSize);
  addStack(list, `${p}encoder`, d, v.arch, `${p}shared`, false, own);
  if (head.decoder) addStack(list, `${p}decoder`, d, v.arch, `${p}shared`, true, own);
  let outputEmbeddings: string | undefined;
  const headStart = list.modules.length;
  switch (opts.task) {
    case "SEQ_2_SEQ_LM":
      list.linear("lm_head", d.hiddenSize, d.vocabSize, false);
      if (d.tieWordEmbeddings) list.tie("lm_head", "shared.weight");
      outputEmbeddings = "lm_head";
      break;
    case "SEQ_CLS":
      list.linear("classification_head.dense", d.hiddenSize, d.hiddenSize, true);
      list.linear("classification_head.out_proj", d.hiddenSize, opts.numLabels, true);
      break;
    case "QUESTION_ANS":
      list.linear("qa_outputs", d.hiddenSize, opts.numLabels, true);
      break;
    case "TOKEN_CLS":
      list.linear("classifier", d.hiddenSize, opts.numLabels, true);
      break;
    default:
      break;
  }
  return {
    modelType: cfg.modelType,
    task: opts.task,
    modelClass: `${v.arch}${head.suffix}`,
    modules: list.modules,
    dims: d,
    inputEmbeddings: `${p}shared`,
    ...(outputEmbeddings ? { outputEmbeddings } : {}),
    layersPath: `${p}encoder.block`,
    anatomy: t5Anatomy(p, d, head.decoder, own, list.modules.slice(headStart).map((m) => m.name)),
  };
}

export const t5Family: Family = {
  modelTypes: Object.keys(VARIANTS),
  tasks: T5_TASKS,
  defaultTask: "SEQ_2_SEQ_LM",
  build: buildT5,
};
