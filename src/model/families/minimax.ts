/**
 * MiniMax-Text-01 (`minimax`): lightning (linear) attention and full attention layers, each with a fused
 * Mixtral-style MoE, as transformers 5 builds it (models/minimax/modeling_minimax.py). Per layer, in
 * registration order (MiniMaxDecoderLayer assigns `self_attn` first and replaces it in place for linear
 * layers, so it keeps the first slot):
 * - `self_attn`: MiniMaxAttention (Llama q/k/v/o, GQA, no biases) for `full_attention` layers, or
 *   MiniMaxLightningAttention for `linear_attention` layers: `norm` (MiniMaxRMSNorm [heads·head_dim]),
 *   `qkv_proj` h → 3·heads·head_dim, `out_proj` heads·head_dim → h, `output_gate` h → heads·head_dim (no biases;
 *   its slope and decay tables are buffers);
 * - `input_layernorm`, `post_attention_layernorm` (MiniMaxRMSNorm);
 * - `mlp`: `gate` (MiniMaxTopKRouter, bare weight [E, h]) and `experts` (3-D `gate_up_proj` [E, 2·I, h],
 *   `down_proj` [E, h, I], I = intermediate_size).
 * head_dim is config.json's `head_dim` when set, else hidden / heads. `layer_types` defaults to full attention
 * on even layers, lightning attention on odd ones. Heads: CausalLM, SequenceClassification,
 * TokenClassification, QuestionAnswering (backbone under `model.`) and MiniMaxModel. PEFT 0.21 rewrites
 * transformers-4 expert names for minimax like Mixtral's (`w1`/`w3` → gate_up_proj, `w2` → down_proj, `gate` →
 * gate.weight; src/peft/moe-target-names.ts). transformers 4.43 had no minimax (4.54 added it, one nn.Linear per
 * expert); peftcount builds the transformers 5 tree only. Defaults are MiniMaxConfig's.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, DECODER_TASKS, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";
import { addAttention, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";
import { readHybridLayerTypes, requireFusedTransformers5 } from "./qwen3-next.js";

const NORM = "MiniMaxRMSNorm";

function buildMiniMax(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireFusedTransformers5("minimax", "4.54", opts);
  const d = readLlamaDims(cfg, { vocab: 32000, hidden: 4096, intermediate: 14336, layers: 32, heads: 32, kvHeads: 8, tie: false });
  const h = d.hiddenSize;
  const numExperts = cfg.int(["num_local_experts", "num_experts"], 8);
  const perTok = cfg.int("num_experts_per_tok", 2);
  cfg.routable("num_experts_per_tok", perTok, "num_local_experts", numExperts);
  const linear = readHybridLayerTypes(cfg, d.numHiddenLayers, (i) => i % 2 === 1);
  const width = d.numAttentionHeads * d.headDim;
  const p = backbonePrefix(opts.task, "model");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    if (linear[i]) {
      list.norm(`${L}.self_attn.norm`, width, false, NORM);
      list.linear(`${L}.self_attn.qkv_proj`, h, 3 * width, false);
      list.linear(`${L}.self_attn.out_proj`, width, h, false);
      list.linear(`${L}.self_attn.output_gate`, h, width, false);
    } else addAttention(list, `${L}.self_attn`, d, { arch: "MiniMax" });
    list.norm(`${L}.input_layernorm`, h, false, NORM);
    list.norm(`${L}.post_attention_layernorm`, h, false, NORM);
    list.other(`${L}.mlp.gate`, "MiniMaxTopKRouter", { weight: [numExperts, h] });
    list.other(`${L}.mlp.experts`, "MiniMaxExperts", { gate_up_proj: [numExperts, 2 * d.intermediateSize, h], down_proj: [numExperts, h, d.intermediateSize] });
  }
  list.norm(`${p}norm`, h, false, NORM);
  const norms = ["input_layernorm", "post_attention_layernorm"];
  const experts = expertsBlock("mlp", "gate", numExperts, perTok);
  // lightning (linear) attention layers: a mixer under `self_attn` (norm, qkv_proj, out_proj, output_gate)
  const linearLayer: LayerAnatomy = { mixer: "self_attn", experts, norms };
  const attnLayer: LayerAnatomy = { selfAttention: qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim), experts, norms };
  const inv = decoderInventory(list, opts, {
    modelType: "minimax",
    modelClass: `MiniMax${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, maxPositionEmbeddings: cfg.int("max_position_embeddings", 131072), numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes: ["experts fused into 3-D parameters (transformers 5): target_modules and all-linear do not match experts or routers; name them in target_parameters"],
    experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts },
  });
  return withDecoderAnatomy(inv, (i) => (linear[i] ? linearLayer : attnLayer), "norm");
}

export const minimaxFamily: Family = {
  modelTypes: ["minimax"],
  tasks: DECODER_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildMiniMax,
};
