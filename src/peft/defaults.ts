/** LoRA's default targets per model_type (the table most methods copy); see default-targets.ts. */
export { LORA_TARGETS as LORA_DEFAULT_TARGETS } from "./default-targets.js";

/** Head names PEFT's task models add to `modules_to_save` (peft_model.py). */
export const TASK_MODULES_TO_SAVE: Readonly<Record<string, readonly string[]>> = {
  SEQ_CLS: ["classifier", "score"],
  TOKEN_CLS: ["classifier", "score"],
  QUESTION_ANS: ["qa_outputs"],
};

/** Names `all-linear` checks for a SEQ_CLS head to leave out (constants.py SEQ_CLS_HEAD_NAMES). */
export const SEQ_CLS_HEAD_NAMES = ["score", "classifier"] as const;
