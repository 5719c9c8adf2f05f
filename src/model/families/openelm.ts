/**
 * Apple's OpenELM (`openelm`, remote code: configuration_openelm.py / modeling_openelm.py in the apple/OpenELM-*
 * Hub repos, loaded with trust_remote_code). Layer-wise scaling: each layer has its own head count and FFN width.
 * - query width of layer i: make_divisible(model_dim · q_i, head_dim · num_gqa_groups), q_i from `qkv_multipliers`
 *   (a number, or [lo, hi] spread with np.linspace over the layers and rounded to 2 decimals); query heads =
 *   width / head_dim, key/value heads = query heads / num_gqa_groups (the config class recomputes both lists,
 *   overriding any `num_query_heads` list in config.json);
 * - FFN width of layer i: make_divisible(model_dim · f_i, ffn_dim_divisor), f_i from `ffn_multipliers` (a number,
 *   [lo, hi] spread the same way, or one per layer); `proj_1` holds 2× that width with `ffn_with_glu`;
 * - modules: `transformer.token_embeddings`, `transformer.layers.{i}` = `attn` (`qkv_proj` fused, `q_norm` /
 *   `k_norm` [head_dim] with `normalize_qk_projections`, `out_proj`), `ffn` (`proj_1`, `proj_2`), `ffn_norm`,
 *   `attn_norm`; `transformer.norm`; no biases. Without `share_input_output_layers` the model holds BOTH an unused
 *   `transformer.classifier` and `lm_head` (vocab × model_dim each); the published checkpoints share.
 * Heads: OpenELMForCausalLM and OpenELMModel only.
 */
import { InputError } from "../../errors.js";
import type { Anatomy, LayerAnatomy } from "../anatomy.js";
import { ModuleList } from "../builder.js";
import { fusedAttention } from "./anatomy-parts.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import type { Inventory } from "../types.js";
import { linspace, pyRound } from "./python-numbers.js";

/** configuration_openelm.py `make_divisible` (from the TF MobileNet code): nearest multiple, never 10 % below. */
export function makeDivisible(v: number, divisor: number): number {
  let n = Math.max(divisor, Math.trunc(v + divisor / 2) - (Math.trunc(v + divisor / 2) % divisor));
  if (n < 0.9 * v) n += divisor;
  return n;
}

/** Per-layer multipliers: a number for every layer, [lo, hi] spread over the layers, or one per layer. */
function multipliers(cfg: ConfigReader, key: string, layers: number, fallback: number, allowPerLayer: boolean): number[] {
  const raw = cfg.raw[key] ?? fallback;
  if (typeof raw === "number") return Array.from({ length: layers }, () => raw);
  if (Array.isArray(raw) && raw.every((v) => typeof v === "number")) {
    if (raw.length === 2) return linspace(raw[0] as number, raw[1] as number, layers).map((v) => pyRound(v, 2));
    if (allowPerLayer && raw.length === layers) return raw as number[];
  }
  throw new InputError("INVALID_CONFIG", `${cfg.where}: "${key}" must be a number or [low, high]${allowPerLayer ? " or one number per layer" : ""} (got ${JSON.stringify(raw)})`, `fix "${key}"`);
}

function buildOpenElm(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const layers = cfg.int("num_transformer_layers", 12);
  const dim = cfg.int("model_dim", 2048);
  const headDim = cfg.int("head_dim", 128);
  const groups = cfg.int("num_gqa_groups", 1);
  const vocab = cfg.int("vocab_size", 32000);
  const glu = cfg.bool("ffn_with_glu", true);
  const qkNorm = cfg.bool("normalize_qk_projections", false);
  const shared = cfg.bool("share_input_output_layers", false);
  const ffnDivisor = cfg.int("ffn_dim_divisor", 256);
  const qMult = multipliers(cfg, "qkv_multipliers", layers, 1.0, false);
  const fMult = multipliers(cfg, "ffn_multipliers", layers, 4.0, true);
  const p = opts.task === "FEATURE_EXTRACTION" ? "" : "transformer.";
  const list = new ModuleList();
  list.embedding(`${p}token_embeddings`, vocab, dim);
  const anatomyLayers: LayerAnatomy[] = [];
  for (let i = 0; i < layers; i++) {
    const qWidth = makeDivisible(dim * qMult[i]!, headDim * groups);
    const qHeads = cfg.divides(`query width of layer ${i}`, qWidth, "head_dim", headDim);
    const kvHeads = Math.floor(qHeads / groups);
    if (kvHeads === 0 || qHeads % kvHeads !== 0)
      throw new InputError("INVALID_CONFIG", `${cfg.where}: layer ${i} has ${qHeads} query heads, not divisible into ${groups} GQA groups`, 'fix "num_gqa_groups" or "qkv_multipliers"');
    const inter = makeDivisible(fMult[i]! * dim, ffnDivisor);
    const L = `${p}layers.${i}`;
    list.linear(`${L}.attn.qkv_proj`, dim, (qHeads + 2 * kvHeads) * headDim, false);
    if (qkNorm) {
      list.norm(`${L}.attn.q_norm`, headDim, false, "OpenELMRMSNorm");
      list.norm(`${L}.attn.k_norm`, headDim, false, "OpenELMRMSNorm");
    }
    list.linear(`${L}.attn.out_proj`, qHeads * headDim, dim, false);
    list.linear(`${L}.ffn.proj_1`, dim, glu ? 2 * inter : inter, false);
    list.linear(`${L}.ffn.proj_2`, inter, dim, false);
    list.norm(`${L}.ffn_norm`, dim, false, "OpenELMRMSNorm");
    list.norm(`${L}.attn_norm`, dim, false, "OpenELMRMSNorm");
    anatomyLayers.push({
      selfAttention: fusedAttention("attn", "qkv_proj", "out_proj", qHeads, kvHeads, headDim),
      ffn: { block: "ffn", in: ["ffn.proj_1"], out: "ffn.proj_2", intermediateSize: inter, ...(glu ? { gated: true } : {}) },
      norms: qkNorm ? ["attn.q_norm", "attn.k_norm", "ffn_norm", "attn_norm"] : ["ffn_norm", "attn_norm"],
    });
  }
  list.norm(`${p}norm`, dim, false, "OpenELMRMSNorm");
  const head: string[] = [];
  if (!shared) list.linear(`${p}classifier`, dim, vocab, false), head.push(`${p}classifier`);
  let outputEmbeddings: string | undefined;
  if (opts.task === "CAUSAL_LM" && !shared) list.linear("lm_head", dim, vocab, false), (outputEmbeddings = "lm_head"), head.push("lm_head");
  const first = anatomyLayers[0];
  const anatomy: Anatomy = {
    hiddenSize: dim,
    vocabSize: vocab,
    stacks: [{ role: "decoder", layersPath: `${p}layers`, layers: anatomyLayers, finalNorm: `${p}norm` }],
    embeddings: [`${p}token_embeddings`],
    head,
  };
  return {
    modelType: "openelm",
    task: opts.task,
    modelClass: opts.task === "CAUSAL_LM" ? "OpenELMForCausalLM" : "OpenELMModel",
    modules: list.modules,
    dims: {
      hiddenSize: dim,
      numHiddenLayers: layers,
      numAttentionHeads: first?.selfAttention?.heads ?? 1,
      numKeyValueHeads: first?.selfAttention?.kvHeads ?? 1,
      headDim,
      intermediateSize: first?.ffn?.intermediateSize ?? 0,
      vocabSize: vocab,
      tieWordEmbeddings: shared,
      isEncoderDecoder: false,
    },
    inputEmbeddings: `${p}token_embeddings`,
    ...(outputEmbeddings ? { outputEmbeddings } : {}),
    layersPath: `${p}layers`,
    anatomy,
    notes: [
      "OpenELM is remote code (apple/OpenELM-*, trust_remote_code): layer-wise scaling gives every layer its own head count and FFN width",
      ...(shared ? ["logits reuse the token embeddings (share_input_output_layers): no lm_head module, so PEFT sees no output layer"] : []),
    ],
  };
}

export const openelmFamily: Family = {
  modelTypes: ["openelm"],
  tasks: ["CAUSAL_LM", "FEATURE_EXTRACTION"],
  defaultTask: "CAUSAL_LM",
  build: buildOpenElm,
};
