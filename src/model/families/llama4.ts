/**
 * Llama 4 (`llama4_text`; the multimodal `llama4` config is counted through its `text_config`, see
 * TEXT_CONFIG_MODEL_TYPES in ../inventory.ts), as transformers 5 builds Llama4ForCausalLM / Llama4TextModel
 * (transformers/models/llama4/modeling_llama4.py, configuration_llama4.py):
 * - attention: q/k/v/o (`attention_bias`); the q/k norm is Llama4TextL2Norm, which has no parameters;
 * - `feed_forward` of a MoE layer (Llama4TextMoe): `experts` (Llama4TextExperts: 3-D `gate_up_proj`
 *   [E, h, 2·I] and `down_proj` [E, I, h], I = `intermediate_size`), then `router` (Llama4Router, a subclass of
 *   nn.Linear h → E without bias, so name targets and all-linear match it), then `shared_expert`
 *   (gate/up/down, width `intermediate_size`);
 * - `feed_forward` of a dense layer: Llama4TextMLP of width `intermediate_size_mlp`;
 * - which layers are MoE: `moe_layers`, else every `interleave_moe_layer_step`-th layer
 *   (range(step - 1, layers, step)).
 * Defaults are Llama4TextConfig's (Llama-4-Scout-17B-16E): an absent `head_dim` is 128 (not hidden/heads) and an
 * absent `num_key_value_heads` 8.
 * A `llama4` config without `text_config` builds Llama4TextConfig() (its top-level keys do not reach the text
 * model). Checked against `oracle inventory` / `oracle count` (tests/model/family-llama4.test.ts).
 * transformers 4.43 had no Llama 4 (added in 4.51, already with fused experts): only transformers 5 is modelled.
 */
import { InputError } from "../../errors.js";
import { formatVersion } from "../../versions.js";
import { ModuleList } from "../builder.js";
import { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory } from "../heads.js";
import type { Task } from "../tasks.js";
import type { Inventory } from "../types.js";
import { addAttention, addGatedMlp, readLlamaDims } from "./llama.js";
import { EXPERT_PATTERN } from "./moe.js";
import { expertsBlock, gatedFfn, qkvoAttention, withDecoderAnatomy } from "./moe-anatomy.js";
import type { LayerAnatomy } from "../anatomy.js";

const DEFAULTS = { vocab: 202048, hidden: 5120, intermediate: 8192, layers: 48, heads: 40, kvHeads: 8, headDim: 128, tie: false };
const TASKS: readonly Task[] = ["CAUSAL_LM", "FEATURE_EXTRACTION"];
const NORM = "Llama4TextRMSNorm";

interface Llama4Moe {
  readonly numExperts: number;
  readonly perTok: number;
  readonly denseInter: number;
  readonly moeLayers: ReadonlySet<number>;
}

function readMoe(cfg: ConfigReader, layers: number): Llama4Moe {
  const numExperts = cfg.int("num_local_experts", 16);
  const perTok = cfg.int("num_experts_per_tok", 1);
  cfg.routable("num_experts_per_tok", perTok, "num_local_experts", numExperts);
  const denseInter = cfg.int("intermediate_size_mlp", 16384);
  const listed = cfg.raw["moe_layers"];
  if (listed !== undefined && listed !== null) {
    if (!Array.isArray(listed) || !listed.every((x) => typeof x === "number" && Number.isSafeInteger(x)))
      throw new InputError(
        "INVALID_CONFIG",
        `${cfg.where}: "moe_layers" must be a list of layer indices (got ${JSON.stringify(listed).slice(0, 40)})`,
        `fix "moe_layers" in the config of this ${cfg.modelType} model, or remove it to use "interleave_moe_layer_step"`,
      );
    return { numExperts, perTok, denseInter, moeLayers: new Set(listed as number[]) };
  }
  const step = cfg.int("interleave_moe_layer_step", 1);
  const moeLayers = new Set<number>();
  for (let i = step - 1; i < layers; i += step) moeLayers.add(i);
  return { numExperts, perTok, denseInter, moeLayers };
}

/** Llama4TextMoe: experts, router, shared expert (registration order). */
function addMoe(list: ModuleList, at: string, h: number, inter: number, numExperts: number): void {
  list.other(`${at}.experts`, "Llama4TextExperts", { gate_up_proj: [numExperts, h, 2 * inter], down_proj: [numExperts, inter, h] });
  list.linear(`${at}.router`, h, numExperts, false, "Llama4Router");
  addGatedMlp(list, `${at}.shared_expert`, h, inter, false);
}

function buildLlama4(cfg: ConfigReader, opts: BuildOptions): Inventory {
  if (opts.transformers[0] < 5)
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `model_type "${cfg.modelType}" is counted as transformers 5 builds it; transformers ${formatVersion(opts.transformers)} is not modelled (4.43 had no Llama 4; it was added in 4.51)`,
      "count with --transformers-version 5.0.0 or newer",
    );
  if (opts.expertLayout === "per-expert")
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `--expert-layout per-expert does not exist for ${cfg.modelType}: transformers has always fused Llama 4's experts (Llama4TextExperts)`,
      "use the fused layout (the default)",
    );
  // `llama4` without text_config: Llama4Config() builds Llama4TextConfig() defaults.
  const text = cfg.modelType === "llama4" ? new ConfigReader({}, "llama4_text", `${cfg.where} text_config`) : cfg;
  const d = readLlamaDims(text, DEFAULTS, { attentionBias: true });
  const m = readMoe(text, d.numHiddenLayers);
  const p = backbonePrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, d.hiddenSize);
  let sparse = 0;
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    addAttention(list, `${L}.self_attn`, d, { arch: "Llama4Text" });
    if (m.moeLayers.has(i)) {
      sparse++;
      addMoe(list, `${L}.feed_forward`, d.hiddenSize, d.intermediateSize, m.numExperts);
    } else addGatedMlp(list, `${L}.feed_forward`, d.hiddenSize, m.denseInter, false);
    list.norm(`${L}.input_layernorm`, d.hiddenSize, false, NORM);
    list.norm(`${L}.post_attention_layernorm`, d.hiddenSize, false, NORM);
  }
  list.norm(`${p}norm`, d.hiddenSize, false, NORM);
  const attention = qkvoAttention("self_attn", d.numAttentionHeads, d.numKeyValueHeads, d.headDim);
  const norms = ["input_layernorm", "post_attention_layernorm"];
  const moeLayer: LayerAnatomy = { selfAttention: attention, experts: expertsBlock("feed_forward", "router", m.numExperts, m.perTok, ["shared_expert"]), norms };
  const denseLayer: LayerAnatomy = { selfAttention: attention, ffn: gatedFfn("feed_forward", m.denseInter), norms };
  const inv = decoderInventory(list, opts, {
    modelType: "llama4_text",
    modelClass: opts.task === "CAUSAL_LM" ? "Llama4ForCausalLM" : "Llama4TextModel",
    dims: { ...d, maxPositionEmbeddings: text.int("max_position_embeddings", 4096 * 32), numLocalExperts: m.numExperts, numExpertsPerTok: m.perTok },
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    notes: sparse > 0 ? ["routed experts are fused 3-D parameters (Llama4TextExperts): target_modules and all-linear do not match them (target_parameters does); the router is an nn.Linear and does match"] : [],
    ...(sparse > 0 ? { experts: { pattern: EXPERT_PATTERN, perToken: m.perTok, total: m.numExperts } } : {}),
  });
  return withDecoderAnatomy(inv, (i) => (m.moeLayers.has(i) ? moeLayer : denseLayer), "norm");
}

export const llama4Family: Family = {
  modelTypes: ["llama4_text", "llama4"],
  tasks: TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildLlama4,
};
