/** LoRA and its per-module relatives (AdaLoRA, LoHa, LoKr, DeLoRA, GraLoRA, HiRA, GLoRA). */
import { adalora } from "./adalora.js";
import { delora } from "./delora.js";
import { glora } from "./glora.js";
import { gralora } from "./gralora.js";
import { hira } from "./hira.js";
import { dora } from "./dora.js";
import { loha } from "./loha.js";
import { lokr } from "./lokr.js";
import { lora } from "./lora.js";
import { moeLora } from "./moe-lora.js";

export const LORA_FAMILY = [lora, dora, adalora, loha, lokr, delora, gralora, hira, glora, moeLora] as const;
