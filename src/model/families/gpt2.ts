/**
 * GPT-2 (`gpt2`), as transformers 4.43 builds it: Conv1D projections (weight stored [in, out]),
 * the fused `c_attn` (q,k,v in one Conv1D), learned positions `wpe`, an MLP of `4·n_embd` unless
 * `n_inner` is set, optional cross-attention blocks (`add_cross_attention`), and an LM head tied to
 * `wte` unless `tie_word_embeddings` is false.
 *
 * Also exports the prefix and class-name helpers shared by the GPT-style families (GPT-2, GPT-NeoX,
 * GPT-J, OPT, BLOOM, Falcon, Phi); their heads come from `addDecoderHead` with TOKEN_CLS `classifier`.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { backbonePrefix, DECODER_TASKS, decoderInventory, MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Task } from "../tasks.js";
import type { Inventory, ModelDims } from "../types.js";
import { fusedAttention, uniformStack } from "./anatomy-parts.js";

/** `transformer.` (or the given base) for heads, `` for the bare model. */
export function gptPrefix(task: Task, base = "transformer"): string {
  return backbonePrefix(task, base);
}

/** `<Arch>ForCausalLM`, ..., `<Arch>Model`; GPT-2 calls its LM class `GPT2LMHeadModel`. */
export function gptModelClass(arch: string, task: Task, causalLm?: string): string {
  return task === "CAUSAL_LM" && causalLm ? causalLm : `${arch}${MODEL_CLASS_SUFFIX[task]}`;
}

/** Reads GPT2Config; its `attribute_map` aliases (`hidden_size` …) win over `n_embd` … when both are set. */
function readGpt2(cfg: ConfigReader) {
  const hiddenSize = cfg.int(["hidden_size", "n_embd"], 768);
  const numAttentionHeads = cfg.int(["num_attention_heads", "n_head"], 12);
  const headDim = cfg.divides("n_embd", hiddenSize, "n_head", numAttentionHeads);
  const dims: ModelDims = {
    hiddenSize,
    numHiddenLayers: cfg.int(["num_hidden_layers", "n_layer"], 12),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim,
    intermediateSize: cfg.optInt("n_inner") ?? 4 * hiddenSize,
    vocabSize: cfg.int("vocab_size", 50257),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int(["max_position_embeddings", "n_positions"], 1024),
  };
  return { dims, crossAttention: cfg.bool("add_cross_attention", false) };
}

function buildGpt2(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const { dims: d, crossAttention } = readGpt2(cfg);
  const h = d.hiddenSize;
  const p = gptPrefix(opts.task);
  const list = new ModuleList();
  list.embedding(`${p}wte`, d.vocabSize, h);
  list.embedding(`${p}wpe`, d.maxPositionEmbeddings!, h);
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}h.${i}`;
    list.norm(`${L}.ln_1`, h, true, "LayerNorm");
    list.conv1d(`${L}.attn.c_attn`, h, 3 * h);
    list.conv1d(`${L}.attn.c_proj`, h, h);
    list.norm(`${L}.ln_2`, h, true, "LayerNorm");
    if (crossAttention) {
      list.conv1d(`${L}.crossattention.c_attn`, h, 2 * h);
      list.conv1d(`${L}.crossattention.q_attn`, h, h);
      list.conv1d(`${L}.crossattention.c_proj`, h, h);
      list.norm(`${L}.ln_cross_attn`, h, true, "LayerNorm");
    }
    list.conv1d(`${L}.mlp.c_fc`, h, d.intermediateSize);
    list.conv1d(`${L}.mlp.c_proj`, d.intermediateSize, h);
  }
  list.norm(`${p}ln_f`, h, true, "LayerNorm");
  return decoderInventory(list, opts, {
    modelType: cfg.modelType,
    modelClass: gptModelClass("GPT2", opts.task, "GPT2LMHeadModel"),
    dims: d,
    embedPath: `${p}wte`,
    layersPath: `${p}h`,
    head: { tokenClassifier: "classifier" },
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("decoder", `${p}h`, d.numHiddenLayers, {
          selfAttention: fusedAttention("attn", "c_attn", "c_proj", d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
          // GPT2Attention(is_cross_attention=True): q_attn for the queries, c_attn for keys and values
          ...(crossAttention
            ? { crossAttention: { block: "crossattention", q: "crossattention.q_attn", kv: "crossattention.c_attn", o: "crossattention.c_proj", heads: d.numAttentionHeads, kvHeads: d.numKeyValueHeads, headDim: d.headDim } }
            : {}),
          ffn: { block: "mlp", in: ["mlp.c_fc"], out: "mlp.c_proj", intermediateSize: d.intermediateSize },
          norms: ["ln_1", "ln_2", ...(crossAttention ? ["ln_cross_attn"] : [])],
        }, `${p}ln_f`),
      ],
      embeddings: [`${p}wte`, `${p}wpe`],
    },
  });
}

export const gpt2Family: Family = {
  modelTypes: ["gpt2"],
  tasks: DECODER_TASKS,
  defaultTask: "CAUSAL_LM",
  build: buildGpt2,
};
