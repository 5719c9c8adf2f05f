/**
 * SmolLM3 (`smollm3`, transformers `modeling_smollm3.py`): the Llama module tree (GQA, `attention_bias` on
 * q/k/v/o, `mlp_bias` on gate/up/down, input + post-attention norms); its NoPE layers (`no_rope_layers`) and
 * sliding windows change the computation, not the parameters. As transformers 5.18 builds it (checked against
 * `oracle inventory`). Heads: every decoder head; SmolLM3ForQuestionAnswering keeps the backbone under
 * `transformer.` (base_model_prefix, for backward compatibility). Defaults are those of `SmolLM3Config`
 * (SmolLM3-3B's sizes, tied embeddings); a `num_key_value_heads` written as null means num_attention_heads.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, DECODER_TASKS, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import { requireTransformers5 } from "../releases.js";
import type { Inventory } from "../types.js";
import { addAttention, addGatedMlp, attentionAnatomy, gatedMlpAnatomy, readLlamaDims } from "./llama.js";
import { uniformStack } from "./anatomy-parts.js";

function buildSmolLM3(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireTransformers5("smollm3", opts.transformers);
  const kvNull = "num_key_value_heads" in cfg.raw && cfg.raw["num_key_value_heads"] === null;
  const d = readLlamaDims(
    cfg,
    { vocab: 128256, hidden: 2048, intermediate: 11008, layers: 36, heads: 16, ...(kvNull ? {} : { kvHeads: 4 }), tie: true },
    { attentionBias: true, mlpBias: true },
  );
  const norm = "SmolLM3RMSNorm";
  const p = backbonePrefix(opts.task, "model", "transformer");
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, d.hiddenSize);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    addAttention(list, `${L}.self_attn`, d, { arch: "SmolLM3" });
    addGatedMlp(list, `${L}.mlp`, d.hiddenSize, d.intermediateSize, d.mlpBias);
    list.norm(`${L}.input_layernorm`, d.hiddenSize, false, norm);
    list.norm(`${L}.post_attention_layernorm`, d.hiddenSize, false, norm);
  }
  list.norm(`${p}norm`, d.hiddenSize, false, norm);
  return decoderInventory(list, opts, {
    modelType: "smollm3",
    modelClass: `SmolLM3${MODEL_CLASS_SUFFIX[opts.task]}`,
    dims: d,
    embedPath: `${p}embed_tokens`,
    layersPath: `${p}layers`,
    anatomy: {
      hiddenSize: d.hiddenSize,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("decoder", `${p}layers`, d.numHiddenLayers, {
          selfAttention: attentionAnatomy(d),
          ffn: gatedMlpAnatomy(d.intermediateSize),
          norms: ["input_layernorm", "post_attention_layernorm"],
        }, `${p}norm`),
      ],
      embeddings: [`${p}embed_tokens`],
    },
  });
}

export const smollm3Family: Family = {
  modelTypes: ["smollm3"],
  tasks: DECODER_TASKS,
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildSmolLM3(cfg, opts),
};
