/**
 * Databricks DBRX (`dbrx`), as transformers builds it (models/dbrx/modeling_dbrx.py). The backbone sits under
 * `transformer.` (`wte`, `blocks`, `norm_f`); each block is
 * - `norm_attn_norm`: `norm_1` LayerNorm (no bias), `attn.Wqkv` fused nn.Linear d → d + 2·kv·head_dim and
 *   `attn.out_proj` d → d (no biases; head_dim = d_model // n_heads, kv = attn_config.kv_n_heads), `norm_2`;
 * - `ffn`: `router.layer` nn.Linear d → E (no bias; all-linear adapts it) and `experts.mlp`
 *   (`DbrxExpertGLU`) holding three 2-D parameters `w1`, `v1`, `w2`, each [E·ffn_hidden_size, d] — the
 *   experts stacked along the rows. They are not modules: target_modules names `w1`/`v1`/`w2` match nothing,
 *   and LoRA's target_parameters adapts each as one 2-D matrix, r·(E·F + d).
 * Sizes live in `d_model` / `n_heads` / `n_layers` (attribute_map aliases hidden_size, num_attention_heads,
 * num_hidden_layers), `attn_config` and `ffn_config` (DbrxAttentionConfig / DbrxFFNConfig defaults;
 * `ffn_config.hidden_size` is overwritten by d_model). DbrxConfig refuses tied embeddings.
 * The tree is the same in transformers 4.43 (DBRX arrived in 4.40 with these names and 2-D expert
 * parameters; only the rotary tables, buffers, moved), so `--expert-layout` does not change it.
 * Heads: DbrxForCausalLM and DbrxModel. The golden vectors (ids ending -ropefix) give `attn_config` a
 * `rope_theta`, which transformers 5.18's DbrxAttention reads and DbrxAttentionConfig has no default for.
 */
import { InputError } from "../../errors.js";
import { ModuleList } from "../builder.js";
import { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";
import { expertsBlock, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";

/** `…ffn.experts.mlp`, the module holding every expert's weights */
export const DBRX_EXPERT_PATTERN = /\.experts\.mlp$/;

function buildDbrx(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const attn = cfg.sub("attn_config", "dbrx") ?? new ConfigReader({}, "dbrx", "config.json attn_config");
  const ffn = cfg.sub("ffn_config", "dbrx") ?? new ConfigReader({}, "dbrx", "config.json ffn_config");
  const d = cfg.int(["d_model", "hidden_size"], 2048);
  const heads = cfg.int(["n_heads", "num_attention_heads"], 16);
  const layers = cfg.int(["n_layers", "num_hidden_layers"], 24);
  const vocab = cfg.int("vocab_size", 32000);
  const kv = attn.int("kv_n_heads", 1);
  const headDim = Math.floor(d / heads);
  const ffnHidden = ffn.int("ffn_hidden_size", 3584);
  const numExperts = ffn.int("moe_num_experts", 4);
  const topK = ffn.int("moe_top_k", 1);
  ffn.routable("moe_top_k", topK, "moe_num_experts", numExperts);
  if (cfg.bool("tie_word_embeddings", false))
    throw new InputError("INVALID_CONFIG", `${cfg.where}: DBRX does not support tie_word_embeddings (DbrxConfig raises)`, 'set "tie_word_embeddings" to false or remove it');

  const p = backbonePrefix(opts.task, "transformer");
  const list = new ModuleList();
  list.embedding(`${p}wte`, vocab, d);
  for (let i = 0; i < layers; i++) {
    const B = `${p}blocks.${i}`;
    list.norm(`${B}.norm_attn_norm.norm_1`, d, false, "LayerNorm");
    list.linear(`${B}.norm_attn_norm.attn.Wqkv`, d, d + 2 * kv * headDim, false);
    list.linear(`${B}.norm_attn_norm.attn.out_proj`, d, d, false);
    list.norm(`${B}.norm_attn_norm.norm_2`, d, false, "LayerNorm");
    list.linear(`${B}.ffn.router.layer`, d, numExperts, false);
    list.other(`${B}.ffn.experts.mlp`, "DbrxExpertGLU", { w1: [numExperts * ffnHidden, d], v1: [numExperts * ffnHidden, d], w2: [numExperts * ffnHidden, d] });
  }
  list.norm(`${p}norm_f`, d, false, "LayerNorm");
  const layer: LayerAnatomy = {
    selfAttention: { block: "norm_attn_norm.attn", qkv: "norm_attn_norm.attn.Wqkv", o: "norm_attn_norm.attn.out_proj", heads, kvHeads: kv, headDim },
    experts: expertsBlock("ffn", "router", numExperts, topK),
    norms: ["norm_attn_norm.norm_1", "norm_attn_norm.norm_2"],
  };
  const inv = decoderInventory(list, opts, {
    modelType: "dbrx",
    modelClass: `Dbrx${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: {
      hiddenSize: d,
      numHiddenLayers: layers,
      numAttentionHeads: heads,
      numKeyValueHeads: kv,
      headDim,
      intermediateSize: ffnHidden,
      vocabSize: vocab,
      tieWordEmbeddings: false,
      isEncoderDecoder: false,
      maxPositionEmbeddings: cfg.int(["max_seq_len", "max_position_embeddings"], 2048),
      numLocalExperts: numExperts,
      numExpertsPerTok: topK,
    },
    embedPath: `${p}wte`,
    layersPath: `${p}blocks`,
    experts: { pattern: DBRX_EXPERT_PATTERN, perToken: topK, total: numExperts },
    notes: ["experts are three 2-D parameters per layer (w1, v1, w2 of ffn.experts.mlp, [experts·ffn_hidden_size, d_model]): target_parameters adapts each as one matrix"],
  });
  return withDecoderAnatomy(inv, () => layer, "norm_f");
}

export const dbrxFamily: Family = {
  modelTypes: ["dbrx"],
  tasks: ["CAUSAL_LM", "FEATURE_EXTRACTION"],
  defaultTask: "CAUSAL_LM",
  build: buildDbrx,
};
