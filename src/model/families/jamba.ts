/**
 * AI21 Jamba (`jamba`): Mamba mixers and attention layers interleaved, a feed-forward block per layer that is
 * a sparse MoE on every `expert_layer_period`-th layer, as transformers builds it
 * (models/jamba/modeling_jamba.py). Per layer, in registration order:
 * - `mamba` (JambaMambaMixer) unless `i % attn_layer_period == attn_layer_offset`, then `self_attn` (Llama
 *   q/k/v/o, GQA, no biases, head_dim = hidden / heads unless config.json sets `head_dim`);
 * - `feed_forward`: JambaMLP gate/up/down (`intermediate_size`) unless `i % expert_layer_period ==
 *   expert_layer_offset` and `num_experts` > 1, then JambaSparseMoeBlock: `router` (an nn.Linear h → E in
 *   every release) and the experts — transformers 5: one JambaExperts with 3-D `gate_up_proj` [E, 2·I, h]
 *   and `down_proj` [E, h, I]; transformers 4.x (≤ 4.57): `experts.N.{gate,up,down}_proj` nn.Linear each;
 * - `input_layernorm`, `pre_ff_layernorm` (JambaRMSNorm); the model ends with `final_layernorm`.
 * The Mamba mixer owns `A_log` [d_inner, d_state] and `D` [d_inner] itself, then holds `conv1d` (nn.Conv1d,
 * depthwise: weight [d_inner, 1, d_conv], bias from `mamba_conv_bias`; not a Linear, so listed as a plain
 * parameter holder that all-linear skips, as PEFT does), `in_proj` h → 2·d_inner, `x_proj` d_inner →
 * dt_rank + 2·d_state (no bias), `dt_proj` dt_rank → d_inner (always a bias), `out_proj` d_inner → h
 * (`in_proj`/`out_proj` biases from `mamba_proj_bias`) and three RMSNorms over dt_rank, d_state, d_state.
 * d_inner = mamba_expand · hidden; `mamba_dt_rank` "auto" = ⌈hidden / 16⌉. Heads: JambaForCausalLM,
 * JambaForSequenceClassification (`score`, no bias), JambaModel. Defaults are JambaConfig's.
 * PEFT 0.21 does not rewrite transformers-4 expert names for jamba (transformers' conversion-pattern table has
 * no jamba entry), so `gate_proj`/`up_proj`/`down_proj` targets adapt the dense layers' MLPs only.
 */
import { InputError } from "../../errors.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Task } from "../tasks.js";
import type { Inventory } from "../types.js";
import { addAttention, addGatedMlp, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, gatedFfn, layerCache, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";

const TASKS: readonly Task[] = ["CAUSAL_LM", "SEQ_CLS", "FEATURE_EXTRACTION"];
const NORM = "JambaRMSNorm";

interface Mixer {
  readonly inner: number;
  readonly dState: number;
  readonly dConv: number;
  readonly dtRank: number;
  readonly convBias: boolean;
  readonly projBias: boolean;
}

function readMixer(cfg: ConfigReader, hidden: number): Mixer {
  const inner = cfg.int("mamba_expand", 2) * hidden;
  if (!Number.isSafeInteger(inner)) throw new InputError("TOO_LARGE", `${cfg.where}: mamba_expand · hidden_size is past 2^53`, "check the sizes in config.json");
  const rank = cfg.raw["mamba_dt_rank"];
  return {
    inner,
    dState: cfg.int("mamba_d_state", 16),
    dConv: cfg.int("mamba_d_conv", 4),
    dtRank: rank === undefined || rank === null || rank === "auto" ? Math.ceil(hidden / 16) : cfg.int("mamba_dt_rank"),
    convBias: cfg.bool("mamba_conv_bias", true),
    projBias: cfg.bool("mamba_proj_bias", false),
  };
}

/** JambaMambaMixer: own A_log / D, then conv1d, in_proj, x_proj, dt_proj, out_proj, dt/b/c norms. */
function addMixer(list: ModuleList, at: string, h: number, m: Mixer): void {
  list.other(at, "JambaMambaMixer", { A_log: [m.inner, m.dState], D: [m.inner] });
  list.other(`${at}.conv1d`, "Conv1d", m.convBias ? { weight: [m.inner, 1, m.dConv], bias: [m.inner] } : { weight: [m.inner, 1, m.dConv] });
  list.linear(`${at}.in_proj`, h, 2 * m.inner, m.projBias);
  list.linear(`${at}.x_proj`, m.inner, m.dtRank + 2 * m.dState, false);
  list.linear(`${at}.dt_proj`, m.dtRank, m.inner, true);
  list.linear(`${at}.out_proj`, m.inner, h, m.projBias);
  list.norm(`${at}.dt_layernorm`, m.dtRank, false, NORM);
  list.norm(`${at}.b_layernorm`, m.dState, false, NORM);
  list.norm(`${at}.c_layernorm`, m.dState, false, NORM);
}

/** `offset` < `period` (JambaConfig.validate_architecture); returns the period. */
function readPeriod(cfg: ConfigReader, what: "attn" | "expert", period: number, offset: number): [number, number] {
  const p = cfg.int(`${what}_layer_period`, period);
  const o = cfg.int(`${what}_layer_offset`, offset, 0);
  if (o >= p)
    throw new InputError(
      "INVALID_CONFIG",
      `${cfg.where}: "${what}_layer_offset" (${o}) must be smaller than "${what}_layer_period" (${p}) (JambaConfig's ValueError)`,
      `fix "${what}_layer_offset" or "${what}_layer_period"`,
    );
  return [p, o];
}

function buildJamba(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readLlamaDims(cfg, { vocab: 65536, hidden: 4096, intermediate: 14336, layers: 32, heads: 32, kvHeads: 8, tie: false });
  const dims = { ...d, maxPositionEmbeddings: cfg.int("max_position_embeddings", 262144) };
  const numExperts = cfg.int(["num_experts", "num_local_experts"], 16);
  const perTok = cfg.int("num_experts_per_tok", 2);
  // one expert means every layer is dense (JambaSparseMoeBlock only when num_experts > 1)
  if (numExperts > 1) cfg.routable("num_experts_per_tok", perTok, "num_experts", numExperts);
  const [attnPeriod, attnOffset] = readPeriod(cfg, "attn", 8, 4);
  const [expertPeriod, expertOffset] = readPeriod(cfg, "expert", 2, 1);
  const h = d.hiddenSize;
  const fused = opts.expertLayout === "fused";
  const isAttention = (i: number) => i % attnPeriod === attnOffset;
  const mixer = Array.from({ length: d.numHiddenLayers }, (_, i) => i).some((i) => !isAttention(i)) ? readMixer(cfg, h) : undefined;
  const p = backbonePrefix(opts.task, "model");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, h);
  let sparseLayers = 0;
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    if (isAttention(i)) addAttention(list, `${L}.self_attn`, d, { arch: "Jamba" });
    else addMixer(list, `${L}.mamba`, h, mixer!);
    const F = `${L}.feed_forward`;
    if (numExperts > 1 && i % expertPeriod === expertOffset) {
      sparseLayers++;
      list.linear(`${F}.router`, h, numExperts, false);
      if (fused) list.other(`${F}.experts`, "JambaExperts", { gate_up_proj: [numExperts, 2 * d.intermediateSize, h], down_proj: [numExperts, h, d.intermediateSize] });
      else list.repeat(`${F}.experts`, numExperts, (E) => addGatedMlp(list, E, h, d.intermediateSize, false));
    } else addGatedMlp(list, F, h, d.intermediateSize, false);
    list.norm(`${L}.input_layernorm`, h, false, NORM);
    list.norm(`${L}.pre_ff_layernorm`, h, false, NORM);
  }
  list.norm(`${p}final_layernorm`, h, false, NORM);
  const notes = sparseLayers > 0 && fused
    ? ["experts fused into 3-D parameters (transformers 5): target_modules and all-linear do not match experts (the router stays an nn.Linear); name them in target_parameters"]
    : [];
  const layer = layerCache();
  const norms = ["input_layernorm", "pre_ff_layernorm"];
  const attention = qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim);
  const layerAt = (i: number) => {
    const sparse = numExperts > 1 && i % expertPeriod === expertOffset;
    const mix = isAttention(i) ? { selfAttention: attention } : { mixer: "mamba" };
    const ffn = sparse ? { experts: expertsBlock("feed_forward", "router", numExperts, perTok) } : { ffn: gatedFfn("feed_forward", d.intermediateSize) };
    return layer(`${isAttention(i)} ${sparse}`, () => ({ ...mix, ...ffn, norms }));
  };
  const inv = decoderInventory(list, opts, {
    modelType: "jamba",
    modelClass: `Jamba${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: { ...dims, numLocalExperts: numExperts, numExpertsPerTok: perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes,
    ...(sparseLayers > 0 ? { experts: { pattern: EXPERT_PATTERN, perToken: perTok, total: numExperts } } : {}),
  });
  return withDecoderAnatomy(inv, layerAt, "final_layernorm");
}

export const jambaFamily: Family = {
  modelTypes: ["jamba"],
  tasks: TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildJamba,
};
