/** Scaling, norm and selection methods (IA3, LN tuning, trainable tokens, Poly, ...) */
import { ia3 } from "./ia3.js";
import { lnTuning } from "./ln-tuning.js";
import { poly } from "./poly.js";
import { trainableTokens } from "./trainable-tokens.js";

export const SCALING_FAMILY = [ia3, lnTuning, trainableTokens, poly] as const;
