/**
 * Phi-3.5-MoE (`phimoe`), as transformers builds it (models/phimoe/modeling_phimoe.py). A Mixtral-shaped
 * decoder with Phi's differences: LayerNorm (weight + bias) instead of RMSNorm for the per-layer and final
 * norms, an optional `lm_head` bias (`lm_head_bias`), q/k/v/o biases from `attention_bias`.
 *
 * Two expert layouts (`BuildOptions.expertLayout`):
 * - "fused" (transformers 5): `mlp.router` is `PhimoeTopKRouter`, a subclass of nn.Linear(h → E, no bias),
 *   so PEFT wraps it like any Linear (`all-linear` includes it); `mlp.experts` (`PhimoeExperts`) holds the
 *   3-D parameters `gate_up_proj` [E, 2·I, h] and `down_proj` [E, h, I]. PEFT does not rewrite the
 *   transformers-4 names (`w1`, `gate`, ...) for phimoe: transformers' conversion-pattern table has no entry
 *   for it, so those names simply match nothing.
 * - "per-expert" (transformers 4.46 – 4.57, where phimoe arrived): `block_sparse_moe.gate` nn.Linear and
 *   `block_sparse_moe.experts.N.{w1, w2, w3}` (PhimoeBlockSparseTop2MLP registers w1, w2, w3).
 * transformers 4.43 (the reference era) has no phimoe: refused there.
 * Heads: PhimoeForCausalLM, PhimoeForSequenceClassification (score, no bias), PhimoeModel.
 * Defaults are PhimoeConfig's (Phi-3.5-MoE-instruct: 41,872,793,600 parameters, checked with the oracle).
 */
import { InputError } from "../../errors.js";
import { atLeast, formatVersion } from "../../versions.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";
import { addAttention, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";

/** The phimoe model classes arrived in transformers 4.46.0. */
export const PHIMOE_SINCE = "4.46.0";

function readExperts(cfg: ConfigReader): { numExperts: number; perTok: number } {
  const numExperts = cfg.int("num_local_experts", 16);
  const perTok = cfg.int("num_experts_per_tok", 2);
  cfg.routable("num_experts_per_tok", perTok, "num_local_experts", numExperts);
  return { numExperts, perTok };
}

function buildPhimoe(cfg: ConfigReader, opts: BuildOptions): Inventory {
  if (opts.transformers[0] < 5 && !atLeast(opts.transformers, PHIMOE_SINCE))
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `transformers ${formatVersion(opts.transformers)} has no phimoe model (it arrived in transformers ${PHIMOE_SINCE})`,
      `count with --transformers-version ${PHIMOE_SINCE} or newer`,
    );
  const d = readLlamaDims(cfg, { vocab: 32064, hidden: 4096, intermediate: 6400, layers: 32, heads: 32, kvHeads: 8, tie: false }, { attentionBias: true });
  const { numExperts, perTok } = readExperts(cfg);
  const fused = opts.expertLayout === "fused";
  const h = d.hiddenSize;
  const p = backbonePrefix(opts.task, "model");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  const addLayer = (L: string) => {
    addAttention(list, `${L}.self_attn`, d, { arch: "Phimoe" });
    if (fused) {
      list.linear(`${L}.mlp.router`, h, numExperts, false, "PhimoeTopKRouter");
      list.other(`${L}.mlp.experts`, "PhimoeExperts", { gate_up_proj: [numExperts, 2 * d.intermediateSize, h], down_proj: [numExperts, h, d.intermediateSize] });
    } else {
      list.linear(`${L}.block_sparse_moe.gate`, h, numExperts, false);
      list.repeat(`${L}.block_sparse_moe.experts`, numExperts, (E) => {
        list.linear(`${E}.w1`, h, d.intermediateSize, false).linear(`${E}.w2`, d.intermediateSize, h, false).linear(`${E}.w3`, h, d.intermediateSize, false);
      });
    }
    list.norm(`${L}.input_layernorm`, h, true, "LayerNorm");
    list.norm(`${L}.post_attention_layernorm`, h, true, "LayerNorm");
  };
  // per expert, the identical layers are listed once, as a repeat (compact.ts)
  if (!fused) list.repeat(`${p}layers`, d.numHiddenLayers, addLayer);
  else for (let i = 0; i < d.numHiddenLayers; i++) addLayer(`${p}layers.${i}`);
  list.norm(`${p}norm`, h, true, "LayerNorm");
  const layer: LayerAnatomy = {
    selfAttention: qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
    experts: fused ? expertsBlock("mlp", "router", numExperts, perTok) : expertsBlock("block_sparse_moe", "gate", numExperts, perTok),
    norms: ["input_layernorm", "post_attention_layernorm"],
  };
  const inv = decoderInventory(list, opts, {
    modelType: "phimoe",
    modelClass: `Phimoe${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, maxPositionEmbeddings: cfg.int("max_position_embeddings", 131072), numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    head: { lmHeadBias: cfg.bool("lm_head_bias", false) },
    experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts },
    notes: fused
      ? ["experts fused into 3-D parameters (transformers 5): the router mlp.router is an nn.Linear subclass (all-linear adapts it), the experts are reached through target_parameters only"]
      : [],
  });
  return withDecoderAnatomy(inv, () => layer, "norm");
}

export const phimoeFamily: Family = {
  modelTypes: ["phimoe"],
  tasks: ["CAUSAL_LM", "SEQ_CLS", "FEATURE_EXTRACTION"],
  defaultTask: "CAUSAL_LM",
  build: buildPhimoe,
};
