/** Scaling, norm and selection methods (IA3, LN tuning, trainable tokens, Poly, ...) */
export const SCALING_FAMILY = [] as const;
