/**
 * ALBERT (`albert`): BERT with factorised embeddings and layers shared across depth, as transformers builds it
 * (models/albert/modeling_albert.py). The shared-depth rule: `num_hidden_layers` passes run through
 * `num_hidden_groups` groups of `inner_group_num` AlbertLayers, so the module tree (and `named_parameters()`)
 * holds groups × inner layers, not num_hidden_layers — albert-base-v2 has 12 passes over ONE layer.
 * - `albert.embeddings`: word [vocab, E], position [max_positions, E], token type [type_vocab, E], LayerNorm(E);
 *   E = `embedding_size` (128), not the hidden size;
 * - `albert.encoder.embedding_hidden_mapping_in`: E → H; `albert_layer_groups.{g}.albert_layers.{j}`:
 *   `full_layer_layer_norm`, `attention` (`query`, `key`, `value`, `dense`, `LayerNorm`), `ffn` H → I, `ffn_output` I → H;
 * - `albert.pooler` H → H (AlbertModel and the sequence classifier; token classification and QA build none).
 * Heads: SEQ_CLS `classifier`, TOKEN_CLS `classifier`, QUESTION_ANS `qa_outputs` (num_labels outputs); transformers
 * has no causal-LM ALBERT (its masked-LM head is not a PEFT task). Defaults are AlbertConfig's (ALBERT-xxlarge).
 */
import { InputError } from "../../errors.js";
import type { Anatomy, LayerAnatomy } from "../anatomy.js";
import { uniformStack } from "./anatomy-parts.js";
import { ModuleList } from "../builder.js";
import type { ConfigReader } from "../config.js";
import type { BuildOptions, Family } from "../family.js";
import { MODEL_CLASS_SUFFIX } from "../heads.js";
import type { Inventory } from "../types.js";
import { encoderPrefix } from "./bert-layers.js";

function buildAlbert(cfg: ConfigReader, opts: BuildOptions): Inventory {
  const vocab = cfg.int("vocab_size", 30000);
  const emb = cfg.int("embedding_size", 128);
  const hidden = cfg.int("hidden_size", 4096);
  const passes = cfg.int("num_hidden_layers", 12);
  const groups = cfg.int("num_hidden_groups", 1);
  const inner = cfg.int("inner_group_num", 1);
  const heads = cfg.int("num_attention_heads", 64);
  const headDim = cfg.divides("hidden_size", hidden, "num_attention_heads", heads);
  const inter = cfg.int("intermediate_size", 16384);
  if (groups > passes)
    throw new InputError("INVALID_CONFIG", `${cfg.where}: num_hidden_groups (${groups}) exceeds num_hidden_layers (${passes}); ALBERT would build groups no pass uses`, "set num_hidden_groups ≤ num_hidden_layers");
  const p = encoderPrefix(opts.task, "albert");
  const list = new ModuleList();
  list.embedding(`${p}embeddings.word_embeddings`, vocab, emb);
  list.embedding(`${p}embeddings.position_embeddings`, cfg.int("max_position_embeddings", 512), emb);
  list.embedding(`${p}embeddings.token_type_embeddings`, cfg.int("type_vocab_size", 2), emb);
  list.norm(`${p}embeddings.LayerNorm`, emb, true, "LayerNorm");
  list.linear(`${p}encoder.embedding_hidden_mapping_in`, emb, hidden, true);
  for (let g = 0; g < groups; g++)
    for (let j = 0; j < inner; j++) {
      const L = `${p}encoder.albert_layer_groups.${g}.albert_layers.${j}`;
      list.norm(`${L}.full_layer_layer_norm`, hidden, true, "LayerNorm");
      for (const n of ["query", "key", "value", "dense"]) list.linear(`${L}.attention.${n}`, hidden, hidden, true);
      list.norm(`${L}.attention.LayerNorm`, hidden, true, "LayerNorm");
      list.linear(`${L}.ffn`, hidden, inter, true);
      list.linear(`${L}.ffn_output`, inter, hidden, true);
    }
  const pooler = opts.task === "FEATURE_EXTRACTION" || opts.task === "SEQ_CLS";
  if (pooler) list.linear(`${p}pooler`, hidden, hidden, true);
  const numLabels = opts.numLabels;
  const head: string[] = pooler ? [`${p}pooler`] : [];
  if (opts.task === "SEQ_CLS" || opts.task === "TOKEN_CLS") list.linear("classifier", hidden, numLabels, true), head.push("classifier");
  if (opts.task === "QUESTION_ANS") list.linear("qa_outputs", hidden, numLabels, true), head.push("qa_outputs");
  const layer: LayerAnatomy = {
    selfAttention: { block: "attention", q: "attention.query", k: "attention.key", v: "attention.value", o: "attention.dense", heads, kvHeads: heads, headDim },
    ffn: { in: ["ffn"], out: "ffn_output", intermediateSize: inter },
    norms: ["full_layer_layer_norm", "attention.LayerNorm"],
  };
  // one stack per layer group (the physical modules); each group's layers run num_hidden_layers / groups times
  const anatomy: Anatomy = {
    hiddenSize: hidden,
    vocabSize: vocab,
    stacks: Array.from({ length: groups }, (_, g) => uniformStack("encoder", `${p}encoder.albert_layer_groups.${g}.albert_layers`, inner, layer)),
    embeddings: [`${p}embeddings.word_embeddings`, `${p}embeddings.position_embeddings`, `${p}embeddings.token_type_embeddings`],
    norms: [`${p}embeddings.LayerNorm`],
    embeddingProjections: [`${p}encoder.embedding_hidden_mapping_in`],
    head,
  };
  return {
    modelType: "albert",
    task: opts.task,
    modelClass: `Albert${MODEL_CLASS_SUFFIX[opts.task]}`,
    modules: list.modules,
    dims: {
      hiddenSize: hidden,
      numHiddenLayers: passes,
      numAttentionHeads: heads,
      numKeyValueHeads: heads,
      headDim,
      intermediateSize: inter,
      vocabSize: vocab,
      tieWordEmbeddings: false,
      isEncoderDecoder: false,
      maxPositionEmbeddings: cfg.int("max_position_embeddings", 512),
    },
    inputEmbeddings: `${p}embeddings.word_embeddings`,
    layersPath: `${p}encoder.albert_layer_groups`,
    anatomy,
    notes: [`layers shared across depth: ${passes} passes over ${groups * inner} physical layer(s) (${groups} group(s) × ${inner}); each is counted once, as named_parameters() does`],
  };
}

export const albertFamily: Family = {
  modelTypes: ["albert"],
  tasks: ["SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"],
  defaultTask: "SEQ_CLS",
  build: buildAlbert,
};
