import * as z from "zod/mini";

/** PEFT task types, which select the transformers model class (and so the head). */
export const TASKS = ["CAUSAL_LM", "SEQ_2_SEQ_LM", "SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"] as const;
export const taskSchema = z.enum(TASKS);
export type Task = z.output<typeof taskSchema>;

export function isTask(x: unknown): x is Task {
  return typeof x === "string" && (TASKS as readonly string[]).includes(x);
}
