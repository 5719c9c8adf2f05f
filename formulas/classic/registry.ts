/** Classics PEFT does not ship but users compare against (BitFit, selective fine-tuning). */
export const CLASSIC_FORMULAS = [] as const;
