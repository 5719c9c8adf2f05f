/**
 * What trains after a prompt-learning method is set up (peft src/peft/peft_model.py
 * `PeftModel._setup_prompt_encoder` + `set_additional_trainable_modules`): every base parameter is frozen,
 * the prompt encoder's tensors are added (trainable, or frozen such as CPT's base embedding from peft 0.18
 * and a cartridge's first tokens), and `modules_to_save` — with the head names PEFT's task models add for
 * SEQ_CLS / TOKEN_CLS / QUESTION_ANS — gets a trainable copy. allParams = base + encoder + copies.
 */
import type { ParamBreakdown } from "../breakdown.js";
import type { Inventory } from "../model/types.js";
import { settle } from "./apply.js";
import { moduleTree } from "./modules.js";
import { effectiveModulesToSave, headTaskWarning } from "./tuner.js";

/** A tensor of the prompt encoder, named as PEFT names it under `prompt_encoder.<adapter>.` */
export interface PromptTensor {
  readonly name: string;
  readonly count: number;
  /** trains (default), or exists frozen (counted in allParams only) */
  readonly trainable?: boolean;
}

export interface PromptSettleOptions {
  readonly modules_to_save: readonly string[] | null;
  readonly task_type: string | null;
}

export function settlePrompt(inv: Inventory, o: PromptSettleOptions, tensors: readonly PromptTensor[], warnings: readonly string[] = []): ParamBreakdown {
  const modulesToSave = effectiveModulesToSave(o.modules_to_save, o.task_type);
  const head = headTaskWarning(inv, o.task_type);
  const names = new Set(tensors.map((t) => `prompt_encoder.${t.name}`));
  const result = settle({
    inv,
    tree: moduleTree(inv.modules),
    added: [],
    wrapped: [],
    bias: "none",
    shared: tensors.map((t) => ({ name: `prompt_encoder.${t.name}`, count: t.count, trainable: t.trainable ?? true })),
    modulesToSave,
    trainableTokenIndices: null,
    warnings: head ? [...warnings, head] : warnings,
  });
  // the encoder's tensors are prompt parameters, not tensors shared by wrapped modules
  return { ...result, parts: result.parts.map((p) => (names.has(p.name) ? Object.freeze({ ...p, kind: "prompt" as const }) : p)) };
}
