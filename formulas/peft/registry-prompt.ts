/** Prompt-learning methods (prompt / prefix / P-tuning, LLaMA-Adapter, ...) */
export const PROMPT_FAMILY = [] as const;
