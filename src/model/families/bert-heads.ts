/**
 * Task heads of the BERT-like encoders, as transformers 4.43 builds them.
 *
 * | task               | BERT                                     | RoBERTa / XLM-RoBERTa                          |
 * |--------------------|------------------------------------------|------------------------------------------------|
 * | FEATURE_EXTRACTION | bare model, with `pooler.dense`          | bare model, with `pooler.dense`                |
 * | SEQ_CLS            | pooler + `classifier` Linear             | no pooler; `classifier.dense` + `classifier.out_proj` |
 * | TOKEN_CLS          | no pooler; `classifier` Linear           | no pooler; `classifier` Linear                 |
 * | QUESTION_ANS       | no pooler; `qa_outputs` (num_labels out) | no pooler; `qa_outputs` (num_labels out)       |
 * | CAUSAL_LM          | `cls.predictions.{transform,decoder,bias}` | `lm_head.{dense,layer_norm,decoder,bias}`    |
 *
 * The LM decoders' weight is tied to the word embeddings (when `tie_word_embeddings`) and their
 * bias *is* the head's own `bias` parameter (`decoder.bias = self.bias`), which `named_parameters()`
 * yields first under the head's name.
 */
import type { ModuleList } from "../builder.js";
import type { Task } from "../tasks.js";

export type BertHeadStyle = "bert" | "roberta";

/** Whether the encoder of this class is built with `add_pooling_layer=True`. */
export function hasBertPooler(style: BertHeadStyle, task: Task): boolean {
  return task === "FEATURE_EXTRACTION" || (task === "SEQ_CLS" && style === "bert");
}

export interface BertHead {
  readonly task: Task;
  readonly numLabels: number;
  /** class-name stem, for the LM head's class */
  readonly arch: string;
  readonly hiddenSize: number;
  readonly vocabSize: number;
  readonly tieWordEmbeddings: boolean;
  /** full path of the word embeddings, for tying */
  readonly embedPath: string;
}

/** MLM-style prediction head used for causal LM: transform, decoder tied to the embeddings, shared bias. */
function addLmHead(list: ModuleList, h: BertHead, at: string, names: { dense: string; norm: string; className: string }): string {
  list.other(at, names.className, { bias: [h.vocabSize] });
  list.linear(`${at}.${names.dense}`, h.hiddenSize, h.hiddenSize, true);
  list.norm(`${at}.${names.norm}`, h.hiddenSize, true, "LayerNorm");
  const decoder = `${at}.decoder`;
  list.linear(decoder, h.hiddenSize, h.vocabSize, true);
  list.tie(decoder, `${at}.bias`, "bias");
  if (h.tieWordEmbeddings) list.tie(decoder, `${h.embedPath}.weight`);
  return decoder;
}

/** Adds the head after the encoder; returns the path of the output embedding (LM decoder), if any. */
export function addBertHead(list: ModuleList, style: BertHeadStyle, h: BertHead): string | undefined {
  switch (h.task) {
    case "SEQ_CLS":
      if (style === "roberta") {
        list.linear("classifier.dense", h.hiddenSize, h.hiddenSize, true);
        list.linear("classifier.out_proj", h.hiddenSize, h.numLabels, true);
      } else {
        list.linear("classifier", h.hiddenSize, h.numLabels, true);
      }
      return undefined;
    case "TOKEN_CLS":
      list.linear("classifier", h.hiddenSize, h.numLabels, true);
      return undefined;
    case "QUESTION_ANS":
      list.linear("qa_outputs", h.hiddenSize, h.numLabels, true);
      return undefined;
    case "CAUSAL_LM":
      return style === "roberta"
        ? addLmHead(list, h, "lm_head", { dense: "dense", norm: "layer_norm", className: `${h.arch}LMHead` })
        : addLmHead(list, h, "cls.predictions", { dense: "transform.dense", norm: "transform.LayerNorm", className: "BertLMPredictionHead" });
    case "FEATURE_EXTRACTION":
    case "SEQ_2_SEQ_LM":
      return undefined;
  }
}
