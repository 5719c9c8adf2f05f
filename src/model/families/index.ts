/** Every model family, an explicit list (no registration by import side effect). */
import type { Family } from "../family.js";
import { bartFamily } from "./bart.js";
import { bertFamily } from "./bert.js";
import { bloomFamily } from "./bloom.js";
import { deepseekFamily } from "./deepseek.js";
import { debertaV2Family } from "./deberta-v2.js";
import { distilbertFamily } from "./distilbert.js";
import { falconFamily } from "./falcon.js";
import { gptNeoxFamily } from "./gpt-neox.js";
import { gpt2Family } from "./gpt2.js";
import { gptjFamily } from "./gptj.js";
import { llamaFamily } from "./llama.js";
import { llama4Family } from "./llama4.js";
import { moeFamily } from "./moe.js";
import { optFamily } from "./opt.js";
import { phiFamily } from "./phi.js";
import { t5Family } from "./t5.js";

export const FAMILIES: readonly Family[] = [
  llamaFamily,
  moeFamily,
  llama4Family,
  deepseekFamily,
  gpt2Family,
  gptNeoxFamily,
  gptjFamily,
  optFamily,
  bloomFamily,
  falconFamily,
  phiFamily,
  bertFamily,
  debertaV2Family,
  distilbertFamily,
  t5Family,
  bartFamily,
];
