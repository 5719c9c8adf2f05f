/**
 * GPT-NeoX (`gpt_neox`: Pythia, GPT-NeoX-20B): backbone under `gpt_neox.`, fused
 * `attention.query_key_value` (3·hidden, bias = `attention_bias`), MLP `dense_h_to_4h` /
 * `dense_4h_to_h` (always with bias), two LayerNorms per layer, and an untied output embedding
 * (tied only when `tie_word_embeddings` is true) named `embed_out`, `lm_head` from transformers
 * 5.14 (`gptNeoxHeadIsLmHead`).
 * Defaults are GPTNeoXConfig's (the 20B model).
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { DECODER_TASKS, decoderInventory } from "../heads.js";
import { gptNeoxHeadIsLmHead } from "../releases.js";
import type { Inventory, ModelDims } from "../types.js";
import { gptModelClass, gptPrefix } from "./gpt2.js";
import { fusedAttention, uniformStack } from "./anatomy-parts.js";

function readGptNeox(cfg: ConfigReader) {
  const hiddenSize = cfg.int("hidden_size", 6144);
  const numAttentionHeads = cfg.int("num_attention_heads", 64);
  const dims: ModelDims = {
    hiddenSize,
    numHiddenLayers: cfg.int("num_hidden_layers", 44),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim: cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads),
    intermediateSize: cfg.int("intermediate_size", 24576),
    vocabSize: cfg.int("vocab_size", 50432),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", false),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 2048),
  };
  return { dims, attentionBias: cfg.bool("attention_bias", true) };
}

function buildGptNeox(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const { dims: d, attentionBias } = readGptNeox(cfg);
  const h = d.hiddenSize;
  const p = gptPrefix(opts.task, "gpt_neox");
  const list = new ModuleList();
  list.embedding(`${p}embed_in`, d.vocabSize, h);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    list.norm(`${L}.input_layernorm`, h, true, "LayerNorm");
    list.norm(`${L}.post_attention_layernorm`, h, true, "LayerNorm");
    list.linear(`${L}.attention.query_key_value`, h, 3 * h, attentionBias);
    list.linear(`${L}.attention.dense`, h, h, attentionBias);
    list.linear(`${L}.mlp.dense_h_to_4h`, h, d.intermediateSize, true);
    list.linear(`${L}.mlp.dense_4h_to_h`, d.intermediateSize, h, true);
  }
  list.norm(`${p}final_layer_norm`, h, true, "LayerNorm");
  return decoderInventory(list, opts, {
    modelType: cfg.modelType,
    modelClass: gptModelClass("GPTNeoX", opts.task),
    dims: d,
    embedPath: `${p}embed_in`,
    layersPath: `${p}layers`,
    head: { tokenClassifier: "classifier", lmHeadName: gptNeoxHeadIsLmHead(opts.transformers) ? "lm_head" : "embed_out" },
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("decoder", `${p}layers`, d.numHiddenLayers, {
          selfAttention: fusedAttention("attention", "query_key_value", "dense", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
          ffn: { block: "mlp", in: ["mlp.dense_h_to_4h"], out: "mlp.dense_4h_to_h", intermediateSize: d.intermediateSize },
          norms: ["input_layernorm", "post_attention_layernorm"],
        }, `${p}final_layer_norm`),
      ],
      embeddings: [`${p}embed_in`],
    },
  });
}

export const gptNeoxFamily: Family = {
  modelTypes: ["gpt_neox"],
  tasks: DECODER_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildGptNeox,
};
