/**
 * IBM Granite MoE (`granitemoe`, Granite 3.x MoE), as transformers 5 builds it
 * (models/granitemoe/modeling_granitemoe.py): Llama attention (q/k/v/o, `attention_bias`, head_dim =
 * hidden / heads unless the config sets `head_dim`), RMSNorms, and per layer a `block_sparse_moe`
 * (`GraniteMoeMoE`) holding
 * - `router` (`GraniteMoeTopKRouter`): a bare `weight` [E, h], not an nn.Linear (all-linear skips it), and
 * - `experts` (`GraniteMoeExperts`): 3-D `gate_up_proj` [E, 2·I, h] and `down_proj` [E, h, I] (I =
 *   `intermediate_size`), reached through LoRA's `target_parameters`.
 * Registration order per layer: self_attn, input_layernorm, post_attention_layernorm, block_sparse_moe
 * (checked with `oracle inventory`). PEFT has no MoE name rewrite for granitemoe (transformers' conversion-
 * pattern table maps granitemoehybrid to "granitemoe", which PEFT's target-module mapping does not list).
 * Heads: GraniteMoeForCausalLM and GraniteMoeModel only.
 * transformers 4.x built another layout (ParallelExperts `input_linear` / `output_linear`, router
 * `router.layer`), and 4.43 had no granitemoe at all: peftcount builds the transformers-5 tree only.
 * Defaults are GraniteMoeConfig's.
 */
import { InputError } from "../../errors.js";
import { formatVersion } from "../../versions.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Task } from "../tasks.js";
import type { Inventory } from "../types.js";
import { addAttention, type LlamaDims, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";

export const GRANITE_TASKS: readonly Task[] = ["CAUSAL_LM", "FEATURE_EXTRACTION"];

/** Refuses what peftcount does not build for the Granite MoE types: transformers 4.x trees, one Linear per expert. */
export function requireFusedGranite(modelType: string, opts: BuildOptions): void {
  if (opts.transformers[0] < 5)
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `peftcount builds ${modelType} as transformers 5 does; transformers 4.43 had no ${modelType} and the later 4.x layout (ParallelExperts input_linear / output_linear) is not modelled (asked for transformers ${formatVersion(opts.transformers)})`,
      "count with --transformers-version 5.0.0 or newer",
    );
  if (opts.expertLayout !== "fused")
    throw new InputError(
      "UNSUPPORTED_OPTION",
      `${modelType} never had one nn.Linear per expert: its experts are 3-D parameters in every transformers release`,
      "leave out --expert-layout (or pass --expert-layout fused)",
    );
}

/** Granite Llama-like dimensions (GraniteMoeConfig / GraniteMoeHybridConfig share these defaults). */
export function readGraniteDims(cfg: ConfigReader): LlamaDims {
  return readLlamaDims(cfg, { vocab: 32000, hidden: 4096, intermediate: 11008, layers: 32, heads: 32, tie: false }, { attentionBias: true });
}

export interface GraniteExperts {
  readonly numExperts: number;
  readonly perTok: number;
}

/** num_local_experts / num_experts_per_tok (8 / 2); `min` 0 where the config allows dense layers. */
export function readGraniteExperts(cfg: ConfigReader, min: 0 | 1): GraniteExperts {
  const numExperts = cfg.int("num_local_experts", 8, min);
  const perTok = cfg.int("num_experts_per_tok", 2);
  cfg.routable("num_experts_per_tok", perTok, "num_local_experts", numExperts);
  return { numExperts, perTok };
}

/** `block_sparse_moe`: router (bare weight) then fused experts. */
export function addGraniteMoe(list: ModuleList, at: string, arch: string, h: number, inter: number, numExperts: number): void {
  list.other(`${at}.router`, `${arch}TopKRouter`, { weight: [numExperts, h] });
  list.other(`${at}.experts`, `${arch}Experts`, { gate_up_proj: [numExperts, 2 * inter, h], down_proj: [numExperts, h, inter] });
}

export const FUSED_NOTE =
  "experts fused into 3-D parameters (transformers 5): target_modules and all-linear do not match experts or routers; name them in target_parameters";

function buildGraniteMoe(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireFusedGranite("granitemoe", opts);
  const d = readGraniteDims(cfg);
  const { numExperts, perTok } = readGraniteExperts(cfg, 1);
  const p = backbonePrefix(opts.task, "model");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, d.hiddenSize);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    addAttention(list, `${L}.self_attn`, d, { arch: "GraniteMoe" });
    list.norm(`${L}.input_layernorm`, d.hiddenSize, false, "GraniteMoeRMSNorm");
    list.norm(`${L}.post_attention_layernorm`, d.hiddenSize, false, "GraniteMoeRMSNorm");
    addGraniteMoe(list, `${L}.block_sparse_moe`, "GraniteMoe", d.hiddenSize, d.intermediateSize, numExperts);
  }
  list.norm(`${p}norm`, d.hiddenSize, false, "GraniteMoeRMSNorm");
  const layer: LayerAnatomy = {
    selfAttention: qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
    experts: expertsBlock("block_sparse_moe", "router", numExperts, perTok),
    norms: ["input_layernorm", "post_attention_layernorm"],
  };
  const inv = decoderInventory(list, opts, {
    modelType: "granitemoe",
    modelClass: `GraniteMoe${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts },
    notes: [FUSED_NOTE],
  });
  return withDecoderAnatomy(inv, () => layer, "norm");
}

export const granitemoeFamily: Family = {
  modelTypes: ["granitemoe"],
  tasks: GRANITE_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildGraniteMoe,
};
