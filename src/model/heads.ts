/**
 * Task heads of decoder-only families, as the `<Arch>For…` classes of transformers build them.
 * The backbone sits under `model.` (bare `<Arch>Model` for FEATURE_EXTRACTION: no prefix); the LM head
 * may be tied to the input embedding; SEQ_CLS adds `score` (no bias), TOKEN_CLS `score` (bias; the
 * GPT-style families call it `classifier`), QUESTION_ANS `qa_outputs` (2 outputs, bias; GPT-J: num_labels).
 */
import type { Anatomy } from "./anatomy.js";
import type { ModuleList } from "./builder.js";
import type { BuildOptions } from "./family.js";
import type { Task } from "./tasks.js";
import type { Inventory, ModelDims } from "./types.js";

export const MODEL_CLASS_SUFFIX: Record<Task, string> = {
  CAUSAL_LM: "ForCausalLM",
  SEQ_2_SEQ_LM: "ForConditionalGeneration",
  SEQ_CLS: "ForSequenceClassification",
  TOKEN_CLS: "ForTokenClassification",
  QUESTION_ANS: "ForQuestionAnswering",
  FEATURE_EXTRACTION: "Model",
};

export const DECODER_TASKS: readonly Task[] = ["CAUSAL_LM", "SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"];

/** `model.` / `transformer.` / `` — where the backbone sits for this head. */
export function backbonePrefix(task: Task, base = "model", qaBase = base): string {
  if (task === "FEATURE_EXTRACTION") return "";
  return `${task === "QUESTION_ANS" ? qaBase : base}.`;
}

export interface DecoderHead {
  readonly task: Task;
  readonly numLabels: number;
  readonly hiddenSize: number;
  readonly vocabSize: number;
  readonly tieWordEmbeddings: boolean;
  /** full path of the input embedding, for tying */
  readonly embedPath: string;
  /** default `lm_head` (GPT-NeoX before transformers 5.14: `embed_out`) */
  readonly lmHeadName?: string;
  readonly lmHeadBias?: boolean;
  /** SEQ_CLS score bias (false for the Llama-likes) */
  readonly scoreBias?: boolean;
  /** TOKEN_CLS head name: `score` (Llama-likes) or `classifier` (GPT-style families) */
  readonly tokenClassifier?: "score" | "classifier";
  /** QA output width; default 2 */
  readonly qaOutputs?: number;
}

/** Adds the head; returns the path of the output embedding (LM head), if any. */
export function addDecoderHead(list: ModuleList, h: DecoderHead): string | undefined {
  switch (h.task) {
    case "CAUSAL_LM": {
      const name = h.lmHeadName ?? "lm_head";
      list.linear(name, h.hiddenSize, h.vocabSize, h.lmHeadBias ?? false);
      if (h.tieWordEmbeddings) list.tie(name, `${h.embedPath}.weight`);
      return name;
    }
    case "SEQ_CLS":
      list.linear("score", h.hiddenSize, h.numLabels, h.scoreBias ?? false);
      return undefined;
    case "TOKEN_CLS":
      list.linear(h.tokenClassifier ?? "score", h.hiddenSize, h.numLabels, true);
      return undefined;
    case "QUESTION_ANS":
      list.linear("qa_outputs", h.hiddenSize, h.qaOutputs ?? 2, true);
      return undefined;
    case "FEATURE_EXTRACTION":
    case "SEQ_2_SEQ_LM":
      return undefined;
  }
}

/** Everything a decoder-only family knows once its backbone is listed. */
export interface DecoderSpec {
  readonly modelType: string;
  readonly modelClass: string;
  readonly dims: ModelDims;
  /** full path of the input embedding (tied LM heads point at it) */
  readonly embedPath: string;
  readonly layersPath: string;
  /** head details where they differ from the Llama ones; `hiddenSize` defaults to dims.hiddenSize */
  readonly head?: Partial<Pick<DecoderHead, "hiddenSize" | "lmHeadName" | "lmHeadBias" | "scoreBias" | "tokenClassifier" | "qaOutputs">>;
  readonly notes?: readonly string[];
  readonly experts?: Inventory["experts"];
  /**
   * the backbone's anatomy; the modules `addDecoderHead` registers are appended to its `head`
   * (after any head paths given here, e.g. a pooler)
   */
  readonly anatomy?: Omit<Anatomy, "head"> & { readonly head?: readonly string[] };
}

/** Adds the task head to a decoder-only backbone and returns the finished inventory. */
export function decoderInventory(list: ModuleList, opts: BuildOptions, s: DecoderSpec): Inventory {
  const before = list.modules.length;
  const outputEmbeddings = addDecoderHead(list, {
    task: opts.task,
    numLabels: opts.numLabels,
    hiddenSize: s.dims.hiddenSize,
    vocabSize: s.dims.vocabSize,
    tieWordEmbeddings: s.dims.tieWordEmbeddings,
    embedPath: s.embedPath,
    ...s.head,
  });
  const headNames = list.modules.slice(before).map((m) => m.name);
  return {
    modelType: s.modelType,
    task: opts.task,
    modelClass: s.modelClass,
    modules: list.modules,
    dims: s.dims,
    inputEmbeddings: s.embedPath,
    ...(outputEmbeddings ? { outputEmbeddings } : {}),
    layersPath: s.layersPath,
    ...(s.experts ? { experts: s.experts } : {}),
    ...(s.anatomy ? { anatomy: { ...s.anatomy, head: [...(s.anatomy.head ?? []), ...headNames] } } : {}),
    ...(s.notes && s.notes.length > 0 ? { notes: s.notes } : {}),
  };
}
