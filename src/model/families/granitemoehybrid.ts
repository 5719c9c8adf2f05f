/**
 * IBM Granite 4.0 hybrid (`granitemoehybrid`): Mamba2 mixers and attention layers, each with a shared MLP
 * and (when `num_local_experts` > 0) a fused MoE, as transformers 5 builds it
 * (models/granitemoehybrid/modeling_granitemoehybrid.py). Per layer, in registration order:
 * - `input_layernorm`, `post_attention_layernorm` (GraniteMoeHybridRMSNorm);
 * - `block_sparse_moe` (only with experts): `router` (bare weight [E, h]) and `experts` (3-D
 *   `gate_up_proj` [E, 2·I, h], `down_proj` [E, h, I]), as in granitemoe;
 * - `shared_mlp`: nn.Linear `input_linear` h → 2·S and `output_linear` S → h (S = shared_intermediate_size,
 *   no biases) — the names the transformers-4 experts had, so old target lists now adapt the shared MLP;
 * - `mamba` for `linear_attention` layers (legacy name `mamba`), else `self_attn` (Llama q/k/v/o).
 * The Mamba2 mixer (`GraniteMoeHybridMambaLayer`) owns `dt_bias`, `A_log`, `D` [heads] itself, and holds
 * `conv1d` (nn.Conv1d depthwise over conv_dim = d_inner + 2·groups·d_state, weight [conv_dim, 1, d_conv],
 * bias from `mamba_conv_bias`), `in_proj` h → d_inner + conv_dim + heads and `out_proj` d_inner → h (biases
 * from `mamba_proj_bias`), and the gated RMSNorm `norm` [d_inner]; d_inner = mamba_expand · hidden.
 * nn.Conv1d is not a Linear: it is listed as a plain parameter holder (all-linear skips it, as PEFT does).
 * `layer_types` (alias `layers_block_type`) defaults to every layer a Mamba layer. Rotary tables are
 * buffers. Heads: GraniteMoeHybridForCausalLM and GraniteMoeHybridModel. Defaults are GraniteMoeHybridConfig's.
 */
import { InputError } from "../../errors.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";
import { addAttention } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";
import { addGraniteMoe, FUSED_NOTE, GRANITE_TASKS, readGraniteDims, readGraniteExperts, requireFusedGranite } from "./granitemoe.js";

const MAMBA_TYPES = new Set(["linear_attention", "mamba"]);
const ATTENTION_TYPES = new Set(["full_attention", "attention", "sliding_attention"]);

/** true = Mamba layer, per layer index */
function readLayerTypes(cfg: ConfigReader, layers: number): boolean[] {
  const key = cfg.has("layer_types") ? "layer_types" : "layers_block_type";
  const v = cfg.raw[key];
  if (v === undefined || v === null) return Array.from({ length: layers }, () => true);
  const bad = (what: string) =>
    new InputError("INVALID_CONFIG", `${cfg.where}: "${key}" ${what}`, `fix "${key}" in the config of this granitemoehybrid model, or remove it (every layer a Mamba layer)`);
  if (!Array.isArray(v) || v.length !== layers) throw bad(`must list one layer type per layer (${layers})`);
  return v.map((t) => {
    if (typeof t === "string" && MAMBA_TYPES.has(t)) return true;
    if (typeof t === "string" && ATTENTION_TYPES.has(t)) return false;
    throw bad(`holds ${JSON.stringify(t)}: expected "linear_attention" (or "mamba") or "full_attention" (or "attention")`);
  });
}

interface MambaDims {
  readonly heads: number;
  readonly inner: number;
  readonly convDim: number;
  readonly dConv: number;
  readonly convBias: boolean;
  readonly projBias: boolean;
}

function readMamba(cfg: ConfigReader, hidden: number): MambaDims {
  const heads = cfg.int("mamba_n_heads", 128);
  const groups = cfg.int("mamba_n_groups", 1);
  const dState = cfg.int("mamba_d_state", 256);
  const inner = cfg.int("mamba_expand", 2) * hidden;
  if (!Number.isSafeInteger(inner)) throw new InputError("TOO_LARGE", `${cfg.where}: mamba_expand · hidden_size is past 2^53`, "check the sizes in config.json");
  cfg.divides("mamba_expand * hidden_size", inner, "mamba_n_heads", heads);
  const dHead = cfg.raw["mamba_d_head"];
  if (dHead !== undefined && dHead !== null && dHead !== "auto" && cfg.int("mamba_d_head") * heads !== inner)
    throw new InputError(
      "INVALID_CONFIG",
      `${cfg.where}: "mamba_d_head" · "mamba_n_heads" (${cfg.int("mamba_d_head")} · ${heads}) is not mamba_expand · hidden_size (${inner})`,
      'set "mamba_d_head" to "auto" or to mamba_expand · hidden_size / mamba_n_heads',
    );
  return {
    heads,
    inner,
    convDim: inner + 2 * groups * dState,
    dConv: cfg.int("mamba_d_conv", 4),
    convBias: cfg.bool("mamba_conv_bias", true),
    projBias: cfg.bool("mamba_proj_bias", false),
  };
}

/** GraniteMoeHybridMambaLayer: own dt_bias / A_log / D, then conv1d, in_proj, norm, out_proj. */
function addMamba(list: ModuleList, at: string, h: number, m: MambaDims): void {
  list.other(at, "GraniteMoeHybridMambaLayer", { dt_bias: [m.heads], A_log: [m.heads], D: [m.heads] });
  list.other(`${at}.conv1d`, "Conv1d", m.convBias ? { weight: [m.convDim, 1, m.dConv], bias: [m.convDim] } : { weight: [m.convDim, 1, m.dConv] });
  list.linear(`${at}.in_proj`, h, m.inner + m.convDim + m.heads, m.projBias);
  list.norm(`${at}.norm`, m.inner, false, "GraniteMoeHybridRMSNormGated");
  list.linear(`${at}.out_proj`, m.inner, h, m.projBias);
}

function buildHybrid(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireFusedGranite("granitemoehybrid", opts);
  const d = readGraniteDims(cfg);
  const { numExperts, perTok } = readGraniteExperts(cfg, 0);
  const shared = cfg.int("shared_intermediate_size", 1024);
  const mambaLayers = readLayerTypes(cfg, d.numHiddenLayers);
  const mamba = mambaLayers.some((x) => x) ? readMamba(cfg, d.hiddenSize) : undefined;
  const h = d.hiddenSize;
  const p = backbonePrefix(opts.task, "model");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    list.norm(`${L}.input_layernorm`, h, false, "GraniteMoeHybridRMSNorm");
    list.norm(`${L}.post_attention_layernorm`, h, false, "GraniteMoeHybridRMSNorm");
    if (numExperts > 0) addGraniteMoe(list, `${L}.block_sparse_moe`, "GraniteMoeHybrid", h, d.intermediateSize, numExperts);
    list.linear(`${L}.shared_mlp.input_linear`, h, 2 * shared, false);
    list.linear(`${L}.shared_mlp.output_linear`, shared, h, false);
    if (mambaLayers[i]) addMamba(list, `${L}.mamba`, h, mamba!);
    else addAttention(list, `${L}.self_attn`, d, { arch: "GraniteMoeHybrid" });
  }
  list.norm(`${p}norm`, h, false, "GraniteMoeHybridRMSNorm");
  // the shared MLP sits beside the MoE block (always active); without experts it is the layer's dense FFN
  const sharedFfn = { block: "shared_mlp", in: ["shared_mlp.input_linear"], out: "shared_mlp.output_linear", intermediateSize: shared };
  const mlp = numExperts > 0 ? { experts: { ...expertsBlock("block_sparse_moe", "router", numExperts, perTok), shared: ["shared_mlp"] } } : { ffn: sharedFfn };
  const norms = ["input_layernorm", "post_attention_layernorm"];
  const attnLayer: LayerAnatomy = { selfAttention: qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim), ...mlp, norms };
  const mambaLayer: LayerAnatomy = { mixer: "mamba", ...mlp, norms };
  const inv = decoderInventory(list, opts, {
    modelType: "granitemoehybrid",
    modelClass: `GraniteMoeHybrid${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...d, numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    ...(numExperts > 0 ? { experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts } } : {}),
    notes: numExperts > 0 ? [FUSED_NOTE] : [],
  });
  return withDecoderAnatomy(inv, (i) => (mambaLayers[i] ? mambaLayer : attnLayer), "norm");
}

export const granitemoehybridFamily: Family = {
  modelTypes: ["granitemoehybrid"],
  tasks: GRANITE_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildHybrid,
};
