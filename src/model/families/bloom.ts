/**
 * BLOOM (`bloom`), as transformers 4.43 builds it: backbone under `transformer.`, a LayerNorm right
 * after the token embedding (`word_embeddings_layernorm`), fused `self_attention.query_key_value`
 * (3·hidden, bias), MLP `dense_h_to_4h` / `dense_4h_to_h` of 4·hidden, ALiBi positions (no table),
 * and an LM head tied to `word_embeddings` unless `tie_word_embeddings` is false.
 * Defaults are BloomConfig's (a tiny 2-layer model); `n_layer`/`n_head` are the canonical keys,
 * `num_hidden_layers`/`num_attention_heads` their aliases, and the legacy `n_embed` wins over `hidden_size`.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { DECODER_TASKS, decoderInventory } from "../heads.js";
import type { Inventory, ModelDims } from "../types.js";
import { gptModelClass, gptPrefix } from "./gpt2.js";
import { fusedAttention, uniformStack } from "./anatomy-parts.js";

function readBloom(cfg: ConfigReader): ModelDims {
  const hiddenSize = cfg.int(["n_embed", "hidden_size"], 64);
  const numAttentionHeads = cfg.int(["num_attention_heads", "n_head"], 8);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int(["num_hidden_layers", "n_layer"], 2),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim: cfg.divides("hidden_size", hiddenSize, "n_head", numAttentionHeads),
    intermediateSize: 4 * hiddenSize,
    vocabSize: cfg.int("vocab_size", 250880),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: false,
  };
}

function buildBloom(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readBloom(cfg);
  const h = d.hiddenSize;
  const p = gptPrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}word_embeddings`, d.vocabSize, h);
  list.norm(`${p}word_embeddings_layernorm`, h, true, "LayerNorm");
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}h.${i}`;
    list.norm(`${L}.input_layernorm`, h, true, "LayerNorm");
    list.linear(`${L}.self_attention.query_key_value`, h, 3 * h, true);
    list.linear(`${L}.self_attention.dense`, h, h, true);
    list.norm(`${L}.post_attention_layernorm`, h, true, "LayerNorm");
    list.linear(`${L}.mlp.dense_h_to_4h`, h, d.intermediateSize, true);
    list.linear(`${L}.mlp.dense_4h_to_h`, d.intermediateSize, h, true);
  }
  list.norm(`${p}ln_f`, h, true, "LayerNorm");
  return decoderInventory(list, opts, {
    modelType: cfg.modelType,
    modelClass: gptModelClass("Bloom", opts.task),
    dims: d,
    embedPath: `${p}word_embeddings`,
    layersPath: `${p}h`,
    head: { tokenClassifier: "classifier" },
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("decoder", `${p}h`, d.numHiddenLayers, {
          selfAttention: fusedAttention("self_attention", "query_key_value", "dense", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
          ffn: { block: "mlp", in: ["mlp.dense_h_to_4h"], out: "mlp.dense_4h_to_h", intermediateSize: d.intermediateSize },
          norms: ["input_layernorm", "post_attention_layernorm"],
        }, `${p}ln_f`),
      ],
      embeddings: [`${p}word_embeddings`],
      norms: [`${p}word_embeddings_layernorm`],
    },
  });
}

export const bloomFamily: Family = {
  modelTypes: ["bloom"],
  tasks: DECODER_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildBloom,
};
