/**
 * Falcon (`falcon`, and the old remote-code `RefinedWebModel` / `RefinedWeb` configs), as
 * transformers 4.43 builds it: backbone under `transformer.`, `FalconLinear` projections (bias =
 * `bias`), a fused `self_attention.query_key_value` whose width depends on the attention layout:
 * - `new_decoder_architecture` (Falcon-40B/180B): (2·`num_kv_heads` + heads)·head_dim;
 * - else `multi_query` (Falcon-7B): hidden + 2·head_dim (one shared k/v head);
 * - else 3·hidden.
 * Norms: not `parallel_attn` → `post_attention_layernorm` + `input_layernorm`; parallel with
 * `num_ln_in_parallel_attn` 2 (the default under the new architecture) → `ln_attn` + `ln_mlp`;
 * otherwise one `input_layernorm`. MLP width `ffn_hidden_size` (4·hidden). Rotary or ALiBi positions
 * own no parameters. LM head tied to `word_embeddings` unless `tie_word_embeddings` is false.
 *
 * Old configs are read the way transformers' `convert_custom_code_checkpoint.py` rewrites them:
 * `n_head` → `num_attention_heads`, `n_layer` → `num_hidden_layers`, `n_head_kv` → `num_kv_heads`,
 * and `new_decoder_architecture` is true exactly when `n_head_kv` is present. `n_embed` (legacy)
 * overrides `hidden_size` for every model type, as FalconConfig does.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { DECODER_TASKS, decoderInventory } from "../heads.js";
import type { Inventory, ModelDims } from "../types.js";
import { gptModelClass, gptPrefix } from "./gpt2.js";
import { fusedAttention, uniformStack } from "./anatomy-parts.js";

const OLD_MODEL_TYPES = ["RefinedWebModel", "RefinedWeb"];

export interface FalconDims extends ModelDims {
  readonly newDecoderArchitecture: boolean;
  readonly multiQuery: boolean;
  readonly parallelAttn: boolean;
  readonly numLnInParallelAttn?: number;
  readonly bias: boolean;
  readonly qkvOut: number;
}

function readFalcon(cfg: ConfigReader): FalconDims {
  const old = OLD_MODEL_TYPES.includes(cfg.modelType);
  const hiddenSize = cfg.int(["n_embed", "hidden_size"], 4544);
  const numAttentionHeads = cfg.int(old ? ["n_head", "num_attention_heads"] : "num_attention_heads", 71);
  const headDim = cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
  const newArch = old ? cfg.raw["n_head_kv"] !== undefined : cfg.bool("new_decoder_architecture", false);
  const multiQuery = cfg.bool("multi_query", true);
  const kvHeads = cfg.int(old ? ["n_head_kv", "num_kv_heads"] : "num_kv_heads", numAttentionHeads);
  if (newArch) cfg.divides("num_attention_heads", numAttentionHeads, old ? "n_head_kv" : "num_kv_heads", kvHeads);
  const qkvOut = newArch ? (2 * kvHeads + numAttentionHeads) * headDim : multiQuery ? hiddenSize + 2 * headDim : 3 * hiddenSize;
  // FalconConfig: ffn_hidden_size defaults to 4 × the `hidden_size` argument (not `n_embed`).
  const ffn = cfg.has("ffn_hidden_size") ? cfg.int("ffn_hidden_size") : 4 * cfg.int("hidden_size", 4544);
  const numLn = cfg.optInt("num_ln_in_parallel_attn");
  return {
    hiddenSize,
    numHiddenLayers: cfg.int(old ? ["n_layer", "num_hidden_layers"] : "num_hidden_layers", 32),
    numAttentionHeads,
    numKeyValueHeads: newArch ? kvHeads : multiQuery ? 1 : numAttentionHeads,
    headDim,
    intermediateSize: ffn,
    vocabSize: cfg.int("vocab_size", 65024),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 2048),
    newDecoderArchitecture: newArch,
    multiQuery,
    parallelAttn: cfg.bool("parallel_attn", true),
    ...(numLn !== undefined || newArch ? { numLnInParallelAttn: numLn ?? 2 } : {}),
    bias: cfg.bool("bias", false),
    qkvOut,
  };
}

function buildFalcon(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readFalcon(cfg);
  const h = d.hiddenSize;
  const p = gptPrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}word_embeddings`, d.vocabSize, h);
  const norms = !d.parallelAttn
    ? ["post_attention_layernorm", "input_layernorm"]
    : d.numLnInParallelAttn === 2
      ? ["ln_attn", "ln_mlp"]
      : ["input_layernorm"];
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}h.${i}`;
    list.linear(`${L}.self_attention.query_key_value`, h, d.qkvOut, d.bias, "FalconLinear");
    list.linear(`${L}.self_attention.dense`, h, h, d.bias, "FalconLinear");
    list.linear(`${L}.mlp.dense_h_to_4h`, h, d.intermediateSize, d.bias, "FalconLinear");
    list.linear(`${L}.mlp.dense_4h_to_h`, d.intermediateSize, h, d.bias, "FalconLinear");
    for (const n of norms) list.norm(`${L}.${n}`, h, true, "LayerNorm");
  }
  list.norm(`${p}ln_f`, h, true, "LayerNorm");
  const old = OLD_MODEL_TYPES.includes(cfg.modelType);
  return decoderInventory(list, opts, {
    modelType: cfg.modelType,
    modelClass: gptModelClass("Falcon", opts.task),
    dims: d,
    embedPath: `${p}word_embeddings`,
    layersPath: `${p}h`,
    head: { tokenClassifier: "classifier" },
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("decoder", `${p}h`, d.numHiddenLayers, {
          // multi-query: one key/value head; new decoder architecture: num_kv_heads groups
          selfAttention: fusedAttention("self_attention", "query_key_value", "dense", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
          ffn: { block: "mlp", in: ["mlp.dense_h_to_4h"], out: "mlp.dense_4h_to_h", intermediateSize: d.intermediateSize },
          norms,
        }, `${p}ln_f`),
      ],
      embeddings: [`${p}word_embeddings`],
    },
    notes: old ? [`${cfg.modelType}: old Falcon remote-code config, read as transformers' FalconConfig (n_head, n_layer, n_head_kv mapped)`] : [],
  });
}

export const falconFamily: Family = {
  modelTypes: ["falcon", ...OLD_MODEL_TYPES],
  tasks: DECODER_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildFalcon,
};
