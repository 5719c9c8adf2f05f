/** Classics PEFT does not ship but users compare against (BitFit, selective fine-tuning). */
import { bitfit } from "./bitfit.js";
import { selective } from "./selective.js";

export const CLASSIC_FORMULAS = [bitfit, selective] as const;
