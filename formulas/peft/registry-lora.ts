/** LoRA and its per-module relatives (AdaLoRA, LoHa, LoKr, ...). */
import { dora } from "./dora.js";
import { lora } from "./lora.js";

export const LORA_FAMILY = [lora, dora] as const;
