/**
 * OLMoE (`olmoe`, transformers `modeling_olmoe.py`): every layer a mixture of experts, as transformers 5.18
 * builds it (checked against `oracle inventory`):
 * - attention `OlmoeAttention`: q/k/v/o (`attention_bias` on all four) then q/k norms over the whole projection:
 *   `q_norm` is `hidden_size` wide and `k_norm` `(hidden_size // num_attention_heads) · num_key_value_heads`
 *   (both from the config sizes, not from `head_dim`);
 * - MLP `OlmoeSparseMoeBlock`: router `gate` (`OlmoeTopKRouter`, bare `weight` [E, h]) then `experts`
 *   (`OlmoeExperts`: `gate_up_proj` [E, 2·I, h], `down_proj` [E, h, I]); neither is an nn.Linear.
 *   `--expert-layout per-expert` lists transformers 4's `gate` nn.Linear(h → E) and `experts.N.{gate,up,down}_proj`.
 * PEFT (peft >= 0.19 on transformers 5) rewrites transformers-4 expert names for this type (src/peft/moe-target-names.ts).
 * Heads: OlmoeForCausalLM and OlmoeModel only. Defaults are those of `OlmoeConfig` (OLMoE-1B-7B's sizes);
 * `num_local_experts` is an alias of `num_experts`.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import { requireTransformers5 } from "../releases.js";
import type { Task } from "../tasks.js";
import type { Inventory } from "../types.js";
import { addAttention, addGatedMlp, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";

const TASKS: readonly Task[] = ["CAUSAL_LM", "FEATURE_EXTRACTION"];

function buildOlmoe(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireTransformers5("olmoe", opts.transformers);
  const d = readLlamaDims(cfg, { vocab: 50304, hidden: 2048, intermediate: 2048, layers: 16, heads: 16, tie: false }, { attentionBias: true });
  const numExperts = cfg.int(["num_experts", "num_local_experts"], 64);
  const perTok = cfg.int("num_experts_per_tok", 8);
  cfg.routable("num_experts_per_tok", perTok, "num_experts", numExperts);
  const h = d.hiddenSize;
  const inter = d.intermediateSize;
  const kNorm = Math.floor(h / d.numAttentionHeads) * d.numKeyValueHeads;
  const fused = opts.expertLayout === "fused";
  const norm = "OlmoeRMSNorm";
  const p = backbonePrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  const addLayer = (L: string) => {
    addAttention(list, `${L}.self_attn`, d, { arch: "Olmoe" });
    list.norm(`${L}.self_attn.q_norm`, h, false, norm);
    list.norm(`${L}.self_attn.k_norm`, kNorm, false, norm);
    if (fused) {
      list.other(`${L}.mlp.gate`, "OlmoeTopKRouter", { weight: [numExperts, h] });
      list.other(`${L}.mlp.experts`, "OlmoeExperts", { gate_up_proj: [numExperts, 2 * inter, h], down_proj: [numExperts, h, inter] });
    } else {
      list.linear(`${L}.mlp.gate`, h, numExperts, false);
      list.repeat(`${L}.mlp.experts`, numExperts, (E) => addGatedMlp(list, E, h, inter, false));
    }
    list.norm(`${L}.input_layernorm`, h, false, norm);
    list.norm(`${L}.post_attention_layernorm`, h, false, norm);
  };
  // per expert, the identical layers are listed once, as a repeat (compact.ts)
  if (!fused) list.repeat(`${p}layers`, d.numHiddenLayers, addLayer);
  else for (let i = 0; i < d.numHiddenLayers; i++) addLayer(`${p}layers.${i}`);
  list.norm(`${p}norm`, h, false, norm);
  const layer: LayerAnatomy = {
    selfAttention: qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
    experts: expertsBlock("mlp", "gate", numExperts, perTok),
    norms: ["self_attn.q_norm", "self_attn.k_norm", "input_layernorm", "post_attention_layernorm"],
  };
  const inv = decoderInventory(list, opts, {
    modelType: "olmoe",
    modelClass: `Olmoe${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes: fused
      ? ["experts fused into 3-D parameters (transformers 5): target_modules and all-linear do not match experts or routers; --expert-layout per-expert counts the one-Linear-per-expert layout of transformers 4.x"]
      : [],
    experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts },
  });
  return withDecoderAnatomy(inv, () => layer, "norm");
}

export const olmoeFamily: Family = {
  modelTypes: ["olmoe"],
  tasks: TASKS,
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildOlmoe(cfg, opts),
};
