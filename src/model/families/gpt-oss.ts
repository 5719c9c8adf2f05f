/**
 * GPT-OSS (`gpt_oss`, transformers `modeling_gpt_oss.py`): a Llama-style GQA decoder whose every layer is a
 * mixture of experts, as transformers 5.18 builds it (checked against `oracle inventory`):
 * - attention `GptOssAttention`: q/k/v/o `nn.Linear` with biases (`attention_bias`, default true) and one
 *   learnable attention-sink logit per head, the attention module's own parameter `sinks` [num_attention_heads]
 *   (registered after o_proj; `named_modules()` lists the attention module before its projections);
 * - MLP `GptOssMLP`: `router` (`GptOssTopKRouter`: bare `weight` [E, h] and `bias` [E]) then `experts`
 *   (`GptOssExperts`, 3-D and transposed: `gate_up_proj` [E, h, 2·I], `gate_up_proj_bias` [E, 2·I],
 *   `down_proj` [E, I, h], `down_proj_bias` [E, h]). Neither is an nn.Linear: `target_modules` and all-linear
 *   skip them; LoRA reaches the experts through `target_parameters`. transformers never had a per-expert layout
 *   for this model (GptOssExperts was fused from its first release, 4.55.0).
 * Heads: GptOssForCausalLM, GptOssForSequenceClassification, GptOssForTokenClassification, GptOssModel.
 * Defaults are those of `GptOssConfig` (gpt-oss-120b's sizes); `num_experts` is an alias of `num_local_experts`.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import { requireTransformers5 } from "../releases.js";
import type { Task } from "../tasks.js";
import type { Inventory } from "../types.js";
import { addAttention, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";

const TASKS: readonly Task[] = ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS", "FEATURE_EXTRACTION"];

/** `num_key_value_heads` / `head_dim` written as null take GptOssConfig.__post_init__'s fallbacks, absent ones the class defaults. */
const isNull = (cfg: ConfigReader, key: string) => key in cfg.raw && cfg.raw[key] === null;

function buildGptOss(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireTransformers5("gpt_oss", opts.transformers, "4.55.0");
  const base = readLlamaDims(cfg, {
    vocab: 201088,
    hidden: 2880,
    intermediate: 2880,
    layers: 36,
    heads: 64,
    ...(isNull(cfg, "num_key_value_heads") ? {} : { kvHeads: 8 }),
    ...(isNull(cfg, "head_dim") ? {} : { headDim: 64 }),
    tie: false,
  });
  const d = { ...base, attentionBias: cfg.bool("attention_bias", true) };
  const numExperts = cfg.int(["num_local_experts", "num_experts"], 128);
  const perTok = cfg.int("num_experts_per_tok", 4);
  cfg.routable("num_experts_per_tok", perTok, "num_local_experts", numExperts);
  const h = d.hiddenSize;
  const inter = d.intermediateSize;
  const norm = "GptOssRMSNorm";
  const p = backbonePrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    list.other(`${L}.self_attn`, "GptOssAttention", { sinks: [d.numAttentionHeads] });
    addAttention(list, `${L}.self_attn`, d, { arch: "GptOss" });
    list.other(`${L}.mlp.router`, "GptOssTopKRouter", { weight: [numExperts, h], bias: [numExperts] });
    list.other(`${L}.mlp.experts`, "GptOssExperts", {
      gate_up_proj: [numExperts, h, 2 * inter],
      gate_up_proj_bias: [numExperts, 2 * inter],
      down_proj: [numExperts, inter, h],
      down_proj_bias: [numExperts, h],
    });
    list.norm(`${L}.input_layernorm`, h, false, norm);
    list.norm(`${L}.post_attention_layernorm`, h, false, norm);
  }
  list.norm(`${p}norm`, h, false, norm);
  const layer: LayerAnatomy = {
    selfAttention: qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
    experts: expertsBlock("mlp", "router", numExperts, perTok),
    norms: ["input_layernorm", "post_attention_layernorm"],
  };
  const inv = decoderInventory(list, opts, {
    modelType: "gpt_oss",
    modelClass: `GptOss${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes: [
      "experts are 3-D parameters (GptOssExperts, with biases) and the router a bare weight + bias: target_modules and all-linear do not match them; LoRA adapts them through target_parameters (mlp.experts.gate_up_proj, ...)",
    ],
    experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts },
  });
  return withDecoderAnatomy(inv, () => layer, "norm");
}

export const gptOssFamily: Family = {
  modelTypes: ["gpt_oss"],
  tasks: TASKS,
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildGptOss(cfg, opts),
};
