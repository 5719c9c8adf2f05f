import type { Preset } from "./types.js";

export const BERT_PRESETS: readonly Preset[] = [];
