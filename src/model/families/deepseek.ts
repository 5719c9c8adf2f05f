/**
 * DeepSeek-V2 and DeepSeek-V3 decoders (deepseek_v2, deepseek_v3) as transformers 5 builds them
 * (transformers/models/deepseek_v{2,3}/modeling_deepseek_v{2,3}.py).
 *
 * Attention is multi-head latent attention (MLA), registered in this order:
 * - `q_proj` Linear(h → heads·(qk_nope + qk_rope)) when `q_lora_rank` is null, else the low-rank query
 *   `q_a_proj` Linear(h → q_lora_rank, bias = attention_bias), `q_a_layernorm` RMSNorm(q_lora_rank),
 *   `q_b_proj` Linear(q_lora_rank → heads·(qk_nope + qk_rope));
 * - `kv_a_proj_with_mqa` Linear(h → kv_lora_rank + qk_rope, bias = attention_bias), `kv_a_layernorm`
 *   RMSNorm(kv_lora_rank), `kv_b_proj` Linear(kv_lora_rank → heads·(qk_nope + v_head));
 * - `o_proj` Linear(heads·v_head → h, bias = attention_bias).
 * Layers below `first_k_dense_replace` have a dense gated MLP of `intermediate_size`; the others a MoE block:
 * `experts` (`DeepseekV{2,3}Experts`: 3-D `gate_up_proj` [E, 2·moe_inter, h], `down_proj` [E, h, moe_inter]),
 * the router `gate` (`DeepseekV2TopkRouter` / `DeepseekV3TopkRouter`: a bare `weight` [E, h]; V3's
 * `e_score_correction_bias` is a buffer, not a parameter) and `shared_experts`, a gated MLP of
 * moe_inter · n_shared_experts. DeepSeek-V2's MLPs carry `mlp_bias`; V3's never have biases.
 * The configs set `head_dim = qk_rope_head_dim` unless config.json gives one (what PEFT's prefix tuning reads). DeepSeek-V3's MTP layer
 * (`num_nextn_predict_layers`) is in the checkpoint but transformers does not build it: a note reports it (deepseek-mtp.ts).
 * Heads: causal LM, sequence classification, bare model; V3 also token classification.
 * Only the transformers-5 module tree is modelled: transformers 4.43 had neither model type, and the 4.x releases
 * that later added them (one Linear per expert) are not. Checked against `oracle inventory` (transformers 5.18.0).
 */
import { InputError } from "../../errors.js";
import { formatVersion } from "../../versions.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import { addGatedMlp } from "./llama.js";
import { mtpCount, mtpNote } from "./deepseek-mtp.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, gatedFfn, layerCache, withDecoderAnatomy } from "./moe-anatomy.js";

interface DeepseekVariant {
  readonly arch: string;
  /** class of the router `gate` */
  readonly router: string;
  /** config-class defaults */
  readonly defaults: {
    vocab: number;
    hidden: number;
    intermediate: number;
    moeIntermediate: number;
    layers: number;
    heads: number;
    /** undefined: same as heads */
    kvHeads?: number;
    routed: number;
    shared: number;
    /** null: the config class leaves it unset (the router cannot route) */
    perTok: number | null;
    firstDense: number;
    maxPositions: number;
  };
  /** `attribute_map` alias of n_routed_experts */
  readonly routedAlias: string;
  readonly mlpBiasKey: boolean;
  /** validate_architecture: hidden_size must split into the heads */
  readonly hiddenDividesHeads: boolean;
  readonly tasks: readonly Task[];
}

const VARIANTS: Record<string, DeepseekVariant> = {
  // DeepseekV2Config defaults (DeepSeek-V2-Lite-like attention, 64 experts, num_experts_per_tok unset)
  deepseek_v2: {
    arch: "DeepseekV2",
    router: "DeepseekV2TopkRouter",
    defaults: { vocab: 102400, hidden: 4096, intermediate: 11008, moeIntermediate: 1407, layers: 32, heads: 32, routed: 64, shared: 2, perTok: null, firstDense: 0, maxPositions: 2048 },
    routedAlias: "num_experts",
    mlpBiasKey: true,
    hiddenDividesHeads: true,
    tasks: ["CAUSAL_LM", "SEQ_CLS", "FEATURE_EXTRACTION"],
  },
  // DeepseekV3Config defaults are DeepSeek-V3 (671B)
  deepseek_v3: {
    arch: "DeepseekV3",
    router: "DeepseekV3TopkRouter",
    defaults: { vocab: 129280, hidden: 7168, intermediate: 18432, moeIntermediate: 2048, layers: 61, heads: 128, kvHeads: 128, routed: 256, shared: 1, perTok: 8, firstDense: 3, maxPositions: 4096 },
    routedAlias: "num_local_experts",
    mlpBiasKey: false,
    hiddenDividesHeads: false,
    tasks: ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS", "FEATURE_EXTRACTION"],
  },
};

interface MlaDims {
  /** null: a full-rank `q_proj` */
  readonly qLoraRank: number | null;
  readonly kvLoraRank: number;
  readonly qkNope: number;
  readonly qkRope: number;
  readonly vHead: number;
  readonly attentionBias: boolean;
  readonly mlpBias: boolean;
  readonly moeInter: number;
  readonly routed: number;
  readonly shared: number;
  readonly perTok: number | null;
  readonly firstDense: number;
}

function readDims(cfg: ConfigReader, v: DeepseekVariant): { dims: ModelDims; mla: MlaDims } {
  const D = v.defaults;
  const hiddenSize = cfg.int("hidden_size", D.hidden);
  const numAttentionHeads = cfg.int("num_attention_heads", D.heads);
  if (v.hiddenDividesHeads) cfg.divides("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
  const qkRope = cfg.int("qk_rope_head_dim", 64);
  // an explicit null selects the full-rank q_proj; an absent key takes the default 1536
  const qLoraRank = cfg.raw["q_lora_rank"] === null ? null : cfg.int("q_lora_rank", 1536);
  const routed = cfg.int(["n_routed_experts", v.routedAlias], D.routed);
  const perTok = cfg.has("num_experts_per_tok") ? cfg.int("num_experts_per_tok") : D.perTok;
  if (perTok !== null) cfg.routable("num_experts_per_tok", perTok, "n_routed_experts", routed);
  const dims: ModelDims = {
    hiddenSize,
    numHiddenLayers: cfg.int("num_hidden_layers", D.layers),
    numAttentionHeads,
    numKeyValueHeads: cfg.int("num_key_value_heads", D.kvHeads ?? numAttentionHeads),
    // the config attribute PEFT reads: config.json's head_dim, else qk_rope_head_dim (DeepseekV{2,3}Config.__post_init__);
    // no module shape depends on it
    headDim: cfg.has("head_dim") ? cfg.int("head_dim") : qkRope,
    intermediateSize: cfg.int("intermediate_size", D.intermediate),
    vocabSize: cfg.int("vocab_size", D.vocab),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", false),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", D.maxPositions),
    numLocalExperts: routed,
    ...(perTok !== null ? { numExpertsPerTok: perTok } : {}),
  };
  const mla: MlaDims = {
    qLoraRank,
    kvLoraRank: cfg.int("kv_lora_rank", 512),
    qkNope: cfg.int("qk_nope_head_dim", 128),
    qkRope,
    vHead: cfg.int("v_head_dim", 128),
    attentionBias: cfg.bool("attention_bias", false),
    mlpBias: v.mlpBiasKey ? cfg.bool("mlp_bias", false) : false,
    moeInter: cfg.int("moe_intermediate_size", D.moeIntermediate),
    routed,
    shared: cfg.int("n_shared_experts", D.shared),
    perTok,
    firstDense: cfg.int("first_k_dense_replace", D.firstDense, 0),
  };
  return { dims, mla };
}

/** Multi-head latent attention of one layer, in registration order. */
function addMla(list: ModuleList, at: string, d: ModelDims, m: MlaDims, norm: string): void {
  const h = d.hiddenSize;
  const qOut = d.numAttentionHeads * (m.qkNope + m.qkRope);
  if (m.qLoraRank === null) list.linear(`${at}.q_proj`, h, qOut, false);
  else {
    list.linear(`${at}.q_a_proj`, h, m.qLoraRank, m.attentionBias);
    list.norm(`${at}.q_a_layernorm`, m.qLoraRank, false, norm);
    list.linear(`${at}.q_b_proj`, m.qLoraRank, qOut, false);
  }
  list.linear(`${at}.kv_a_proj_with_mqa`, h, m.kvLoraRank + m.qkRope, m.attentionBias);
  list.norm(`${at}.kv_a_layernorm`, m.kvLoraRank, false, norm);
  list.linear(`${at}.kv_b_proj`, m.kvLoraRank, d.numAttentionHeads * (m.qkNope + m.vHead), false);
  list.linear(`${at}.o_proj`, d.numAttentionHeads * m.vHead, h, m.attentionBias);
}

/** Routed experts, router and shared experts of one MoE layer. */
function addMoe(list: ModuleList, at: string, d: ModelDims, m: MlaDims, v: DeepseekVariant): void {
  const h = d.hiddenSize;
  list.other(`${at}.experts`, `${v.arch}Experts`, { gate_up_proj: [m.routed, 2 * m.moeInter, h], down_proj: [m.routed, h, m.moeInter] });
  list.other(`${at}.gate`, v.router, { weight: [m.routed, h] });
  addGatedMlp(list, `${at}.shared_experts`, h, m.moeInter * m.shared, m.mlpBias);
}

function buildDeepseek(modelType: string, cfg: ConfigReader, opts: BuildOptions): Inventory {
  const v = VARIANTS[modelType]!;
  if (opts.transformers[0] < 5)
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `model_type "${modelType}" is counted as transformers 5 builds it; transformers ${formatVersion(opts.transformers)} is not modelled (4.43 had no ${modelType}, and the 4.x releases that added it laid experts out one Linear each)`,
      "count with --transformers-version 5.0.0 or newer",
    );
  if (opts.expertLayout === "per-expert")
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `--expert-layout per-expert (the transformers-4 layout) is not modelled for ${modelType}`,
      "use the fused layout of transformers 5 (the default)",
    );
  const { dims, mla } = readDims(cfg, v);
  const norm = `${v.arch}RMSNorm`;
  const p = backbonePrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, dims.vocabSize, dims.hiddenSize);
  let moeLayers = 0;
  for (let i = 0; i < dims.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    addMla(list, `${L}.self_attn`, dims, mla, norm);
    if (i >= mla.firstDense) {
      moeLayers++;
      addMoe(list, `${L}.mlp`, dims, mla, v);
    } else addGatedMlp(list, `${L}.mlp`, dims.hiddenSize, dims.intermediateSize, mla.mlpBias);
    list.norm(`${L}.input_layernorm`, dims.hiddenSize, false, norm);
    list.norm(`${L}.post_attention_layernorm`, dims.hiddenSize, false, norm);
  }
  list.norm(`${p}norm`, dims.hiddenSize, false, norm);
  const notes: string[] = [];
  if (moeLayers > 0)
    notes.push("experts fused into 3-D parameters (transformers 5): target_modules and all-linear do not match routed experts or routers; target them with target_parameters");
  if (moeLayers > 0 && mla.perTok === null)
    notes.push(`num_experts_per_tok is unset (null) in this ${modelType} config, so transformers' router cannot pick experts: active parameters per token are not computed`);
  const layer = layerCache();
  const attention = {
    block: "self_attn",
    q: mla.qLoraRank === null ? "self_attn.q_proj" : "self_attn.q_b_proj",
    kv: "self_attn.kv_b_proj",
    o: "self_attn.o_proj",
    heads: dims.numAttentionHeads,
    kvHeads: dims.numKeyValueHeads,
    headDim: mla.qkNope + mla.qkRope,
  };
  const norms = [...(mla.qLoraRank === null ? [] : ["self_attn.q_a_layernorm"]), "self_attn.kv_a_layernorm", "input_layernorm", "post_attention_layernorm"];
  const layerAt = (i: number) =>
    i >= mla.firstDense
      ? layer("moe", () => ({ selfAttention: attention, experts: expertsBlock("mlp", "gate", mla.routed, mla.perTok ?? 0, ["shared_experts"]), norms }))
      : layer("dense", () => ({ selfAttention: attention, ffn: gatedFfn("mlp", dims.intermediateSize), norms }));
  const inv = decoderInventory(list, opts, {
    modelType,
    modelClass: `${v.arch}${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims,
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes,
    ...(moeLayers > 0 && mla.perTok !== null ? { experts: { pattern: EXPERT_PATTERN, perToken: mla.perTok, total: mla.routed } } : {}),
  });
  const mtp = mtpCount(cfg, inv);
  return withDecoderAnatomy(mtp ? { ...inv, notes: [...(inv.notes ?? []), mtpNote(mtp)] } : inv, layerAt, "norm");
}

export const deepseekFamily: Family = {
  modelTypes: Object.keys(VARIANTS),
  tasks: VARIANTS["deepseek_v3"]!.tasks,
  tasksByType: Object.fromEntries(Object.entries(VARIANTS).map(([type, v]) => [type, v.tasks])),
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildDeepseek(cfg.modelType, cfg, opts),
};
