/**
 * GPT-J (`gptj`), as transformers 4.43 builds it: backbone under `transformer.`, one LayerNorm per
 * block (`ln_1`, attention and MLP in parallel), separate bias-free `k_proj`/`v_proj`/`q_proj`/
 * `out_proj`, MLP `fc_in`/`fc_out` with bias (`n_inner` or 4·n_embd), rotary positions (no table),
 * and an LM head WITH bias, untied by default. Its QA head is sized by `num_labels`; it has no
 * token-classification class. Defaults are GPTJConfig's (GPT-J-6B).
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import { decoderInventory } from "../heads.js";
import { gptModelClass, gptPrefix } from "./gpt2.js";
import { separateAttention, uniformStack } from "./anatomy-parts.js";

/** GPTJConfig; its `attribute_map` aliases (`hidden_size` …) win over `n_embd` … when both are set. */
function readGptj(cfg: ConfigReader): ModelDims {
  const hiddenSize = cfg.int(["hidden_size", "n_embd"], 4096);
  const numAttentionHeads = cfg.int(["num_attention_heads", "n_head"], 16);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int(["num_hidden_layers", "n_layer"], 28),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim: cfg.divides("n_embd", hiddenSize, "n_head", numAttentionHeads),
    intermediateSize: cfg.optInt("n_inner") ?? 4 * hiddenSize,
    vocabSize: cfg.int("vocab_size", 50400),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", false),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int(["max_position_embeddings", "n_positions"], 2048),
  };
}

function buildGptj(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readGptj(cfg);
  const h = d.hiddenSize;
  const p = gptPrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}wte`, d.vocabSize, h);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}h.${i}`;
    list.norm(`${L}.ln_1`, h, true, "LayerNorm");
    for (const proj of ["k_proj", "v_proj", "q_proj", "out_proj"]) list.linear(`${L}.attn.${proj}`, h, h, false);
    list.linear(`${L}.mlp.fc_in`, h, d.intermediateSize, true);
    list.linear(`${L}.mlp.fc_out`, d.intermediateSize, h, true);
  }
  list.norm(`${p}ln_f`, h, true, "LayerNorm");
  return decoderInventory(list, opts, {
    modelType: cfg.modelType,
    modelClass: gptModelClass("GPTJ", opts.task),
    dims: d,
    embedPath: `${p}wte`,
    layersPath: `${p}h`,
    head: { tokenClassifier: "classifier", lmHeadBias: true, qaOutputs: opts.numLabels },
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("decoder", `${p}h`, d.numHiddenLayers, {
          selfAttention: separateAttention("attn", ["q_proj", "k_proj", "v_proj", "out_proj"], d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
          ffn: { block: "mlp", in: ["mlp.fc_in"], out: "mlp.fc_out", intermediateSize: d.intermediateSize },
          norms: ["ln_1"],
        }, `${p}ln_f`),
      ],
      embeddings: [`${p}wte`],
    },
  });
}

const GPTJ_TASKS: readonly Task[] = ["CAUSAL_LM", "SEQ_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"];

export const gptjFamily: Family = {
  modelTypes: ["gptj"],
  tasks: GPTJ_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildGptj,
};
