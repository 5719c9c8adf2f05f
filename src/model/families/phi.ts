/**
 * Phi (`phi`: phi-1, phi-1.5, phi-2): backbone under `model.`,
 * separate `q_proj`/`k_proj`/`v_proj` and output `dense`, all with bias (k/v sized by
 * `num_key_value_heads`), optional per-head `q_layernorm`/`k_layernorm` (`qk_layernorm`), MLP
 * `fc1`/`fc2` with bias, one LayerNorm per layer (attention and MLP run in parallel),
 * `final_layernorm`, and an LM head WITH bias, untied by default (tying shares the weight only).
 * Token classification: `classifier` in 4.43, `score` later (`phiTokenHeadIsScore`). transformers
 * has no Phi question-answering class. Defaults are PhiConfig's (phi-1).
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import { decoderInventory } from "../heads.js";
import { phiTokenHeadIsScore } from "../releases.js";
import { gptModelClass, gptPrefix } from "./gpt2.js";
import { separateAttention, uniformStack } from "./anatomy-parts.js";

function readPhi(cfg: ConfigReader) {
  const hiddenSize = cfg.int("hidden_size", 2048);
  const numAttentionHeads = cfg.int("num_attention_heads", 32);
  const numKeyValueHeads = cfg.int("num_key_value_heads", numAttentionHeads);
  const headDim = cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
  cfg.divides("num_attention_heads", numAttentionHeads, "num_key_value_heads", numKeyValueHeads);
  const dims: ModelDims = {
    hiddenSize,
    numHiddenLayers: cfg.int("num_hidden_layers", 24),
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    intermediateSize: cfg.int("intermediate_size", 8192),
    vocabSize: cfg.int("vocab_size", 51200),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", false),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 2048),
  };
  return { dims, qkLayernorm: cfg.bool("qk_layernorm", false) };
}

function buildPhi(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const { dims: d, qkLayernorm } = readPhi(cfg);
  const h = d.hiddenSize;
  const q = d.numAttentionHeads * d.headDim;
  const kv = d.numKeyValueHeads * d.headDim;
  const p = gptPrefix(opts.task, "model");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    list.linear(`${L}.self_attn.q_proj`, h, q, true);
    list.linear(`${L}.self_attn.k_proj`, h, kv, true);
    list.linear(`${L}.self_attn.v_proj`, h, kv, true);
    list.linear(`${L}.self_attn.dense`, q, h, true);
    if (qkLayernorm) {
      list.norm(`${L}.self_attn.q_layernorm`, d.headDim, true, "LayerNorm");
      list.norm(`${L}.self_attn.k_layernorm`, d.headDim, true, "LayerNorm");
    }
    list.linear(`${L}.mlp.fc1`, h, d.intermediateSize, true);
    list.linear(`${L}.mlp.fc2`, d.intermediateSize, h, true);
    list.norm(`${L}.input_layernorm`, h, true, "LayerNorm");
  }
  list.norm(`${p}final_layernorm`, h, true, "LayerNorm");
  return decoderInventory(list, opts, {
    modelType: cfg.modelType,
    modelClass: gptModelClass("Phi", opts.task),
    dims: d,
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    head: { tokenClassifier: phiTokenHeadIsScore(opts.transformers) ? "score" : "classifier", lmHeadBias: true },
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("decoder", `${p}layers`, d.numHiddenLayers, {
          selfAttention: separateAttention("self_attn", ["q_proj", "k_proj", "v_proj", "dense"], d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
          ffn: { block: "mlp", in: ["mlp.fc1"], out: "mlp.fc2", intermediateSize: d.intermediateSize },
          norms: [...(qkLayernorm ? ["self_attn.q_layernorm", "self_attn.k_layernorm"] : []), "input_layernorm"],
        }, `${p}final_layernorm`),
      ],
      embeddings: [`${p}embed_tokens`],
    },
  });
}

const PHI_TASKS: readonly Task[] = ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS", "FEATURE_EXTRACTION"];

export const phiFamily: Family = {
  modelTypes: ["phi"],
  tasks: PHI_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildPhi,
};
