/**
 * DistilBERT (`distilbert`): `embeddings.{word,position}_embeddings` + LayerNorm (no token types),
 * `transformer.layer.*` with `attention.{q,k,v,out}_lin`, `sa_layer_norm`, `ffn.lin1/lin2`,
 * `output_layer_norm`; no pooler. SEQ_CLS adds `pre_classifier` + `classifier`. Config keys are
 * DistilBertConfig's own (`dim`, `n_heads`, `n_layers`, `hidden_dim`); its attribute_map makes
 * `hidden_size` / `num_attention_heads` / `num_hidden_layers` set them, and those win when both are given.
 */
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import { InputError } from "../../errors.js";
import type { BuildOptions, Family } from "../family.js";
import { MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory, ModelDims } from "../types.js";
import { encoderPrefix } from "./bert-layers.js";
import { separateAttention, uniformStack } from "./anatomy-parts.js";

export function readDistilBertDims(cfg: ConfigReader): ModelDims {
  const hiddenSize = cfg.int(["hidden_size", "dim"], 768);
  const numAttentionHeads = cfg.int(["num_attention_heads", "n_heads"], 12);
  const headDim = cfg.divides(cfg.has("hidden_size") ? "hidden_size" : "dim", hiddenSize, cfg.has("num_attention_heads") ? "num_attention_heads" : "n_heads", numAttentionHeads);
  return {
    hiddenSize,
    numHiddenLayers: cfg.int(["num_hidden_layers", "n_layers"], 6),
    numAttentionHeads,
    numKeyValueHeads: numAttentionHeads,
    headDim,
    // DistilBertConfig's default is the literal 4 * 768, not 4 * dim
    intermediateSize: cfg.int("hidden_dim", 3072),
    vocabSize: cfg.int("vocab_size", 30522),
    tieWordEmbeddings: cfg.bool("tie_word_embeddings", true),
    isEncoderDecoder: false,
    maxPositionEmbeddings: cfg.int("max_position_embeddings", 512),
  };
}

function buildDistilBert(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const d = readDistilBertDims(cfg);
  const h = d.hiddenSize;
  const p = encoderPrefix(opts.task, "distilbert");
  const list = new ModuleList();
  list.embedding(`${p}embeddings.word_embeddings`, d.vocabSize, h);
  // with `sinusoidal_pos_embds` the table is filled with fixed values, but it is still a parameter
  list.embedding(`${p}embeddings.position_embeddings`, d.maxPositionEmbeddings!, h);
  list.norm(`${p}embeddings.LayerNorm`, h, true, "LayerNorm");
  for (let i = 0; i < d.numHiddenLayers; i++) {
    const L = `${p}transformer.layer.${i}`;
    for (const lin of ["q_lin", "k_lin", "v_lin", "out_lin"]) list.linear(`${L}.attention.${lin}`, h, h, true);
    list.norm(`${L}.sa_layer_norm`, h, true, "LayerNorm");
    list.linear(`${L}.ffn.lin1`, h, d.intermediateSize, true);
    list.linear(`${L}.ffn.lin2`, d.intermediateSize, h, true);
    list.norm(`${L}.output_layer_norm`, h, true, "LayerNorm");
  }
  const headStart = list.modules.length;
  switch (opts.task) {
    case "SEQ_CLS":
      list.linear("pre_classifier", h, h, true);
      list.linear("classifier", h, opts.numLabels, true);
      break;
    case "TOKEN_CLS":
      list.linear("classifier", h, opts.numLabels, true);
      break;
    case "QUESTION_ANS":
      // DistilBertForQuestionAnswering raises unless there are exactly 2 outputs (start, end)
      if (opts.numLabels !== 2)
        throw new InputError(
          "INVALID_CONFIG",
          `DistilBertForQuestionAnswering needs num_labels = 2 (got ${opts.numLabels})`,
          `drop "num_labels" / "id2label" from the config (or --num-labels) for a question-answering head`,
        );
      list.linear("qa_outputs", h, 2, true);
      break;
    default:
      break;
  }
  return {
    modelType: cfg.modelType,
    task: opts.task,
    modelClass: `DistilBert${MODEL_CLASS_SUFFIX[opts.task]}`,
    modules: list.modules,
    dims: d,
    inputEmbeddings: `${p}embeddings.word_embeddings`,
    layersPath: `${p}transformer.layer`,
    anatomy: {
      hiddenSize: h,
      vocabSize: d.vocabSize,
      stacks: [
        uniformStack("encoder", `${p}transformer.layer`, d.numHiddenLayers, {
          selfAttention: separateAttention("attention", ["q_lin", "k_lin", "v_lin", "out_lin"], d.numAttentionHeads, d.numKeyValueHeads, d.headDim),
          ffn: { block: "ffn", in: ["ffn.lin1"], out: "ffn.lin2", intermediateSize: d.intermediateSize },
          norms: ["sa_layer_norm", "output_layer_norm"],
        }),
      ],
      embeddings: [`${p}embeddings.word_embeddings`, `${p}embeddings.position_embeddings`],
      norms: [`${p}embeddings.LayerNorm`],
      head: list.modules.slice(headStart).map((m) => m.name),
    },
  };
}

export const distilbertFamily: Family = {
  modelTypes: ["distilbert"],
  tasks: ["SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"],
  defaultTask: "SEQ_CLS",
  build: buildDistilBert,
};
