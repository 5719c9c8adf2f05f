/**
 * OLMo 2 (`olmo2`, transformers `modeling_olmo2.py`), the Llama backbone with OLMo 2's norms, as transformers
 * 5.18 builds it (checked against `oracle inventory`):
 * - attention `Olmo2Attention`: q/k/v/o (`attention_bias` on all four) then q/k norms over the whole
 *   projection, `q_norm` [num_attention_heads · head_dim] and `k_norm` [num_key_value_heads · head_dim];
 * - MLP gate/up/down without biases; norms AFTER attention and MLP (`post_attention_layernorm`,
 *   `post_feedforward_layernorm`), no input norm.
 * Heads: Olmo2ForCausalLM, Olmo2ForSequenceClassification, Olmo2Model. Defaults are those of `Olmo2Config`.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import { requireTransformers5 } from "../releases.js";
import type { Task } from "../tasks.js";
import type { Inventory } from "../types.js";
import { addAttention, addGatedMlp, attentionAnatomy, gatedMlpAnatomy, readLlamaDims } from "./llama.js";
import { uniformStack } from "./anatomy-parts.js";

const TASKS: readonly Task[] = ["CAUSAL_LM", "SEQ_CLS", "FEATURE_EXTRACTION"];

function buildOlmo2(cfg: ConfigReader, opts: BuildOptions): Inventory {
  requireTransformers5("olmo2", opts.transformers, "4.47.0");
  const d = readLlamaDims(cfg, { vocab: 50304, hidden: 4096, intermediate: 11008, layers: 32, heads: 32, tie: false }, { attentionBias: true });
  const norm = "Olmo2RMSNorm";
  const p = backbonePrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}embed_tokens`, d.vocabSize, d.hiddenSize);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}layers.${i}`;
    addAttention(list, `${L}.self_attn`, d, { arch: "Olmo2" });
    list.norm(`${L}.self_attn.q_norm`, d.numAttentionHeads * d.headDim, false, norm);
    list.norm(`${L}.self_attn.k_norm`, d.numKeyValueHeads * d.headDim, false, norm);
    addGatedMlp(list, `${L}.mlp`, d.hiddenSize, d.intermediateSize, false);
    list.norm(`${L}.post_attention_layernorm`, d.hiddenSize, false, norm);
    list.norm(`${L}.post_feedforward_layernorm`, d.hiddenSize, false, norm);
  }
  list.norm(`${p}norm`, d.hiddenSize, false, norm);
  return decoderInventory(list, opts, {
    modelType: "olmo2",
    modelClass: `Olmo2${MODEL_CLASS_SUFFIX[opts.task]}`,
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
          // OLMo-2 normalizes q and k over all heads (width heads · head_dim), and after attention and the MLP
          norms: ["self_attn.q_norm", "self_attn.k_norm", "post_attention_layernorm", "post_feedforward_layernorm"],
        }, `${p}norm`),
      ],
      embeddings: [`${p}embed_tokens`],
    },
  });
}

export const olmo2Family: Family = {
  modelTypes: ["olmo2"],
  tasks: TASKS,
  defaultTask: "CAUSAL_LM",
  build: (cfg, opts) => buildOlmo2(cfg, opts),
};
