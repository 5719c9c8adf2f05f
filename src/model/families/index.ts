/** Every model family, an explicit list (no registration by import side effect). */
import type { Family } from "../family.js";
import { albertFamily } from "./albert.js";
import { bartFamily } from "./bart.js";
import { bertFamily } from "./bert.js";
import { bloomFamily } from "./bloom.js";
import { dbrxFamily } from "./dbrx.js";
import { deepseekFamily } from "./deepseek.js";
import { debertaV2Family } from "./deberta-v2.js";
import { distilbertFamily } from "./distilbert.js";
import { falconFamily } from "./falcon.js";
import { gptNeoxFamily } from "./gpt-neox.js";
import { gpt2Family } from "./gpt2.js";
import { gptjFamily } from "./gptj.js";
import { gptOssFamily } from "./gpt-oss.js";
import { granitemoeFamily } from "./granitemoe.js";
import { granitemoehybridFamily } from "./granitemoehybrid.js";
import { jambaFamily } from "./jamba.js";
import { llamaFamily } from "./llama.js";
import { llama4Family } from "./llama4.js";
import { mambaFamily } from "./mamba.js";
import { mamba2Family } from "./mamba2.js";
import { minimaxFamily } from "./minimax.js";
import { moeFamily } from "./moe.js";
import { olmo2Family } from "./olmo2.js";
import { olmoeFamily } from "./olmoe.js";
import { openelmFamily } from "./openelm.js";
import { optFamily } from "./opt.js";
import { phiFamily } from "./phi.js";
import { phimoeFamily } from "./phimoe.js";
import { qwen3NextFamily } from "./qwen3-next.js";
import { smollm3Family } from "./smollm3.js";
import { t5Family } from "./t5.js";

export const FAMILIES: readonly Family[] = [
  llamaFamily,
  moeFamily,
  gptOssFamily,
  olmoeFamily,
  olmo2Family,
  smollm3Family,
  llama4Family,
  deepseekFamily,
  gpt2Family,
  gptNeoxFamily,
  gptjFamily,
  optFamily,
  openelmFamily,
  bloomFamily,
  falconFamily,
  phiFamily,
  phimoeFamily,
  granitemoeFamily,
  granitemoehybridFamily,
  dbrxFamily,
  jambaFamily,
  mambaFamily,
  mamba2Family,
  qwen3NextFamily,
  minimaxFamily,
  bertFamily,
  albertFamily,
  debertaV2Family,
  distilbertFamily,
  t5Family,
  bartFamily,
];
