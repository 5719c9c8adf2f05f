/**
 * Mamba (`mamba`) and Falcon-Mamba (`falcon_mamba`): selective state-space models, as transformers builds them
 * (models/mamba/modeling_mamba.py, models/falcon_mamba/modeling_falcon_mamba.py). The backbone sits under
 * `backbone.` (`embeddings`, `layers`, `norm_f`); each block holds `norm` (RMSNorm [hidden]) then `mixer`, which
 * owns `A_log` [d_inner, state_size] and `D` [d_inner] itself and holds, in registration order:
 * - `conv1d`: a depthwise nn.Conv1d over d_inner channels (weight [d_inner, 1, conv_kernel], bias from
 *   `use_conv_bias`): not a Linear, so all-linear skips it, as PEFT does;
 * - `in_proj` h → 2·d_inner (bias from `use_bias`), `x_proj` d_inner → dt_rank + 2·state_size (no bias),
 *   `dt_proj` dt_rank → d_inner (bias), `out_proj` d_inner → h (bias from `use_bias`);
 * with d_inner = expand · hidden and dt_rank = `time_step_rank`, "auto" meaning ⌈hidden / 16⌉.
 * Falcon-Mamba's extra mixer norms (`dt_layernorm`, `b_layernorm`, `c_layernorm`) are weightless: no parameters.
 * `use_bias` defaults to false in the config classes, as the published checkpoints set it; a config with
 * `use_bias: true` gets the in/out biases (the state-spaces originals were trained without them).
 * Heads: `<Arch>ForCausalLM` (`lm_head`, tied to `backbone.embeddings` by default) and `<Arch>Model`.
 * transformers 4.39 added Mamba and 4.45 Falcon-Mamba: under --transformers-version 4.43 falcon_mamba is refused.
 */
import { InputError } from "../../errors.js";
import { atLeast, formatVersion } from "../../versions.js";
import type { Anatomy, LayerAnatomy } from "../anatomy.js";
import { uniformStack } from "./anatomy-parts.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";

const ARCH: Record<string, { arch: string; since: string }> = {
  mamba: { arch: "Mamba", since: "4.39.0" },
  falcon_mamba: { arch: "FalconMamba", since: "4.45.0" },
};

/** `time_step_rank`: an integer, or "auto" = ⌈hidden / 16⌉ (MambaConfig). */
function timeStepRank(cfg: ConfigReader, hidden: number): number {
  const raw = cfg.raw["time_step_rank"];
  if (raw === undefined || raw === null || raw === "auto") return Math.ceil(hidden / 16);
  return cfg.int("time_step_rank");
}

function buildMamba(modelType: string, cfg: ConfigReader, opts: BuildOptions): Inventory {
  const { arch, since } = ARCH[modelType]!;
  if (!atLeast(opts.transformers, since))
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `transformers ${formatVersion(opts.transformers)} has no ${modelType} (it arrived in ${since})`,
      `count with --transformers-version ${since} or newer`,
    );
  const hidden = cfg.int("hidden_size", 768);
  const inner = cfg.int("expand", 2) * hidden;
  const state = cfg.int("state_size", 16);
  const dtRank = timeStepRank(cfg, hidden);
  const kernel = cfg.int("conv_kernel", 4);
  const convBias = cfg.bool("use_conv_bias", true);
  const bias = cfg.bool("use_bias", false);
  const layers = cfg.int("num_hidden_layers", 32);
  const vocab = cfg.int("vocab_size", 50280);
  const p = backbonePrefix(opts.task, "backbone");
  const norm = `${arch}RMSNorm`;
  const list = new ModuleList();
  list.embedding(`${p}embeddings`, vocab, hidden);
  for (let i = 0; i < layers; i++) {
    const L = `${p}layers.${i}`;
    list.norm(`${L}.norm`, hidden, false, norm);
    list.other(`${L}.mixer`, `${arch}Mixer`, { A_log: [inner, state], D: [inner] });
    list.other(`${L}.mixer.conv1d`, "Conv1d", convBias ? { weight: [inner, 1, kernel], bias: [inner] } : { weight: [inner, 1, kernel] });
    list.linear(`${L}.mixer.in_proj`, hidden, 2 * inner, bias);
    list.linear(`${L}.mixer.x_proj`, inner, dtRank + 2 * state, false);
    list.linear(`${L}.mixer.dt_proj`, dtRank, inner, true);
    list.linear(`${L}.mixer.out_proj`, inner, hidden, bias);
  }
  list.norm(`${p}norm_f`, hidden, false, norm);
  const tie = cfg.bool("tie_word_embeddings", true);
  const layer: LayerAnatomy = { mixer: "mixer", norms: ["norm"] };
  const inv = decoderInventory(list, opts, {
    modelType,
    modelClass: `${arch}${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: {
      hiddenSize: hidden,
      numHiddenLayers: layers,
      // no attention: PEFT's prompt learning reads the config dict, which has no head count (see prompt-learning.ts)
      numAttentionHeads: 1,
      numKeyValueHeads: 1,
      headDim: hidden,
      intermediateSize: inner,
      vocabSize: vocab,
      tieWordEmbeddings: tie,
      isEncoderDecoder: false,
    },
    embedPath: `${p}embeddings`,
    layersPath: `${p}layers`,
  });
  const anatomy: Anatomy = {
    hiddenSize: hidden,
    vocabSize: vocab,
    stacks: [uniformStack("decoder", `${p}layers`, layers, layer, `${p}norm_f`)],
    embeddings: [`${p}embeddings`],
    head: inv.outputEmbeddings ? [inv.outputEmbeddings] : [],
  };
  return { ...inv, anatomy };
}

export const mambaFamily: Family = {
  modelTypes: ["mamba", "falcon_mamba"],
  tasks: ["CAUSAL_LM", "FEATURE_EXTRACTION"],
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildMamba(cfg.modelType, cfg, opts),
};
