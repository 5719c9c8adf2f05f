/** Built-in models, one file per family, listed explicitly. */
import { ALBERT_PRESETS } from "./albert.js";
import { BART_PRESETS } from "./bart.js";
import { BERT_PRESETS } from "./bert.js";
import { BLOOM_PRESETS } from "./bloom.js";
import { DEBERTA_V2_PRESETS } from "./deberta-v2.js";
import { DISTILBERT_PRESETS } from "./distilbert.js";
import { FALCON_PRESETS } from "./falcon.js";
import { GPT_NEOX_PRESETS } from "./gpt-neox.js";
import { GPT2_PRESETS } from "./gpt2.js";
import { LLAMA_PRESETS } from "./llama.js";
import { MAMBA_PRESETS } from "./mamba.js";
import { MOE_PRESETS } from "./moe.js";
import { OPENELM_PRESETS } from "./openelm.js";
import { OPT_PRESETS } from "./opt.js";
import { PHI_PRESETS } from "./phi.js";
import { T5_PRESETS } from "./t5.js";
import type { Preset } from "./types.js";

export type { Preset } from "./types.js";

export const MODEL_PRESETS: readonly Preset[] = [
  ...LLAMA_PRESETS,
  ...MOE_PRESETS,
  ...GPT2_PRESETS,
  ...GPT_NEOX_PRESETS,
  ...OPT_PRESETS,
  ...BLOOM_PRESETS,
  ...FALCON_PRESETS,
  ...PHI_PRESETS,
  ...BERT_PRESETS,
  ...DEBERTA_V2_PRESETS,
  ...DISTILBERT_PRESETS,
  ...T5_PRESETS,
  ...BART_PRESETS,
  ...MAMBA_PRESETS,
  ...ALBERT_PRESETS,
  ...OPENELM_PRESETS,
];

export const DEFAULT_PRESET = "llama-3-8b";

/** Preset by id or HF repo alias, case-insensitive. */
export function findPreset(name: string): Preset | undefined {
  const n = name.toLowerCase();
  return MODEL_PRESETS.find((p) => p.id === n || p.aliases.some((a) => a.toLowerCase() === n));
}
