/**
 * AdapterHub's flexible prediction heads (adapters src/adapters/heads/base.py PredictionHead.build,
 * heads/language_modeling.py CausalLMHead.build, heads/model_mixin.py add_*_head), as `<Arch>AdapterModel`
 * builds them on the bare model (`head_types` of models/<arch>/adapter_model.py; the plugin interfaces have no
 * AdapterModel class). With H = hidden_size and k = layers:
 *   classification / multilabel_classification (k 2), tagging (k 1), question_answering (k 1, 2 labels):
 *     (k − 1) · (H·H + H) + H·num_labels + num_labels
 *   multiple_choice (k 2): (k − 1) · (H·H + H) + H + 1
 *   causal_lm / masked_lm (k 2: Linear(H, E) + LayerNorm(E) per extra layer; bias), seq2seq_lm (k 1, no bias):
 *     Σ extra layers (in·E + E + 2E), then Linear(E, vocab) — the output embeddings, tied to the input
 *     embeddings when the config ties them; train_adapter() freezes them (freeze_embeddings), bias included.
 * A head sits outside base_model, so train_adapter() leaves it trainable (its output embeddings aside).
 */
import type { Part } from "../breakdown.js";
import { InputError } from "../errors.js";
import type { Inventory } from "../model/types.js";
import { embeddingSizeOf, hiddenSizeOf } from "./positions.js";

export const HEAD_TYPES = ["classification", "multilabel_classification", "tagging", "multiple_choice", "question_answering", "causal_lm", "masked_lm", "seq2seq_lm"] as const;
export type HeadType = (typeof HEAD_TYPES)[number];

export interface AdapterHubHead {
  readonly type: HeadType;
  /** `layers` of add_*_head (default per type) */
  readonly layers?: number | undefined;
  /** `num_labels` (classification, tagging, question answering; default 2) */
  readonly numLabels?: number | undefined;
}

/** add_*_head's defaults (heads/model_mixin.py) */
const DEFAULT_LAYERS: Readonly<Record<HeadType, number>> = { classification: 2, multilabel_classification: 2, multiple_choice: 2, tagging: 1, question_answering: 1, causal_lm: 2, masked_lm: 2, seq2seq_lm: 1 };

const TEXT_HEADS: readonly HeadType[] = ["classification", "multilabel_classification", "tagging", "multiple_choice", "question_answering", "masked_lm", "causal_lm"];
const DECODER_HEADS: readonly HeadType[] = ["classification", "multilabel_classification", "tagging", "question_answering", "causal_lm"];
const SEQ2SEQ_HEADS: readonly HeadType[] = ["classification", "multilabel_classification", "question_answering", "seq2seq_lm"];

/** `head_types` of each `<Arch>AdapterModel` (adapters models/<arch>/adapter_model.py, main 88f18eb) */
const HEADS_OF: Readonly<Record<string, readonly HeadType[]>> = {
  bert: TEXT_HEADS,
  roberta: TEXT_HEADS,
  "xlm-roberta": TEXT_HEADS,
  distilbert: TEXT_HEADS,
  "deberta-v2": ["classification", "multilabel_classification", "tagging", "question_answering", "multiple_choice", "masked_lm"],
  t5: SEQ2SEQ_HEADS,
  mt5: SEQ2SEQ_HEADS,
  bart: SEQ2SEQ_HEADS,
  gpt2: DECODER_HEADS,
  gptj: DECODER_HEADS,
  llama: DECODER_HEADS,
  mistral: DECODER_HEADS,
};

export function parseHeadType(text: string): HeadType {
  if ((HEAD_TYPES as readonly string[]).includes(text)) return text as HeadType;
  if (text === "dependency_parsing" || text === "image_classification")
    throw new InputError("UNSUPPORTED_OPTIONS", `AdapterHub's ${text} head is not modelled by peftcount`, `head types peftcount counts: ${HEAD_TYPES.join(", ")}`);
  throw new InputError("UNSUPPORTED_OPTIONS", `unknown AdapterHub head type "${text}"`, `head types: ${HEAD_TYPES.join(", ")}`);
}

/** The head's trainable parts and the parameters it adds frozen (its untied output embeddings). */
export function headParams(inv: Inventory, head: AdapterHubHead, pluginInterface = false): { parts: Part[]; frozenAdded: number } {
  const allowed = HEADS_OF[inv.modelType];
  if (pluginInterface)
    throw new InputError("UNSUPPORTED_OPTIONS", `AdapterHub adapts ${inv.modelType} through its plugin interface, which has no AdapterModel class: no flexible heads`, "count the adapter without head=, or on the model's own task head (--task)");
  if (!allowed)
    throw new InputError("UNSUPPORTED_OPTIONS", `peftcount does not model AdapterHub's flexible heads on ${inv.modelType}`, `flexible heads are modelled on: ${Object.keys(HEADS_OF).join(", ")}`);
  if (!allowed.includes(head.type))
    throw new InputError("UNSUPPORTED_OPTIONS", `AdapterHub's ${inv.modelType} AdapterModel has no ${head.type} head (head_types: ${allowed.join(", ")})`, `use one of ${allowed.join(", ")}`);
  if (inv.task !== "FEATURE_EXTRACTION")
    throw new InputError("UNSUPPORTED_OPTIONS", `a flexible head sits on AdapterHub's ${inv.modelType} AdapterModel, the bare model, not on a ${inv.task} model`, "use --task FEATURE_EXTRACTION (count does when --task is left out)");
  const k = head.layers ?? DEFAULT_LAYERS[head.type];
  const labels = head.numLabels ?? 2;
  if (!Number.isSafeInteger(k) || k < 1) throw new InputError("UNSUPPORTED_OPTIONS", `head_layers must be a positive integer (got ${k})`, "e.g. head_layers=2");
  if (!Number.isSafeInteger(labels) || labels < 1) throw new InputError("UNSUPPORTED_OPTIONS", `num_labels must be a positive integer (got ${labels})`, "e.g. --num-labels 3");
  const H = hiddenSizeOf(inv);
  const name = `heads.${head.type}`;
  if (head.type === "causal_lm" || head.type === "masked_lm" || head.type === "seq2seq_lm") {
    const E = embeddingSizeOf(inv);
    const V = inv.dims.vocabSize;
    const layerNorm = head.type !== "seq2seq_lm";
    let hidden = 0;
    for (let l = 0; l < k - 1; l++) hidden += (l === 0 ? H : E) * E + E + (layerNorm ? 2 * E : 0);
    const bias = head.type === "seq2seq_lm" ? 0 : V;
    const tied = inv.config?.["tie_word_embeddings"] !== false;
    const parts: Part[] = hidden > 0 ? [{ name: `${name} (${k - 1} dense${layerNorm ? " + LayerNorm" : ""})`, modules: k - 1, count: hidden, kind: "adapter" }] : [];
    return { parts, frozenAdded: bias + (tied ? 0 : V * E) };
  }
  const out = head.type === "multiple_choice" ? 1 : labels;
  const count = (k - 1) * (H * H + H) + H * out + out;
  return { parts: [{ name: `${name} (${k} linear)`, modules: k, count, kind: "adapter" }], frozenAdded: 0 };
}
