/**
 * Qwen3-Next (`qwen3_next`): gated DeltaNet linear attention and gated full attention, with a fused MoE and a
 * shared expert, as transformers 5 builds it (models/qwen3_next/modeling_qwen3_next.py). Per layer, in
 * registration order:
 * - `linear_attn` (Qwen3NextGatedDeltaNet) for `linear_attention` layers: owns `dt_bias`, `A_log` [V] itself,
 *   then `conv1d` (nn.Conv1d depthwise over conv_dim = 2·K·dk + V·dv, weight [conv_dim, 1, kernel], no bias; not
 *   a Linear, so a plain parameter holder that all-linear skips, as PEFT does), `in_proj_qkvz` h → 2·K·dk + 2·V·dv,
 *   `in_proj_ba` h → 2·V, `norm` (Qwen3NextRMSNormGated [dv]), `out_proj` V·dv → h; K/V/dk/dv are
 *   linear_num_key_heads / linear_num_value_heads / linear_key_head_dim / linear_value_head_dim;
 * - or `self_attn` for `full_attention` layers: q_proj h → 2·heads·head_dim (query and output gate), k/v/o, biases
 *   from `attention_bias`, q/k norms over head_dim (default 256);
 * - `mlp`: the sparse block — `gate` (Qwen3NextTopKRouter, bare weight [E, h]), `experts` (3-D `gate_up_proj`
 *   [E, 2·I, h], `down_proj` [E, h, I], I = moe_intermediate_size), `shared_expert` (gate/up/down Linear of
 *   shared_expert_intermediate_size) and `shared_expert_gate` (Linear h → 1) — unless the layer is in
 *   `mlp_only_layers`, `num_experts` is 0 or (i + 1) is not a multiple of `decoder_sparse_step`: then a dense
 *   gate/up/down MLP of `intermediate_size`;
 * - `input_layernorm`, `post_attention_layernorm`.
 * `layer_types` defaults to one full-attention layer in every `full_attention_interval` (4). Rotary tables are
 * buffers. Heads: CausalLM, SequenceClassification, TokenClassification, QuestionAnswering (backbone under
 * `transformer.`) and Qwen3NextModel. transformers 4.43 had no qwen3_next (4.57 added it, one nn.Linear per
 * expert); peftcount builds the transformers 5 tree only. Defaults are Qwen3NextConfig's.
 */
import { InputError } from "../../errors.js";
import { formatVersion } from "../../versions.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, DECODER_TASKS, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";
import { addGatedMlp, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, gatedFfn, layerCache, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";

/** transformers 5 names (legacy `mamba` / `attention` are remapped by PreTrainedConfig). */
const LINEAR = new Set(["linear_attention", "mamba"]);
const FULL = new Set(["full_attention", "attention"]);

/** `layer_types` of a hybrid config: true = linear-attention layer; `fallback(i)` when the key is absent. */
export function readHybridLayerTypes(cfg: ConfigReader, layers: number, fallback: (i: number) => boolean): boolean[] {
  const v = cfg.raw["layer_types"];
  if (v === undefined || v === null) return Array.from({ length: layers }, (_, i) => fallback(i));
  const bad = (what: string) =>
    new InputError("INVALID_CONFIG", `${cfg.where}: "layer_types" ${what}`, `fix "layer_types" in the config of this ${cfg.modelType} model, or remove it to use the transformers default`);
  if (!Array.isArray(v) || v.length !== layers) throw bad(`must list one layer type per layer (${layers})`);
  return v.map((t) => {
    if (typeof t === "string" && LINEAR.has(t)) return true;
    if (typeof t === "string" && FULL.has(t)) return false;
    throw bad(`holds ${JSON.stringify(t)}: ${cfg.modelType} layers are "linear_attention" or "full_attention"`);
  });
}

/** The transformers-5-only refusals shared by the fused-expert hybrids (qwen3_next, minimax). */
export function requireFusedTransformers5(modelType: string, addedIn: string, opts: BuildOptions): void {
  if (opts.transformers[0] < 5)
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `peftcount builds ${modelType} as transformers 5 does; transformers 4.43 had no ${modelType} (it arrived in ${addedIn}) and 4.x trees of it are not modelled (asked for transformers ${formatVersion(opts.transformers)})`,
      "count with --transformers-version 5.0.0 or newer (the default)",
    );
  if (opts.expertLayout !== "fused")
    throw new InputError(
      "UNSUPPORTED_OPTION",
      `the one-nn.Linear-per-expert layout of ${modelType} (transformers 4.x) is not modelled`,
      "leave out --expert-layout (or pass --expert-layout fused)",
    );
}

function readMlpOnlyLayers(cfg: ConfigReader): ReadonlySet<number> {
  const v = cfg.raw["mlp_only_layers"];
  if (v === undefined || v === null) return new Set();
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0))
    throw new InputError("INVALID_CONFIG", `${cfg.where}: "mlp_only_layers" must be a list of layer indices`, 'fix "mlp_only_layers", or remove it to use the transformers default');
  return new Set(v as number[]);
}

function buildQwen3Next(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireFusedTransformers5("qwen3_next", "4.57", opts);
  const d = readLlamaDims(cfg, { vocab: 151936, hidden: 2048, intermediate: 5632, layers: 48, heads: 16, kvHeads: 2, headDim: 256, tie: false }, { attentionBias: true });
  const h = d.hiddenSize;
  const numExperts = cfg.int("num_experts", 512, 0);
  const perTok = cfg.int("num_experts_per_tok", 10);
  cfg.routable("num_experts_per_tok", perTok, "num_experts", numExperts);
  const moeInter = cfg.int("moe_intermediate_size", 512);
  const sharedInter = cfg.int("shared_expert_intermediate_size", 512);
  const step = cfg.int("decoder_sparse_step", 1);
  const dense = readMlpOnlyLayers(cfg);
  const interval = cfg.int("full_attention_interval", 4);
  const linear = readHybridLayerTypes(cfg, d.numHiddenLayers, (i) => (i + 1) % interval !== 0);
  const [K, V] = [cfg.int("linear_num_key_heads", 16), cfg.int("linear_num_value_heads", 32)];
  const [dk, dv] = [cfg.int("linear_key_head_dim", 128), cfg.int("linear_value_head_dim", 128)];
  const kernel = cfg.int("linear_conv_kernel_dim", 4);
  const convDim = 2 * K * dk + V * dv;
  const p = backbonePrefix(opts.task, "model", "transformer");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  let sparseLayers = 0;
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    if (linear[i]) {
      const A = `${L}.linear_attn`;
      list.other(A, "Qwen3NextGatedDeltaNet", { dt_bias: [V], A_log: [V] });
      list.other(`${A}.conv1d`, "Conv1d", { weight: [convDim, 1, kernel] });
      list.linear(`${A}.in_proj_qkvz`, h, 2 * K * dk + 2 * V * dv, false);
      list.linear(`${A}.in_proj_ba`, h, 2 * V, false);
      list.norm(`${A}.norm`, dv, false, "Qwen3NextRMSNormGated");
      list.linear(`${A}.out_proj`, V * dv, h, false);
    } else {
      const S = `${L}.self_attn`;
      const [q, kv, b] = [d.numAttentionHeads * d.headDim, d.numKeyValueHeads * d.headDim, d.attentionBias];
      // the query projection is twice as wide: it also carries the output gate
      list.linear(`${S}.q_proj`, h, 2 * q, b).linear(`${S}.k_proj`, h, kv, b).linear(`${S}.v_proj`, h, kv, b).linear(`${S}.o_proj`, q, h, b);
      list.norm(`${S}.q_norm`, d.headDim, false, "Qwen3NextRMSNorm").norm(`${S}.k_norm`, d.headDim, false, "Qwen3NextRMSNorm");
    }
    if (!dense.has(i) && numExperts > 0 && (i + 1) % step === 0) {
      sparseLayers++;
      list.other(`${L}.mlp.gate`, "Qwen3NextTopKRouter", { weight: [numExperts, h] });
      list.other(`${L}.mlp.experts`, "Qwen3NextExperts", { gate_up_proj: [numExperts, 2 * moeInter, h], down_proj: [numExperts, h, moeInter] });
      addGatedMlp(list, `${L}.mlp.shared_expert`, h, sharedInter, false);
      list.linear(`${L}.mlp.shared_expert_gate`, h, 1, false);
    } else addGatedMlp(list, `${L}.mlp`, h, d.intermediateSize, false);
    list.norm(`${L}.input_layernorm`, h, false, "Qwen3NextRMSNorm");
    list.norm(`${L}.post_attention_layernorm`, h, false, "Qwen3NextRMSNorm");
  }
  list.norm(`${p}norm`, h, false, "Qwen3NextRMSNorm");
  const layer = layerCache();
  const norms = ["input_layernorm", "post_attention_layernorm"];
  const attention = qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim);
  const layerAt = (i: number) => {
    const sparse = !dense.has(i) && numExperts > 0 && (i + 1) % step === 0;
    const mix = linear[i] ? { mixer: "linear_attn", norms } : { selfAttention: attention, norms: ["self_attn.q_norm", "self_attn.k_norm", ...norms] };
    const ffn = sparse ? { experts: expertsBlock("mlp", "gate", numExperts, perTok, ["shared_expert", "shared_expert_gate"]) } : { ffn: gatedFfn("mlp", d.intermediateSize) };
    return layer(`${linear[i]} ${sparse}`, () => ({ ...mix, ...ffn }));
  };
  const inv = decoderInventory(list, opts, {
    modelType: "qwen3_next",
    modelClass: `Qwen3Next${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, maxPositionEmbeddings: cfg.int("max_position_embeddings", 32768), numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes: sparseLayers > 0 ? ["experts fused into 3-D parameters (transformers 5): target_modules and all-linear do not match experts or routers; name them in target_parameters"] : [],
    ...(sparseLayers > 0 ? { experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts } } : {}),
  });
  return withDecoderAnatomy(inv, layerAt, "norm");
}

export const qwen3NextFamily: Family = {
  modelTypes: ["qwen3_next"],
  tasks: DECODER_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildQwen3Next,
};
