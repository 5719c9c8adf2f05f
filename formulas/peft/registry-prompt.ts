/** Prompt-learning methods: prompt / multitask prompt tuning, CPT, prefix tuning, cartridges, P-tuning, LLaMA-Adapter. */
import { adaptionPrompt } from "./adaption-prompt.js";
import { cartridge } from "./cartridge.js";
import { cpt } from "./cpt.js";
import { multitaskPromptTuning } from "./multitask-prompt-tuning.js";
import { pTuning } from "./p-tuning.js";
import { prefixTuning } from "./prefix-tuning.js";
import { promptTuning } from "./prompt-tuning.js";

export const PROMPT_FAMILY = [promptTuning, multitaskPromptTuning, cpt, prefixTuning, cartridge, pTuning, adaptionPrompt] as const;
