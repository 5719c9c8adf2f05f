/**
 * Mixture-of-experts decoders on the Llama backbone: mixtral, qwen2_moe, qwen3_moe.
 * Attention is the Llama one (Qwen2-MoE: q/k/v biases; Qwen3-MoE: q/k norms, explicit head_dim);
 * the MLP of a sparse layer is a router plus routed experts (Qwen2-MoE: plus one shared expert and
 * its sigmoid gate). Qwen layers can be dense (`mlp_only_layers`, `decoder_sparse_step`).
 *
 * Two expert layouts (`BuildOptions.expertLayout`):
 * - "per-expert": transformers ≤ 4.5x (4.43.3 made the reference vectors), one nn.Linear per expert
 *   (`block_sparse_moe.experts.3.w1`, `mlp.experts.3.gate_proj`) and an nn.Linear router `gate`.
 * - "fused": transformers 5. Experts are one module (`<Arch>Experts`) holding 3-D parameters
 *   `gate_up_proj` [E, 2·I, h] and `down_proj` [E, h, I]; the router (`<Arch>TopKRouter`) holds a bare
 *   `weight` [E, h] (Qwen3-MoE registers it after the experts); Mixtral's `block_sparse_moe` is renamed
 *   `mlp` (the checkpoint converter maps `.block_sparse_moe.` → `.mlp.`). Neither is an nn.Linear, so
 *   `all-linear` and name targets skip them. Checked against `oracle inventory` (tests/golden/inventories-5.json).
 * Defaults are those of each transformers `<Arch>Config` class.
 */
import { InputError } from "../../errors.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, DECODER_TASKS, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Task } from "../tasks.js";
import { MOE_QA_SINCE } from "../releases.js";
import type { Inventory } from "../types.js";
import { addAttention, addGatedMlp, type LlamaDims, readLlamaDims } from "./llama.js";
import { expertsBlock, gatedFfn, layerCache, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";

interface MoeVariant {
  readonly arch: string;
  readonly defaults: Parameters<typeof readLlamaDims>[1];
  /** config keys (first one is reported) for the number of routed experts and its default */
  readonly numExpertsKeys: readonly string[];
  readonly numExperts: number;
  readonly expertsPerTok: number;
  /** Qwen: experts are `moe_intermediate_size` wide; Mixtral: `intermediate_size` */
  readonly moeIntermediate?: number;
  /** Qwen2-MoE: shared expert width default */
  readonly sharedIntermediate?: number;
  /** per-expert layout: block name and expert projection names [gate, up, down] */
  readonly block: string;
  readonly expertNames: readonly [string, string, string];
  /** per-expert layout registers the down projection second (MixtralBlockSparseTop2MLP: w1, w2, w3) */
  readonly downBeforeUp?: boolean;
  /** fused layout registers `experts` before the router `gate` (Qwen3MoeSparseMoeBlock of transformers 5) */
  readonly fusedExpertsFirst?: boolean;
  readonly qkvBiasAlways?: boolean;
  readonly attentionBiasKey?: boolean;
  readonly qkNorm?: boolean;
  /** heads transformers has for this model type (newest release) */
  readonly tasks: readonly Task[];
  /** heads added in a later transformers release */
  readonly tasksSince?: Partial<Record<Task, string>>;
  /** QUESTION_ANS keeps the backbone under `transformer.` (inherited from LlamaForQuestionAnswering) */
  readonly qaBase?: string;
}

const VARIANTS: Record<string, MoeVariant> = {
  // MixtralForQuestionAnswering / Qwen2MoeForQuestionAnswering exist from transformers 4.47 (MOE_QA_SINCE).
  mixtral: {
    arch: "Mixtral",
    defaults: { vocab: 32000, hidden: 4096, intermediate: 14336, layers: 32, heads: 32, kvHeads: 8, tie: false },
    numExpertsKeys: ["num_local_experts"],
    numExperts: 8,
    expertsPerTok: 2,
    block: "block_sparse_moe",
    expertNames: ["w1", "w3", "w2"],
    downBeforeUp: true,
    tasks: DECODER_TASKS,
    tasksSince: { QUESTION_ANS: MOE_QA_SINCE },
  },
  qwen2_moe: {
    arch: "Qwen2Moe",
    defaults: { vocab: 151936, hidden: 2048, intermediate: 5632, layers: 24, heads: 16, kvHeads: 16, tie: false },
    numExpertsKeys: ["num_experts"],
    numExperts: 60,
    expertsPerTok: 4,
    moeIntermediate: 1408,
    sharedIntermediate: 5632,
    block: "mlp",
    expertNames: ["gate_proj", "up_proj", "down_proj"],
    qkvBiasAlways: true,
    tasks: DECODER_TASKS,
    tasksSince: { QUESTION_ANS: MOE_QA_SINCE },
  },
  qwen3_moe: {
    arch: "Qwen3Moe",
    defaults: { vocab: 151936, hidden: 2048, intermediate: 6144, layers: 24, heads: 32, kvHeads: 4, tie: false },
    numExpertsKeys: ["num_experts", "num_local_experts"],
    numExperts: 128,
    expertsPerTok: 8,
    moeIntermediate: 768,
    block: "mlp",
    expertNames: ["gate_proj", "up_proj", "down_proj"],
    fusedExpertsFirst: true,
    attentionBiasKey: true,
    qkNorm: true,
    tasks: DECODER_TASKS,
    qaBase: "transformer",
  },
};

/** Routed expert modules in both layouts (`…experts.7.w1`, `…experts.7.gate_proj`, fused `…experts`); never `shared_expert`. */
export const EXPERT_PATTERN = /\.experts(\.\d+\.\w+)?$/;

interface MoeDims {
  readonly numExperts: number;
  readonly perTok: number;
  readonly moeInter: number;
  readonly sharedInter: number;
  /** layer index → sparse MoE block (true) or dense MLP */
  readonly sparse: (layer: number) => boolean;
}

function readMlpOnlyLayers(cfg: ConfigReader): ReadonlySet<number> {
  const v = cfg.raw["mlp_only_layers"];
  if (v === undefined || v === null) return new Set();
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0))
    throw new InputError(
      "INVALID_CONFIG",
      `${cfg.where}: "mlp_only_layers" must be a list of layer indices (got ${JSON.stringify(v).slice(0, 40)})`,
      `fix "mlp_only_layers" in the config of this ${cfg.modelType} model, or remove it to use the transformers default`,
    );
  return new Set(v as number[]);
}

function readMoeDims(cfg: ConfigReader, v: MoeVariant): MoeDims {
  const qwen = v.moeIntermediate !== undefined;
  // Qwen MoE configs allow 0 experts (every layer dense); Mixtral needs at least one.
  const numExperts = cfg.int(v.numExpertsKeys, v.numExperts, qwen ? 0 : 1);
  const perTok = cfg.int("num_experts_per_tok", v.expertsPerTok);
  cfg.routable("num_experts_per_tok", perTok, v.numExpertsKeys[0]!, numExperts);
  const moeInter = qwen ? cfg.int("moe_intermediate_size", v.moeIntermediate) : cfg.int("intermediate_size", v.defaults.intermediate);
  const sharedInter = v.sharedIntermediate !== undefined ? cfg.int("shared_expert_intermediate_size", v.sharedIntermediate) : 0;
  if (!qwen) return { numExperts, perTok, moeInter, sharedInter, sparse: () => true };
  const step = cfg.int("decoder_sparse_step", 1);
  const dense = readMlpOnlyLayers(cfg);
  return { numExperts, perTok, moeInter, sharedInter, sparse: (i) => !dense.has(i) && numExperts > 0 && (i + 1) % step === 0 };
}

/** Router + routed experts (+ shared expert) of one sparse layer. */
function addSparseBlock(list: ModuleList, at: string, d: LlamaDims, m: MoeDims, v: MoeVariant, fused: boolean): void {
  const h = d.hiddenSize;
  if (fused) {
    const router = () => list.other(`${at}.gate`, `${v.arch}TopKRouter`, { weight: [m.numExperts, h] });
    if (!v.fusedExpertsFirst) router();
    list.other(`${at}.experts`, `${v.arch}Experts`, { gate_up_proj: [m.numExperts, 2 * m.moeInter, h], down_proj: [m.numExperts, h, m.moeInter] });
    if (v.fusedExpertsFirst) router();
  } else {
    list.linear(`${at}.gate`, h, m.numExperts, false);
    const [gate, up, down] = v.expertNames;
    list.repeat(`${at}.experts`, m.numExperts, (E) => {
      if (!v.downBeforeUp) addGatedMlp(list, E, h, m.moeInter, false, [...v.expertNames]);
      else list.linear(`${E}.${gate}`, h, m.moeInter, false).linear(`${E}.${down}`, m.moeInter, h, false).linear(`${E}.${up}`, h, m.moeInter, false);
    });
  }
  if (v.sharedIntermediate !== undefined) {
    addGatedMlp(list, `${at}.shared_expert`, h, m.sharedInter, false);
    list.linear(`${at}.shared_expert_gate`, h, 1, false);
  }
}

function buildMoe(modelType: string, cfg: ConfigReader, opts: BuildOptions): Inventory {
  const v = VARIANTS[modelType]!;
  const d = readLlamaDims(cfg, v.defaults, { attentionBias: v.attentionBiasKey ?? false });
  const m = readMoeDims(cfg, v);
  const fused = opts.expertLayout === "fused";
  const norm = `${v.arch}RMSNorm`;
  const p = backbonePrefix(opts.task, "model", v.qaBase);
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, d.hiddenSize);
  let sparseLayers = 0;
  const addLayer = (L: string, i: number) => {
    addAttention(list, `${L}.self_attn`, d, { arch: v.arch, ...(v.qkvBiasAlways ? { qkvBias: true } : {}), qkNorm: v.qkNorm ?? false });
    if (m.sparse(i)) addSparseBlock(list, `${L}.${fused ? "mlp" : v.block}`, d, m, v, fused);
    else addGatedMlp(list, `${L}.mlp`, d.hiddenSize, d.intermediateSize, false);
    list.norm(`${L}.input_layernorm`, d.hiddenSize, false, norm);
    list.norm(`${L}.post_attention_layernorm`, d.hiddenSize, false, norm);
  };
  const layerIndices = Array.from({ length: d.numHiddenLayers }, (_, i) => i);
  for (const i of layerIndices) if (m.sparse(i)) sparseLayers++;
  // per expert, identical layers (all sparse or all dense) are listed once, as a repeat (compact.ts)
  if (!fused && layerIndices.every((i) => m.sparse(i) === m.sparse(0))) list.repeat(`${p}layers`, d.numHiddenLayers, (L) => addLayer(L, 0));
  else for (const i of layerIndices) addLayer(`${p}layers.${i}`, i);
  list.norm(`${p}norm`, d.hiddenSize, false, norm);
  const notes = fused
    ? ["experts fused into 3-D parameters (transformers 5): target_modules and all-linear do not match experts or routers; --expert-layout per-expert counts the one-Linear-per-expert layout of transformers 4.x"]
    : [];
  const block = fused ? "mlp" : v.block;
  const layer = layerCache();
  const attention = qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim);
  const norms = [...(v.qkNorm ? ["self_attn.q_norm", "self_attn.k_norm"] : []), "input_layernorm", "post_attention_layernorm"];
  const shared = v.sharedIntermediate !== undefined ? ["shared_expert", "shared_expert_gate"] : undefined;
  const layerAt = (i: number) =>
    m.sparse(i)
      ? layer("moe", () => ({ selfAttention: attention, experts: expertsBlock(block, "gate", m.numExperts, m.perTok, shared), norms }))
      : layer("dense", () => ({ selfAttention: attention, ffn: gatedFfn("mlp", d.intermediateSize), norms }));
  const inv = decoderInventory(list, opts, {
    modelType: modelType,
    modelClass: `${v.arch}${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, numLocalExperts: m.numExperts, numExpertsPerTok: m.perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes,
    ...(sparseLayers > 0 ? { experts: { pattern: EXPERT_PATTERN, perToken: m.perTok, total: m.numExperts } } : {}),
  });
  return withDecoderAnatomy(inv, layerAt, "norm");
}

export const moeFamily: Family = {
  modelTypes: Object.keys(VARIANTS),
  tasks: DECODER_TASKS,
  tasksByType: Object.fromEntries(Object.entries(VARIANTS).map(([type, v]) => [type, v.tasks])),
  tasksSince: Object.fromEntries(Object.entries(VARIANTS).flatMap(([type, v]) => (v.tasksSince ? [[type, v.tasksSince]] : []))),
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildMoe(cfg.modelType, cfg, opts),
};
