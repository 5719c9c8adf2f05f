/**
 * Mamba-2 (`mamba2`): a pure state-space model, as transformers builds it (models/mamba2/modeling_mamba2.py).
 * The backbone sits under `backbone.` (Mamba2Model: `embeddings`, `layers`, `norm_f`); each Mamba2Block holds
 * `norm` (Mamba2RMSNorm) then `mixer` (Mamba2Mixer), which owns `dt_bias`, `A_log`, `D` [num_heads] itself and
 * holds, in registration order:
 * - `conv1d`: nn.Conv1d, depthwise over conv_dim = d_inner + 2·n_groups·state_size (weight [conv_dim, 1,
 *   conv_kernel], bias from `use_conv_bias`); not a Linear, so listed as a plain parameter holder that
 *   all-linear skips, as PEFT does;
 * - `in_proj`: h → d_inner + conv_dim + num_heads; `norm`: MambaRMSNormGated [d_inner]; `out_proj`: d_inner → h
 *   (both biases from `use_bias`);
 * with d_inner = expand · hidden, which Mamba2Config requires to equal num_heads · head_dim.
 * Heads: Mamba2ForCausalLM (`lm_head`, tied to `backbone.embeddings` when tie_word_embeddings) and Mamba2Model.
 * There is no attention: PEFT's prompt learning still reads the config dict (num_heads is its head count, no
 * num_key_value_heads), so prefix tuning builds hidden-wide key/value prefixes per layer.
 * transformers 4.43 had no Mamba-2 (4.44 added it); peftcount builds the transformers 5 tree only.
 * Defaults are Mamba2Config's.
 */
import { InputError } from "../../errors.js";
import { formatVersion } from "../../versions.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";
import { uniformStack } from "./anatomy-parts.js";

function buildMamba2(cfg: ConfigReader, opts: BuildOptions): Inventory {
  if (opts.transformers[0] < 5)
    throw new InputError(
      "UNSUPPORTED_MODEL_TYPE",
      `peftcount builds mamba2 as transformers 5 does; transformers 4.43 had no mamba2 (it arrived in 4.44) and 4.x trees of it are not modelled (asked for transformers ${formatVersion(opts.transformers)})`,
      "count with --transformers-version 5.0.0 or newer (the default)",
    );
  const hidden = cfg.int("hidden_size", 4096);
  const heads = cfg.int("num_heads", 128);
  const headDim = cfg.int("head_dim", 64);
  const inner = cfg.int("expand", 2) * hidden;
  if (inner !== heads * headDim)
    throw new InputError(
      "INVALID_CONFIG",
      `${cfg.where}: hidden_size · expand (${inner}) must equal num_heads · head_dim (${heads * headDim}) (Mamba2Config's ValueError)`,
      'fix "hidden_size", "expand", "num_heads" or "head_dim"',
    );
  const convDim = inner + 2 * cfg.int("n_groups", 8) * cfg.int("state_size", 128);
  const kernel = cfg.int("conv_kernel", 4);
  const convBias = cfg.bool("use_conv_bias", true);
  const bias = cfg.bool("use_bias", false);
  const layers = cfg.int("num_hidden_layers", 64);
  const vocab = cfg.int("vocab_size", 32768);
  const p = backbonePrefix(opts.task, "backbone");
  const list = new ModuleList();
  list.embedding(`${p}embeddings`, vocab, hidden);
  for (let i = 0; i < layers; i++) {
    const L = `${p}layers.${i}`;
    list.norm(`${L}.norm`, hidden, false, "Mamba2RMSNorm");
    list.other(`${L}.mixer`, "Mamba2Mixer", { dt_bias: [heads], A_log: [heads], D: [heads] });
    list.other(`${L}.mixer.conv1d`, "Conv1d", convBias ? { weight: [convDim, 1, kernel], bias: [convDim] } : { weight: [convDim, 1, kernel] });
    list.linear(`${L}.mixer.in_proj`, hidden, inner + convDim + heads, bias);
    list.norm(`${L}.mixer.norm`, inner, false, "MambaRMSNormGated");
    list.linear(`${L}.mixer.out_proj`, inner, hidden, bias);
  }
  list.norm(`${p}norm_f`, hidden, false, "Mamba2RMSNorm");
  return decoderInventory(list, opts, {
    modelType: "mamba2",
    modelClass: `Mamba2${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: {
      hiddenSize: hidden,
      numHiddenLayers: layers,
      numAttentionHeads: heads,
      numKeyValueHeads: heads,
      headDim,
      intermediateSize: inner,
      vocabSize: vocab,
      tieWordEmbeddings: cfg.bool("tie_word_embeddings", false),
      isEncoderDecoder: false,
    },
    embedPath: `${p}embeddings`,
    layersPath: `${p}layers`,
    // no attention and no FFN: the state-space `mixer` takes their place
    anatomy: {
      hiddenSize: hidden,
      vocabSize: vocab,
      stacks: [uniformStack("decoder", `${p}layers`, layers, { mixer: "mixer", norms: ["norm", "mixer.norm"] }, `${p}norm_f`)],
      embeddings: [`${p}embeddings`],
    },
  });
}

export const mamba2Family: Family = {
  modelTypes: ["mamba2"],
  tasks: ["CAUSAL_LM", "FEATURE_EXTRACTION"],
  defaultTask: "CAUSAL_LM",
  build: buildMamba2,
};
