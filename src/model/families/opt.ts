/**
 * OPT (`opt`), as transformers 4.43 builds it: everything under `model.decoder.` (`decoder.` for the
 * bare OPTModel). Learned positions `embed_positions` have `max_position_embeddings + 2` rows (fairseq's
 * padding offset). When `word_embed_proj_dim` differs from `hidden_size` (OPT-350m) the token embedding
 * is that narrower width and bias-free `project_in` / `project_out` map to and from the hidden size; the
 * LM head and the task heads read the projected width. `do_layer_norm_before: false` (post-LN, OPT-350m)
 * or `_remove_final_layer_norm` drops the decoder's `final_layer_norm`; `enable_bias` switches every
 * projection bias; `layer_norm_elementwise_affine: false` leaves the LayerNorms without parameters.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import { decoderInventory } from "../heads.js";
import { gptModelClass, gptPrefix } from "./gpt2.js";
import { separateAttention, uniformStack } from "./anatomy-parts.js";

/** fairseq reserved two position rows (padding offset); transformers keeps them. */
const POSITION_OFFSET = 2;

export interface OptDims extends ModelDims {
  readonly wordEmbedProjDim: number;
  readonly finalLayerNorm: boolean;
  readonly enableBias: boolean;
  readonly affineNorms: boolean;
}

function readOpt(cfg: ConfigReader): OptDims {
  const hiddenSize = cfg.int("hidden_size", 768);
  const numAttentionHeads = cfg.int("num_attention_heads", 12);
  const doLayerNormBefore = cfg.bool("do_layer_norm_before", true);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int("num_hidden_layers", 12),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim: cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads),
    intermediateSize: cfg.int("ffn_dim", 3072),
    vocabSize: cfg.int("vocab_size", 50272),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 2048),
    wordEmbedProjDim: cfg.int("word_embed_proj_dim", hiddenSize),
    finalLayerNorm: doLayerNormBefore && !cfg.bool("_remove_final_layer_norm", false),
    enableBias: cfg.bool("enable_bias", true),
    affineNorms: cfg.bool("layer_norm_elementwise_affine", true),
  };
}

function buildOpt(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readOpt(cfg);
  const h = d.hiddenSize;
  const proj = d.wordEmbedProjDim;
  const p = `${gptPrefix(opts.task, "model")}decoder.`;
  const list = new ModuleList();
  // nn.LayerNorm(elementwise_affine=False) owns no parameters, so named_parameters() never sees it.
  const norm = (name: string): void => {
    if (d.affineNorms) list.norm(name, h, true, "LayerNorm");
  };
  list.embedding(`${p}embed_tokens`, d.vocabSize, proj);
  list.embedding(`${p}embed_positions`, d.maxPositionEmbeddings! + POSITION_OFFSET, h, "OPTLearnedPositionalEmbedding");
  if (proj !== h) {
    list.linear(`${p}project_out`, h, proj, false);
    list.linear(`${p}project_in`, proj, h, false);
  }
  if (d.finalLayerNorm) norm(`${p}final_layer_norm`);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    for (const name of ["k_proj", "v_proj", "q_proj", "out_proj"]) list.linear(`${L}.self_attn.${name}`, h, h, d.enableBias);
    norm(`${L}.self_attn_layer_norm`);
    list.linear(`${L}.fc1`, h, d.intermediateSize, d.enableBias);
    list.linear(`${L}.fc2`, d.intermediateSize, h, d.enableBias);
    norm(`${L}.final_layer_norm`);
  }
  return decoderInventory(list, opts, {
    modelType: cfg.modelType,
    modelClass: gptModelClass("OPT", opts.task),
    dims: d,
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    head: { tokenClassifier: "classifier", hiddenSize: proj },
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack(
          "decoder",
          `${p}layers`,
          d.numHiddenLayers,
          {
            selfAttention: separateAttention("self_attn", ["q_proj", "k_proj", "v_proj", "out_proj"], d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
            ffn: { in: ["fc1"], out: "fc2", intermediateSize: d.intermediateSize },
            norms: d.affineNorms ? ["self_attn_layer_norm", "final_layer_norm"] : [],
          },
          d.finalLayerNorm && d.affineNorms ? `${p}final_layer_norm` : undefined,
        ),
      ],
      embeddings: [`${p}embed_tokens`, `${p}embed_positions`],
      ...(proj !== h ? { embeddingProjections: [`${p}project_out`, `${p}project_in`] } : {}),
    },
    notes: [`position table has max_position_embeddings + ${POSITION_OFFSET} rows (OPT's padding offset)`],
  });
}

const OPT_TASKS: readonly Task[] = ["CAUSAL_LM", "SEQ_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"];

export const optFamily: Family = {
  modelTypes: ["opt"],
  tasks: OPT_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildOpt,
};
